//! CORS for browser front ends: only the configured origins (`CORS_ORIGINS`), with the headers
//! a front end sends (the bearer token, `If-Match`, `Idempotency-Key`, `Accept-Language`) and the
//! ones it must read (`ETag`, `Location`, `X-Request-Id`, `Retry-After`, rate-limit budget).
//! Credentials are allowed: origins are always listed, never `*`.

use actix_cors::Cors;
use actix_web::http::header::{self, HeaderName};

/// The request headers a front end may send.
pub const ALLOWED_HEADERS: [HeaderName; 9] = [
    header::AUTHORIZATION,
    header::CONTENT_TYPE,
    header::ACCEPT,
    header::ACCEPT_LANGUAGE,
    header::IF_MATCH,
    header::IF_NONE_MATCH,
    HeaderName::from_static("idempotency-key"),
    HeaderName::from_static("x-request-id"),
    HeaderName::from_static("traceparent"),
];

/// The response headers a front end may read beside the safelisted ones.
pub const EXPOSED_HEADERS: [HeaderName; 10] = [
    header::ETAG,
    header::LOCATION,
    header::RETRY_AFTER,
    header::CONTENT_LANGUAGE,
    HeaderName::from_static("x-request-id"),
    HeaderName::from_static("idempotent-replayed"),
    HeaderName::from_static("ratelimit-limit"),
    HeaderName::from_static("ratelimit-remaining"),
    HeaderName::from_static("ratelimit-reset"),
    header::ALLOW,
];

/// Browsers cache a preflight answer this long (seconds).
const PREFLIGHT_MAX_AGE: usize = 600;

/// The CORS middleware for `origins`; with none, every cross-origin request is refused.
pub fn cors(origins: &[String]) -> Cors {
    origins.iter().fold(
        Cors::default()
            .allowed_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
            .allowed_headers(ALLOWED_HEADERS)
            .expose_headers(EXPOSED_HEADERS)
            .supports_credentials()
            .max_age(PREFLIGHT_MAX_AGE),
        |cors, origin| cors.allowed_origin(origin),
    )
}
