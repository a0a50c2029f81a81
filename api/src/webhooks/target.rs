//! Where a webhook may point: checked when the subscription is made (scheme, credentials and
//! every address the host resolves to) and again at each connection, by a resolver that never
//! hands out a private address, so a DNS change cannot turn the webhook inward.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use domain::webhook::{allowed_address, check_target, TargetHost, TargetRefusal};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

/// A subscription request does not wait longer than this for DNS.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("not an absolute URL")]
    Invalid,
    #[error("{0}")]
    Refused(#[from] TargetRefusal),
    #[error("the host name does not resolve")]
    Unresolvable,
}

impl TargetError {
    pub fn code(&self) -> &'static str {
        match self {
            TargetError::Invalid => "invalid_format",
            TargetError::Refused(TargetRefusal::NotHttps) => "not_https",
            TargetError::Refused(TargetRefusal::Credentials) => "credentials_in_url",
            TargetError::Refused(TargetRefusal::PrivateAddress) => "private_address",
            TargetError::Unresolvable => "unresolvable",
        }
    }
}

/// The URL's scheme, credentials and host, checked without DNS.
pub fn check_url(url: &Url, allow_loopback_http: bool) -> Result<(), TargetError> {
    let host = match url.host() {
        Some(url::Host::Ipv4(ip)) => TargetHost::Ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => TargetHost::Ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => TargetHost::Name(name.to_owned()),
        None => return Err(TargetError::Invalid),
    };
    let credentials = !url.username().is_empty() || url.password().is_some();
    check_target(url.scheme(), &host, credentials, allow_loopback_http)?;
    Ok(())
}

/// Parses and checks a target URL, resolving a host name and checking every address.
pub async fn check(raw: &str, allow_loopback_http: bool) -> Result<Url, TargetError> {
    let url = Url::parse(raw).map_err(|_| TargetError::Invalid)?;
    check_url(&url, allow_loopback_http)?;
    if let Some(url::Host::Domain(name)) = url.host() {
        let port = url.port_or_known_default().unwrap_or(443);
        let lookup = tokio::net::lookup_host((name, port));
        let addresses: Vec<SocketAddr> = tokio::time::timeout(LOOKUP_TIMEOUT, lookup)
            .await
            .map_err(|_| TargetError::Unresolvable)?
            .map_err(|_| TargetError::Unresolvable)?
            .collect();
        if addresses.is_empty() {
            return Err(TargetError::Unresolvable);
        }
        if addresses.iter().any(|a| !allowed_address(a.ip(), allow_loopback_http)) {
            return Err(TargetRefusal::PrivateAddress.into());
        }
    }
    Ok(url)
}

/// The delivery client's resolver: the system's answers, less every address not allowed.
#[derive(Debug, Clone, Copy)]
pub struct PublicOnlyResolver {
    pub allow_loopback: bool,
}

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = found.filter(|a| allowed_address(a.ip(), allow_loopback)).collect();
            if allowed.is_empty() {
                return Err(Box::new(TargetError::Refused(TargetRefusal::PrivateAddress)) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

impl PublicOnlyResolver {
    pub fn shared(allow_loopback: bool) -> Arc<Self> {
        Arc::new(Self { allow_loopback })
    }
}
