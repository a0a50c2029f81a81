//! `X-Request-Id`: echoed when the client sends a sane one, generated otherwise, returned on every
//! response and available to error rendering for the log line and the problem's `instance`;
//! beside it the language the request asked for (`Accept-Language`), for labels and problems.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

use crate::problem::ApiError;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_LEN: usize = 128;

pub use crate::request_scope::{current, on_this_thread};

/// A W3C `traceparent` (`00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, ids not all
/// zero) as the log line shows it; anything else is not logged, so a header cannot carry text
/// into the log.
pub fn trace_context(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let parts: Vec<&str> = value.split('-').collect();
    let hex =
        |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let valid = matches!(parts.as_slice(), [version, trace, parent, flags]
        if hex(version, 2) && *version != "ff" && hex(trace, 32) && hex(parent, 16) && hex(flags, 2)
            && trace.bytes().any(|b| b != b'0') && parent.bytes().any(|b| b != b'0'));
    valid.then_some(value)
}

fn is_sane(candidate: &str) -> bool {
    !candidate.is_empty()
        && candidate.len() <= MAX_LEN
        && candidate
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Assigns the request id and bounds the whole request (reading the body included) by
/// `timeout`: past it the client gets a 503 `request_timeout`. Work already handed to the
/// database may still commit; `Idempotency-Key` makes a retry safe.
pub async fn assign(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    timeout: Duration,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| is_sane(value))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let timed_out = ApiError::RequestTimeout { request_id: id.clone() };
    let language = domain::labels::Language::from_accept_language(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok()),
    );
    let (mut response, budget) = crate::request_scope::within(id.clone(), language, async move {
        let response = match tokio::time::timeout(timeout, next.call(req)).await {
            Ok(result) => result.map(ServiceResponse::map_into_boxed_body),
            // The request was moved into the handler, so the error is rendered by actix; it
            // carries the request id itself.
            Err(_) => Err(Error::from(timed_out)),
        };
        response.map(|r| (r, crate::request_scope::rate_budget()))
    })
    .await?;
    if let Some(budget) = budget {
        // The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers).
        let headers = response.headers_mut();
        for (name, value) in [
            ("ratelimit-limit", budget.limit),
            ("ratelimit-remaining", budget.remaining),
            ("ratelimit-reset", budget.reset),
        ] {
            headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    // Labels and problem texts follow Accept-Language.
    let headers = response.headers_mut();
    headers.insert(
        actix_web::http::header::CONTENT_LANGUAGE,
        HeaderValue::from_static(language.as_str()),
    );
    headers.append(
        actix_web::http::header::VARY,
        HeaderValue::from_static("Accept-Language"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_traceparent_is_logged() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(trace_context(Some(good)), Some(good));
        for bad in [
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "Amina Hassan 19811218-9876",
        ] {
            assert_eq!(trace_context(Some(bad)), None, "{bad}");
        }
        assert_eq!(trace_context(None), None);
    }

    #[test]
    fn accepts_ordinary_ids_and_rejects_header_junk() {
        assert!(is_sane("0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11"));
        assert!(is_sane("lb:abc.123_x"));
        assert!(!is_sane(""));
        assert!(!is_sane("has space"));
        assert!(!is_sane("new\nline"));
        assert!(!is_sane(&"a".repeat(MAX_LEN + 1)));
    }

    #[test]
    fn a_blocking_thread_names_its_request_while_it_works_for_it() {
        assert_eq!(current(), "-");
        assert_eq!(on_this_thread("req-7".to_owned(), current), "req-7");
        assert_eq!(current(), "-");
    }
}
