//! The OpenAPI document, generated from the handlers' annotations, plus the shared pieces every
//! operation refers to: the bearer scheme, the `Problem` schema and the standard error responses.

use std::collections::BTreeMap;

use actix_web::http::Method;
use actix_web::App;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::Required;
use utoipa::openapi::{OpenApi as OpenApiDocument, Ref, RefOr};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::problem::{FieldError, Problem, PROBLEM_CONTENT_TYPE};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jobbtorg API",
        description = "Case management for Stockholm's municipal job centres (Jobbtorg): intake \
                       referrals from the home districts, enrolment, activity plans approved by the \
                       district, providers and their contracts, referrals with result-based payment, \
                       and key figures.\n\nErrors are RFC 9457 `application/problem+json` documents \
                       with a stable `code`; every response carries `X-Request-Id`.",
        license(name = "MIT", identifier = "MIT"),
        contact(name = "Jobbtorg API team")
    ),
    servers((url = "/", description = "This server")),
    components(schemas(
        Problem,
        FieldError,
        crate::webhooks::notification::WebhookNotification,
        crate::webhooks::notification::WebhookEventRef
    )),
    modifiers(&SharedComponents),
    tags(
        (name = "reference", description = "Seeded reference data identified by stable codes."),
        (name = "participants", description = "People referred by their home district: intake, enrolment, interruptions, exit with a coded outcome, follow-ups, history, access log and export."),
        (name = "activity-plans", description = "Activity plans drawn up with the participant and approved or returned by the home district; revisions and activity follow-up."),
        (name = "providers", description = "Providers (anordnare) and their contracts: coverage, capacity and step-wise result-based remuneration. The purchaser's register."),
        (name = "referrals", description = "Referrals to providers and the closed loop: accept or decline, start, progress reports, interruption, completion with an outcome."),
        (name = "claims", description = "Payment claims computed from the contract's remuneration model when a referral starts and when results are reported and confirmed."),
        (name = "reports", description = "Key figures for the city: aggregates per job centre, target group or provider, with cells about fewer than five persons suppressed."),
        (name = "events", description = "The ordered change feed for partner systems."),
        (name = "webhooks", description = "Signed, id-only push notifications of the change feed to a partner's https endpoint, retried with back-off, with a delivery log."),
        (name = "operations", description = "Liveness and readiness for load balancers and orchestrators.")
    )
)]
struct ApiDoc;

/// The complete document: the annotated routes under the shared components, with the standard
/// error responses added to each operation.
pub fn document() -> OpenApiDocument {
    let (_, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    add_standard_errors(&mut document);
    crate::webhooks::notification::describe(&mut document);
    document
}

pub fn to_yaml(document: &OpenApiDocument) -> Result<String, String> {
    document.to_yaml().map_err(|e| e.to_string())
}

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
        const SHARED_RESPONSES: &[(&str, &str)] = &[$(($name, $description)),*];
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

fn problem_response(description: &str) -> Response {
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

struct SharedComponents;

impl Modify for SharedComponents {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        for (name, description) in SHARED_RESPONSES {
            components
                .responses
                .insert((*name).to_owned(), RefOr::T(problem_response(description)));
        }
    }
}

fn add_standard_errors(document: &mut OpenApiDocument) {
    for item in document.paths.paths.values_mut() {
        for (operation, write) in [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ] {
            if let Some(operation) = operation {
                add_operation_errors(operation, write);
            }
        }
    }
}

fn add_operation_errors(operation: &mut Operation, write: bool) {
    let mut add = |status: &str, name: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
    };
    let has_query_or_header = operation.parameters.iter().flatten().any(|p| match p {
        RefOr::T(parameter) => matches!(parameter.parameter_in, ParameterIn::Query | ParameterIn::Header),
        RefOr::Ref(_) => false,
    });
    let has_body = operation.request_body.is_some();
    if has_query_or_header || has_body {
        add("400", "BadRequest");
    }
    if has_body {
        add("413", "PayloadTooLarge");
        add("415", "UnsupportedMediaType");
    }
    let secured = operation.security.iter().flatten().any(|requirement| {
        serde_json::to_value(requirement)
            .map(|v| v.as_object().is_some_and(|o| !o.is_empty()))
            .unwrap_or(false)
    });
    if secured {
        add("401", "Unauthorized");
        add("403", "Forbidden");
        if write {
            add("429", "TooManyRequests");
        }
    }
    add("500", "InternalError");
    add("503", "ServiceUnavailable");
}

/// Which methods each documented path accepts, so an unmatched request can be told 405 with
/// `Allow` instead of 404.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Parameter,
}

impl RouteTable {
    pub fn from_document(document: &OpenApiDocument) -> Self {
        let mut by_path: BTreeMap<&str, Vec<Method>> = BTreeMap::new();
        for (path, item) in &document.paths.paths {
            let methods = [
                (Method::GET, item.get.is_some()),
                (Method::POST, item.post.is_some()),
                (Method::PUT, item.put.is_some()),
                (Method::PATCH, item.patch.is_some()),
                (Method::DELETE, item.delete.is_some()),
            ];
            by_path
                .entry(path)
                .or_default()
                .extend(methods.into_iter().filter(|(_, present)| *present).map(|(m, _)| m));
        }
        let routes = by_path
            .into_iter()
            .map(|(path, methods)| {
                let segments = path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Parameter
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods a path accepts; empty when no documented route matches it. When several
    /// routes match (`/participants/search` and `/participants/{id}`), the most literal wins, as
    /// it does when the request is routed.
    pub fn allowed_methods(&self, path: &str) -> Vec<Method> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let matching: Vec<&(Vec<Segment>, Vec<Method>)> = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(segment, part)| match segment {
                        Segment::Literal(literal) => literal == part,
                        Segment::Parameter => true,
                    })
            })
            .collect();
        let literals = |segments: &[Segment]| segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
        let most_literal = matching
            .iter()
            .map(|(segments, _)| literals(segments))
            .max()
            .unwrap_or(0);
        let mut allowed: Vec<Method> = Vec::new();
        for method in matching
            .iter()
            .filter(|(segments, _)| literals(segments) == most_literal)
            .flat_map(|(_, methods)| methods)
        {
            if !allowed.contains(method) {
                allowed.push(method.clone());
            }
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_matches_literal_and_parameter_segments() {
        let table = RouteTable::from_document(&document());
        assert_eq!(table.allowed_methods("/v1/districts"), vec![Method::GET, Method::POST]);
        assert_eq!(
            table.allowed_methods("/v1/districts/farsta"),
            vec![Method::GET, Method::PATCH]
        );
        assert_eq!(table.allowed_methods("/healthz"), vec![Method::GET]);
        assert!(table.allowed_methods("/v1/nothing-here").is_empty());
        assert_eq!(
            table.allowed_methods("/v1/participants/search"),
            vec![Method::POST],
            "the literal route wins"
        );
        assert!(table.allowed_methods("/v1/districts/extra/segments").is_empty());
    }

    #[test]
    fn every_operation_documents_its_server_errors() {
        let document = document();
        for (path, item) in &document.paths.paths {
            for operation in [&item.get, &item.post, &item.put, &item.patch, &item.delete]
                .into_iter()
                .flatten()
            {
                for status in ["500", "503"] {
                    assert!(
                        operation.responses.responses.contains_key(status),
                        "{path} lacks {status}"
                    );
                }
            }
        }
    }
}
