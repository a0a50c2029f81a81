//! `Jobbtorg-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The receiver
//! recomputes it with its secret and rejects an old `t`, so a captured delivery cannot be
//! replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "Jobbtorg-Signature";

pub fn sign(secret: &str, timestamp: i64, body: &str) -> Result<String, hmac::digest::InvalidLength> {
    // HMAC takes a key of any length; the error exists only for other MACs.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Ok(format!("t={timestamp},v1={}", hex(&mac.finalize().into_bytes())))
}

/// A new secret: 32 random bytes from the operating system, as hex.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("whsec_{}", hex(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    #[test]
    fn the_mac_is_hmac_sha256() {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_signature_covers_timestamp_and_body() {
        let sign = |secret, timestamp, body| sign(secret, timestamp, body).unwrap();
        let signature = sign("whsec_x", 1_700_000_000, "{}");
        assert!(signature.starts_with("t=1700000000,v1="));
        assert_ne!(signature, sign("whsec_x", 1_700_000_001, "{}"));
        assert_ne!(signature, sign("whsec_x", 1_700_000_000, "{ }"));
        assert_ne!(signature, sign("whsec_y", 1_700_000_000, "{}"));
    }

    #[test]
    fn secrets_are_new_each_time() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), "whsec_".len() + 64);
        assert_ne!(a, b);
    }
}
