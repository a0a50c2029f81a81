use std::path::PathBuf;

use domain::access::Actor;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};

use super::claims::Claims;
use super::jwks::JwksKeys;
use super::mapping::ClaimMapping;

/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECONDS: u64 = 30;

/// Where verification keys come from. Exactly one is configured.
#[derive(Debug, Clone)]
pub enum KeyConfig {
    /// A shared secret of at least 32 bytes, for development and tests.
    Hs256Secret(String),
    /// RS256/ES256 public keys from a JWK set file and/or URL (refreshed on an unknown `kid`).
    Jwks { path: Option<PathBuf>, url: Option<String> },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("the token is malformed")]
    Malformed,
    #[error("the token's algorithm is not accepted")]
    AlgorithmNotAllowed,
    #[error("the token's key id is unknown")]
    UnknownKey,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token's signature is invalid")]
    BadSignature,
    #[error("the token was issued for another audience")]
    WrongAudience,
    #[error("the token was issued by an unknown issuer")]
    WrongIssuer,
    #[error("the token lacks a required claim: {0}")]
    MissingClaim(String),
    #[error("the token's claims are invalid: {0}")]
    InvalidClaims(String),
    #[error("the token names a critical header extension this server does not understand")]
    CriticalExtension,
    #[error("the token lives longer than this server accepts")]
    TooLongLived,
}

enum Keys {
    Hs256(DecodingKey),
    Jwks(JwksKeys),
}

pub struct TokenVerifier {
    issuer: String,
    audience: String,
    keys: Keys,
    /// The longest lifetime a token may have (`JWT_MAX_TTL`).
    max_ttl: std::time::Duration,
    /// Where the identity provider puts the role, scope and reach.
    mapping: ClaimMapping,
}

impl TokenVerifier {
    /// Loads the keys; a JWK set file that cannot be read or parsed is an error.
    pub async fn new(
        issuer: String,
        audience: String,
        keys: &KeyConfig,
        max_ttl: std::time::Duration,
    ) -> Result<Self, String> {
        let keys = match keys {
            KeyConfig::Hs256Secret(secret) => Keys::Hs256(DecodingKey::from_secret(secret.as_bytes())),
            KeyConfig::Jwks { path, url } => Keys::Jwks(JwksKeys::load(path.as_deref(), url.clone()).await?),
        };
        Ok(Self {
            issuer,
            audience,
            keys,
            max_ttl,
            mapping: ClaimMapping::default(),
        })
    }

    /// Reads the claims where `mapping` says the identity provider puts them.
    pub fn with_claim_mapping(mut self, mapping: ClaimMapping) -> Self {
        self.mapping = mapping;
        self
    }

    pub async fn verify(&self, token: &str) -> Result<Actor, AuthError> {
        let header = decode_header(token).map_err(|_| AuthError::Malformed)?;
        // RFC 7515 §4.1.11: an extension the server must understand and does not (it
        // understands none) makes the token invalid; an empty list is not allowed either.
        if header.crit.is_some() {
            return Err(AuthError::CriticalExtension);
        }
        let (key, algorithm) = match &self.keys {
            // Pinned: with a shared secret only HS256, never `none` or an asymmetric algorithm.
            Keys::Hs256(key) if header.alg == Algorithm::HS256 => (key.clone(), Algorithm::HS256),
            Keys::Hs256(_) => return Err(AuthError::AlgorithmNotAllowed),
            Keys::Jwks(jwks) => {
                if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
                    return Err(AuthError::AlgorithmNotAllowed);
                }
                let kid = header.kid.as_deref().ok_or(AuthError::UnknownKey)?;
                let (key, algorithm) = jwks.find(kid).await.ok_or(AuthError::UnknownKey)?;
                if algorithm != header.alg {
                    return Err(AuthError::AlgorithmNotAllowed);
                }
                (key, algorithm)
            }
        };
        let payload = decode::<serde_json::Value>(token, &key, &self.validation(algorithm))
            .map_err(map_error)?
            .claims;
        let claims = self.mapping.claims(&payload).map_err(AuthError::InvalidClaims)?;
        if lifetime(&claims, super::dev_token::now_seconds()) > self.max_ttl.as_secs() + LEEWAY_SECONDS {
            return Err(AuthError::TooLongLived);
        }
        claims.to_actor().map_err(AuthError::InvalidClaims)
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let mut validation = Validation::new(algorithm);
        validation.algorithms = vec![algorithm];
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation
    }
}

/// How long a token lives: from its `iat` (or now, when it names none or a later one) to its
/// `exp`.
fn lifetime(claims: &Claims, now: u64) -> u64 {
    claims.exp.saturating_sub(claims.iat.map_or(now, |iat| iat.min(now)))
}

fn map_error(error: jsonwebtoken::errors::Error) -> AuthError {
    use jsonwebtoken::errors::ErrorKind;
    match error.kind() {
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        ErrorKind::InvalidSignature => AuthError::BadSignature,
        ErrorKind::InvalidAudience => AuthError::WrongAudience,
        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
        ErrorKind::InvalidAlgorithm => AuthError::AlgorithmNotAllowed,
        ErrorKind::MissingRequiredClaim(claim) => AuthError::MissingClaim(claim.clone()),
        ErrorKind::Json(e) => AuthError::InvalidClaims(e.to_string()),
        _ => AuthError::Malformed,
    }
}
