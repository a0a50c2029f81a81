//! Activity plans over HTTP: the whole cycle with the district's decisions, who may decide,
//! stale approvals, edits after submission, and cancellation at exit.

use chrono::{Duration, Months, NaiveDate, Utc};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, etag_of, spawn_app, TestApp, TestToken};
use crate::participants::{coach, intake_body, officer, personnummer, refer};

fn today() -> NaiveDate {
    domain::shared::city_date(Utc::now())
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, version: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("If-Match", version)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn expect(response: reqwest::Response, status: u16) -> (String, Value) {
    let etag = etag_of(&response);
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    (etag, body)
}

/// An enrolled participant (coach-anna at Järva) and the path of its plans.
pub(crate) async fn enrolled(app: &TestApp, serial: u32) -> (String, Value) {
    let p = refer(app, serial).await;
    let id = p["id"].as_str().unwrap().to_owned();
    let response = post(
        app,
        &coach("jarva", "coach-anna"),
        &format!("/v1/participants/{id}/enrol"),
        "\"1\"",
        json!({"arrived_on": today(), "coach_id": "coach-anna"}),
    )
    .await;
    let (_, body) = expect(response, 200).await;
    (id, body)
}

fn plan_body() -> Value {
    json!({"valid_from": today(), "valid_to": today().checked_add_months(Months::new(3)).unwrap(), "goal": "Warehouse work", "goal_ssyk": "9332"})
}

fn activity(hours: u32) -> Value {
    json!({
        "activity_type": "work_training",
        "description": "Work training at the depot",
        "provider_kind": "own_regime",
        "starts_on": today(),
        "ends_on": today() + Duration::days(30),
        "hours_per_week": hours
    })
}

pub(crate) async fn draft_with_activity(app: &TestApp, participant: &str) -> (String, String) {
    let anna = coach("jarva", "coach-anna");
    let (etag, plan) = expect(
        app.post_as(
            &anna,
            &format!("/v1/participants/{participant}/activity-plans"),
            &plan_body(),
        )
        .await,
        201,
    )
    .await;
    let id = plan["id"].as_str().unwrap().to_owned();
    let (etag, _) = expect(
        post(
            app,
            &anna,
            &format!("/v1/activity-plans/{id}/activities"),
            &etag,
            activity(30),
        )
        .await,
        200,
    )
    .await;
    (id, etag)
}

#[tokio::test]
async fn draft_submit_return_resubmit_approve_revise_approve() {
    let app = spawn_app().await;
    let (participant, _) = enrolled(&app, 110).await;
    let anna = coach("jarva", "coach-anna");
    let district = officer("rinkeby-kista");
    let (plan, etag) = draft_with_activity(&app, &participant).await;
    let base = format!("/v1/activity-plans/{plan}");

    let (etag, submitted) = expect(
        post(&app, &anna, &format!("{base}/submit"), &etag, json!({})).await,
        200,
    )
    .await;
    assert_eq!(submitted["status"], "submitted");
    let (etag, returned) = expect(
        post(
            &app,
            &district,
            &format!("{base}/return"),
            &etag,
            json!({"reason": "Add SFI"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (returned["status"].as_str(), returned["decisions"][0]["reason"].as_str()),
        (Some("returned"), Some("Add SFI"))
    );
    let sfi = json!({"activity_type": "sfi_test", "description": "SFI level test", "provider_kind": "own_regime", "starts_on": today(), "ends_on": today() + Duration::days(7), "hours_per_week": 10});
    let (etag, _) = expect(post(&app, &anna, &format!("{base}/activities"), &etag, sfi).await, 200).await;
    let (etag, _) = expect(
        post(&app, &anna, &format!("{base}/submit"), &etag, json!({})).await,
        200,
    )
    .await;
    let (etag, approved) = expect(
        post(&app, &district, &format!("{base}/approve"), &etag, json!({})).await,
        200,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    let decision = &approved["decisions"][1];
    assert_eq!(
        (decision["decision"].as_str(), decision["decided_by"].as_str()),
        (Some("approved"), Some("officer-rinkeby-kista"))
    );
    assert_eq!(decision["content_hash"].as_str().unwrap().len(), 64);
    assert_eq!(approved["weekly_hours"][0]["hours"], 40);

    let person: Value = app
        .get_as(&anna, &format!("/v1/participants/{participant}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(person["plan_overdue"], false);

    let (draft_etag, revision) = expect(
        post(&app, &anna, &format!("{base}/revise"), &etag, json!({})).await,
        201,
    )
    .await;
    assert_eq!(
        (revision["status"].as_str(), revision["plan_number"].as_i64()),
        (Some("draft"), Some(2))
    );
    assert_eq!(revision["revision_of"], plan.as_str());
    let still: Value = app.get_as(&anna, &base).await.json().await.unwrap();
    assert_eq!(
        still["status"], "approved",
        "the approved plan stays in force meanwhile"
    );

    let revision_base = format!("/v1/activity-plans/{}", revision["id"].as_str().unwrap());
    let (etag, _) = expect(
        post(&app, &anna, &format!("{revision_base}/submit"), &draft_etag, json!({})).await,
        200,
    )
    .await;
    let (_, second) = expect(
        post(&app, &district, &format!("{revision_base}/approve"), &etag, json!({})).await,
        200,
    )
    .await;
    assert_eq!(second["status"], "approved");
    let old: Value = app.get_as(&anna, &base).await.json().await.unwrap();
    assert_eq!(old["status"], "superseded");

    let all: Value = app
        .get_as(&district, &format!("/v1/participants/{participant}/activity-plans"))
        .await
        .json()
        .await
        .unwrap();
    let numbers: Vec<i64> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["plan_number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1], "newest first");
    let history: Value = app
        .get_as(&anna, &format!("/v1/participants/{participant}/access-log"))
        .await
        .json()
        .await
        .unwrap();
    assert!(history["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "activity_plan.approved"));
}

#[tokio::test]
async fn only_the_home_districts_officer_decides_and_only_on_the_version_seen() {
    let app = spawn_app().await;
    let (participant, _) = enrolled(&app, 120).await;
    let anna = coach("jarva", "coach-anna");
    let (plan, etag) = draft_with_activity(&app, &participant).await;
    let base = format!("/v1/activity-plans/{plan}");
    let (etag, _) = expect(
        post(&app, &anna, &format!("{base}/submit"), &etag, json!({})).await,
        200,
    )
    .await;

    assert_problem(
        post(&app, &officer("farsta"), &format!("{base}/approve"), &etag, json!({})).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        post(&app, &anna, &format!("{base}/approve"), &etag, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let manager = TestToken::role("jobbtorg_manager").jobbtorg("jarva").sign();
    assert_problem(
        post(&app, &manager, &format!("{base}/approve"), &etag, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        post(
            &app,
            &officer("rinkeby-kista"),
            &format!("{base}/approve"),
            "\"1\"",
            json!({}),
        )
        .await,
        412,
        "precondition_failed",
    )
    .await;
    assert_problem(
        post(
            &app,
            &officer("rinkeby-kista"),
            &format!("{base}/return"),
            &etag,
            json!({"reason": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;

    // A submitted plan is not edited; neither is an approved one.
    assert_problem(
        post(&app, &anna, &format!("{base}/activities"), &etag, activity(5)).await,
        409,
        "invalid_transition",
    )
    .await;
    let (etag, _) = expect(
        post(
            &app,
            &officer("rinkeby-kista"),
            &format!("{base}/approve"),
            &etag,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let edit = app
        .patch_as(&anna, &base, &etag, &json!({"goal": "Another goal"}))
        .await;
    assert_problem(edit, 409, "invalid_transition").await;
}

#[tokio::test]
async fn plan_rules_are_enforced() {
    let app = spawn_app().await;
    let (participant, _) = enrolled(&app, 130).await;
    let anna = coach("jarva", "coach-anna");
    let path = format!("/v1/participants/{participant}/activity-plans");
    let mut too_long = plan_body();
    too_long["valid_to"] = json!(today().checked_add_months(Months::new(6)).unwrap() + Duration::days(1));
    let problem = assert_problem(app.post_as(&anna, &path, &too_long).await, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "valid_to");
    let mut six_months = plan_body();
    six_months["valid_to"] = json!(today().checked_add_months(Months::new(6)).unwrap());
    let (etag, plan) = expect(app.post_as(&anna, &path, &six_months).await, 201).await;
    assert_problem(app.post_as(&anna, &path, &plan_body()).await, 409, "open_plan_exists").await;

    let base = format!("/v1/activity-plans/{}", plan["id"].as_str().unwrap());
    let mut outside = activity(10);
    outside["starts_on"] = json!(today() - Duration::days(1));
    let problem = assert_problem(
        post(&app, &anna, &format!("{base}/activities"), &etag, outside).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "ends_on");
    let mut unknown = activity(10);
    unknown["activity_type"] = json!("skydiving");
    assert_problem(
        post(&app, &anna, &format!("{base}/activities"), &etag, unknown).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        post(&app, &anna, &format!("{base}/submit"), &etag, json!({})).await,
        422,
        "validation_failed",
    )
    .await;

    let referred_only = refer(&app, 131).await;
    let path = format!(
        "/v1/participants/{}/activity-plans",
        referred_only["id"].as_str().unwrap()
    );
    assert_problem(app.post_as(&anna, &path, &plan_body()).await, 409, "invalid_transition").await;
}

#[tokio::test]
async fn introduction_participants_get_a_full_day_warning() {
    let app = spawn_app().await;
    let mut body = intake_body(&personnummer(NaiveDate::from_ymd_opt(1990, 5, 5).unwrap(), 141));
    body["target_groups"] = json!(["refugee_introduction"]);
    let p: Value = app
        .post_as(&officer("rinkeby-kista"), "/v1/participants", &body)
        .await
        .json()
        .await
        .unwrap();
    let id = p["id"].as_str().unwrap();
    let anna = coach("jarva", "coach-anna");
    expect(
        post(
            &app,
            &anna,
            &format!("/v1/participants/{id}/enrol"),
            "\"1\"",
            json!({"arrived_on": today(), "coach_id": "coach-anna"}),
        )
        .await,
        200,
    )
    .await;
    let (plan, _) = draft_with_activity(&app, id).await;
    let read: Value = app
        .get_as(&anna, &format!("/v1/activity-plans/{plan}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !read["full_time_warning_weeks"].as_array().unwrap().is_empty(),
        "30 hours is below full time: {read}"
    );
}

#[tokio::test]
async fn exit_cancels_the_open_plan_and_plan_overdue_follows_approval() {
    let app = spawn_app().await;
    let (participant, enrolled_body) = enrolled(&app, 140).await;
    assert_eq!(enrolled_body["plan_overdue"], false);
    let (plan, _) = draft_with_activity(&app, &participant).await;
    let anna = coach("jarva", "coach-anna");
    let person: Value = app
        .get_as(&anna, &format!("/v1/participants/{participant}"))
        .await
        .json()
        .await
        .unwrap();
    let version = format!("\"{}\"", person["version"]);
    expect(
        post(
            &app,
            &anna,
            &format!("/v1/participants/{participant}/exit"),
            &version,
            json!({"exited_on": today(), "outcome": "moved"}),
        )
        .await,
        200,
    )
    .await;
    let cancelled: Value = app
        .get_as(&anna, &format!("/v1/activity-plans/{plan}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");

    // Enrolled 30 days ago with no approved plan: overdue until one is approved.
    let (late, _) = enrolled(&app, 142).await;
    let long_ago = today() - Duration::days(30);
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!("UPDATE participation_periods SET enrolled_on = '{long_ago}', plan_due_on = '{}' WHERE participant_id = '{late}'", long_ago + Duration::days(7))),
        &mut app.db(),
    )
    .unwrap();
    let before: Value = app
        .get_as(&anna, &format!("/v1/participants/{late}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before["plan_overdue"], true);
    let (plan, etag) = draft_with_activity(&app, &late).await;
    let (etag, _) = expect(
        post(
            &app,
            &anna,
            &format!("/v1/activity-plans/{plan}/submit"),
            &etag,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    expect(
        post(
            &app,
            &officer("rinkeby-kista"),
            &format!("/v1/activity-plans/{plan}/approve"),
            &etag,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let after: Value = app
        .get_as(&anna, &format!("/v1/participants/{late}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["plan_overdue"], false);
}

#[tokio::test]
async fn plans_are_listed_for_decision_and_review_and_keep_their_history() {
    let app = spawn_app().await;
    let (participant, _) = enrolled(&app, 150).await;
    let anna = coach("jarva", "coach-anna");
    let (plan, etag) = draft_with_activity(&app, &participant).await;
    expect(
        post(
            &app,
            &anna,
            &format!("/v1/activity-plans/{plan}/submit"),
            &etag,
            json!({}),
        )
        .await,
        200,
    )
    .await;

    let to_decide: Value = app
        .get_as(&officer("rinkeby-kista"), "/v1/activity-plans?status=submitted")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(to_decide["items"][0]["id"], plan.as_str());
    let elsewhere: Value = app
        .get_as(&officer("farsta"), "/v1/activity-plans?status=submitted")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(elsewhere["items"], json!([]));

    let review_date = today().checked_add_months(Months::new(3)).unwrap();
    let due: Value = app
        .get_as(&anna, &format!("/v1/activity-plans?review_due_before={review_date}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(due["items"][0]["review_due_on"], review_date.to_string());
    let not_yet: Value = app
        .get_as(&anna, &format!("/v1/activity-plans?review_due_before={}", today()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(not_yet["items"], json!([]));
    assert_problem(
        app.get_as(&TestToken::role("analyst").sign(), "/v1/activity-plans")
            .await,
        403,
        "forbidden",
    )
    .await;

    let history: Value = app
        .get_as(&anna, &format!("/v1/activity-plans/{plan}/history"))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["field"] == "status")
        .filter_map(|h| h["new_value"].as_str())
        .collect();
    assert_eq!(statuses, ["draft", "submitted"]);
}
