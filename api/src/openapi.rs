//! The OpenAPI document, generated from the handlers' annotations, plus the shared pieces every
//! operation refers to: the bearer scheme, the `Problem` schema and the standard error responses.

use std::collections::BTreeMap;

use actix_web::http::Method;
use actix_web::App;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as OpenApiDocument, Ref, RefOr};
use utoipa::{Modify, OpenApi};
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
    components(schemas(Problem, FieldError)),
    modifiers(&SharedComponents),
    tags(
        (name = "reference", description = "Seeded reference data identified by stable codes."),
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
    document
}

pub fn to_yaml(document: &OpenApiDocument) -> Result<String, String> {
    document.to_yaml().map_err(|e| e.to_string())
}

/// Responses shared by many operations, referenced by name (`#/components/responses/...`).
const STANDARD_RESPONSES: [(&str, &str); 8] = [
    (
        "BadRequest",
        "The request is malformed: invalid JSON, unknown field, wrong type or bad query.",
    ),
    ("Unauthorized", "No valid bearer token was sent."),
    (
        "Forbidden",
        "The token is valid but its role may not do this.",
    ),
    (
        "NotFound",
        "The resource does not exist or is not visible to the caller.",
    ),
    (
        "PayloadTooLarge",
        "The body is larger than the operation accepts.",
    ),
    (
        "UnsupportedMediaType",
        "The body is not `application/json`.",
    ),
    (
        "InternalError",
        "Unexpected failure; the cause is logged under the request id.",
    ),
    (
        "ServiceUnavailable",
        "The database is not reachable; retry later.",
    ),
];

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
        for (name, description) in STANDARD_RESPONSES {
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    PROBLEM_CONTENT_TYPE,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build();
            components
                .responses
                .insert(name.to_owned(), RefOr::T(response));
        }
    }
}

fn add_standard_errors(document: &mut OpenApiDocument) {
    for item in document.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            add_operation_errors(operation);
        }
    }
}

fn add_operation_errors(operation: &mut Operation) {
    let mut add = |status: &str, name: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
    };
    let has_query = operation.parameters.iter().flatten().any(|p| match p {
        RefOr::T(parameter) => matches!(
            parameter.parameter_in,
            utoipa::openapi::path::ParameterIn::Query
        ),
        RefOr::Ref(_) => false,
    });
    let has_body = operation.request_body.is_some();
    if has_query || has_body {
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
            by_path.entry(path).or_default().extend(
                methods
                    .into_iter()
                    .filter(|(_, present)| *present)
                    .map(|(m, _)| m),
            );
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

    /// The methods a path accepts; empty when no documented route matches it.
    pub fn allowed_methods(&self, path: &str) -> Vec<Method> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut allowed: Vec<Method> = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments
                        .iter()
                        .zip(&parts)
                        .all(|(segment, part)| match segment {
                            Segment::Literal(literal) => literal == part,
                            Segment::Parameter => true,
                        })
            })
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect();
        allowed.dedup();
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_matches_literal_and_parameter_segments() {
        let table = RouteTable::from_document(&document());
        assert_eq!(table.allowed_methods("/v1/districts"), vec![Method::GET]);
        assert_eq!(table.allowed_methods("/healthz"), vec![Method::GET]);
        assert!(table.allowed_methods("/v1/nothing-here").is_empty());
        assert!(table
            .allowed_methods("/v1/districts/extra/segments")
            .is_empty());
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
