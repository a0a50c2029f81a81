//! HTTP conventions every route gets without writing them: `HEAD` for every `GET`, a trailing
//! slash under `/v1` read as none, `/docs` sent to `/docs/`, and `If-None-Match` answered with
//! 304 on a read whose `ETag` it names.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode, Uri};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};

/// Whether `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2: `W/` ignored).
pub fn none_match(if_none_match: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let etag = bare(etag);
    if_none_match.trim() == "*" || if_none_match.split(',').any(|tag| bare(tag) == etag)
}

/// The path a request is routed by: `/v1/participants/` as `/v1/participants`.
pub fn routed_path(path: &str) -> Option<String> {
    (path.starts_with("/v1/") && path.len() > 4 && path.ends_with('/')).then(|| path.trim_end_matches('/').to_owned())
}

pub async fn apply(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.path() == "/docs" {
        let redirect = HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, "/docs/"))
            .finish();
        return Ok(req.into_response(redirect));
    }
    if let Some(path) = routed_path(req.path()) {
        let query = req.query_string();
        let target = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        if let Ok(uri) = target.parse::<Uri>() {
            req.match_info_mut().get_mut().update(&uri);
            req.head_mut().uri = uri;
        }
    }
    // The connection remembers the request was HEAD and sends the headers of the GET only.
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.call(req).await?.map_into_boxed_body();
    let etag = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok());
    let unchanged = reading
        && response.status() == StatusCode::OK
        && matches!((&if_none_match, etag), (Some(asked), Some(etag)) if none_match(asked, etag));
    if !unchanged {
        return Ok(response);
    }
    let (request, old) = response.into_parts();
    let mut not_modified = HttpResponse::NotModified();
    for name in [
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::CONTENT_LANGUAGE,
    ] {
        for value in old.headers().get_all(&name) {
            not_modified.append_header((name.clone(), value.clone()));
        }
    }
    if let Some(id) = old.headers().get(crate::request_id::HEADER) {
        not_modified.insert_header((crate::request_id::HEADER, HeaderValue::clone(id)));
    }
    Ok(ServiceResponse::new(request, not_modified.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_a_wildcard() {
        assert!(none_match("\"3\"", "\"3\""));
        assert!(none_match("W/\"3\"", "\"3\""));
        assert!(none_match("\"1\", \"3\"", "\"3\""));
        assert!(none_match("*", "\"3\""));
        assert!(!none_match("\"2\"", "\"3\""));
    }

    #[test]
    fn a_trailing_slash_under_v1_is_routed_as_none() {
        assert_eq!(routed_path("/v1/districts/").as_deref(), Some("/v1/districts"));
        assert_eq!(routed_path("/v1/districts//").as_deref(), Some("/v1/districts"));
        assert_eq!(routed_path("/v1/districts"), None);
        assert_eq!(routed_path("/docs/"), None);
        assert_eq!(routed_path("/v1/"), None);
    }
}
