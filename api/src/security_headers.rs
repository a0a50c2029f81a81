//! Headers every response carries for the browser's sake: `nosniff` everywhere, `no-store` on
//! everything under `/v1` but the public reference data (personal data must not sit in a
//! shared or disk cache), and a content security policy on the API docs that also forbids
//! framing them.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

/// Reference data holds nothing personal; a cache may keep it.
const CACHEABLE: [&str; 6] = [
    "/v1/jobbtorg",
    "/v1/districts",
    "/v1/target-groups",
    "/v1/activity-types",
    "/v1/exit-outcomes",
    "/v1/code-lists",
];

/// Swagger UI loads its own script and styles from this server; nothing may frame it.
const DOCS_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
     script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Whether a response to `path` may be stored by a cache.
pub fn may_be_stored(path: &str) -> bool {
    !path.starts_with("/v1/")
        || CACHEABLE
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let path = req.path().to_owned();
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if !may_be_stored(&path) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if path == "/docs" || path.starts_with("/docs/") {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCS_POLICY));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_never_stored_and_reference_data_may_be() {
        for path in [
            "/v1/participants",
            "/v1/participants/x/export",
            "/v1/referrals/x",
            "/v1/tasks",
            "/v1/districtsx",
        ] {
            assert!(!may_be_stored(path), "{path}");
        }
        for path in [
            "/v1/districts",
            "/v1/districts/farsta",
            "/v1/code-lists/absence-reasons",
            "/healthz",
            "/docs/",
        ] {
            assert!(may_be_stored(path), "{path}");
        }
    }
}
