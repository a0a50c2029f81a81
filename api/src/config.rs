//! Configuration from environment variables (DESIGN.md section 2), each with a default.

use std::net::SocketAddr;
use std::time::Duration;

use domain::reference::Phase;
use persistence::DatabaseUrl;

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
    /// The highest target-group phase open for intake (`TARGET_GROUP_PHASE`, 1 or 2).
    pub target_group_phase: Phase,
    pub jwt_issuer: String,
    pub jwt_audience: String,
}

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
        let get = |name: &'static str, default: &str| {
            (name, lookup(name).unwrap_or_else(|| default.to_owned()))
        };
        let default_workers = std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(2)
            .to_string();

        let (var, raw) = get("DATABASE_URL", DEFAULT_DATABASE_URL);
        let database_url = DatabaseUrl::parse(&raw).map_err(|e| invalid(var, &raw, e))?;
        let (var, raw) = get("BIND_ADDR", DEFAULT_BIND_ADDR);
        let bind_addr = raw.parse().map_err(|e| invalid(var, &raw, e))?;
        let db_pool_size = parse_in_range(get("DB_POOL_SIZE", "10"), 1, 512)?;
        let db_pool_timeout = Duration::from_millis(parse_in_range(
            get("DB_POOL_TIMEOUT_MS", "5000"),
            100,
            60_000,
        )?);
        let http_workers = parse_in_range(get("HTTP_WORKERS", &default_workers), 1, 256)?;
        let (var, raw) = get("TARGET_GROUP_PHASE", "1");
        let target_group_phase = raw
            .parse()
            .ok()
            .and_then(Phase::from_number)
            .ok_or_else(|| invalid(var, &raw, "must be 1 or 2"))?;
        let (_, jwt_issuer) = get("JWT_ISSUER", "jobbtorg-dev");
        let (_, jwt_audience) = get("JWT_AUDIENCE", "jobbtorg-api");

        Ok(Config {
            database_url,
            bind_addr,
            db_pool_size,
            db_pool_timeout,
            http_workers,
            target_group_phase,
            jwt_issuer,
            jwt_audience,
        })
    }
}

fn invalid(variable: &'static str, value: &str, reason: impl std::fmt::Display) -> ConfigError {
    ConfigError {
        variable,
        value: value.to_owned(),
        reason: reason.to_string(),
    }
}

fn parse_in_range<T>(
    (variable, raw): (&'static str, String),
    min: T,
    max: T,
) -> Result<T, ConfigError>
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
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
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
    fn bad_values_name_the_variable() {
        let cases = [
            ("BIND_ADDR", "localhost"),
            ("DB_POOL_SIZE", "0"),
            ("DB_POOL_SIZE", "many"),
            ("TARGET_GROUP_PHASE", "3"),
            ("DATABASE_URL", "mysql://x/y"),
            ("HTTP_WORKERS", "-1"),
        ];
        for (variable, value) in cases {
            let error = config_with(&[(variable, value)]).unwrap_err();
            assert_eq!(error.variable, variable);
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("invalid {variable}=")),
                "{error}"
            );
        }
    }

    #[test]
    fn phase_two_can_be_switched_on() {
        assert_eq!(
            config_with(&[("TARGET_GROUP_PHASE", "2")])
                .unwrap()
                .target_group_phase,
            Phase::Two
        );
    }
}
