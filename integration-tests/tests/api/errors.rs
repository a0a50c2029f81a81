use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/v1/no-such-thing").await, 404, "route_not_found").await;
    assert!(body["instance"]
        .as_str()
        .unwrap()
        .ends_with(body["request_id"].as_str().unwrap()));
}

#[tokio::test]
async fn wrong_method_is_a_405_problem_with_allow() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/v1/districts")).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "GET, POST");
    assert_problem(response, 405, "method_not_allowed").await;
}

const DISTRICTS: &str = "/v1/districts";

fn new_district() -> serde_json::Value {
    serde_json::json!({"id": "hagersten-alvsjo", "name": "Hägersten-Älvsjö", "jobbtorg_id": "sydvast"})
}

async fn post_raw(
    app: &crate::helpers::TestApp,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(DISTRICTS))
        .bearer_auth(crate::helpers::admin_token())
        .body(body);
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn malformed_json_is_a_400_problem_with_the_parsers_reason() {
    let app = spawn_app().await;
    let body = assert_problem(
        post_raw(&app, Some("application/json"), "{\"id\": ").await,
        400,
        "malformed_json",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("line 1"), "{body}");
}

#[tokio::test]
async fn unknown_field_is_a_400_problem_naming_it() {
    let app = spawn_app().await;
    let mut district = new_district();
    district["serves_everyone"] = serde_json::json!(true);
    let body = assert_problem(
        post_raw(&app, Some("application/json"), district.to_string()).await,
        400,
        "unknown_field",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("serves_everyone"), "{body}");
}

#[tokio::test]
async fn wrong_type_or_missing_field_is_a_400_problem() {
    let app = spawn_app().await;
    let wrong_type = serde_json::json!({"id": 7, "name": "X", "jobbtorg_id": "jarva"});
    assert_problem(
        post_raw(&app, Some("application/json"), wrong_type.to_string()).await,
        400,
        "invalid_body",
    )
    .await;
    let missing = serde_json::json!({"id": "x"});
    let body = assert_problem(
        post_raw(&app, Some("application/json"), missing.to_string()).await,
        400,
        "invalid_body",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("missing field"), "{body}");
}

#[tokio::test]
async fn wrong_content_type_is_a_415_problem() {
    let app = spawn_app().await;
    assert_problem(
        post_raw(&app, Some("text/plain"), new_district().to_string()).await,
        415,
        "unsupported_media_type",
    )
    .await;
    assert_problem(
        post_raw(&app, None, new_district().to_string()).await,
        415,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn body_over_the_limit_is_a_413_problem() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"id\": \"x\", \"name\": \"{}\", \"jobbtorg_id\": \"jarva\"}}",
        "a".repeat(300 * 1024)
    );
    assert_problem(
        post_raw(&app, Some("application/json"), huge).await,
        413,
        "payload_too_large",
    )
    .await;
}

#[tokio::test]
async fn invalid_fields_are_a_422_problem_listing_each() {
    let app = spawn_app().await;
    let bad = serde_json::json!({"id": "Not A Code", "name": "  ", "jobbtorg_id": "jarva"});
    let body = assert_problem(
        post_raw(&app, Some("application/json"), bad.to_string()).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["id", "name"]);
    assert!(body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["code"] == "invalid_format" && e["message"].is_string()));
}

#[tokio::test]
async fn a_bad_query_is_a_400_problem() {
    let app = spawn_app().await;
    let token = crate::helpers::admin_token();
    assert_problem(app.get_as(&token, "/v1/events?limit=many").await, 400, "invalid_query").await;
    assert_problem(app.get_as(&token, "/v1/events?limit=0").await, 400, "invalid_query").await;
    assert_problem(app.get_as(&token, "/v1/events?after=-3").await, 400, "invalid_query").await;
    assert_problem(app.get_as(&token, "/v1/events?colour=red").await, 400, "invalid_query").await;
}
