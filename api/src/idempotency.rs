//! `Idempotency-Key` for creating `POST`s: a retry with the same key and body gets the first
//! response again; the same key with another body (or from a caller of another reach) is 422.
//! The key is claimed, and the response stored, in the request's one transaction
//! (`write_request::create`): a concurrent retry waits for the first and replays it.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderName};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use domain::access::{Actor, IntegrationScope};
use persistence::idempotency::StoredResponse;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::problem::ApiError;

pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");
pub const REPLAYED_HEADER: HeaderName = HeaderName::from_static("idempotent-replayed");
const MAX_KEY_LEN: usize = 255;

/// The client's `Idempotency-Key`, if it sent one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let parsed = match req.headers().get(&HEADER) {
            None => Ok(IdempotencyKey(None)),
            Some(value) => value
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|key| !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic()))
                .map(|key| IdempotencyKey(Some(key.to_owned())))
                .ok_or_else(|| {
                    ApiError::InvalidHeader(format!(
                        "Idempotency-Key must be 1-{MAX_KEY_LEN} visible ASCII characters"
                    ))
                }),
        };
        ready(parsed)
    }
}

/// A fingerprint of the request: method, path and the body in canonical JSON.
pub fn fingerprint(req: &HttpRequest, body: &impl Serialize) -> Result<String, ApiError> {
    fingerprint_of(req.method().as_str(), req.path(), body)
}

/// The fingerprint of a request given by its parts; keys are sorted, so field order is irrelevant.
pub fn fingerprint_of(method: &str, path: &str, body: &impl Serialize) -> Result<String, ApiError> {
    let canonical = serde_json::to_value(body)
        .and_then(|v| serde_json::to_string(&v))
        .map_err(ApiError::internal)?;
    let mut hasher = Sha256::new();
    hasher.update(method);
    hasher.update(b" ");
    hasher.update(path);
    hasher.update(b"\n");
    hasher.update(canonical);
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A creating operation's response, built inside its transaction.
pub fn created(
    body: &impl Serialize,
    etag: Option<String>,
    location: Option<String>,
) -> Result<StoredResponse, ApiError> {
    Ok(StoredResponse {
        status: StatusCode::CREATED.as_u16(),
        body: serde_json::to_string(body).map_err(ApiError::internal)?,
        etag,
        location,
    })
}

/// The request's fingerprint bound to the caller's reach, so a stored answer is replayed only
/// to a caller who may see what it says.
pub fn with_reach(fingerprint: &str, actor: &Actor) -> String {
    let scopes: Vec<&str> = IntegrationScope::ALL
        .into_iter()
        .filter(|scope| actor.has_scope(*scope))
        .map(IntegrationScope::as_str)
        .collect();
    let reach = [
        actor.role().as_str(),
        actor.jobbtorg().map_or("", |c| c.as_str()),
        actor.district().map_or("", |c| c.as_str()),
        &actor.provider().map(|p| p.uuid().to_string()).unwrap_or_default(),
        &scopes.join(" "),
    ]
    .join("\n");
    let mut hasher = Sha256::new();
    hasher.update(fingerprint);
    hasher.update(b"\n");
    hasher.update(reach);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored response as sent, marked when it is a replay.
pub fn replay(stored: &StoredResponse, replayed: bool) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.content_type("application/json");
    if let Some(etag) = &stored.etag {
        response.insert_header((header::ETAG, etag.as_str()));
    }
    if let Some(location) = &stored.location {
        response.insert_header((header::LOCATION, location.as_str()));
    }
    if replayed {
        response.insert_header((REPLAYED_HEADER, "true"));
    }
    response.body(stored.body.clone())
}
