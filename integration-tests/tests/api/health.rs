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

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_show_the_pool() {
    let app = spawn_app().await;
    let token = crate::helpers::admin_token();
    for district in ["farsta", "bromma"] {
        assert_eq!(
            app.get_as(&token, &format!("/v1/districts/{district}"))
                .await
                .status()
                .as_u16(),
            200
        );
    }
    app.get("/v1/nowhere").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    let text = response.text().await.unwrap();
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/v1/districts/{district_id}",status="200"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="unmatched",status="404"} 1"#),
        "{text}"
    );
    assert!(text.contains("http_request_duration_seconds_bucket{"), "{text}");
    assert!(text.contains(r#"db_pool_connections{state="in_use"}"#), "{text}");
    assert!(!text.contains("farsta"), "concrete paths never become labels");
}

#[tokio::test]
async fn a_request_whose_body_stalls_is_cut_off_with_a_503_problem() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = crate::helpers::spawn_app_with(&[("REQUEST_TIMEOUT_MS", "300")]).await;
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /v1/districts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"id\":",
        crate::helpers::admin_token()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read_to_end(&mut response)).await;
    assert!(read.is_ok(), "the server answered instead of waiting for the body");
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(
        text.contains("application/problem+json") && text.contains("\"code\":\"request_timeout\""),
        "{text}"
    );
    assert!(text.to_ascii_lowercase().contains("x-request-id:"), "{text}");
}
