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
        crate::problem_codes::ProblemCodeSchema,
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
        (name = "tasks", description = "The work queue: what is due for the caller (plans, reviews, follow-ups, referrals, claims, absences, moves), derived from the data."),
        (name = "journal", description = "The case journal: dated, signed notes that are never changed; corrections show beside the note they correct."),
        (name = "absences", description = "Absence and deviation reports from providers and own-regime activities, for the home district to see."),
        (name = "transfers", description = "Moving a participant to another home district: asked by the job centre or the district, answered by the new district."),
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
    state_limits(document)
}

/// The document with the limits of `openapi_limits` stated (a pass over its JSON form).
fn state_limits(document: OpenApiDocument) -> OpenApiDocument {
    // Either failure is a defect the drift test shows; the document without the pass is served.
    let mut json = match serde_json::to_value(&document) {
        Ok(json) => json,
        Err(e) => {
            log::error!("the OpenAPI document could not be read as JSON, its limits are not stated: {e}");
            return document;
        }
    };
    crate::openapi_limits::state(&mut json);
    serde_json::from_value(json).unwrap_or_else(|e| {
        log::error!("the OpenAPI document with its limits could not be read back: {e}");
        document
    })
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
                    .description(Some(
                        "A JWT from the city's identity provider (RS256 or ES256, keys from its JWK set; HS256 with a shared secret in development only). \
                         Claims: `sub` (the user or client), `role` (district_officer, coach, jobbtorg_manager, provider_staff, contract_manager, analyst, integration, admin), \
                         `iss` and `aud` (a string or a list naming this API), `exp` (at most JWT_MAX_TTL after `iat`), optional `nbf` and `iat`, \
                         and the scope the role needs: `jobbtorg_id` (coach, manager), `district_id` (district officer), `provider_id` (provider staff) \
                         or `scope` (integration: `events:read`, `participants:af-status`). \
                         Where an identity provider names these differently (Keycloak's `realm_access.roles`, say), the server maps them (`JWT_ROLE_CLAIM`, `JWT_ROLE_MAP`, `JWT_*_CLAIM`). \
                         Validated as RFC8725 (JWT best current practices) asks: each key pins its algorithm (`none` never), \
                         `exp`, `iss`, `aud` and `sub` are required and checked, a `crit` header naming an extension is refused.",
                    ))
                    .build(),
            ),
        );
        for (name, description) in SHARED_RESPONSES {
            components
                .responses
                .insert((*name).to_owned(), RefOr::T(problem_response(name, description)));
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

/// The headers every answer carries: `X-Request-Id` on all; on a write's success the RateLimit
/// budget; on a creation `Location` and `Idempotent-Replayed`.
fn declare_response_headers(operation: &mut Operation, write: bool) {
    use crate::http::docs::{header, rate_limit_headers, request_id_header, REQUEST_ID};
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        response
            .headers
            .entry(REQUEST_ID.to_owned())
            .or_insert_with(|| RefOr::T(request_id_header()));
        if write && status.starts_with('2') {
            for (name, declared) in rate_limit_headers() {
                response.headers.entry(name.to_owned()).or_insert(RefOr::T(declared));
            }
        }
        if status == "201" {
            response
                .headers
                .entry("Location".to_owned())
                .or_insert_with(|| RefOr::T(header(false, "Where the created resource is read.")));
            response
                .headers
                .entry("Idempotent-Replayed".to_owned())
                .or_insert_with(|| {
                    RefOr::T(header(
                        false,
                        "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
                    ))
                });
        }
    }
}

fn add_operation_errors(operation: &mut Operation, write: bool) {
    declare_response_headers(operation, write);
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

    /// Every answer declares `X-Request-Id`; each shared problem response shows a problem of its
    /// own status, and a 429 its budget headers.
    #[test]
    fn responses_declare_their_headers_and_each_error_its_own_example() {
        let document = serde_json::to_value(document()).unwrap();
        let shared = &document["components"]["responses"];
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let response = match response["$ref"].as_str() {
                        Some(reference) => &shared[reference.rsplit('/').next().unwrap()],
                        None => response,
                    };
                    assert!(
                        response["headers"]["X-Request-Id"].is_object(),
                        "{method} {path} {status} declares no X-Request-Id"
                    );
                    if let Some(example) = response["content"]["application/problem+json"]["example"].as_object() {
                        assert_eq!(
                            example["status"].to_string(),
                            *status,
                            "{method} {path}: the example's status"
                        );
                        assert!(crate::problem_codes::is_known(example["code"].as_str().unwrap()));
                    }
                }
            }
        }
        for name in [
            "Retry-After",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
        ] {
            assert!(
                shared["TooManyRequests"]["headers"][name].is_object(),
                "429 lacks {name}"
            );
        }
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

#[cfg(test)]
mod limits {
    use std::collections::BTreeSet;

    use serde_json::Value;

    /// Every schema a request body refers to, directly or nested.
    fn request_schemas(doc: &Value) -> BTreeSet<String> {
        fn refs(value: &Value, into: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref") {
                        if let Some(name) = r.strip_prefix("#/components/schemas/") {
                            into.push(name.to_owned());
                        }
                    }
                    map.values().for_each(|v| refs(v, into));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, into)),
                _ => {}
            }
        }
        let mut todo = Vec::new();
        for item in doc["paths"].as_object().into_iter().flatten().map(|(_, v)| v) {
            for (_, operation) in item.as_object().into_iter().flatten() {
                refs(&operation["requestBody"], &mut todo);
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(name) = todo.pop() {
            if seen.insert(name.clone()) {
                refs(&doc["components"]["schemas"][&name], &mut todo);
            }
        }
        seen
    }

    fn types(property: &Value) -> Vec<&str> {
        match &property["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The spec states every limit the server enforces: no free string or list in a request
    /// is unbounded in the schema (an enum, a pattern, a date or a format bounds it too).
    #[test]
    fn every_request_string_and_list_states_its_limit() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let mut unbounded = Vec::new();
        for name in request_schemas(&doc) {
            let schema = &doc["components"]["schemas"][&name];
            for (field, property) in schema["properties"].as_object().into_iter().flatten() {
                let t = types(property);
                let bounded_string = property.get("maxLength").is_some()
                    || property.get("enum").is_some()
                    || property.get("pattern").is_some()
                    || property.get("format").is_some()
                    || property.get("$ref").is_some()
                    || property.get("oneOf").is_some();
                if t.contains(&"string") && !bounded_string {
                    unbounded.push(format!("{name}.{field}"));
                }
                if t.contains(&"array") && property.get("maxItems").is_none() {
                    unbounded.push(format!("{name}.{field} (items)"));
                }
            }
        }
        assert!(unbounded.is_empty(), "unbounded in the spec: {unbounded:#?}");
    }

    fn limit(name: &str) -> Option<f64> {
        use crate::http::limits::*;
        Some(match name {
            "NAME_MAX" => NAME_MAX as f64,
            "CONTACT_MAX" => CONTACT_MAX as f64,
            "TEXT_MAX" => TEXT_MAX as f64,
            "PROVIDER_NAME_MAX" => PROVIDER_NAME_MAX as f64,
            "CONTACTS_MAX" => CONTACTS_MAX as f64,
            "REFERENCE_MAX" => REFERENCE_MAX as f64,
            "CODES_MAX" => CODES_MAX as f64,
            "CODE_MAX" => CODE_MAX as f64,
            "URL_MAX" => URL_MAX as f64,
            "LINES_MAX" => LINES_MAX as f64,
            "HOURS_MAX" => HOURS_MAX,
            "IDENTITY_NUMBER_MAX" => IDENTITY_NUMBER_MAX as f64,
            "PHONE_MAX" => PHONE_MAX as f64,
            "UUID_LEN" => UUID_LEN as f64,
            "PAGE_MAX" => PAGE_MAX as f64,
            "JOURNAL_TEXT_MAX" => JOURNAL_TEXT_MAX as f64,
            _ => return None,
        })
    }

    /// Each `#[validate(length(max = limits::X))]` or `range(… max = limits::X)` of a request
    /// type, read from the source: (schema name, field, rule, constant).
    fn validated_limits() -> Vec<(String, String, String, String)> {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut paths = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut paths,
        );
        let mut found = Vec::new();
        for path in paths {
            let source = std::fs::read_to_string(&path).unwrap();
            let (mut schema, mut renamed, mut pending) = (String::new(), None::<String>, None::<(String, String)>);
            for line in source.lines().map(str::trim) {
                if let Some(name) = line.strip_prefix("#[schema(as = ").and_then(|r| r.strip_suffix(")]")) {
                    renamed = Some(name.to_owned());
                } else if let Some(rest) = line.strip_prefix("pub struct ") {
                    let name = rest
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap_or_default();
                    schema = renamed.take().unwrap_or_else(|| name.to_owned());
                } else if line.starts_with("#[validate(") {
                    let rule = if line.contains("length(") { "length" } else { "range" };
                    if let Some(at) = line.find("limits::") {
                        let constant: String = line[at + 8..]
                            .chars()
                            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                            .collect();
                        pending = Some((rule.to_owned(), constant));
                    }
                } else if let (Some(field), Some((rule, constant))) = (
                    line.strip_prefix("pub ").and_then(|r| r.split(':').next()),
                    pending.take(),
                ) {
                    found.push((schema.clone(), field.to_owned(), rule, constant));
                } else if line == "}" {
                    schema.clear();
                }
            }
        }
        found
    }

    /// The `key` (`maximum`, `maxLength`) every query parameter named `name` states, if all
    /// state the same one.
    fn query_parameter_limit(doc: &Value, name: &str, key: &str) -> Option<f64> {
        let mut stated = Vec::new();
        for item in doc["paths"].as_object().into_iter().flatten().map(|(_, v)| v) {
            for (_, operation) in item.as_object().into_iter().flatten() {
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    if parameter["in"] == "query" && parameter["name"] == name {
                        stated.push(parameter["schema"][key].as_f64());
                    }
                }
            }
        }
        let first = stated.first().copied().flatten();
        (stated.iter().all(|s| *s == first)).then_some(first).flatten()
    }

    /// The schema states each limit the validator enforces, with the same number.
    #[test]
    fn the_schema_states_the_validated_limits() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let found = validated_limits();
        assert!(found.len() > 60, "the source scan finds the rules: {}", found.len());
        let mut wrong = Vec::new();
        for (schema, field, rule, constant) in found {
            let expected = limit(&constant).unwrap_or_else(|| panic!("unknown limit {constant}"));
            let property = &doc["components"]["schemas"][&schema]["properties"][&field];
            let stated = if property.is_null() {
                // A query type: its fields are parameters of the operations; each must agree.
                let key = if rule == "length" { "maxLength" } else { "maximum" };
                query_parameter_limit(&doc, &field, key)
            } else {
                ["maxLength", "maxItems", "maximum"]
                    .iter()
                    .find_map(|key| property[key].as_f64())
            };
            if stated != Some(expected) {
                wrong.push(format!(
                    "{schema}.{field}: {rule} {constant} = {expected}, schema says {stated:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
