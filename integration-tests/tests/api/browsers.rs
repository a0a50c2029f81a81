//! What a browser front end meets: CORS for the configured origins only (preflight,
//! credentials, the headers it may read), `nosniff` everywhere, `no-store` on personal data,
//! and a content security policy on the API docs.

use reqwest::Method;

use crate::helpers::{spawn_app, spawn_app_with, TestToken};

const FRONT_END: &str = "https://app.example.se";

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_configured_front_end_passes_the_preflight_and_reads_the_headers_it_needs() {
    let app = spawn_app_with(&[("CORS_ORIGINS", &format!("{FRONT_END},http://localhost:5173"))]).await;
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/v1/participants"))
        .header("Origin", FRONT_END)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, idempotency-key, if-match",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status().as_u16(), 200);
    assert_eq!(header(&preflight, "access-control-allow-origin"), Some(FRONT_END));
    assert_eq!(header(&preflight, "access-control-allow-credentials"), Some("true"));
    assert!(header(&preflight, "access-control-allow-methods").is_some_and(|m| m.contains("POST")));
    let allowed = header(&preflight, "access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for name in ["authorization", "content-type", "idempotency-key", "if-match"] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }

    // The actual request: the origin is echoed and the headers a client needs are exposed.
    let coach = TestToken::role("coach").jobbtorg("jarva").sign();
    let response = app
        .client
        .get(app.url("/v1/participants"))
        .bearer_auth(&coach)
        .header("Origin", FRONT_END)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, "access-control-allow-origin"), Some(FRONT_END));
    let exposed = header(&response, "access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for name in [
        "etag",
        "x-request-id",
        "location",
        "retry-after",
        "ratelimit-remaining",
        "idempotent-replayed",
    ] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }

    // Another origin gets no permission.
    let stranger = app
        .client
        .request(Method::OPTIONS, app.url("/v1/participants"))
        .header("Origin", "https://evil.example.com")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(header(&stranger, "access-control-allow-origin").is_none());
    assert!(stranger.status().is_client_error());
}

#[tokio::test]
async fn without_configured_origins_no_browser_is_let_in() {
    let app = spawn_app().await;
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/v1/participants"))
        .header("Origin", FRONT_END)
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(header(&preflight, "access-control-allow-origin").is_none());
}

#[tokio::test]
async fn personal_data_is_not_stored_and_the_docs_carry_a_policy() {
    let app = spawn_app().await;
    let coach = TestToken::role("coach").jobbtorg("jarva").sign();
    let list = app.get_as(&coach, "/v1/participants").await;
    assert_eq!(header(&list, "cache-control"), Some("no-store"));
    assert_eq!(header(&list, "x-content-type-options"), Some("nosniff"));
    let missing = app
        .get_as(&coach, &format!("/v1/participants/{}/export", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(header(&missing, "cache-control"), Some("no-store"));
    let reference = app.get_as(&coach, "/v1/districts").await;
    assert!(header(&reference, "cache-control").is_none());
    assert_eq!(header(&reference, "x-content-type-options"), Some("nosniff"));
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status().as_u16(), 200);
    let policy = header(&docs, "content-security-policy").unwrap_or_default();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(header(&docs, "x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn head_trailing_slashes_docs_and_conditional_reads_follow_http() {
    let app = spawn_app().await;
    let admin = crate::helpers::admin_token();
    // HEAD answers every GET with its headers and no body.
    let head = app
        .client
        .head(app.url("/v1/districts/farsta"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status().as_u16(), 200);
    let etag = header(&head, "etag").unwrap().to_owned();
    assert!(head.bytes().await.unwrap().is_empty());
    // A trailing slash is read as none, with the query kept.
    let slash = app.get_as(&admin, "/v1/districts/").await;
    assert_eq!(slash.status().as_u16(), 200);
    let coach = TestToken::role("coach").jobbtorg("jarva").sign();
    let slash = app.get_as(&coach, "/v1/participants/?limit=0").await;
    assert_eq!(slash.status().as_u16(), 400, "the query still applies");
    // /docs leads to the docs.
    let docs = app.get("/docs").await;
    assert_eq!(docs.status().as_u16(), 308);
    assert_eq!(header(&docs, "location"), Some("/docs/"));
    // If-None-Match naming the current ETag: 304, with the ETag and no body.
    let path = app.url("/v1/districts/farsta");
    let unchanged = app
        .client
        .get(&path)
        .bearer_auth(&admin)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status().as_u16(), 304);
    assert_eq!(header(&unchanged, "etag"), Some(etag.as_str()));
    assert!(header(&unchanged, "x-request-id").is_some());
    let changed = app
        .client
        .get(&path)
        .bearer_auth(&admin)
        .header("If-None-Match", "\"999\"")
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status().as_u16(), 200);
    // gzip when asked for.
    let gzip = app
        .client
        .get(app.url("/v1/target-groups"))
        .bearer_auth(&admin)
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&gzip, "content-encoding"), Some("gzip"));
}
