use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_and_readyz_answer_ok() {
    let app = spawn_app().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status().as_u16(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_echoes_a_sane_one() {
    let app = spawn_app().await;
    let generated = app.get("/healthz").await;
    let id = generated
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "generated id {id:?} is a UUID");

    let echoed = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "lb-1234.abc")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "lb-1234.abc");

    let junk = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "a b\"<script>")
        .send()
        .await
        .unwrap();
    assert_ne!(junk.headers()["x-request-id"], "a b\"<script>");
}

#[tokio::test]
async fn swagger_ui_and_both_spec_formats_are_served() {
    let app = spawn_app().await;
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status().as_u16(), 200);
    assert!(docs.text().await.unwrap().contains("swagger-ui"));

    let json: serde_json::Value = app.get("/openapi.json").await.json().await.unwrap();
    assert!(json["paths"]["/v1/districts"]["get"].is_object());

    let yaml = app.get("/openapi.yaml").await;
    assert_eq!(yaml.headers()["content-type"], "application/yaml");
    assert!(yaml.text().await.unwrap().contains("/v1/districts:"));
}
