//! Configuration from environment variables (DESIGN.md section 2), each with a default.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use domain::reference::Phase;
use persistence::DatabaseUrl;

use crate::auth::{parse_role_names, ClaimMapping, ClaimPath, KeyConfig};
use crate::clock::Clock;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/jobbtorg.db";
pub const DEFAULT_BIND_ADDR: &str = "127.0.0.1:8080";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub bind_addr: SocketAddr,
    pub db_pool_size: u32,
    /// How long a request waits for a pooled connection before it gets a 503.
    pub db_pool_timeout: Duration,
    pub http_workers: usize,
    /// The longest a request may take, reading its body included.
    pub request_timeout: Duration,
    /// The highest target-group phase open for intake (`TARGET_GROUP_PHASE`, 1 or 2).
    pub target_group_phase: Phase,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    /// The longest lifetime a token may have, `exp` less `iat` (`JWT_MAX_TTL`).
    pub jwt_max_ttl: Duration,
    /// How tokens are verified; `None` when nothing is configured (the server refuses to start).
    pub jwt_keys: Option<KeyConfig>,
    /// Where the identity provider puts the role, scope and reach (`JWT_*_CLAIM`, `JWT_ROLE_MAP`).
    pub claim_mapping: ClaimMapping,
    /// Write requests (POST, PUT, PATCH, DELETE) one token subject may make per minute; 0 turns
    /// the limit off (`RATE_LIMIT_WRITES_PER_MINUTE`).
    pub writes_per_minute: u32,
    /// The browser origins allowed to call the API (`CORS_ORIGINS`, comma-separated); none by
    /// default.
    pub cors_origins: Vec<String>,
    pub webhooks: WebhookConfig,
    /// How often each node deletes expired idempotency keys, old rate-limit windows and old
    /// webhook deliveries (`HOUSEKEEPING_INTERVAL_MS`).
    pub housekeeping_interval: Duration,
    /// Years a participation is kept after its last entry before housekeeping anonymises it
    /// (`RETENTION_YEARS`).
    pub retention_years: u32,
    /// The server's clock; set to start at `CLOCK_START` in development and tests only.
    pub clock: Clock,
}

/// How webhook deliveries are made (`WEBHOOK_*`).
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Allow `http://` targets on this machine, for development (`WEBHOOK_ALLOW_LOOPBACK_HTTP`).
    pub allow_loopback_http: bool,
    /// How often each node looks for deliveries to make (`WEBHOOK_POLL_MS`).
    pub poll_interval: Duration,
    /// The wait before the first retry; it doubles with each (`WEBHOOK_RETRY_BASE_MS`).
    pub retry_base: Duration,
    /// How long one attempt may take (`WEBHOOK_TIMEOUT_MS`).
    pub timeout: Duration,
}

/// A development secret shorter than this is refused (HS256 needs at least 256 bits).
pub const MIN_HS256_SECRET_BYTES: usize = 32;

/// A configuration value that cannot be used; printed as one line at start-up.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid {variable}={value:?}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub reason: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads every variable through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str, default: &str| (name, lookup(name).unwrap_or_else(|| default.to_owned()));
        let default_workers = std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(2)
            .to_string();

        let (var, raw) = get("DATABASE_URL", DEFAULT_DATABASE_URL);
        let database_url = DatabaseUrl::parse(&raw).map_err(|e| invalid(var, &raw, e))?;
        let (var, raw) = get("BIND_ADDR", DEFAULT_BIND_ADDR);
        let bind_addr = raw.parse().map_err(|e| invalid(var, &raw, e))?;
        let db_pool_size = parse_in_range(get("DB_POOL_SIZE", "10"), 1, 512)?;
        let db_pool_timeout = Duration::from_millis(parse_in_range(get("DB_POOL_TIMEOUT_MS", "5000"), 100, 60_000)?);
        let http_workers = parse_in_range(get("HTTP_WORKERS", &default_workers), 1, 256)?;
        let request_timeout = Duration::from_millis(parse_in_range(get("REQUEST_TIMEOUT_MS", "30000"), 100, 600_000)?);
        let (var, raw) = get("TARGET_GROUP_PHASE", "1");
        let target_group_phase = raw
            .parse()
            .ok()
            .and_then(Phase::from_number)
            .ok_or_else(|| invalid(var, &raw, "must be 1 or 2"))?;
        let (_, jwt_issuer) = get("JWT_ISSUER", "jobbtorg-dev");
        let (_, jwt_audience) = get("JWT_AUDIENCE", "jobbtorg-api");
        let (variable, raw) = get("JWT_MAX_TTL", "24h");
        let jwt_max_ttl =
            crate::auth::dev_token::parse_ttl(raw.trim()).map_err(|reason| invalid(variable, &raw, reason))?;
        let jwt_keys = jwt_keys(&lookup)?;
        let claim_mapping = claim_mapping(&get)?;
        let clock = clock(&lookup, jwt_keys.as_ref())?;
        let writes_per_minute = parse_in_range(get("RATE_LIMIT_WRITES_PER_MINUTE", "600"), 0, 1_000_000)?;
        let (var, raw) = get("WEBHOOK_ALLOW_LOOPBACK_HTTP", "false");
        let allow_loopback_http = raw.parse().map_err(|_| invalid(var, &raw, "must be true or false"))?;
        let housekeeping_interval = Duration::from_millis(parse_in_range(
            get("HOUSEKEEPING_INTERVAL_MS", "600000"),
            10,
            86_400_000,
        )?);
        let cors_origins = cors_origins(get("CORS_ORIGINS", ""))?;
        let retention_years = parse_in_range(
            get(
                "RETENTION_YEARS",
                &domain::retention::DEFAULT_RETENTION_YEARS.to_string(),
            ),
            1,
            100,
        )?;
        let webhooks = WebhookConfig {
            allow_loopback_http,
            poll_interval: Duration::from_millis(parse_in_range(get("WEBHOOK_POLL_MS", "1000"), 10, 60_000)?),
            retry_base: Duration::from_millis(parse_in_range(get("WEBHOOK_RETRY_BASE_MS", "30000"), 10, 3_600_000)?),
            timeout: Duration::from_millis(parse_in_range(get("WEBHOOK_TIMEOUT_MS", "10000"), 100, 60_000)?),
        };

        Ok(Config {
            database_url,
            bind_addr,
            db_pool_size,
            db_pool_timeout,
            http_workers,
            request_timeout,
            target_group_phase,
            writes_per_minute,
            cors_origins,
            webhooks,
            housekeeping_interval,
            retention_years,
            jwt_issuer,
            jwt_audience,
            jwt_max_ttl,
            jwt_keys,
            claim_mapping,
            clock,
        })
    }
}

/// The claim paths and role names of the identity provider; the defaults are this API's own
/// claim names.
fn claim_mapping(get: &impl Fn(&'static str, &str) -> (&'static str, String)) -> Result<ClaimMapping, ConfigError> {
    let path = |variable: &'static str, default: &str| {
        let (variable, raw) = get(variable, default);
        ClaimPath::new(&raw).map_err(|reason| invalid(variable, &raw, reason))
    };
    let (variable, raw) = get("JWT_ROLE_MAP", "");
    Ok(ClaimMapping {
        role: path("JWT_ROLE_CLAIM", "role")?,
        role_names: parse_role_names(&raw).map_err(|reason| invalid(variable, &raw, reason))?,
        jobbtorg: path("JWT_JOBBTORG_CLAIM", "jobbtorg_id")?,
        district: path("JWT_DISTRICT_CLAIM", "district_id")?,
        provider: path("JWT_PROVIDER_CLAIM", "provider_id")?,
        scope: path("JWT_SCOPE_CLAIM", "scope")?,
    })
}

/// `CLOCK_START` (an RFC 3339 instant) sets the clock; refused where tokens come from a real
/// identity provider, so production always runs on the system's time.
fn clock(lookup: &impl Fn(&str) -> Option<String>, keys: Option<&KeyConfig>) -> Result<Clock, ConfigError> {
    let Some(raw) = lookup("CLOCK_START") else {
        return Ok(Clock::system());
    };
    if matches!(keys, Some(KeyConfig::Jwks { .. })) {
        return Err(invalid(
            "CLOCK_START",
            &raw,
            "a set clock is for development and tests; it is refused with JWT_JWKS_PATH/JWT_JWKS_URL",
        ));
    }
    let start = chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map_err(|e| invalid("CLOCK_START", &raw, format!("must be an RFC 3339 instant: {e}")))?;
    Ok(Clock::starting_at(start.to_utc()))
}

fn jwt_keys(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<KeyConfig>, ConfigError> {
    let secret = lookup("JWT_HS256_SECRET");
    let path = lookup("JWT_JWKS_PATH").map(PathBuf::from);
    let url = lookup("JWT_JWKS_URL");
    if let Some(url) = &url {
        let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| url.starts_with(p));
        if !url.starts_with("https://") && !loopback {
            return Err(invalid("JWT_JWKS_URL", url, "must be https (http only to loopback)"));
        }
    }
    match (secret, path.is_some() || url.is_some()) {
        (Some(_), true) => Err(invalid(
            "JWT_HS256_SECRET",
            "…",
            "configure either a development secret or JWT_JWKS_PATH/JWT_JWKS_URL, not both",
        )),
        (Some(secret), false) if secret.len() < MIN_HS256_SECRET_BYTES => Err(invalid(
            "JWT_HS256_SECRET",
            "…",
            format!("must be at least {MIN_HS256_SECRET_BYTES} bytes"),
        )),
        (Some(secret), false) => Ok(Some(KeyConfig::Hs256Secret(secret))),
        (None, true) => Ok(Some(KeyConfig::Jwks { path, url })),
        (None, false) => Ok(None),
    }
}

/// `CORS_ORIGINS`: each an origin (`https://host[:port]`, no path), in its canonical form; a
/// wildcard is refused (list the front ends).
fn cors_origins((variable, raw): (&'static str, String)) -> Result<Vec<String>, ConfigError> {
    raw.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let url = url::Url::parse(origin).map_err(|e| invalid(variable, origin, format!("not an origin: {e}")))?;
            let bare = matches!(url.path(), "" | "/") && url.query().is_none() && url.fragment().is_none();
            if !matches!(url.scheme(), "https" | "http") || url.host().is_none() || !bare || !url.username().is_empty()
            {
                return Err(invalid(
                    variable,
                    origin,
                    "must be an origin such as https://app.example.se (scheme, host, port)",
                ));
            }
            Ok(url.origin().ascii_serialization())
        })
        .collect()
}

fn invalid(variable: &'static str, value: &str, reason: impl std::fmt::Display) -> ConfigError {
    ConfigError {
        variable,
        value: value.to_owned(),
        reason: reason.to_string(),
    }
}

fn parse_in_range<T>((variable, raw): (&'static str, String), min: T, max: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match raw.trim().parse::<T>() {
        Ok(value) if value >= min && value <= max => Ok(value),
        _ => Err(invalid(
            variable,
            &raw,
            format!("must be a whole number from {min} to {max}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config_with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_need_no_environment() {
        let config = config_with(&[]).unwrap();
        assert_eq!(config.bind_addr.to_string(), DEFAULT_BIND_ADDR);
        assert_eq!(config.database_url.backend(), persistence::Backend::Sqlite);
        assert_eq!(config.target_group_phase, Phase::One);
        assert_eq!(config.db_pool_size, 10);
    }

    #[test]
    fn cors_origins_are_listed_origins_in_canonical_form() {
        let config = config_with(&[("CORS_ORIGINS", " https://App.Example.se , http://localhost:5173,")]).unwrap();
        assert_eq!(config.cors_origins, ["https://app.example.se", "http://localhost:5173"]);
        assert!(config_with(&[]).unwrap().cors_origins.is_empty());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let cases = [
            ("BIND_ADDR", "localhost"),
            ("DB_POOL_SIZE", "0"),
            ("DB_POOL_SIZE", "many"),
            ("TARGET_GROUP_PHASE", "3"),
            ("RATE_LIMIT_WRITES_PER_MINUTE", "-5"),
            ("DATABASE_URL", "mysql://x/y"),
            ("HTTP_WORKERS", "-1"),
            ("JWT_HS256_SECRET", "too-short"),
            ("JWT_JWKS_URL", "http://idp.internal/jwks.json"),
            ("CORS_ORIGINS", "*"),
            ("CORS_ORIGINS", "https://app.example.se/path"),
            ("CORS_ORIGINS", "ftp://app.example.se"),
            ("RETENTION_YEARS", "0"),
            ("JWT_MAX_TTL", "8 hours"),
            ("JWT_MAX_TTL", "30d"),
            ("JWT_ROLE_CLAIM", "realm_access..roles"),
            ("JWT_ROLE_MAP", "jobbtorg-coach"),
            ("JWT_ROLE_MAP", "jobbtorg-boss=boss"),
            ("JWT_JOBBTORG_CLAIM", " "),
        ];
        for (variable, value) in cases {
            let error = config_with(&[(variable, value)]).unwrap_err();
            assert_eq!(error.variable, variable);
            assert!(
                error.to_string().starts_with(&format!("invalid {variable}=")),
                "{error}"
            );
        }
    }

    #[test]
    fn a_secret_and_a_key_set_together_are_refused() {
        let secret = "s".repeat(MIN_HS256_SECRET_BYTES);
        let error = config_with(&[("JWT_HS256_SECRET", &secret), ("JWT_JWKS_PATH", "/keys.json")]).unwrap_err();
        assert!(error.reason.contains("not both"), "{error}");
        assert!(!error.to_string().contains(&secret), "the secret is never printed");
    }

    #[test]
    fn key_configuration_is_recognised() {
        let secret = "s".repeat(MIN_HS256_SECRET_BYTES);
        assert!(matches!(
            config_with(&[("JWT_HS256_SECRET", &secret)]).unwrap().jwt_keys,
            Some(KeyConfig::Hs256Secret(_))
        ));
        let jwks = config_with(&[("JWT_JWKS_URL", "https://idp/jwks.json")])
            .unwrap()
            .jwt_keys;
        assert!(matches!(
            jwks,
            Some(KeyConfig::Jwks {
                path: None,
                url: Some(_)
            })
        ));
        assert!(config_with(&[]).unwrap().jwt_keys.is_none());
    }

    #[test]
    fn the_clock_may_be_set_with_a_secret_but_not_with_a_key_set() {
        let secret = "s".repeat(MIN_HS256_SECRET_BYTES);
        let set = config_with(&[
            ("JWT_HS256_SECRET", &secret),
            ("CLOCK_START", "2026-12-02T00:30:00+01:00"),
        ])
        .unwrap();
        assert!(set.clock.is_set());
        assert_eq!(set.clock.today().to_string(), "2026-12-02");
        assert!(!config_with(&[]).unwrap().clock.is_set());
        let error = config_with(&[
            ("JWT_JWKS_URL", "https://idp/jwks.json"),
            ("CLOCK_START", "2026-12-02T00:30:00+01:00"),
        ])
        .unwrap_err();
        assert_eq!(error.variable, "CLOCK_START");
        assert!(error.reason.contains("refused"), "{error}");
        let error = config_with(&[("JWT_HS256_SECRET", &secret), ("CLOCK_START", "tomorrow")]).unwrap_err();
        assert_eq!(error.variable, "CLOCK_START");
    }

    #[test]
    fn phase_two_can_be_switched_on() {
        assert_eq!(
            config_with(&[("TARGET_GROUP_PHASE", "2")]).unwrap().target_group_phase,
            Phase::Two
        );
    }
}
