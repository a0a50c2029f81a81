//! Public keys from a JWK set: read from a file at start-up, and fetched from the identity
//! provider's URL at start-up and again when a token names a key id we do not know (key rotation).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey};
use tokio::sync::{Mutex, RwLock};

/// An unknown `kid` triggers at most one fetch in this interval, so forged tokens cannot make us
/// hammer the identity provider.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(30);
/// The URL's set is fetched again when it is older than this, so keys the identity provider
/// withdraws stop being trusted within it (and at once when a token names an unknown `kid`).
const MAX_SET_AGE: Duration = Duration::from_secs(15 * 60);
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

type KeyMap = HashMap<String, (DecodingKey, Algorithm)>;

pub struct JwksKeys {
    keys: RwLock<KeyMap>,
    /// The file's keys, kept whatever the URL's set says.
    file_keys: KeyMap,
    /// When the URL's set was last fetched, for its age.
    fetched_at: std::sync::Mutex<Option<Instant>>,
    url: Option<String>,
    last_fetch: Mutex<Option<Instant>>,
    client: reqwest::Client,
}

impl JwksKeys {
    pub async fn load(path: Option<&Path>, url: Option<String>) -> Result<Self, String> {
        let mut keys = KeyMap::new();
        if let Some(path) = path {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read JWT_JWKS_PATH {}: {e}", path.display()))?;
            let set: JwkSet =
                serde_json::from_str(&text).map_err(|e| format!("JWT_JWKS_PATH is not a JWK set: {e}"))?;
            keys.extend(usable_keys(&set));
            if keys.is_empty() {
                return Err("JWT_JWKS_PATH holds no RS256 or ES256 key with a kid".into());
            }
        }
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        let jwks = Self {
            file_keys: keys.clone(),
            fetched_at: std::sync::Mutex::new(None),
            keys: RwLock::new(keys),
            url,
            last_fetch: Mutex::new(None),
            client,
        };
        if let Some(url) = &jwks.url {
            // The identity provider may be down while we start; keys are fetched again on demand.
            match jwks.fetch(url).await {
                Ok(set) => jwks.replace(&set).await,
                Err(e) => log::warn!("could not fetch JWT_JWKS_URL at start-up: {e}"),
            }
        }
        Ok(jwks)
    }

    /// The file's keys and the URL's current set: a key the identity provider withdrew is gone.
    async fn replace(&self, set: &JwkSet) {
        let mut keys = self.file_keys.clone();
        keys.extend(usable_keys(set));
        *self.keys.write().await = keys;
        if let Ok(mut at) = self.fetched_at.lock() {
            *at = Some(Instant::now());
        }
    }

    /// Whether the URL's set is older than `MAX_SET_AGE`.
    fn stale(&self) -> bool {
        self.url.is_some()
            && self
                .fetched_at
                .lock()
                .is_ok_and(|at| at.is_some_and(|at| at.elapsed() > MAX_SET_AGE))
    }

    pub async fn find(&self, kid: &str) -> Option<(DecodingKey, Algorithm)> {
        if self.stale() {
            if let Err(e) = self.refresh().await {
                log::warn!("could not refresh JWT_JWKS_URL: {e}");
            }
        }
        if let Some(found) = self.keys.read().await.get(kid) {
            return Some(found.clone());
        }
        if self.url.is_some() {
            if let Err(e) = self.refresh().await {
                log::warn!("could not refresh JWT_JWKS_URL: {e}");
            }
        }
        self.keys.read().await.get(kid).cloned()
    }

    /// Fetches the set again because a token named an unknown key; rate-limited.
    async fn refresh(&self) -> Result<(), String> {
        let Some(url) = &self.url else { return Ok(()) };
        let mut last_fetch = self.last_fetch.lock().await;
        if last_fetch.is_some_and(|at| at.elapsed() < MIN_REFRESH_INTERVAL) {
            return Ok(());
        }
        *last_fetch = Some(Instant::now());
        let set = self.fetch(url).await?;
        self.replace(&set).await;
        Ok(())
    }

    async fn fetch(&self, url: &str) -> Result<JwkSet, String> {
        self.client
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())
    }
}

/// The RS256 and ES256 (P-256) keys of a set that have a `kid`; others are skipped.
fn usable_keys(set: &JwkSet) -> impl Iterator<Item = (String, (DecodingKey, Algorithm))> + '_ {
    set.keys.iter().filter_map(|jwk| {
        let kid = jwk.common.key_id.clone()?;
        let algorithm = algorithm_of(jwk)?;
        let key = DecodingKey::from_jwk(jwk).ok()?;
        Some((kid, (key, algorithm)))
    })
}

fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    let by_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => Algorithm::ES256,
        _ => return None,
    };
    match jwk.common.key_algorithm {
        None => Some(by_type),
        Some(KeyAlgorithm::RS256) if by_type == Algorithm::RS256 => Some(by_type),
        Some(KeyAlgorithm::ES256) if by_type == Algorithm::ES256 => Some(by_type),
        Some(_) => None,
    }
}
