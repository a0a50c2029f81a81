//! The admin's district endpoints exercise the write machinery: idempotent creation, If-Match on
//! change, and the audit record and event written with each change.

use serde_json::{json, Value};

use crate::helpers::{admin_token, assert_problem, etag_of, spawn_app, TestApp};

fn hagersten_alvsjo() -> Value {
    json!({"id": "hagersten-alvsjo", "name": "Hägersten-Älvsjö", "jobbtorg_id": "sydvast"})
}

async fn post_with_key(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/v1/districts"))
        .bearer_auth(admin_token())
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn audit_rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM access_log WHERE resource_type = 'district'")
}

fn event_rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM events WHERE resource_type = 'district'")
}

#[tokio::test]
async fn an_admin_adds_a_district_and_reads_it_back() {
    let app = spawn_app().await;
    let created = app.post_as(&admin_token(), "/v1/districts", &hagersten_alvsjo()).await;
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.headers()["location"], "/v1/districts/hagersten-alvsjo");
    assert_eq!(etag_of(&created), "\"1\"");
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["jobbtorg_id"], "sydvast");
    assert_eq!(body["jobbtorg_name"], "Jobbtorg Sydväst");

    let read = app.get_as(&admin_token(), "/v1/districts/hagersten-alvsjo").await;
    assert_eq!(etag_of(&read), "\"1\"");
    assert_eq!(read.json::<Value>().await.unwrap()["name"], "Hägersten-Älvsjö");

    let centres: Value = app.get_as(&admin_token(), "/v1/jobbtorg").await.json().await.unwrap();
    assert_eq!(
        centres["items"][1]["district_ids"],
        json!(["skarholmen", "hagersten-liljeholmen", "alvsjo", "hagersten-alvsjo"])
    );
}

#[tokio::test]
async fn an_existing_id_is_409_and_an_unknown_job_centre_is_422() {
    let app = spawn_app().await;
    let duplicate = json!({"id": "farsta", "name": "Farsta", "jobbtorg_id": "sydost"});
    assert_problem(
        app.post_as(&admin_token(), "/v1/districts", &duplicate).await,
        409,
        "already_exists",
    )
    .await;
    let nowhere = json!({"id": "nowhere", "name": "Nowhere", "jobbtorg_id": "atlantis"});
    let body = assert_problem(
        app.post_as(&admin_token(), "/v1/districts", &nowhere).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "jobbtorg_id");
    assert_eq!(body["errors"][0]["code"], "unknown");
}

#[tokio::test]
async fn unknown_district_is_404() {
    let app = spawn_app().await;
    assert_problem(
        app.get_as(&admin_token(), "/v1/districts/atlantis").await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&admin_token(), "/v1/districts/NOT%20A%20CODE").await,
        404,
        "not_found",
    )
    .await;
    let change = json!({"name": "Atlantis"});
    assert_problem(
        app.patch_as(&admin_token(), "/v1/districts/atlantis", "\"1\"", &change)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn idempotency_same_key_same_body_replays_the_first_response() {
    let app = spawn_app().await;
    let first = post_with_key(&app, "create-1", &hagersten_alvsjo()).await;
    assert_eq!(first.status().as_u16(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body: Value = first.json().await.unwrap();

    let retry = post_with_key(&app, "create-1", &hagersten_alvsjo()).await;
    assert_eq!(retry.status().as_u16(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.headers()["location"], "/v1/districts/hagersten-alvsjo");
    assert_eq!(etag_of(&retry), "\"1\"");
    assert_eq!(retry.json::<Value>().await.unwrap(), first_body);
    assert_eq!(event_rows(&app), 1, "the retry created nothing");
}

#[tokio::test]
async fn idempotency_same_key_other_body_is_422() {
    let app = spawn_app().await;
    assert_eq!(
        post_with_key(&app, "create-2", &hagersten_alvsjo())
            .await
            .status()
            .as_u16(),
        201
    );
    let other = json!({"id": "hasselby", "name": "Hässelby", "jobbtorg_id": "vasterort"});
    assert_problem(
        post_with_key(&app, "create-2", &other).await,
        422,
        "idempotency_key_reused",
    )
    .await;
}

#[tokio::test]
async fn a_key_left_without_a_response_is_taken_over_at_once() {
    let app = spawn_app().await;
    // What a request that died between claiming its key and committing its work left behind
    // when the claim was a transaction of its own; claims now commit only with the work.
    let fingerprint = jobbtorg_api::idempotency::fingerprint_of("POST", "/v1/districts", &hagersten_alvsjo()).unwrap();
    let now = chrono::Utc::now().naive_utc();
    let claim = persistence::idempotency::claim(&mut app.db(), "test-admin", "create-3", &fingerprint, now).unwrap();
    assert_eq!(claim, persistence::idempotency::Claim::Claimed);

    let retry = post_with_key(&app, "create-3", &hagersten_alvsjo()).await;
    assert_eq!(retry.status().as_u16(), 201, "no lock-out after a crash");
    assert_eq!(event_rows(&app), 1);
    let replay = post_with_key(&app, "create-3", &hagersten_alvsjo()).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(event_rows(&app), 1);
}

#[tokio::test]
async fn idempotency_racing_duplicates_create_one_district() {
    let app = spawn_app().await;
    let body = hagersten_alvsjo();
    let (first, second) = tokio::join!(
        post_with_key(&app, "create-4", &body),
        post_with_key(&app, "create-4", &body)
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    // The second waited for the first's transaction and replayed its answer.
    assert_eq!(statuses, [201, 201]);
    assert_eq!(event_rows(&app), 1, "exactly one district was created");
}

#[tokio::test]
async fn idempotency_key_of_a_failed_request_can_be_used_again() {
    let app = spawn_app().await;
    let wrong = json!({"id": "hagersten-alvsjo", "name": "Hägersten-Älvsjö", "jobbtorg_id": "atlantis"});
    assert_problem(post_with_key(&app, "create-5", &wrong).await, 422, "validation_failed").await;
    assert_eq!(
        post_with_key(&app, "create-5", &hagersten_alvsjo())
            .await
            .status()
            .as_u16(),
        201
    );
}

#[tokio::test]
async fn idempotency_key_must_be_sane() {
    let app = spawn_app().await;
    let long = "k".repeat(256);
    assert_problem(
        post_with_key(&app, &long, &hagersten_alvsjo()).await,
        400,
        "invalid_header",
    )
    .await;
}

#[tokio::test]
async fn if_match_is_required_and_must_be_current() {
    let app = spawn_app().await;
    let token = admin_token();
    let path = "/v1/districts/rinkeby-kista";
    let change = json!({"jobbtorg_id": "vasterort"});

    let missing = app
        .client
        .patch(app.url(path))
        .bearer_auth(&token)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_problem(missing, 428, "precondition_required").await;
    assert_problem(
        app.patch_as(&token, path, "*", &change).await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(app.patch_as(&token, path, "v1", &change).await, 400, "invalid_header").await;

    let current = etag_of(&app.get_as(&token, path).await);
    let moved = app.patch_as(&token, path, &current, &change).await;
    assert_eq!(moved.status().as_u16(), 200);
    assert_eq!(etag_of(&moved), "\"2\"");
    let body: Value = moved.json().await.unwrap();
    assert_eq!(
        (body["jobbtorg_id"].as_str(), body["version"].as_i64()),
        (Some("vasterort"), Some(2))
    );

    // A second writer still holding version 1 loses, and learns the current version.
    let stale = app.patch_as(&token, path, &current, &json!({"name": "Rinkeby"})).await;
    let problem = assert_problem(stale, 412, "precondition_failed").await;
    assert!(problem["detail"].as_str().unwrap().contains('2'), "{problem}");
    let read: Value = app.get_as(&token, path).await.json().await.unwrap();
    assert_eq!(read["name"], "Rinkeby-Kista", "the stale change was not applied");
}

#[tokio::test]
async fn an_empty_change_is_422() {
    let app = spawn_app().await;
    let response = app
        .patch_as(&admin_token(), "/v1/districts/farsta", "\"1\"", &json!({}))
        .await;
    assert_problem(response, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_change_writes_its_audit_record_and_event_and_a_failed_one_writes_neither() {
    let app = spawn_app().await;
    let token = admin_token();
    let response = app
        .client
        .patch(app.url("/v1/districts/farsta"))
        .bearer_auth(&token)
        .header("If-Match", "\"1\"")
        .header("X-Request-Id", "req-farsta-1")
        .json(&json!({"jobbtorg_id": "sydvast"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(audit_rows(&app), 1);
    assert_eq!(event_rows(&app), 1);
    let audited = app.count(
        "SELECT COUNT(*) AS n FROM access_log WHERE resource_id = 'farsta' AND action = 'district.updated' \
         AND actor_subject = 'test-admin' AND actor_role = 'admin' AND request_id = 'req-farsta-1'",
    );
    assert_eq!(audited, 1, "who, what, which and the request id are recorded");
    let evented = app.count(
        "SELECT COUNT(*) AS n FROM events WHERE event_type = 'district.updated' AND resource_id = 'farsta' \
         AND resource_version = 2 AND jobbtorg_code = 'sydvast' AND district_code = 'farsta'",
    );
    assert_eq!(evented, 1);

    // Rejected inside the transaction (unknown job centre) and by the version check: nothing written.
    let unknown = app
        .patch_as(
            &token,
            "/v1/districts/farsta",
            "\"2\"",
            &json!({"jobbtorg_id": "atlantis"}),
        )
        .await;
    assert_eq!(unknown.status().as_u16(), 422);
    let stale = app
        .patch_as(&token, "/v1/districts/farsta", "\"1\"", &json!({"name": "F"}))
        .await;
    assert_eq!(stale.status().as_u16(), 412);
    assert_eq!((audit_rows(&app), event_rows(&app)), (1, 1));
}
