//! OpenAPI pieces every route module shares: the standard problem responses and the
//! `Idempotency-Key` and `If-Match` headers. Here, not in `openapi`, so that the routes do not
//! import the module that assembles them.

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;
use utoipa::openapi::{Ref, RefOr};
use utoipa::IntoParams;

use crate::problem::PROBLEM_CONTENT_TYPE;

/// Declares problem responses shared by many operations: each is a component under
/// `#/components/responses/<name>` and a type usable as `response = Type` in `#[utoipa::path]`.
macro_rules! problem_responses {
    ($($ty:ident => $name:literal: $description:literal;)*) => {
        $(
            pub struct $ty;
            impl<'r> utoipa::ToResponse<'r> for $ty {
                fn response() -> (&'r str, RefOr<Response>) {
                    ($name, RefOr::T(problem_response($name, $description)))
                }
            }
        )*
        pub const SHARED_RESPONSES: &[(&str, &str)] = &[$(($name, $description)),*];
    };
}

problem_responses! {
    BadRequestResponse => "BadRequest": "The request is malformed: invalid JSON, unknown field, wrong type, bad query or header.";
    UnauthorizedResponse => "Unauthorized": "No valid bearer token was sent.";
    ForbiddenResponse => "Forbidden": "The token is valid but its role or scope may not do this.";
    NotFoundResponse => "NotFound": "The resource does not exist or is not visible to the caller.";
    ConflictResponse => "Conflict": "The request conflicts with the current state, e.g. the id already exists or an idempotent request is still running.";
    PreconditionFailedResponse => "PreconditionFailed": "`If-Match` does not match the current version; read the resource again.";
    PayloadTooLargeResponse => "PayloadTooLarge": "The body is larger than the operation accepts (256 KiB).";
    UnsupportedMediaTypeResponse => "UnsupportedMediaType": "The body is not `application/json`.";
    UnprocessableResponse => "Unprocessable": "Fields are invalid (see `errors`), or the idempotency key was used with another body.";
    PreconditionRequiredResponse => "PreconditionRequired": "`If-Match` is required for this operation.";
    InternalErrorResponse => "InternalError": "Unexpected failure; the cause is logged under the request id.";
    ServiceUnavailableResponse => "ServiceUnavailable": "The database is not reachable; retry later.";
    TooManyRequestsResponse => "TooManyRequests": "The token's write requests for this minute are used up; `Retry-After` says when to retry.";
}

/// The problem a shared response answers with, as its example: (status, code, English title).
fn problem_of(name: &str) -> (u16, &'static str, &'static str) {
    match name {
        "BadRequest" => (400, "invalid_query", "The query string is invalid"),
        "Unauthorized" => (401, "unauthorized", "Authentication required"),
        "Forbidden" => (403, "forbidden", "Not allowed"),
        "NotFound" => (404, "not_found", "Resource not found"),
        "Conflict" => (409, "invalid_transition", "Conflict with the current state"),
        "PreconditionFailed" => (412, "precondition_failed", "The resource has changed since you read it"),
        "PayloadTooLarge" => (413, "payload_too_large", "The request body is too large"),
        "UnsupportedMediaType" => (415, "unsupported_media_type", "Unsupported media type"),
        "Unprocessable" => (422, "validation_failed", "The request has invalid fields"),
        "PreconditionRequired" => (428, "precondition_required", "If-Match is required"),
        "TooManyRequests" => (429, "rate_limited", "Too many write requests"),
        "ServiceUnavailable" => (503, "service_unavailable", "Service temporarily unavailable"),
        _ => (500, "internal_error", "Internal server error"),
    }
}

/// A response header's declaration.
pub fn header(integer: bool, description: &str) -> Header {
    let mut header = Header::new(ObjectBuilder::new().schema_type(if integer { Type::Integer } else { Type::String }));
    header.description = Some(description.to_owned());
    header
}

pub const REQUEST_ID: &str = "X-Request-Id";

/// `X-Request-Id`, on every response.
pub fn request_id_header() -> Header {
    header(
        false,
        "The request's id (the client's, when it sent a sane one), also in the problem and the server log.",
    )
}

/// The RateLimit headers of a counted write (the IETF draft's fields).
pub fn rate_limit_headers() -> [(&'static str, Header); 3] {
    [
        (
            "RateLimit-Limit",
            header(true, "Write requests the token may make per minute."),
        ),
        (
            "RateLimit-Remaining",
            header(true, "Write requests left in this minute."),
        ),
        (
            "RateLimit-Reset",
            header(true, "Seconds until the minute's budget is renewed."),
        ),
    ]
}

/// A shared problem response: its own example (status, code, title) and the headers it carries.
pub fn problem_response(name: &str, description: &str) -> Response {
    let (status, code, title) = problem_of(name);
    let mut example = serde_json::json!({
        "type": format!("urn:jobbtorg:problem:{code}"),
        "title": title,
        "status": status,
        "detail": description,
        "instance": "urn:jobbtorg:request:0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11",
        "code": code,
        "request_id": "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11"
    });
    if code == "validation_failed" {
        example["errors"] =
            serde_json::json!([{"field": "jobbtorg_id", "code": "unknown", "message": "no job centre has this id"}]);
    }
    let mut response = ResponseBuilder::new()
        .description(description)
        .header(REQUEST_ID, request_id_header())
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .example(Some(example))
                .build(),
        );
    if matches!(status, 409 | 429 | 503) {
        response = response.header(
            "Retry-After",
            header(
                true,
                "Seconds to wait before retrying (429, 503, and 409 while an idempotent request runs).",
            ),
        );
    }
    if status == 429 {
        for (name, header) in rate_limit_headers() {
            response = response.header(name, header);
        }
    }
    response.build()
}

/// The `Idempotency-Key` request header of creating operations.
pub struct IdempotencyKeyHeader;

impl IntoParams for IdempotencyKeyHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some("Makes a retry safe: the same key and body return the first response; the same key with another body is 422."))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255))
                    .pattern(Some(r"^[\x21-\x7E]+$")),
            ))
            .example(Some(serde_json::json!("6c1e7a51-create-district")))
            .build()]
    }
}

/// The `If-Match` request header of changing operations.
pub struct IfMatchHeader;

impl IntoParams for IfMatchHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(
                "The `ETag` of the version the change is based on; 412 when it is no longer current, 428 when missing.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(r#"^(W/)?"[1-9][0-9]{0,8}"$"#)),
            ))
            .example(Some(serde_json::json!("\"1\"")))
            .build()]
    }
}

/// The `Accept-Language` request header of operations that answer with labels.
pub struct AcceptLanguageHeader;

impl IntoParams for AcceptLanguageHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("Accept-Language")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "`sv` (the default) or `en`, with quality values as in RFC 9110 (`en-GB;q=0.9, sv;q=0.5`): the language of `label` and of problem titles and messages; the response says which in `Content-Language`.",
            ))
            // Any value is taken: one the server cannot read asks for the default.
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .example(Some(serde_json::json!("en")))
            .build()]
    }
}
