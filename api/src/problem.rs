//! One error type for every failure the API reports, rendered as RFC 9457 problem+json.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use persistence::RepoError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::ops::OpError;
use crate::request_id;
use domain::labels::Language;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An RFC 9457 problem document. `code` is stable and meant for machines; `title` and `detail`
/// are for people.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:jobbtorg:problem:validation_failed",
    "title": "The request has invalid fields",
    "status": 422,
    "detail": "1 field is invalid",
    "instance": "urn:jobbtorg:request:0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11",
    "code": "validation_failed",
    "request_id": "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11",
    "errors": [{"field": "jobbtorg_id", "code": "unknown", "message": "no job centre has this id"}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:jobbtorg:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Identifies this occurrence; carries the request id.
    pub instance: String,
    /// Stable machine-readable code, e.g. `not_found`, `validation_failed`: one of the catalogue
    /// (`docs/errors.md`).
    #[schema(value_type = crate::problem_codes::ProblemCodeSchema)]
    pub code: String,
    /// The `X-Request-Id` of the request, also found in the server log.
    pub request_id: String,
    /// Field-level errors of a validation problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<FieldErrorSchema>)]
    pub errors: Vec<FieldError>,
}

pub use crate::ops::{FieldError, FieldErrors};

// The schema of `FieldError`, which lives in the HTTP-free operations layer.
/// One invalid field of a request.
#[derive(ToSchema)]
#[schema(as = FieldError)]
#[allow(dead_code)]
pub struct FieldErrorSchema {
    /// The field's name as it appears in the request, dotted for nested fields.
    field: String,
    /// Stable machine-readable reason, e.g. `required`, `invalid_format`, `unknown`.
    code: String,
    message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allowed: Vec<Method> },
    #[error("{resource} not found")]
    NotFound { resource: &'static str },
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("unknown field: {0}")]
    UnknownField(String),
    #[error("invalid body: {0}")]
    InvalidBody(String),
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("unauthorized: {0}")]
    Unauthorized(#[from] crate::auth::AuthError),
    #[error("forbidden")]
    Forbidden,
    /// The request conflicts with the current state, e.g. an id that already exists.
    #[error("conflict: {detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("invalid header: {0}")]
    InvalidHeader(String),
    #[error("If-Match does not match the current version {current_version}")]
    PreconditionFailed { current_version: i32 },
    #[error("If-Match is required")]
    PreconditionRequired,
    #[error("idempotency key reused with another request")]
    IdempotencyKeyReused,
    #[error("a request with this idempotency key is still in progress")]
    IdempotencyInProgress,
    #[error("too many write requests; retry after {retry_after} s")]
    TooManyRequests { retry_after: u32 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("request timed out")]
    RequestTimeout { request_id: String },
    /// The cause is logged under the request id and never sent to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    /// Names the resource in a not-found error, e.g. `.map_err(|e| e.for_resource("district"))`.
    pub fn for_resource(self, resource: &'static str) -> Self {
        match self {
            ApiError::NotFound { .. } => ApiError::NotFound { resource },
            other => other,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::RouteNotFound => "route_not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::NotFound { .. } => "not_found",
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::UnknownField(_) => "unknown_field",
            ApiError::InvalidBody(_) => "invalid_body",
            ApiError::InvalidQuery(_) => "invalid_query",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::Conflict { code, .. } => code,
            ApiError::InvalidHeader(_) => "invalid_header",
            ApiError::PreconditionFailed { .. } => "precondition_failed",
            ApiError::PreconditionRequired => "precondition_required",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::IdempotencyInProgress => "idempotency_in_progress",
            ApiError::TooManyRequests { .. } => "rate_limited",
            ApiError::Unavailable(_) => "service_unavailable",
            ApiError::RequestTimeout { .. } => "request_timeout",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self, language: Language) -> &'static str {
        match language {
            Language::En => self.title_en(),
            Language::Sv => self.title_sv(),
        }
    }

    fn title_sv(&self) -> &'static str {
        match self {
            ApiError::RouteNotFound => "Ingen sådan adress",
            ApiError::MethodNotAllowed { .. } => "Metoden är inte tillåten på den här adressen",
            ApiError::NotFound { .. } => "Resursen finns inte",
            ApiError::MalformedJson(_) => "Anropets innehåll är inte giltig JSON",
            ApiError::UnknownField(_) => "Anropet har ett fält som operationen inte tar emot",
            ApiError::InvalidBody(_) => "Anropets innehåll följer inte operationens schema",
            ApiError::InvalidQuery(_) => "Frågesträngen är ogiltig",
            ApiError::UnsupportedMediaType => "Medietypen stöds inte",
            ApiError::PayloadTooLarge { .. } => "Anropets innehåll är för stort",
            ApiError::Validation(_) => "Anropet har ogiltiga fält",
            ApiError::Unauthorized(_) => "Inloggning krävs",
            ApiError::Forbidden => "Inte tillåtet",
            ApiError::Conflict { .. } => "Krockar med nuvarande läge",
            ApiError::InvalidHeader(_) => "Ett anropshuvud är ogiltigt",
            ApiError::PreconditionFailed { .. } => "Resursen har ändrats sedan du läste den",
            ApiError::PreconditionRequired => "If-Match krävs",
            ApiError::IdempotencyKeyReused => "Idempotensnyckeln har använts för ett annat anrop",
            ApiError::IdempotencyInProgress => "Ett anrop med den här idempotensnyckeln pågår",
            ApiError::TooManyRequests { .. } => "För många skrivande anrop",
            ApiError::Unavailable(_) => "Tjänsten är tillfälligt otillgänglig",
            ApiError::RequestTimeout { .. } => "Anropet tog för lång tid",
            ApiError::Internal(_) => "Internt serverfel",
        }
    }

    fn title_en(&self) -> &'static str {
        match self {
            ApiError::RouteNotFound => "No such route",
            ApiError::MethodNotAllowed { .. } => "Method not allowed on this route",
            ApiError::NotFound { .. } => "Resource not found",
            ApiError::MalformedJson(_) => "The request body is not valid JSON",
            ApiError::UnknownField(_) => "The request body has a field this operation does not take",
            ApiError::InvalidBody(_) => "The request body does not match the operation's schema",
            ApiError::InvalidQuery(_) => "The query string is invalid",
            ApiError::UnsupportedMediaType => "Unsupported media type",
            ApiError::PayloadTooLarge { .. } => "The request body is too large",
            ApiError::Validation(_) => "The request has invalid fields",
            ApiError::Unauthorized(_) => "Authentication required",
            ApiError::Forbidden => "Not allowed",
            ApiError::Conflict { .. } => "Conflict with the current state",
            ApiError::InvalidHeader(_) => "A request header is invalid",
            ApiError::PreconditionFailed { .. } => "The resource has changed since you read it",
            ApiError::PreconditionRequired => "If-Match is required",
            ApiError::IdempotencyKeyReused => "Idempotency key reused with another request",
            ApiError::IdempotencyInProgress => "A request with this idempotency key is in progress",
            ApiError::TooManyRequests { .. } => "Too many write requests",
            ApiError::Unavailable(_) => "Service temporarily unavailable",
            ApiError::RequestTimeout { .. } => "The request took too long",
            ApiError::Internal(_) => "Internal server error",
        }
    }

    /// What the client is told, in `language`. Never includes internal causes. A text written
    /// by a rule (a conflict's detail, a parser's message) is passed on as written.
    fn detail(&self, language: Language) -> String {
        match language {
            Language::En => self.detail_en(),
            Language::Sv => self.detail_sv(),
        }
    }

    fn detail_sv(&self) -> String {
        match self {
            ApiError::RouteNotFound => "Ingen adress matchar; se /docs för API:t.".into(),
            ApiError::MethodNotAllowed { allowed } => {
                format!("Tillåtna metoder: {}.", join_methods(allowed))
            }
            ApiError::NotFound { resource } => {
                format!("Resursen ({resource}) finns inte eller är inte synlig för dig.")
            }
            ApiError::UnsupportedMediaType => "Skicka innehållet som application/json.".into(),
            ApiError::PayloadTooLarge { limit } => format!("Innehållet får vara högst {limit} byte."),
            ApiError::Validation(errors) => match errors.len() {
                1 => "1 fält är ogiltigt.".into(),
                n => format!("{n} fält är ogiltiga."),
            },
            ApiError::Unauthorized(reason) => format!("Skicka en giltig bearer-token: {reason}."),
            ApiError::Forbidden => "Din roll eller behörighet tillåter inte den här operationen.".into(),
            ApiError::PreconditionFailed { current_version } => format!(
                "Nuvarande version är {current_version} (ETag \"{current_version}\"); läs igen och gör om ändringen."
            ),
            ApiError::PreconditionRequired => {
                "Skicka If-Match med ETag för versionen du läste, så att samtidiga ändringar inte går förlorade.".into()
            }
            ApiError::IdempotencyKeyReused => {
                "Idempotency-Key har använts med ett annat innehåll; använd en ny nyckel för ett nytt anrop.".into()
            }
            ApiError::IdempotencyInProgress => "Försök igen när det första anropet med nyckeln är klart.".into(),
            ApiError::TooManyRequests { retry_after } => {
                format!("Den här token har gjort sina skrivande anrop för minuten; försök igen om {retry_after} s.")
            }
            ApiError::Unavailable(_) => "Databasen går inte att nå; försök igen senare.".into(),
            ApiError::RequestTimeout { .. } => {
                "Anropet blev inte klart i tid; en ändring kan ändå ha gjorts, så försök igen med samma Idempotency-Key eller läs först.".into()
            }
            ApiError::Internal(_) => "Ett oväntat fel inträffade; ange anropets id när du rapporterar det.".into(),
            ApiError::MalformedJson(_)
            | ApiError::UnknownField(_)
            | ApiError::InvalidBody(_)
            | ApiError::InvalidQuery(_)
            | ApiError::Conflict { .. }
            | ApiError::InvalidHeader(_) => self.detail_en(),
        }
    }

    fn detail_en(&self) -> String {
        match self {
            ApiError::RouteNotFound => "No route matches this path; see /docs for the API.".into(),
            ApiError::MethodNotAllowed { allowed } => {
                format!("Allowed methods: {}.", join_methods(allowed))
            }
            ApiError::NotFound { resource } => {
                format!("The {resource} does not exist or is not visible to you.")
            }
            ApiError::MalformedJson(reason)
            | ApiError::UnknownField(reason)
            | ApiError::InvalidBody(reason)
            | ApiError::InvalidQuery(reason) => reason.clone(),
            ApiError::UnsupportedMediaType => "Send the body as application/json.".into(),
            ApiError::PayloadTooLarge { limit } => {
                format!("The body may be at most {limit} bytes.")
            }
            ApiError::Validation(errors) => match errors.len() {
                1 => "1 field is invalid.".into(),
                n => format!("{n} fields are invalid."),
            },
            ApiError::Unauthorized(reason) => format!("Send a valid bearer token: {reason}."),
            ApiError::Forbidden => "Your role or scope does not allow this operation.".into(),
            ApiError::Conflict { detail, .. } | ApiError::InvalidHeader(detail) => detail.clone(),
            ApiError::PreconditionFailed { current_version } => format!(
                "The current version is {current_version} (ETag \"{current_version}\"); read it again and reapply your change."
            ),
            ApiError::PreconditionRequired => {
                "Send If-Match with the ETag of the version you read, so concurrent changes are not lost.".into()
            }
            ApiError::IdempotencyKeyReused => {
                "This Idempotency-Key was used with a different request body; use a new key for a new request.".into()
            }
            ApiError::IdempotencyInProgress => "Retry when the first request with this key has finished.".into(),
            ApiError::TooManyRequests { retry_after } => {
                format!("This token has made its write requests for this minute; retry after {retry_after} s.")
            }
            ApiError::Unavailable(_) => "The database is not reachable; retry later.".into(),
            ApiError::RequestTimeout { .. } => {
                "The request was not finished in time; a change may still have been applied, so retry with the same Idempotency-Key or read before retrying.".into()
            }
            ApiError::Internal(_) => {
                "An unexpected error occurred; quote the request id when reporting it.".into()
            }
        }
    }

    pub fn to_problem(&self, request_id: &str, language: Language) -> Problem {
        let code = self.code();
        Problem {
            problem_type: format!("urn:jobbtorg:problem:{code}"),
            title: self.title(language).into(),
            status: self.status_code().as_u16(),
            detail: self.detail(language),
            instance: format!("urn:jobbtorg:request:{request_id}"),
            code: code.into(),
            request_id: request_id.into(),
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

fn join_methods(methods: &[Method]) -> String {
    methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::RouteNotFound | ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::MalformedJson(_)
            | ApiError::UnknownField(_)
            | ApiError::InvalidBody(_)
            | ApiError::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::Conflict { .. } | ApiError::IdempotencyInProgress => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::InvalidHeader(_) => StatusCode::BAD_REQUEST,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) | ApiError::RequestTimeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = match self {
            // Rendered outside the request's scope, so it brings its id.
            ApiError::RequestTimeout { request_id } => request_id.clone(),
            _ => request_id::current(),
        };
        match self {
            ApiError::Internal(cause) => log::error!("request {request_id}: {cause}"),
            ApiError::Unavailable(cause) => log::warn!("request {request_id}: {cause}"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_CONTENT_TYPE);
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            response.insert_header((request_id::HEADER, value));
        }
        if let ApiError::MethodNotAllowed { allowed } = self {
            if let Ok(value) = HeaderValue::from_str(&join_methods(allowed)) {
                response.insert_header((header::ALLOW, value));
            }
        }
        if let ApiError::Unauthorized(reason) = self {
            let challenge = match reason {
                crate::auth::AuthError::Missing => r#"Bearer realm="jobbtorg""#.to_owned(),
                other => format!(
                    r#"Bearer realm="jobbtorg", error="invalid_token", error_description="{}""#,
                    challenge_text(&other.to_string())
                ),
            };
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                response.insert_header((header::WWW_AUTHENTICATE, value));
            }
        }
        if matches!(
            self,
            ApiError::Unavailable(_) | ApiError::RequestTimeout { .. } | ApiError::IdempotencyInProgress
        ) {
            response.insert_header((header::RETRY_AFTER, "5"));
        }
        if let ApiError::TooManyRequests { retry_after } = self {
            response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        response.json(self.to_problem(&request_id, crate::request_scope::language()))
    }
}

impl From<RepoError> for ApiError {
    fn from(error: RepoError) -> Self {
        OpError::from(error).into()
    }
}

impl From<OpError> for ApiError {
    fn from(error: OpError) -> Self {
        match error {
            OpError::NotFound { resource } => ApiError::NotFound { resource },
            OpError::Forbidden => ApiError::Forbidden,
            OpError::Conflict { code, detail } => ApiError::Conflict { code, detail },
            OpError::Validation(errors) => ApiError::Validation(errors),
            OpError::PreconditionFailed { current_version } => ApiError::PreconditionFailed { current_version },
            OpError::Unavailable(cause) => ApiError::Unavailable(cause),
            OpError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

/// Text safe inside a challenge's quoted `error_description` (RFC 6750 §3: printable ASCII
/// but `"` and `\`): a claim value quoted in the reason cannot break the header.
fn challenge_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            ' '..='~' => c,
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;

    use super::*;

    #[test]
    fn a_challenge_never_carries_a_quote_a_backslash_or_a_control_character() {
        assert_eq!(
            challenge_text("unknown role \"ad\"min\\\r\n\u{e5}\""),
            "unknown role 'ad'min/???'"
        );
        let error = ApiError::Unauthorized(crate::auth::AuthError::InvalidClaims(
            "unknown role \"x\", y=\"z\"".into(),
        ));
        let response = error.error_response();
        let challenge = response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(challenge.matches('"').count(), 6, "{challenge}");
    }

    #[test]
    fn a_500_tells_the_client_nothing_internal() {
        let error =
            ApiError::internal("connection to 10.0.0.5 refused: password authentication failed for user jobbtorg");
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some(PROBLEM_CONTENT_TYPE)
        );
        let body = response.into_body().try_into_bytes().unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("\"code\":\"internal_error\""), "{text}");
        assert!(!text.contains("10.0.0.5") && !text.contains("password"), "{text}");
    }
}
