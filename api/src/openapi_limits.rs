//! The limits the server enforces, stated on what the derives cannot reach: response headers,
//! path and query parameters, ids and dates, free text, the webhook payload. One pass over the
//! generated document (as JSON), so every operation gets them alike and the OWASP lint
//! (`make lint`, `.spectral.yaml`) holds on anything new.

use serde_json::{json, Value};

use crate::http::limits;
use crate::http::paging::DEFAULT_LIMIT as DEFAULT_PAGE;

/// What `clean_text` lets through: no control characters but tab, CR and LF.
pub const TEXT_PATTERN: &str = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$";
/// A reference-data code (`Code::parse`).
pub const CODE_PATTERN: &str = "^[a-z0-9_-]{1,64}$";
const EVENT_TYPE_PATTERN: &str = "^[a-z_]+(\\.[a-z_]+)+$";

pub fn state(document: &mut Value) {
    let schemas_in_requests = request_schemas(document);
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for operation in item.values_mut() {
                for parameter in array_mut(operation, "parameters") {
                    parameter_limits(path, parameter);
                }
                headers_in(operation.get_mut("responses"));
            }
        }
    }
    headers_in(document.pointer_mut("/components/responses"));
    // Partners and providers call it: the one server is public.
    if let Some(server) = document.pointer_mut("/servers/0") {
        merge(server, json!({"x-internal": false}));
    }
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let in_request = schemas_in_requests.contains(name);
            schema_limits(name, schema, in_request);
        }
    }
    for parameter in webhook_parameters(document) {
        if parameter["name"] == "Jobbtorg-Signature" {
            merge(
                &mut parameter["schema"],
                json!({"maxLength": 100, "pattern": "^t=[0-9]{1,20},v1=[0-9a-f]{64}$"}),
            );
        }
    }
}

fn webhook_parameters(document: &mut Value) -> Vec<&mut Value> {
    let Some(webhooks) = document.get_mut("webhooks").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    webhooks
        .values_mut()
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut())
        .flat_map(|operation| array_mut(operation, "parameters"))
        .collect()
}

fn array_mut<'a>(value: &'a mut Value, key: &str) -> Vec<&'a mut Value> {
    value
        .get_mut(key)
        .and_then(Value::as_array_mut)
        .map(|items| items.iter_mut().collect())
        .unwrap_or_default()
}

/// Adds `extra`'s keys to the object `target`, keeping what it states already.
fn merge(target: &mut Value, extra: Value) {
    if let (Some(target), Value::Object(extra)) = (target.as_object_mut(), extra) {
        for (key, value) in extra {
            target.entry(key).or_insert(value);
        }
    }
}

fn parameter_limits(path: &str, parameter: &mut Value) {
    let name = parameter["name"].as_str().unwrap_or_default().to_owned();
    let place = parameter["in"].as_str().unwrap_or_default().to_owned();
    let schema = &mut parameter["schema"];
    match (place.as_str(), name.as_str()) {
        ("path", "district_id") => merge(schema, json!({"maxLength": 64, "pattern": CODE_PATTERN})),
        ("path", id) if id.ends_with("_id") => merge(schema, json!({"format": "uuid", "maxLength": 36})),
        ("query", "cursor" | "contract_id" | "participant_id" | "provider_id" | "referral_id") => {
            merge(schema, json!({"maxLength": 36}))
        }
        ("query", "district_id" | "jobbtorg_id" | "target_group") => merge(schema, json!({"maxLength": 64})),
        ("query", "after") => merge(schema, json!({"maxLength": 18})),
        ("query", "from" | "to" | "due_before" | "review_due_before") => merge(schema, json!({"maxLength": 10})),
        ("header", "If-Match") => merge(schema, json!({"maxLength": 13})),
        ("path", "name") if path == "/v1/code-lists/{name}" => {
            let names: Vec<&str> = domain::labels::CODE_LISTS.iter().map(|(name, _)| *name).collect();
            merge(schema, json!({"enum": names}));
        }
        // Free-text and list filters the query types check with `validator`.
        ("query", "coach_id") => merge(
            schema,
            json!({"minLength": 1, "maxLength": limits::NAME_MAX, "pattern": TEXT_PATTERN}),
        ),
        ("query", "types") => merge(
            schema,
            json!({"maxLength": crate::routes::events::MAX_TYPES_LENGTH, "pattern": "^[a-z_., ]*$"}),
        ),
        ("query", "limit") => {
            let default = if path == "/v1/tasks" {
                crate::routes::tasks::DEFAULT_TASKS
            } else {
                DEFAULT_PAGE
            };
            let maximum = schema["maximum"].as_i64().unwrap_or(limits::PAGE_MAX);
            schema["default"] = json!(default);
            parameter["description"] = json!(format!("Page size, 1 to {maximum}; {default} when not given."));
        }
        _ => {}
    }
    if parameter.get("description").is_none() {
        if let Some(description) = description_of(&name) {
            parameter["description"] = json!(description);
        }
    }
}

/// The filters' meaning, where a route declares none.
fn description_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "contract_id" => "Only those under this contract.",
        "participant_id" => "Only those of this participant.",
        "provider_id" => "Only those of this provider (a provider's staff see only their own anyway).",
        "referral_id" => "Only those raised by this referral.",
        "district_id" => "Only participants of this home district (`/v1/districts`).",
        "jobbtorg_id" => "Only participants served by this job centre (`/v1/jobbtorg`).",
        "target_group" => "Only participants in this target group (`/v1/target-groups`).",
        "kind" => "Only providers of this kind of organisation.",
        "status" => "Only those in this status.",
        _ => return None,
    })
}

/// The response headers' values, by name.
fn header_schema(name: &str) -> Option<Value> {
    Some(match name {
        "X-Request-Id" => json!({"maxLength": 128, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}),
        "ETag" => json!({"maxLength": 12, "pattern": "^\"[1-9][0-9]{0,9}\"$"}),
        "Location" => json!({"format": "uri-reference", "maxLength": 200}),
        "Idempotent-Replayed" => json!({"enum": ["true"]}),
        "RateLimit-Limit" => json!({"format": "int32", "minimum": 1, "maximum": 1_000_000}),
        "RateLimit-Remaining" => json!({"format": "int32", "minimum": 0, "maximum": 1_000_000}),
        "RateLimit-Reset" | "Retry-After" => json!({"format": "int32", "minimum": 1, "maximum": 60}),
        _ => return None,
    })
}

fn headers_in(responses: Option<&mut Value>) {
    let Some(responses) = responses.and_then(Value::as_object_mut) else {
        return;
    };
    for response in responses.values_mut() {
        let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, header) in headers.iter_mut() {
            if let Some(extra) = header_schema(name) {
                merge(&mut header["schema"], extra);
            }
        }
    }
}

/// Every schema a request body or parameter reaches, following `$ref`s.
fn request_schemas(document: &Value) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut pending: Vec<&Value> = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for operation in paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
        {
            pending.push(&operation["requestBody"]);
            pending.push(&operation["parameters"]);
        }
    }
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    if found.insert(name.to_owned()) {
                        pending.push(&document["components"]["schemas"][name]);
                    }
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

fn schema_limits(name: &str, schema: &mut Value, in_request: bool) {
    let webhook = name.starts_with("Webhook");
    visit_properties(schema, &mut |field, property| {
        if !is_string(property) {
            return;
        }
        match property["format"].as_str() {
            Some("date") => merge(property, json!({"maxLength": 10})),
            Some("uuid") => merge(property, json!({"maxLength": 36})),
            _ => {}
        }
        if matches!(field, "goal_ssyk" | "ssyk") {
            merge(property, json!({"maxLength": 4}));
        }
        let free = ["format", "enum", "pattern"]
            .iter()
            .all(|key| property.get(*key).is_none());
        if !free || !(in_request || webhook) {
            return;
        }
        let extra = match field {
            "activity_types" | "job_centres" | "target_groups" | "to_district_id" => {
                json!({"maxLength": 64, "pattern": CODE_PATTERN})
            }
            "event_types" | "type" => json!({"maxLength": 100, "pattern": EVENT_TYPE_PATTERN}),
            "personal_identity_number" => json!({"pattern": "^([0-9]{8}|[0-9]{6})[-+]?[0-9]{4}$"}),
            "org_number" => json!({"pattern": "^(16)?[0-9]{6}-?[0-9]{4}$"}),
            "url" => json!({"format": "uri"}),
            id if (id == "id" || id.ends_with("_id") || id.ends_with("_ids"))
                && property.get("maxLength").is_some_and(|max| max != 36) =>
            {
                json!({"pattern": TEXT_PATTERN})
            }
            id if id == "id" || id.ends_with("_id") || id.ends_with("_ids") => {
                json!({"format": "uuid", "maxLength": 36})
            }
            _ if property.get("maxLength").is_some() => json!({"pattern": TEXT_PATTERN}),
            _ => return,
        };
        merge(property, extra);
    });
    if name == "WebhookNotification" {
        merge(
            &mut schema["properties"]["attempt"],
            json!({"minimum": 1, "maximum": 8}),
        );
    }
    if name == "WebhookEventRef" {
        merge(
            &mut schema["properties"]["position"],
            json!({"minimum": 1, "maximum": i64::MAX}),
        );
    }
}

fn is_string(property: &Value) -> bool {
    let types = &property["type"];
    types == "string" || types.as_array().is_some_and(|t| t.contains(&json!("string")))
}

/// Calls `visit` on every property schema of `schema` and on a list property's item schema,
/// with the property's name.
fn visit_properties(schema: &mut Value, visit: &mut dyn FnMut(&str, &mut Value)) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (field, property) in properties.iter_mut() {
        visit(field, property);
        if let Some(items) = property.get_mut("items") {
            visit(field, items);
        }
    }
}
