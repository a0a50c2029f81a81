//! OpenAPI pieces every route module shares: the standard problem responses and the
//! `Idempotency-Key` and `If-Match` headers. Here, not in `openapi`, so that the routes do not
//! import the module that assembles them.

use utoipa::openapi::content::ContentBuilder;
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
                    ($name, RefOr::T(problem_response($description)))
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

pub fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
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
