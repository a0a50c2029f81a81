//! `Idempotency-Key` for creating `POST`s: a retry with the same key and body gets the first
//! response again; the same key with another body is 422; a retry while the first is still
//! running is 409. The stored response commits in the same transaction as the work.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderName};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use persistence::idempotency::{self, Claim, StoredResponse};
use persistence::{tx, DbConnection};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::problem::ApiError;
use crate::state::AppState;

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

/// Runs `work` in one write transaction, honouring the idempotency key when there is one.
pub async fn run<F>(
    state: &AppState,
    subject: &str,
    key: IdempotencyKey,
    fingerprint: String,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<StoredResponse, ApiError> + Send + 'static,
{
    let Some(key) = key.0 else {
        let response = state.db(move |conn| tx::write(conn, work)).await?;
        return Ok(to_http(&response, false));
    };
    let subject = subject.to_owned();
    let now = chrono::Utc::now().naive_utc();
    let (claim_subject, claim_key) = (subject.clone(), key.clone());
    let claim = state
        .db(move |conn| Ok(idempotency::claim(conn, &claim_subject, &claim_key, &fingerprint, now)?))
        .await?;
    match claim {
        Claim::Replay(stored) => return Ok(to_http(&stored, true)),
        Claim::InProgress => return Err(ApiError::IdempotencyInProgress),
        Claim::Mismatch => return Err(ApiError::IdempotencyKeyReused),
        Claim::Claimed => {}
    }
    let (work_subject, work_key) = (subject.clone(), key.clone());
    let outcome = state
        .db(move |conn| {
            tx::write(conn, |conn| {
                let response = work(conn)?;
                idempotency::complete(
                    conn,
                    &work_subject,
                    &work_key,
                    &response,
                    chrono::Utc::now().naive_utc(),
                )?;
                Ok(response)
            })
        })
        .await;
    match outcome {
        Ok(response) => Ok(to_http(&response, false)),
        Err(error) => {
            // The work changed nothing; free the key so a corrected retry can use it.
            if let Err(release_error) = state
                .db(move |conn| Ok(idempotency::release(conn, &subject, &key)?))
                .await
            {
                log::warn!("could not release an idempotency key: {release_error}");
            }
            Err(error)
        }
    }
}

fn to_http(stored: &StoredResponse, replayed: bool) -> HttpResponse {
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
