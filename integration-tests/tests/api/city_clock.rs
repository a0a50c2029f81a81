//! The time rules tried black-box on a server whose clock is set (`CLOCK_START`) and moved on
//! by restarting it on the same database: the date is Stockholm's, the plan deadline and a
//! referral's expiry count working days, participation is capped at 548 days less
//! interruptions, follow-ups fall due 2 and 8 months after exit. Expected dates are worked out
//! by hand in the comments.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, etag_of, spawn_app_with, TestApp, TestToken};
use crate::participants::{coach, officer, personnummer};

pub(crate) fn anna() -> String {
    coach("jarva", "coach-anna")
}

pub(crate) async fn spawn_at(instant: &str) -> TestApp {
    spawn_app_with(&[("CLOCK_START", instant)]).await
}

/// A POST with `If-Match` (when given); the status, the new ETag and the body.
pub(crate) async fn post(
    app: &TestApp,
    token: &str,
    path: &str,
    if_match: Option<&str>,
    body: Value,
) -> (u16, String, Value) {
    let mut request = app.client.post(app.url(path)).bearer_auth(token).json(&body);
    if let Some(version) = if_match {
        request = request.header("If-Match", version);
    }
    let response = request.send().await.unwrap();
    let (status, etag) = (response.status().as_u16(), etag_of(&response));
    (status, etag, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.unwrap()
}

/// Refers someone born in 1985 from Rinkeby-Kista, asking to start on `start`; the id.
pub(crate) async fn refer_on(app: &TestApp, serial: u32, start: &str) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1985, 5, 17).unwrap();
    let body = json!({
        "personal_identity_number": personnummer(birth, serial),
        "first_name": "Amina", "last_name": "Hassan",
        "home_district_id": "rinkeby-kista",
        "target_groups": ["social_assistance_unemployed"],
        "referral_reason": "Unemployed for 14 months.",
        "requested_start": start
    });
    let (status, _, body) = post(app, &officer("rinkeby-kista"), "/v1/participants", None, body).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn enrol_on(app: &TestApp, id: &str, on: &str) -> (u16, String, Value) {
    let body = json!({"arrived_on": on, "coach_id": "coach-anna"});
    post(
        app,
        &anna(),
        &format!("/v1/participants/{id}/enrol"),
        Some("\"1\""),
        body,
    )
    .await
}

#[tokio::test]
async fn at_half_past_midnight_today_is_stockholms_date() {
    // 00:30 on 2 December in Stockholm is 23:30 on 1 December in UTC.
    let app = spawn_at("2026-12-02T00:30:00+01:00").await;
    let id = refer_on(&app, 1, "2026-12-02").await;

    let (status, _, body) = enrol_on(&app, &id, "2026-12-03").await;
    assert_eq!(status, 422, "tomorrow is in the future: {body}");
    let (status, _, enrolled) = enrol_on(&app, &id, "2026-12-02").await;
    assert_eq!(status, 200, "today in Stockholm is not in the future: {enrolled}");
    // Wednesday 2 December + 5 working days: 3, 4, 7, 8, 9 December.
    assert_eq!(enrolled["plan_due_on"], "2026-12-09");
    assert_eq!(enrolled["plan_overdue"], false);
    assert_eq!(enrolled["participation_days_used"], 1);
}

/// A purchaser's provider with a contract for mapping at Järva through 2027; the provider id.
pub(crate) async fn provider_with_contract(app: &TestApp) -> String {
    let purchaser = TestToken::role("contract_manager").subject("purchaser-eva").sign();
    let body = json!({"org_number": "556000-0019", "name": "Arbetsvägen AB", "kind": "lou",
        "contacts": [{"name": "Referral desk", "email": "desk@example.se"}]});
    let (status, _, provider) = post(app, &purchaser, "/v1/providers", None, body).await;
    assert_eq!(status, 201, "{provider}");
    let provider = provider["id"].as_str().unwrap().to_owned();
    let contract = json!({
        "reference": "LOU-2026-A", "procurement_form": "lou_framework",
        "valid_from": "2026-01-01", "valid_to": "2027-12-31",
        "activity_types": ["mapping"], "target_groups": ["social_assistance_unemployed"],
        "job_centres": ["jarva"], "capacity": 10, "start_fee_ore": 500_000, "result_steps": []
    });
    let path = format!("/v1/providers/{provider}/contracts");
    let (status, _, body) = post(app, &purchaser, &path, None, contract).await;
    assert_eq!(status, 201, "{body}");
    provider
}

#[tokio::test]
async fn the_plan_deadline_and_a_referrals_expiry_count_working_days_on_the_citys_clock() {
    // Monday 21 December 2026.
    let mut app = spawn_at("2026-12-21T09:00:00+01:00").await;
    let provider = provider_with_contract(&app).await;
    let id = refer_on(&app, 2, "2026-12-21").await;
    let (status, _, enrolled) = enrol_on(&app, &id, "2026-12-21").await;
    assert_eq!(status, 200, "{enrolled}");
    // 22, 23 December; 24-27 are Christmas eve, Christmas, Boxing day and a weekend; 28, 29, 30.
    assert_eq!(enrolled["plan_due_on"], "2026-12-30");
    let mapping = json!({"participant_id": id, "activity_type": "mapping", "starts_on": "2026-12-22",
        "ends_on": "2027-01-15", "statutory_basis": "SoL 4 kap. 4 §"});
    let (status, _, referral) = post(&app, &anna(), "/v1/referrals", None, mapping).await;
    assert_eq!(status, 201, "{referral}");
    let referral = format!("/v1/referrals/{}", referral["id"].as_str().unwrap());

    // 23:30 on the 30th in Stockholm: the last day of both.
    app.restart_at("2026-12-30T23:30:00+01:00").await;
    let participant = get(&app, &anna(), &format!("/v1/participants/{id}")).await;
    assert_eq!(participant["plan_overdue"], false, "{participant}");
    let sent = get(&app, &anna(), &referral).await;
    assert_eq!(sent["status"], "sent", "{sent}");

    // 00:30 on the 31st in Stockholm (still the 30th in UTC): both are past.
    app.restart_at("2026-12-31T00:30:00+01:00").await;
    let participant = get(&app, &anna(), &format!("/v1/participants/{id}")).await;
    assert_eq!(participant["plan_overdue"], true, "{participant}");
    let expired = get(&app, &anna(), &referral).await;
    assert_eq!(expired["status"], "expired", "{expired}");
    let staff = TestToken::role("provider_staff")
        .provider(&provider)
        .subject("staff-a")
        .sign();
    let version = format!("\"{}\"", expired["version"]);
    let response = app
        .client
        .post(app.url(&format!("{referral}/accept")))
        .bearer_auth(&staff)
        .header("If-Match", version)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        409,
        "an expired referral cannot be accepted"
    );
}

#[tokio::test]
async fn participation_stops_at_548_days_less_interruptions_and_follow_ups_fall_due_at_2_and_8_months() {
    let mut app = spawn_at("2025-01-02T10:00:00+01:00").await;
    let id = refer_on(&app, 3, "2025-01-02").await;
    let base = format!("/v1/participants/{id}");
    let (status, etag, _) = enrol_on(&app, &id, "2025-01-02").await;
    assert_eq!(status, 200);

    app.restart_at("2025-03-01T10:00:00+01:00").await;
    let body = json!({"reason": "sickness", "started_on": "2025-03-01"});
    let (status, etag, interrupted) = post(&app, &anna(), &format!("{base}/interruptions"), Some(&etag), body).await;
    assert_eq!(status, 200, "{interrupted}");
    let interruption = interrupted["interruptions"][0]["id"].as_str().unwrap().to_owned();

    app.restart_at("2025-03-31T10:00:00+02:00").await;
    let end = format!("{base}/interruptions/{interruption}/end");
    let (status, _, resumed) = post(&app, &anna(), &end, Some(&etag), json!({"ended_on": "2025-03-31"})).await;
    assert_eq!(status, 200, "{resumed}");

    // Enrolled 2 January 2025 to 1 July 2026: 546 days, both included; interrupted 1-30 March: 30.
    app.restart_at("2026-07-01T12:00:00+02:00").await;
    let participant = get(&app, &anna(), &base).await;
    assert_eq!(participant["participation_days_used"], 516, "{participant}");
    assert_eq!(participant["participation_days_left"], 32);

    // 32 days later the 548 are used up.
    app.restart_at("2026-08-02T12:00:00+02:00").await;
    let participant = get(&app, &anna(), &base).await;
    assert_eq!(participant["participation_days_used"], 548, "{participant}");
    assert_eq!(participant["participation_days_left"], 0);

    let version = format!("\"{}\"", participant["version"]);
    let exit = json!({"exited_on": "2026-08-02", "outcome": "studies"});
    let (status, etag, exited) = post(&app, &anna(), &format!("{base}/exit"), Some(&version), exit).await;
    assert_eq!(status, 200, "{exited}");
    let due: Vec<(i64, &str)> = exited["follow_ups_due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["months"].as_i64().unwrap(), f["due_on"].as_str().unwrap()))
        .collect();
    assert_eq!(due, [(2, "2026-10-02"), (8, "2027-04-02")]);
    assert_eq!(exited["follow_ups_due"][0]["opens_on"], "2026-09-25", "a week before");

    // Eight days before its due date the 2-month follow-up is not open yet.
    app.restart_at("2026-09-24T12:00:00+02:00").await;
    let follow_up = json!({"months": 2, "followed_up_on": "2026-09-24", "self_supporting": true});
    let (status, _, early) = post(&app, &anna(), &format!("{base}/follow-ups"), Some(&etag), follow_up).await;
    assert_eq!(
        (status, early["code"].as_str()),
        (409, Some("follow_up_not_due")),
        "{early}"
    );

    // A follow-up dated on its due day is refused the day before (it would be in the future)
    // and taken on the day, just after midnight in Stockholm.
    let follow_up = json!({"months": 2, "followed_up_on": "2026-10-02", "self_supporting": true});
    app.restart_at("2026-10-01T23:59:00+02:00").await;
    let early = app
        .client
        .post(app.url(&format!("{base}/follow-ups")))
        .bearer_auth(anna())
        .header("If-Match", etag.as_str())
        .json(&follow_up)
        .send()
        .await
        .unwrap();
    assert_problem(early, 422, "validation_failed").await;
    app.restart_at("2026-10-02T00:05:00+02:00").await;
    let (status, _, recorded) = post(&app, &anna(), &format!("{base}/follow-ups"), Some(&etag), follow_up).await;
    assert_eq!(status, 200, "{recorded}");
    assert_eq!(recorded["follow_ups_due"][0]["recorded"], true);
}

#[tokio::test]
async fn an_approved_plan_is_in_force_until_its_review_date_and_then_due_for_review() {
    // Monday 21 December 2026; the plan runs its longest, 6 months, to Monday 21 June 2027.
    let mut app = spawn_at("2026-12-21T09:00:00+01:00").await;
    let id = refer_on(&app, 4, "2026-12-21").await;
    let (status, _, enrolled) = enrol_on(&app, &id, "2026-12-21").await;
    assert_eq!(status, 200, "{enrolled}");
    let plan = json!({"valid_from": "2026-12-21", "valid_to": "2027-06-21", "goal": "Work in logistics"});
    let (status, etag, drafted) = post(
        &app,
        &anna(),
        &format!("/v1/participants/{id}/activity-plans"),
        None,
        plan,
    )
    .await;
    assert_eq!(status, 201, "{drafted}");
    let path = format!("/v1/activity-plans/{}", drafted["id"].as_str().unwrap());
    let activity = json!({"activity_type": "work_training", "description": "Work training at the depot",
        "provider_kind": "own_regime", "starts_on": "2027-01-04", "ends_on": "2027-03-31", "hours_per_week": 20});
    let (status, etag, body) = post(&app, &anna(), &format!("{path}/activities"), Some(&etag), activity).await;
    assert_eq!(status, 200, "{body}");
    let (status, etag, body) = post(&app, &anna(), &format!("{path}/submit"), Some(&etag), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, approved) = post(
        &app,
        &officer("rinkeby-kista"),
        &format!("{path}/approve"),
        Some(&etag),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["review_due_on"], "2027-06-21");

    // 23:30 on the review date in Stockholm: still in force, and listed as due for review.
    app.restart_at("2027-06-21T23:30:00+02:00").await;
    assert_eq!(get(&app, &anna(), &path).await["status"], "approved");
    let due = get(&app, &anna(), "/v1/activity-plans?review_due_before=2027-06-21").await;
    assert_eq!(due["items"].as_array().unwrap().len(), 1, "{due}");

    // 00:30 the next day in Stockholm (still the 21st in UTC): the period is over.
    app.restart_at("2027-06-22T00:30:00+02:00").await;
    assert_eq!(get(&app, &anna(), &path).await["status"], "completed");
}
