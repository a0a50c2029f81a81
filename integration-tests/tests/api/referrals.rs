//! Providers, contracts, referrals and claims over HTTP: the full loop to payment claims,
//! decline and expiry, the default allocation under full capacity, a provider seeing only its
//! own referrals and no identity numbers, and no claim ever raised twice.

use chrono::{Duration, Months, NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, etag_of, join_all, spawn_app, TestApp, TestToken};
use crate::participants::{coach, officer, refer};

fn today() -> NaiveDate {
    domain::shared::city_date(Utc::now())
}

pub(crate) fn purchaser() -> String {
    TestToken::role("contract_manager").subject("purchaser-eva").sign()
}

pub(crate) fn staff(provider: &str) -> String {
    TestToken::role("provider_staff")
        .provider(provider)
        .subject(&format!("staff-{provider}"))
        .sign()
}

/// A valid organisationsnummer `556NNN-NNNC` for `n`.
fn org_number(n: u32) -> String {
    let nine = format!("556{n:06}");
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    format!("{}-{}{}", &nine[..6], &nine[6..], (10 - sum % 10) % 10)
}

pub(crate) async fn send(
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
    let status = response.status().as_u16();
    let etag = etag_of(&response);
    (status, etag, response.json().await.unwrap())
}

pub(crate) async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> (String, Value) {
    let (status, etag, body) = send(app, token, path, None, body).await;
    assert_eq!(status, 201, "{body}");
    (etag, body)
}

pub(crate) async fn provider(app: &TestApp, n: u32, name: &str) -> String {
    let body = json!({"org_number": org_number(n), "name": name, "kind": "lou",
        "contacts": [{"name": "Referral desk", "email": "desk@example.se"}]});
    let (_, provider) = created(app, &purchaser(), "/v1/providers", body).await;
    provider["id"].as_str().unwrap().to_owned()
}

fn contract_body(reference: &str, capacity: u32) -> Value {
    json!({
        "reference": reference,
        "procurement_form": "lou_framework",
        "valid_from": today() - Duration::days(30),
        "valid_to": today().checked_add_months(Months::new(12)).unwrap(),
        "activity_types": ["mapping", "work_training"],
        "target_groups": ["social_assistance_unemployed"],
        "job_centres": ["jarva"],
        "capacity": capacity,
        "start_fee_ore": 500_000,
        "result_steps": [{"trigger": "employment_or_studies_started", "amount_ore": 1_500_000}]
    })
}

pub(crate) async fn contract(app: &TestApp, provider: &str, reference: &str, capacity: u32) -> String {
    let path = format!("/v1/providers/{provider}/contracts");
    let (_, contract) = created(app, &purchaser(), &path, contract_body(reference, capacity)).await;
    contract["id"].as_str().unwrap().to_owned()
}

/// An enrolled participant at Järva (coach-anna); returns the id.
pub(crate) async fn enrolled(app: &TestApp, serial: u32) -> String {
    let p = refer(app, serial).await;
    let id = p["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/participants/{id}/enrol");
    let body = json!({"arrived_on": today(), "coach_id": "coach-anna"});
    let (status, _, body) = send(app, &anna(), &path, Some("\"1\""), body).await;
    assert_eq!(status, 200, "{body}");
    id
}

pub(crate) fn anna() -> String {
    coach("jarva", "coach-anna")
}

fn mapping_referral(participant: &str) -> Value {
    json!({
        "participant_id": participant,
        "activity_type": "mapping",
        "starts_on": today(),
        "ends_on": today() + Duration::days(20),
        "statutory_basis": "SoL 4 kap. 4 §"
    })
}

/// An approved plan with one work-training activity; returns the activity id.
pub(crate) async fn approved_plan_activity(app: &TestApp, participant: &str) -> (String, String) {
    let plan_body = json!({"valid_from": today(), "valid_to": today().checked_add_months(Months::new(3)).unwrap(), "goal": "Warehouse work"});
    let (etag, plan) = created(
        app,
        &anna(),
        &format!("/v1/participants/{participant}/activity-plans"),
        plan_body,
    )
    .await;
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    let activity = json!({"activity_type": "work_training", "description": "Work training at a warehouse",
        "provider_kind": "external", "starts_on": today(), "ends_on": today() + Duration::days(60), "hours_per_week": 30});
    let (status, etag, plan) = send(
        app,
        &anna(),
        &format!("/v1/activity-plans/{plan_id}/activities"),
        Some(&etag),
        activity,
    )
    .await;
    assert_eq!(status, 200, "{plan}");
    let activity_id = plan["activities"][0]["id"].as_str().unwrap().to_owned();
    let (status, etag, _) = send(
        app,
        &anna(),
        &format!("/v1/activity-plans/{plan_id}/submit"),
        Some(&etag),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, body) = send(
        app,
        &officer("rinkeby-kista"),
        &format!("/v1/activity-plans/{plan_id}/approve"),
        Some(&etag),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    (plan_id, activity_id)
}

pub(crate) async fn claims(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let list: Value = app
        .get_as(token, &format!("/v1/claims{query}"))
        .await
        .json()
        .await
        .unwrap();
    list["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_full_loop_ends_in_claims_and_moves_the_plan_activity() {
    let app = spawn_app().await;
    let provider_a = provider(&app, 1, "Arbetsvägen AB").await;
    let contract_a = contract(&app, &provider_a, "LOU-2026-A", 5).await;
    let participant = enrolled(&app, 101).await;
    let (plan_id, activity_id) = approved_plan_activity(&app, &participant).await;

    let body = json!({"participant_id": participant, "activity_id": activity_id, "statutory_basis": "SoL 4 kap. 4 §",
        "note": "Wants warehouse work."});
    let (etag, referral) = created(&app, &anna(), "/v1/referrals", body).await;
    assert_eq!(referral["status"], "sent");
    assert_eq!(referral["contract_id"], contract_a.as_str());
    assert_eq!(referral["activity"]["plan_id"], plan_id.as_str());
    assert!(referral["allocation_reason"].as_str().unwrap().contains("LOU-2026-A"));
    let path = format!("/v1/referrals/{}", referral["id"].as_str().unwrap());
    let provider_staff = staff(&provider_a);

    let (status, etag, accepted) = send(&app, &provider_staff, &format!("{path}/accept"), Some(&etag), json!({})).await;
    assert_eq!(
        (status, accepted["status"].as_str()),
        (200, Some("accepted")),
        "{accepted}"
    );
    let (status, etag, started) = send(
        &app,
        &provider_staff,
        &format!("{path}/start"),
        Some(&etag),
        json!({"started_on": today()}),
    )
    .await;
    assert_eq!(
        (status, started["status"].as_str()),
        (200, Some("in_progress")),
        "{started}"
    );
    let plan: Value = app
        .get_as(&anna(), &format!("/v1/activity-plans/{plan_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        plan["activities"][0]["status"], "ongoing",
        "starting moves the plan activity on"
    );

    let report = json!({"granularity": "day", "period_from": today(), "period_to": today(),
        "lines": [{"date": today(), "attended_hours": 5.5, "absent_hours": 0.5, "absence_reason": "doctor"}],
        "comment": "Good start."});
    let (status, etag, stored) = send(
        &app,
        &provider_staff,
        &format!("{path}/progress-reports"),
        Some(&etag),
        report.clone(),
    )
    .await;
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["attended_hours_total"], 5.5);
    assert!(stored["lines"][0]["id"].is_string(), "each line has its own id");
    let (status, _, twice) = send(
        &app,
        &provider_staff,
        &format!("{path}/progress-reports"),
        Some(&etag),
        report,
    )
    .await;
    assert_eq!(status, 422, "a day is reported once: {twice}");
    assert_eq!(twice["errors"][0]["code"], "already_reported");

    let outcome = json!({"completed_on": today(), "outcome": "employment",
        "employment": {"employment_form": "fixed_term", "extent": "full_time", "wage_subsidy": false}});
    let (status, _, completed) = send(
        &app,
        &provider_staff,
        &format!("{path}/complete"),
        Some(&etag),
        outcome.clone(),
    )
    .await;
    assert_eq!(
        (status, completed["status"].as_str()),
        (200, Some("completed")),
        "{completed}"
    );
    assert_eq!(completed["outcome"]["outcome"], "employment");
    let plan: Value = app
        .get_as(&anna(), &format!("/v1/activity-plans/{plan_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["activities"][0]["status"], "completed");
    assert!(plan["activities"][0]["follow_up_result"]
        .as_str()
        .unwrap()
        .contains("Arbetsvägen AB"));

    let mut raised = claims(&app, &purchaser(), "").await;
    raised.sort_by_key(|c| c["amount_ore"].as_u64());
    let steps: Vec<(&str, u64)> = raised
        .iter()
        .map(|c| (c["trigger"].as_str().unwrap(), c["amount_ore"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [("start_fee", 500_000), ("employment_or_studies_started", 1_500_000)]
    );
    assert_eq!(raised[0]["terms_snapshot"]["contract_reference"], "LOU-2026-A");
    assert_eq!(raised[1]["evidence"]["outcome"], "employment");
    assert_eq!(
        claims(&app, &provider_staff, "").await.len(),
        2,
        "the provider sees its claims"
    );

    // The outcome reported again: refused, and no second claim.
    let current = etag_of(&app.get_as(&anna(), &path).await);
    let (status, _, again) = send(
        &app,
        &provider_staff,
        &format!("{path}/complete"),
        Some(&current),
        outcome,
    )
    .await;
    assert_eq!((status, again["code"].as_str()), (409, Some("invalid_transition")));
    assert_eq!(
        claims(&app, &purchaser(), "").await.len(),
        2,
        "never twice for one step"
    );

    let claim = &raised[0];
    let claim_path = format!("/v1/claims/{}", claim["id"].as_str().unwrap());
    let version = format!("\"{}\"", claim["version"]);
    let (status, _, unpaid) = send(
        &app,
        &purchaser(),
        &format!("{claim_path}/mark-paid"),
        Some(&version),
        json!({"paid_on": today()}),
    )
    .await;
    assert_eq!(
        (status, unpaid["code"].as_str()),
        (409, Some("invalid_transition")),
        "approve first"
    );
    let (status, etag, approved) = send(
        &app,
        &purchaser(),
        &format!("{claim_path}/approve"),
        Some(&version),
        json!({}),
    )
    .await;
    assert_eq!((status, approved["status"].as_str()), (200, Some("approved")));
    assert_eq!(approved["decided_by"], "purchaser-eva");
    let (status, _, paid) = send(
        &app,
        &purchaser(),
        &format!("{claim_path}/mark-paid"),
        Some(&etag),
        json!({"paid_on": today()}),
    )
    .await;
    assert_eq!((status, paid["status"].as_str()), (200, Some("paid")));
    let (status, _, _) = send(
        &app,
        &provider_staff,
        &format!("/v1/claims/{}/approve", raised[1]["id"].as_str().unwrap()),
        Some("\"1\""),
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "a provider does not decide its own claims");
    let pending = claims(&app, &purchaser(), "?status=pending").await;
    assert_eq!(pending.len(), 1);

    let history: Value = app
        .get_as(&anna(), &format!("{path}/history"))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["field"] == "status")
        .map(|h| h["new_value"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["sent", "accepted", "in_progress", "completed"]);
}

#[tokio::test]
async fn a_provider_sees_only_its_own_referrals_and_never_an_identity_number() {
    let app = spawn_app().await;
    let provider_a = provider(&app, 2, "Arbetsvägen AB").await;
    let provider_b = provider(&app, 3, "Bästa Vägen AB").await;
    contract(&app, &provider_a, "LOU-2026-A", 5).await;
    let participant = enrolled(&app, 102).await;
    let pnr: Value = app
        .get_as(&anna(), &format!("/v1/participants/{participant}"))
        .await
        .json()
        .await
        .unwrap();
    let pnr = pnr["personal_identity_number"].as_str().unwrap().to_owned();
    let (_, referral) = created(&app, &anna(), "/v1/referrals", mapping_referral(&participant)).await;
    let path = format!("/v1/referrals/{}", referral["id"].as_str().unwrap());

    let own = app.get_as(&staff(&provider_a), &path).await;
    assert_eq!(own.status().as_u16(), 200);
    let text = own.text().await.unwrap();
    let shown: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(shown["participant"]["display_name"], "Amina Hassan");
    assert_eq!(shown["participant"]["language_needs"], "Somali interpreter");
    for secret in [
        pnr.as_str(),
        &pnr[2..],
        "personal_identity_number",
        "Rinkebytorget",
        "Unemployed for 14 months",
        "social_assistance",
    ] {
        assert!(!text.contains(secret), "a provider never sees {secret:?}: {text}");
    }
    let list = app
        .get_as(&staff(&provider_a), "/v1/referrals")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(referral["id"].as_str().unwrap()));
    assert!(!list.contains(&pnr) && !list.contains("Rinkebytorget"));

    assert_problem(app.get_as(&staff(&provider_b), &path).await, 404, "not_found").await;
    let theirs: Value = app
        .get_as(&staff(&provider_b), "/v1/referrals")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"], json!([]));
    let (status, _, _) = send(
        &app,
        &staff(&provider_b),
        &format!("{path}/accept"),
        Some("\"1\""),
        json!({}),
    )
    .await;
    assert_eq!(status, 404, "another provider cannot answer it either");
    assert_problem(app.get_as(&coach("sydost", "coach-bo"), &path).await, 404, "not_found").await;
    assert_problem(
        app.get_as(&staff(&provider_a), &format!("/v1/participants/{participant}"))
            .await,
        403,
        "forbidden",
    )
    .await;

    // The provider's read is in the participant's access log.
    let log: Value = app
        .get_as(&anna(), &format!("/v1/participants/{participant}/access-log"))
        .await
        .json()
        .await
        .unwrap();
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|entry| entry["action"] == "referral.read" && entry["actor_role"] == "provider_staff"));
}

#[tokio::test]
async fn a_full_contract_passes_to_the_next_and_none_left_is_422_with_reasons() {
    let app = spawn_app().await;
    let provider_a = provider(&app, 4, "Arbetsvägen AB").await;
    let provider_b = provider(&app, 5, "Bästa Vägen AB").await;
    let contract_b = contract(&app, &provider_b, "LOU-2026-B", 1).await;
    let contract_a = contract(&app, &provider_a, "LOU-2026-A", 1).await;

    let first = enrolled(&app, 103).await;
    let (_, one) = created(&app, &anna(), "/v1/referrals", mapping_referral(&first)).await;
    assert_eq!(one["contract_id"], contract_a.as_str(), "ties go by reference");
    let capacity: Value = app
        .get_as(&anna(), &format!("/v1/contracts/{contract_a}/capacity"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (capacity["places_used"].as_u64(), capacity["places_free"].as_u64()),
        (Some(1), Some(0))
    );

    let second = enrolled(&app, 104).await;
    let (_, two) = created(&app, &anna(), "/v1/referrals", mapping_referral(&second)).await;
    assert_eq!(
        two["contract_id"],
        contract_b.as_str(),
        "the full contract passes to the next"
    );

    let third = enrolled(&app, 105).await;
    let (status, _, problem) = send(&app, &anna(), "/v1/referrals", None, mapping_referral(&third)).await;
    assert_eq!(status, 422, "{problem}");
    let reasons: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2, "{problem}");
    assert!(reasons.iter().all(|r| r.contains("no free place")), "{reasons:?}");

    // Declining frees the place again.
    let path = format!("/v1/referrals/{}", one["id"].as_str().unwrap());
    let (status, _, declined) = send(
        &app,
        &staff(&provider_a),
        &format!("{path}/decline"),
        Some("\"1\""),
        json!({"reason": "no_capacity"}),
    )
    .await;
    assert_eq!(
        (status, declined["decline_reason"].as_str()),
        (200, Some("no_capacity"))
    );
    let (_, three) = created(&app, &anna(), "/v1/referrals", mapping_referral(&third)).await;
    assert_eq!(three["contract_id"], contract_a.as_str());
}

/// The last places go to exactly as many sends as there are, however many arrive at once:
/// each contract ends at its capacity, never above, and every other send is 422.
#[tokio::test]
async fn concurrent_sends_fill_the_places_exactly() {
    const SENDS: usize = 10;
    let app = spawn_app().await;
    let provider_a = provider(&app, 14, "Arbetsvägen AB").await;
    let provider_b = provider(&app, 15, "Bästa Vägen AB").await;
    let contract_a = contract(&app, &provider_a, "LOU-2026-A", 2).await;
    let contract_b = contract(&app, &provider_b, "LOU-2026-B", 1).await;
    let mut participants = Vec::new();
    for serial in 0..SENDS {
        participants.push(enrolled(&app, 130 + u32::try_from(serial).unwrap()).await);
    }
    let statuses: Vec<u16> = join_all(participants.iter().map(|p| async {
        let (status, _, body) = send(&app, &anna(), "/v1/referrals", None, mapping_referral(p)).await;
        assert!(status == 201 || status == 422, "{status} {body}");
        status
    }))
    .await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 3, "{statuses:?}");
    for (contract, capacity) in [(&contract_a, 2), (&contract_b, 1)] {
        let held = app.count(&format!(
            "SELECT COUNT(*) AS n FROM referrals WHERE contract_id = '{contract}' AND status = 'sent'"
        ));
        assert_eq!(held, capacity, "contract {contract}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM referrals"),
        3,
        "a refused send leaves nothing"
    );
}

#[tokio::test]
async fn decline_needs_a_reason_and_an_unanswered_referral_expires() {
    let app = spawn_app().await;
    let provider_a = provider(&app, 6, "Arbetsvägen AB").await;
    contract(&app, &provider_a, "LOU-2026-A", 5).await;
    let participant = enrolled(&app, 106).await;
    let (etag, referral) = created(&app, &anna(), "/v1/referrals", mapping_referral(&participant)).await;
    let path = format!("/v1/referrals/{}", referral["id"].as_str().unwrap());
    let provider_staff = staff(&provider_a);

    let (status, _, problem) = send(
        &app,
        &provider_staff,
        &format!("{path}/decline"),
        Some(&etag),
        json!({"reason": "other"}),
    )
    .await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("note")));
    let (status, _, problem) = send(
        &app,
        &provider_staff,
        &format!("{path}/decline"),
        Some(&etag),
        json!({"reason": "busy"}),
    )
    .await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("reason")));
    let (status, _, _) = send(
        &app,
        &provider_staff,
        &format!("{path}/decline"),
        None,
        json!({"reason": "no_capacity"}),
    )
    .await;
    assert_eq!(status, 428);
    let (status, _, declined) = send(
        &app,
        &provider_staff,
        &format!("{path}/decline"),
        Some(&etag),
        json!({"reason": "participant_unreachable", "note": "No answer on three calls."}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (declined["status"].as_str(), declined["decline_note"].as_str()),
        (Some("declined"), Some("No answer on three calls."))
    );

    // A second referral, sent ten days ago and never answered, reads as expired.
    let (etag, late) = created(&app, &anna(), "/v1/referrals", mapping_referral(&participant)).await;
    let late_id = late["id"].as_str().unwrap().to_owned();
    let ten_days_ago = (Utc::now() - Duration::days(10)).naive_utc();
    diesel::update(persistence::schema::referrals::table.find(&late_id))
        .set(persistence::schema::referrals::created_at.eq(ten_days_ago))
        .execute(&mut app.db())
        .unwrap();
    let expired: Value = app
        .get_as(&anna(), &format!("/v1/referrals/{late_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(expired["status"], "expired");
    let (status, _, problem) = send(
        &app,
        &provider_staff,
        &format!("/v1/referrals/{late_id}/accept"),
        Some(&etag),
        json!({}),
    )
    .await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("invalid_transition")));
    let listed: Value = app
        .get_as(&anna(), "/v1/referrals?status=expired")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["id"], late_id.as_str());
    let sent: Value = app
        .get_as(&anna(), "/v1/referrals?status=sent")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["items"], json!([]));
}

#[tokio::test]
async fn a_chosen_provider_needs_an_eligible_contract_and_a_consent_to_it() {
    let app = spawn_app().await;
    let provider_a = provider(&app, 7, "Arbetsvägen AB").await;
    let provider_b = provider(&app, 8, "Bästa Vägen AB").await;
    contract(&app, &provider_a, "LOU-2026-A", 5).await;
    let contract_b = contract(&app, &provider_b, "LOU-2026-B", 5).await;
    let participant = enrolled(&app, 107).await;
    let consents = format!("/v1/participants/{participant}/consents");
    let to_a = json!({"shares": "Name and contact", "recipient_kind": "provider", "recipient_provider_id": provider_a, "given_on": today()});
    let (_, consent_a) = created(&app, &anna(), &consents, to_a).await;

    let mut body = mapping_referral(&participant);
    body["statutory_basis"] = Value::Null;
    body["chosen_by_participant"] = json!(true);
    body["provider_id"] = json!(provider_b);
    body["consent_id"] = consent_a["id"].clone();
    let (status, _, problem) = send(&app, &anna(), "/v1/referrals", None, body.clone()).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("consent_id")),
        "{problem}"
    );

    let to_b = json!({"shares": "Name and contact", "recipient_kind": "provider", "recipient_provider_id": provider_b, "given_on": today()});
    let (_, consent_b) = created(&app, &anna(), &consents, to_b).await;
    body["consent_id"] = consent_b["id"].clone();
    let (_, referral) = created(&app, &anna(), "/v1/referrals", body.clone()).await;
    assert_eq!(referral["contract_id"], contract_b.as_str());
    assert_eq!(referral["chosen_by_participant"], true);
    assert_eq!(referral["allocation_reason"], Value::Null);
    assert_eq!(referral["legal_basis"]["kind"], "consent");

    let mut no_basis = mapping_referral(&participant);
    no_basis["statutory_basis"] = Value::Null;
    let (status, _, _) = send(&app, &anna(), "/v1/referrals", None, no_basis).await;
    assert_eq!(status, 422, "a legal basis is required");
    let mut before_plan = mapping_referral(&participant);
    before_plan["activity_type"] = json!("work_training");
    let (status, _, problem) = send(&app, &anna(), "/v1/referrals", None, before_plan).await;
    assert_eq!(
        (status, problem["errors"][0]["code"].as_str()),
        (422, Some("needs_plan"))
    );
    let (status, _, _) = send(
        &app,
        &staff(&provider_a),
        "/v1/referrals",
        None,
        mapping_referral(&participant),
    )
    .await;
    assert_eq!(status, 403, "only the coach refers");
}

#[tokio::test]
async fn the_purchaser_keeps_the_register_and_everyone_reads_active_providers() {
    let app = spawn_app().await;
    let (status, _, problem) = send(
        &app,
        &purchaser(),
        "/v1/providers",
        None,
        json!({"org_number": "556000-0000", "name": "X", "kind": "lou"}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("org_number"))
    );
    let (status, _, _) = send(
        &app,
        &anna(),
        "/v1/providers",
        None,
        json!({"org_number": org_number(9), "name": "X", "kind": "lou"}),
    )
    .await;
    assert_eq!(status, 403);
    let id = provider(&app, 9, "Arbetsvägen AB").await;
    let (status, _, problem) = send(
        &app,
        &purchaser(),
        "/v1/providers",
        None,
        json!({"org_number": org_number(9), "name": "Y", "kind": "lou"}),
    )
    .await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("org_number_taken")));

    let seen: Value = app
        .get_as(&anna(), &format!("/v1/providers/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(seen.get("contacts").is_none(), "no contact persons for a coach: {seen}");
    let own: Value = app
        .get_as(&staff(&id), &format!("/v1/providers/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["contacts"][0]["name"], "Referral desk");

    let overlapping = json!({"reference": "LOU-2026-M", "procurement_form": "lou_direct", "valid_from": today(),
        "valid_to": today() + Duration::days(300), "activity_types": ["job_matching"],
        "target_groups": ["social_assistance_unemployed"], "job_centres": ["jarva"], "capacity": 3, "start_fee_ore": 0});
    let (etag, contract) = created(
        &app,
        &purchaser(),
        &format!("/v1/providers/{id}/contracts"),
        overlapping,
    )
    .await;
    assert_eq!(contract["overlaps_af_programme"], true);
    assert_eq!(contract["overlapping_af_programmes"][0]["code"], "af_rusta_och_matcha");
    let cpath = format!("/v1/contracts/{}", contract["id"].as_str().unwrap());
    let change = json!({"activity_types": ["work_training"], "capacity": 0});
    let response = app.patch_as(&purchaser(), &cpath, &etag, &change).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "capacity");
    let response = app
        .patch_as(
            &purchaser(),
            &cpath,
            &etag,
            &json!({"activity_types": ["work_training"]}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(
        (changed["overlaps_af_programme"].as_bool(), changed["version"].as_i64()),
        (Some(false), Some(2))
    );
    let stale = app.patch_as(&purchaser(), &cpath, &etag, &json!({"capacity": 4})).await;
    assert_eq!(stale.status().as_u16(), 412);
    let history: Value = app
        .get_as(&purchaser(), &format!("{cpath}/history"))
        .await
        .json()
        .await
        .unwrap();
    assert!(history["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["field"] == "activity_types" && h["new_value"] == "work_training"));

    let suspend = app
        .patch_as(
            &purchaser(),
            &format!("/v1/providers/{id}"),
            "\"1\"",
            &json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(suspend.status().as_u16(), 200);
    assert_problem(
        app.get_as(&anna(), &format!("/v1/providers/{id}")).await,
        404,
        "not_found",
    )
    .await;
    let listed: Value = app.get_as(&anna(), "/v1/providers").await.json().await.unwrap();
    assert_eq!(listed["items"], json!([]), "a coach lists active providers only");
    let all: Value = app
        .get_as(&purchaser(), "/v1/providers?status=suspended")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}
