//! Signed HS256 tokens for development and tests (`jobbtorg-api token`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{encode, EncodingKey, Header};

use super::claims::Claims;

/// Signs `claims` with the shared development secret.
pub fn sign_hs256(claims: &Claims, secret: &str) -> Result<String, String> {
    encode(&Header::default(), claims, &EncodingKey::from_secret(secret.as_bytes())).map_err(|e| e.to_string())
}

pub fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Parses `90s`, `15m`, `8h` or `2d`.
pub fn parse_ttl(raw: &str) -> Result<Duration, String> {
    let (number, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("invalid TTL {raw:?}; use e.g. 8h"))?;
    let seconds = match unit {
        "s" | "" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("invalid TTL unit in {raw:?}; use s, m, h or d")),
    };
    if seconds == 0 || seconds > 7 * 86_400 {
        return Err("a TTL must be between 1 second and 7 days".into());
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_parse_with_units_and_are_bounded() {
        assert_eq!(parse_ttl("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_ttl("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_ttl("8h"), Ok(Duration::from_secs(28_800)));
        assert_eq!(parse_ttl("2d"), Ok(Duration::from_secs(172_800)));
        for bad in ["", "h", "8w", "0s", "8d", "-1h"] {
            assert!(parse_ttl(bad).is_err(), "{bad}");
        }
    }
}
