//! Webhooks: where notifications may be sent (never into the city's own network), and how often
//! a failed delivery is tried again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::code_enum;

code_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus {
        /// Waiting for its first or next attempt.
        Pending = "pending",
        Delivered = "delivered",
        /// Every attempt failed; no more are made.
        Failed = "failed",
    }
}

/// A delivery is given up after this many failed attempts.
pub const MAX_ATTEMPTS: u32 = 8;

/// The wait before attempt `attempts + 1`, as a multiple of the configured base delay:
/// 1, 2, 4, … doubling, capped at 64. `None` once `attempts` reaches `MAX_ATTEMPTS`.
pub fn retry_factor(attempts: u32) -> Option<u32> {
    (attempts < MAX_ATTEMPTS).then(|| 1 << attempts.saturating_sub(1).min(6))
}

/// A subscription names at most this many event types.
pub const MAX_EVENT_TYPES: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventTypeRefusal {
    #[error("at most {MAX_EVENT_TYPES} event types")]
    TooMany,
    #[error("{0:?} is not an event type such as participant.enrolled")]
    Malformed(String),
}

impl EventTypeRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            EventTypeRefusal::TooMany => "too_many",
            EventTypeRefusal::Malformed(_) => "invalid_format",
        }
    }
}

/// Event types are dotted lower-case words, `resource.happening`.
pub fn check_event_types(types: &[String]) -> Result<(), EventTypeRefusal> {
    if types.len() > MAX_EVENT_TYPES {
        return Err(EventTypeRefusal::TooMany);
    }
    let well_formed = |t: &str| {
        t.len() <= 100
            && t.contains('.')
            && t.split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    };
    match types.iter().find(|t| !well_formed(t)) {
        Some(bad) => Err(EventTypeRefusal::Malformed(bad.clone())),
        None => Ok(()),
    }
}

/// The host of a target URL as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetHost {
    Ip(IpAddr),
    Name(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetRefusal {
    #[error("the URL must use https (http only to this machine in development)")]
    NotHttps,
    #[error("the URL must not carry a user name or password")]
    Credentials,
    #[error("the address is in a private, local or reserved range")]
    PrivateAddress,
}

/// Checks what can be checked without DNS: the scheme, credentials and a literal address.
/// A host name must also have every address it resolves to pass [`allowed_address`].
pub fn check_target(
    scheme: &str,
    host: &TargetHost,
    has_credentials: bool,
    allow_loopback_http: bool,
) -> Result<(), TargetRefusal> {
    if has_credentials {
        return Err(TargetRefusal::Credentials);
    }
    let loopback = match host {
        TargetHost::Ip(ip) => ip.is_loopback(),
        TargetHost::Name(name) => is_localhost(name),
    };
    match scheme {
        "https" => {}
        "http" if allow_loopback_http && loopback => {}
        _ => return Err(TargetRefusal::NotHttps),
    }
    match host {
        TargetHost::Ip(ip) if !allowed_address(*ip, allow_loopback_http) => Err(TargetRefusal::PrivateAddress),
        TargetHost::Name(name) if is_localhost(name) && !allow_loopback_http => Err(TargetRefusal::PrivateAddress),
        _ => Ok(()),
    }
}

fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Whether a notification may be sent to `ip`: public unicast only, loopback in development.
pub fn allowed_address(ip: IpAddr, allow_loopback: bool) -> bool {
    match ip {
        IpAddr::V4(v4) => allowed_v4(v4, allow_loopback),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => allowed_v4(v4, allow_loopback),
            None => allowed_v6(v6, allow_loopback),
        },
    }
}

fn allowed_v4(ip: Ipv4Addr, allow_loopback: bool) -> bool {
    if ip.is_loopback() {
        return allow_loopback;
    }
    let [a, b, c, _] = ip.octets();
    let forbidden = ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24, and benchmarking, 198.18.0.0/15.
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b));
    !forbidden
}

fn allowed_v6(ip: Ipv6Addr, allow_loopback: bool) -> bool {
    if ip.is_loopback() {
        return allow_loopback;
    }
    let [first, second, third, ..] = ip.segments();
    let forbidden = ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7, link-local fe80::/10, the old site-local fec0::/10,
        // documentation 2001:db8::/32.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        || (first == 0x2001 && second == 0x0db8)
        // Local-use NAT64 64:ff9b:1::/48 (RFC 8215): translates to whatever the operator's
        // network holds, private addresses included.
        || (first == 0x64 && second == 0xff9b && third == 1);
    !forbidden
}

/// The IPv4 address inside an IPv6 address that carries one — IPv4-mapped (`::ffff:0:0/96`),
/// IPv4-compatible (`::/96`, deprecated but routed by some stacks), IPv4-translated
/// (`::ffff:0:0:0/96`), NAT64 (`64:ff9b::/96`) or 6to4 (`2002::/16`) — so that each is judged
/// as that IPv4 address: `::a00:1` as `10.0.0.1`.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let from = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    match ip.segments() {
        // `::` and `::1` are IPv6's own unspecified and loopback addresses.
        [0, 0, 0, 0, 0, 0, 0, 0 | 1] => None,
        [0, 0, 0, 0, 0, 0, hi, lo] => Some(from(hi, lo)),
        [0, 0, 0, 0, 0xffff, 0, hi, lo] => Some(from(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(from(hi, lo)),
        [0x2002, hi, lo, ..] => Some(from(hi, lo)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn private_local_and_reserved_addresses_are_refused() {
        for raw in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "127.0.0.1",
            "0.0.0.0",
            "100.64.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            // IPv4 inside IPv6 in every form, and the ranges that translate to anything.
            "::127.0.0.1",
            "::a00:1",
            "::ffff:0:7f00:1",
            "::ffff:0:a00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "64:ff9b:1:abcd::5db8:d822",
            "2002:a00:1::1",
            "fec0::1",
            "feff::1",
            "64:ff9b::a00:1",
            "2002:c0a8:101::1",
            "2001:db8::1",
        ] {
            assert!(!allowed_address(ip(raw), false), "{raw}");
        }
        for raw in [
            "93.184.216.34",
            "2a00:1450:400f:80d::200e",
            "::ffff:93.184.216.34",
            "64:ff9b::5db8:d822",
        ] {
            assert!(allowed_address(ip(raw), false), "{raw}");
        }
        assert!(allowed_address(ip("127.0.0.1"), true));
        assert!(!allowed_address(ip("10.0.0.1"), true));
    }

    #[test]
    fn only_https_except_http_to_loopback_in_development() {
        let public = TargetHost::Name("hooks.example.org".into());
        let loopback = TargetHost::Ip(ip("127.0.0.1"));
        assert_eq!(check_target("https", &public, false, false), Ok(()));
        assert_eq!(check_target("http", &public, false, true), Err(TargetRefusal::NotHttps));
        assert_eq!(
            check_target("http", &loopback, false, false),
            Err(TargetRefusal::NotHttps)
        );
        assert_eq!(check_target("http", &loopback, false, true), Ok(()));
        assert_eq!(
            check_target("https", &TargetHost::Name("localhost".into()), false, false),
            Err(TargetRefusal::PrivateAddress)
        );
        assert_eq!(
            check_target("https", &TargetHost::Ip(ip("10.0.0.5")), false, true),
            Err(TargetRefusal::PrivateAddress)
        );
        assert_eq!(check_target("ftp", &public, false, true), Err(TargetRefusal::NotHttps));
        assert_eq!(
            check_target("https", &public, true, false),
            Err(TargetRefusal::Credentials)
        );
    }

    #[test]
    fn event_types_are_dotted_lower_case_words() {
        let types = |raw: &[&str]| raw.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            check_event_types(&types(&["participant.enrolled", "referral.accepted"])),
            Ok(())
        );
        assert_eq!(check_event_types(&[]), Ok(()));
        for bad in ["participant", "Participant.enrolled", "participant..enrolled", "a.b c"] {
            assert!(
                matches!(check_event_types(&types(&[bad])), Err(EventTypeRefusal::Malformed(_))),
                "{bad}"
            );
        }
        let many = vec!["a.b".to_owned(); MAX_EVENT_TYPES + 1];
        assert_eq!(check_event_types(&many), Err(EventTypeRefusal::TooMany));
    }

    #[test]
    fn retries_back_off_doubling_and_stop() {
        let factors: Vec<Option<u32>> = (1..=9).map(retry_factor).collect();
        assert_eq!(
            factors,
            [
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(16),
                Some(32),
                Some(64),
                None,
                None
            ]
        );
        assert_eq!(retry_factor(0), Some(1));
    }
}
