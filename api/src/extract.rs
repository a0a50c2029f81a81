//! Extractor settings: explicit body limits, and every extractor failure as a problem document.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::web::{JsonConfig, PathConfig, PayloadConfig, QueryConfig};
use actix_web::HttpRequest;

use crate::problem::ApiError;

/// The largest JSON body any operation accepts.
pub const JSON_BODY_LIMIT: usize = 256 * 1024;

pub fn json_config() -> JsonConfig {
    JsonConfig::default()
        .limit(JSON_BODY_LIMIT)
        .error_handler(|error, _req| json_error(error).into())
}

pub fn payload_config() -> PayloadConfig {
    PayloadConfig::new(JSON_BODY_LIMIT)
}

pub fn query_config() -> QueryConfig {
    QueryConfig::default().error_handler(|error: QueryPayloadError, _req: &HttpRequest| {
        let reason = match error {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        ApiError::InvalidQuery(reason).into()
    })
}

/// A path segment that does not parse names nothing that exists.
pub fn path_config() -> PathConfig {
    PathConfig::default()
        .error_handler(|_error: PathError, _req: &HttpRequest| ApiError::NotFound { resource: "resource" }.into())
}

fn json_error(error: JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Overflow { limit } | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::Deserialize(e) => {
            use serde_json::error::Category;
            let reason = e.to_string();
            match e.classify() {
                Category::Syntax | Category::Eof | Category::Io => ApiError::MalformedJson(reason),
                Category::Data if reason.starts_with("unknown field") => ApiError::UnknownField(reason),
                Category::Data => ApiError::InvalidBody(reason),
            }
        }
        JsonPayloadError::Payload(e) => ApiError::MalformedJson(e.to_string()),
        other => ApiError::internal(other),
    }
}
