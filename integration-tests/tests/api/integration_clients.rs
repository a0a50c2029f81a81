//! Machine clients (role `integration`): they do exactly what their token's scopes name —
//! record the Arbetsförmedlingen registration, read the change feed — and get 403 everywhere
//! else, whatever the resource.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestToken};
use crate::participants::{intake_body, refer};

#[tokio::test]
async fn an_integration_client_gets_403_outside_its_scopes() {
    let app = spawn_app().await;
    let participant = refer(&app, 981).await;
    let id = participant["id"].as_str().unwrap();
    let client = TestToken::role("integration")
        .scope("participants:af-status events:read")
        .subject("af-client")
        .sign();

    let feed = app.get_as(&client, "/v1/events").await;
    assert_eq!(feed.status().as_u16(), 200, "events:read reads the feed");
    let feed: Value = feed.json().await.unwrap();
    assert!(!feed["items"].as_array().unwrap().is_empty());

    let reads = [
        "/v1/participants".to_owned(),
        format!("/v1/participants/{id}"),
        format!("/v1/participants/{id}/history"),
        format!("/v1/participants/{id}/access-log"),
        format!("/v1/participants/{id}/export"),
        format!("/v1/participants/{id}/activity-plans"),
        "/v1/activity-plans".to_owned(),
        "/v1/providers".to_owned(),
        "/v1/referrals".to_owned(),
        "/v1/claims".to_owned(),
        "/v1/reports/key-figures?from=2026-01-01&to=2026-06-30".to_owned(),
    ];
    for path in &reads {
        let status = app.get_as(&client, path).await.status().as_u16();
        assert_eq!(status, 403, "GET {path}");
    }
    let writes = [
        (
            "/v1/participants".to_owned(),
            intake_body(participant["personal_identity_number"].as_str().unwrap()),
        ),
        (
            "/v1/participants/search".to_owned(),
            json!({"personal_identity_number": "19800101-1234"}),
        ),
        (
            format!("/v1/participants/{id}/enrol"),
            json!({"arrived_on": "2026-11-23", "coach_id": "x"}),
        ),
        (
            "/v1/providers".to_owned(),
            json!({"org_number": "556677-8899", "name": "X", "kind": "lou"}),
        ),
        (
            "/v1/referrals".to_owned(),
            json!({"participant_id": id, "activity_type": "mapping", "starts_on": "2026-11-23",
                "ends_on": "2026-12-01", "statutory_basis": "SoL 4 kap. 4 §"}),
        ),
        (
            "/v1/districts".to_owned(),
            json!({"id": "x", "name": "X", "jobbtorg_id": "jarva"}),
        ),
    ];
    for (path, body) in &writes {
        let response = app
            .client
            .post(app.url(path))
            .bearer_auth(&client)
            .header("If-Match", "\"1\"")
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert_eq!(status, 403, "POST {path}: {}", response.text().await.unwrap());
    }
}
