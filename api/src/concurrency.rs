//! Optimistic concurrency: `ETag` carries a resource's `version`; `PATCH` and state actions
//! require `If-Match` with it (428 when missing, 412 when it no longer matches).

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest};

use crate::problem::ApiError;

/// The version the client last read, from `If-Match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub i32);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(parse_if_match(req.headers().get(header::IF_MATCH)))
    }
}

fn parse_if_match(value: Option<&HeaderValue>) -> Result<IfMatch, ApiError> {
    let raw = value
        .ok_or(ApiError::PreconditionRequired)?
        .to_str()
        .map_err(|_| ApiError::PreconditionRequired)?
        .trim();
    // `*` would match any version and defeat the check; a list is ambiguous for one resource.
    if raw == "*" || raw.contains(',') {
        return Err(ApiError::PreconditionRequired);
    }
    let tag = raw.strip_prefix("W/").unwrap_or(raw);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i32>().ok())
        .filter(|version| *version > 0)
        .map(IfMatch)
        .ok_or_else(|| ApiError::InvalidHeader(format!("If-Match {raw:?} is not an ETag of this API, e.g. \"3\"")))
}

/// The `ETag` value for a version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<IfMatch, ApiError> {
        parse_if_match(Some(&HeaderValue::from_str(raw).unwrap()))
    }

    #[test]
    fn reads_strong_and_weak_etags() {
        assert_eq!(parse("\"3\"").ok(), Some(IfMatch(3)));
        assert_eq!(parse("W/\"12\"").ok(), Some(IfMatch(12)));
        assert_eq!(etag(7), "\"7\"");
    }

    #[test]
    fn missing_or_wildcard_is_428_and_junk_is_400() {
        assert!(matches!(parse_if_match(None), Err(ApiError::PreconditionRequired)));
        assert!(matches!(parse("*"), Err(ApiError::PreconditionRequired)));
        assert!(matches!(parse("\"1\", \"2\""), Err(ApiError::PreconditionRequired)));
        for junk in ["3", "\"x\"", "\"0\"", "\"-1\""] {
            assert!(matches!(parse(junk), Err(ApiError::InvalidHeader(_))), "{junk}");
        }
    }
}
