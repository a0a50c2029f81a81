//! Keyset pagination and query-parameter parsing shared by the list endpoints.

use domain::shared::Code;
use uuid::Uuid;

use crate::problem::ApiError;

/// The page size when the client names none.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest page a list endpoint serves.
pub const MAX_LIMIT: i64 = crate::http::limits::PAGE_MAX;

pub use crate::ops::Page;

impl Page {
    pub fn parse(limit: Option<i64>, cursor: Option<String>) -> Result<Self, ApiError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::InvalidQuery(format!("limit must be from 1 to {MAX_LIMIT}")));
        }
        let after = cursor
            .map(|c| Uuid::parse_str(&c).map_err(|_| ApiError::InvalidQuery(format!("{c:?} is not a cursor"))))
            .transpose()?;
        Ok(Self { limit, after })
    }
}

/// A UUID query parameter.
pub fn query_uuid(raw: Option<String>, name: &str) -> Result<Option<Uuid>, ApiError> {
    raw.map(|r| Uuid::parse_str(&r).map_err(|_| ApiError::InvalidQuery(format!("{name} is not a valid id"))))
        .transpose()
}

/// An enum query parameter parsed by `parse`, naming the allowed values when it fails.
pub fn query_enum<T>(
    raw: Option<String>,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<Option<T>, ApiError> {
    raw.map(|r| parse(&r).ok_or_else(|| ApiError::InvalidQuery(format!("{name} is one of {allowed}"))))
        .transpose()
}

/// A reference-data code query parameter.
pub fn query_code(raw: Option<String>, name: &str) -> Result<Option<Code>, ApiError> {
    raw.map(|r| Code::parse(&r).map_err(|_| ApiError::InvalidQuery(format!("{name} is not a valid id"))))
        .transpose()
}

/// An id from the path; anything but a UUID names nothing.
pub fn path_id<I: From<Uuid>>(raw: &str, resource: &'static str) -> Result<I, ApiError> {
    Uuid::parse_str(raw)
        .map(I::from)
        .map_err(|_| ApiError::NotFound { resource })
}
