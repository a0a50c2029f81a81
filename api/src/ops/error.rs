//! How an operation fails, in the terms of the change, not of HTTP: the route layer renders
//! each as its problem (`impl From<OpError> for ApiError`).

use persistence::RepoError;
use serde::Serialize;

/// One invalid field of a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as it appears in the request, dotted for nested fields.
    pub field: String,
    /// Stable machine-readable reason, e.g. `required`, `invalid_format`, `unknown`.
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Collects every invalid field of a request before failing, so the client learns all at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Keeps the value, or records the error under `field` with `code`.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, code: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(FieldError::new(field, code, error.to_string()));
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// `Ok(build())` when no field failed, else a validation error listing them all.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, OpError> {
        if self.0.is_empty() {
            build().ok_or_else(|| OpError::Internal("a checked field is missing".into()))
        } else {
            Err(OpError::Validation(self.0))
        }
    }
}

/// One invalid field as the whole failure.
pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> OpError {
    OpError::Validation(vec![FieldError::new(field, code, message)])
}

#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// Absent, or not visible to the actor: the two are one answer, so nothing leaks.
    #[error("{resource} not found")]
    NotFound { resource: &'static str },
    #[error("forbidden")]
    Forbidden,
    /// The change conflicts with the current state, e.g. a transition not allowed now.
    #[error("conflict: {detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The record has moved on from the version the change was based on.
    #[error("stale version; current is {current_version}")]
    PreconditionFailed { current_version: i32 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl OpError {
    /// Names the resource in a not-found error, e.g. `.map_err(|e| e.for_resource("referral"))`.
    pub fn for_resource(self, resource: &'static str) -> Self {
        match self {
            OpError::NotFound { .. } => OpError::NotFound { resource },
            other => other,
        }
    }
}

impl From<RepoError> for OpError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::NotFound => OpError::NotFound { resource: "resource" },
            RepoError::Unavailable(cause) => OpError::Unavailable(cause),
            RepoError::StaleVersion { current } => OpError::PreconditionFailed {
                current_version: current,
            },
            // A uniqueness or reference check the database caught: most often two requests racing
            // for the same thing (e.g. two intakes of one person). Retrying shows the winner.
            RepoError::Conflict { constraint } => {
                log::warn!(
                    "request {}: constraint {constraint} refused a write",
                    crate::request_scope::current()
                );
                OpError::Conflict {
                    code: "conflict",
                    detail: "The change conflicts with data written at the same time; read again and retry.".into(),
                }
            }
            RepoError::Unexpected(cause) => OpError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_are_collected_before_failing() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.check("a", "bad", Err::<(), _>("first")), None);
        assert_eq!(errors.check("b", "ok", Ok::<_, &str>(1)), Some(1));
        errors.add("c", "bad", "second");
        match errors.finish(|| Some(())) {
            Err(OpError::Validation(list)) => {
                assert_eq!(list.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["a", "c"]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
