//! The OpenAPI document, generated from the handlers' annotations, plus the shared pieces every
//! operation refers to: the bearer scheme, the `Problem` schema and the standard error responses.

use actix_web::App;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as OpenApiDocument, Ref, RefOr};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::http::docs::{problem_response, SHARED_RESPONSES};
use crate::problem::{FieldErrorSchema, Problem};

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
        FieldErrorSchema,
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

#[cfg(test)]
mod tests {
    use super::*;

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
