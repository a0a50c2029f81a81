//! Optimistic concurrency under concurrent requests: N writers that all read the same version
//! race with the same `If-Match`; exactly one wins, every other gets 412, and the database holds
//! the event and the field history of one change only.

use chrono::{NaiveDate, Utc};
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use crate::activity_plans::{draft_with_activity, enrolled, expect, post};
use crate::helpers::{assert_problem, etag_of, join_all, spawn_app_with, TestApp};
use crate::participants::{coach, officer, refer};
use crate::referrals::{anna, approved_plan_activity, claims, contract, created, provider, purchaser, send, staff};

/// Concurrent requests per race.
const N: usize = 6;

/// Today as the server reads it: in Stockholm (a UTC date is a day behind from 23:00 UTC).
fn today() -> NaiveDate {
    domain::shared::city_date(Utc::now())
}

/// A server that really runs the racing requests in parallel: several workers, a pool larger
/// than `N`, and no rate limit counting (its own transaction per request) in between.
async fn parallel_app() -> TestApp {
    spawn_app_with(&[
        ("HTTP_WORKERS", "4"),
        ("DB_POOL_SIZE", "8"),
        ("RATE_LIMIT_WRITES_PER_MINUTE", "0"),
    ])
    .await
}

/// The ETag of `path` as `token` reads it now.
async fn current_etag(app: &TestApp, token: &str, path: &str) -> String {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    let etag = etag_of(&response);
    assert!(!etag.is_empty(), "GET {path} has an ETag");
    etag
}

/// A request with a token and a JSON body; `race` adds the `If-Match`.
fn request(app: &TestApp, method: Method, path: &str, token: &str, body: &Value) -> RequestBuilder {
    app.client.request(method, app.url(path)).bearer_auth(token).json(body)
}

/// What one change of `resource_id` leaves behind: one event of one of `events` and one history
/// row of each of `fields`.
struct OneChange<'a> {
    resource_id: &'a str,
    events: &'a [&'a str],
    fields: &'a [&'a str],
}

impl OneChange<'_> {
    fn events_written(&self, app: &TestApp) -> i64 {
        let types = self
            .events
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM events WHERE resource_id = '{}' AND event_type IN ({types})",
            self.resource_id
        ))
    }

    fn history_rows(&self, app: &TestApp, field: &str) -> i64 {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM field_history WHERE resource_id = '{}' AND field = '{field}'",
            self.resource_id
        ))
    }
}

/// Fires `N` requests built by `build(i)` at once, all with the same `If-Match`, each with its
/// own `X-Request-Id`. Asserts exactly one 2xx, `N - 1` × 412 `precondition_failed`, the
/// winner's ETag one version on, and in the database exactly one change: one event, one
/// history row per changed field, and no history row from any losing request. Returns the
/// winner's index and body.
async fn race(
    app: &TestApp,
    if_match: &str,
    change: OneChange<'_>,
    build: impl Fn(usize) -> RequestBuilder,
) -> (usize, Value) {
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let events_before = change.events_written(app);
    let history_before: Vec<i64> = change.fields.iter().map(|f| change.history_rows(app, f)).collect();

    let responses = join_all((0..N).map(|i| {
        build(i)
            .header("If-Match", if_match)
            .header("X-Request-Id", format!("race-{tag}-{i}"))
            .send()
    }))
    .await;
    let responses: Vec<reqwest::Response> = responses.into_iter().map(|r| r.expect("request is sent")).collect();
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    let won: Vec<usize> = (0..N).filter(|i| (200..300).contains(&statuses[*i])).collect();
    assert_eq!(won.len(), 1, "exactly one request succeeds: {statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == 412).count(),
        N - 1,
        "all others are 412: {statuses:?}"
    );

    let mut winner = None;
    for (i, response) in responses.into_iter().enumerate() {
        if i == won[0] {
            winner = Some(response);
        } else {
            let problem = assert_problem(response, 412, "precondition_failed").await;
            assert_eq!(problem["request_id"], format!("race-{tag}-{i}"));
        }
    }
    let winner = winner.expect("the winner's response");
    let version: i32 = if_match.trim_matches('"').parse().expect("a numeric ETag");
    assert_eq!(etag_of(&winner), format!("\"{}\"", version + 1), "one version on");
    let body: Value = winner.json().await.expect("the winner's body is JSON");

    assert_eq!(
        change.events_written(app) - events_before,
        1,
        "one {:?} event for {}: {statuses:?}",
        change.events,
        change.resource_id
    );
    for (field, before) in change.fields.iter().zip(history_before) {
        assert_eq!(
            change.history_rows(app, field) - before,
            1,
            "one history row of {field} for {}: {statuses:?}",
            change.resource_id
        );
    }
    let from_losers = app.count(&format!(
        "SELECT COUNT(*) AS n FROM field_history WHERE resource_id = '{}' \
         AND request_id LIKE 'race-{tag}-%' AND request_id <> 'race-{tag}-{}'",
        change.resource_id, won[0]
    ));
    assert_eq!(from_losers, 0, "no losing request wrote history: {statuses:?}");
    (won[0], body)
}

#[tokio::test]
async fn concurrent_participant_patches_change_it_once() {
    let app = parallel_app().await;
    let p = refer(&app, 101).await;
    let id = p["id"].as_str().unwrap();
    let path = format!("/v1/participants/{id}");
    let token = coach("jarva", "coach-anna");
    let etag = current_etag(&app, &token, &path).await;
    let names: Vec<String> = (0..N).map(|i| format!("Amina{i}")).collect();

    let change = OneChange {
        resource_id: id,
        events: &["participant.updated"],
        fields: &["first_name"],
    };
    let (won, body) = race(&app, &etag, change, |i| {
        request(&app, Method::PATCH, &path, &token, &json!({"first_name": names[i]}))
    })
    .await;
    assert_eq!(body["first_name"], names[won].as_str());
}

#[tokio::test]
async fn concurrent_exits_with_different_outcomes_exit_once() {
    let app = parallel_app().await;
    let (id, _) = enrolled(&app, 102).await;
    let path = format!("/v1/participants/{id}");
    let token = coach("jarva", "coach-anna");
    let etag = current_etag(&app, &token, &path).await;
    let exits = [
        json!({"exited_on": today(), "outcome": "employment",
            "employment": {"employment_form": "permanent", "extent": "full_time", "wage_subsidy": false}}),
        json!({"exited_on": today(), "outcome": "studies"}),
        json!({"exited_on": today(), "outcome": "moved"}),
        json!({"exited_on": today(), "outcome": "no_show"}),
        json!({"exited_on": today(), "outcome": "other_support"}),
        json!({"exited_on": today(), "outcome": "other", "reason": "Left the country."}),
    ];

    let change = OneChange {
        resource_id: &id,
        events: &["participant.exited"],
        fields: &["status", "exit_outcome"],
    };
    let (won, body) = race(&app, &etag, change, |i| {
        request(&app, Method::POST, &format!("{path}/exit"), &token, &exits[i])
    })
    .await;
    assert_eq!(body["status"], "exited");
    assert_eq!(body["exit"]["outcome"], exits[won]["outcome"]);
    let stored: Value = app.get_as(&token, &path).await.json().await.unwrap();
    assert_eq!(
        stored["exit"]["outcome"], exits[won]["outcome"],
        "the winner's outcome is kept"
    );
}

#[tokio::test]
async fn concurrent_mapping_puts_save_it_once() {
    let app = parallel_app().await;
    let p = refer(&app, 103).await;
    let id = p["id"].as_str().unwrap();
    let path = format!("/v1/participants/{id}/assessment");
    let token = coach("jarva", "coach-anna");
    let etag = current_etag(&app, &token, &path).await;
    let mappings: Vec<Value> = (0..N)
        .map(|i| json!({"languages": format!("Somali, Swedish (SFI {i})")}))
        .collect();

    let change = OneChange {
        resource_id: id,
        events: &["participant.assessment_updated"],
        fields: &["assessment.languages"],
    };
    let (won, _) = race(&app, &etag, change, |i| {
        request(&app, Method::PUT, &path, &token, &mappings[i])
    })
    .await;
    let stored: Value = app.get_as(&token, &path).await.json().await.unwrap();
    assert_eq!(stored["languages"], mappings[won]["languages"]);
}

#[tokio::test]
async fn concurrent_consent_withdrawals_withdraw_it_once() {
    let app = parallel_app().await;
    let p = refer(&app, 104).await;
    let id = p["id"].as_str().unwrap();
    let token = coach("jarva", "coach-anna");
    let consents = format!("/v1/participants/{id}/consents");
    let given = json!({"shares": "CV and activity plan", "recipient_kind": "provider",
        "recipient_provider_id": "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11", "given_on": today()});
    let (_, consent) = created(&app, &token, &consents, given).await;
    let withdraw = format!("{consents}/{}/withdraw", consent["id"].as_str().unwrap());
    let etag = current_etag(&app, &token, &format!("/v1/participants/{id}")).await;

    let change = OneChange {
        resource_id: id,
        events: &["participant.consent_withdrawn"],
        fields: &["consent_withdrawn"],
    };
    let (_, body) = race(&app, &etag, change, |_| {
        request(&app, Method::POST, &withdraw, &token, &json!({"withdrawn_on": today()}))
    })
    .await;
    assert_eq!(body["active"], false);
}

#[tokio::test]
async fn concurrent_plan_patches_change_it_once() {
    let app = parallel_app().await;
    let (participant, _) = enrolled(&app, 105).await;
    let (plan, _) = draft_with_activity(&app, &participant).await;
    let path = format!("/v1/activity-plans/{plan}");
    let token = coach("jarva", "coach-anna");
    let etag = current_etag(&app, &token, &path).await;
    let goals: Vec<String> = (0..N).map(|i| format!("Warehouse work, goal {i}")).collect();

    let change = OneChange {
        resource_id: &plan,
        events: &["activity_plan.updated"],
        fields: &["goal"],
    };
    let (won, body) = race(&app, &etag, change, |i| {
        request(&app, Method::PATCH, &path, &token, &json!({"goal": goals[i]}))
    })
    .await;
    assert_eq!(body["goal"], goals[won].as_str());
}

#[tokio::test]
async fn concurrent_plan_approvals_approve_it_once() {
    let app = parallel_app().await;
    let (participant, _) = enrolled(&app, 106).await;
    let (plan, etag) = draft_with_activity(&app, &participant).await;
    let path = format!("/v1/activity-plans/{plan}");
    let anna = coach("jarva", "coach-anna");
    expect(
        post(&app, &anna, &format!("{path}/submit"), &etag, json!({})).await,
        200,
    )
    .await;
    let district = officer("rinkeby-kista");
    let etag = current_etag(&app, &district, &path).await;

    let change = OneChange {
        resource_id: &plan,
        events: &["activity_plan.approved"],
        fields: &["status"],
    };
    let (_, body) = race(&app, &etag, change, |_| {
        request(&app, Method::POST, &format!("{path}/approve"), &district, &json!({}))
    })
    .await;
    assert_eq!(body["status"], "approved");
    assert_eq!(body["decisions"].as_array().unwrap().len(), 1, "one decision: {body}");
}

/// A referral to a work-training activity of an approved plan, sent to a new provider's
/// contract: intake → enrol → plan → submit → approve → referral. Returns the provider and
/// the referral's id and ETag.
async fn sent_referral(app: &TestApp, serial: u32) -> (String, String, String) {
    let provider_id = provider(app, serial, "Arbetsvägen AB").await;
    contract(app, &provider_id, "LOU-2026-A", 5).await;
    let participant = crate::referrals::enrolled(app, serial).await;
    let (_, activity) = approved_plan_activity(app, &participant).await;
    let body = json!({"participant_id": participant, "activity_id": activity, "statutory_basis": "SoL 4 kap. 4 §"});
    let (etag, referral) = created(app, &anna(), "/v1/referrals", body).await;
    (provider_id, referral["id"].as_str().unwrap().to_owned(), etag)
}

#[tokio::test]
async fn concurrent_referral_accepts_accept_it_once() {
    let app = parallel_app().await;
    let (provider_id, referral, _) = sent_referral(&app, 107).await;
    let path = format!("/v1/referrals/{referral}");
    let token = staff(&provider_id);
    let etag = current_etag(&app, &token, &path).await;

    let change = OneChange {
        resource_id: &referral,
        events: &["referral.accepted"],
        fields: &["status"],
    };
    let (_, body) = race(&app, &etag, change, |_| {
        request(&app, Method::POST, &format!("{path}/accept"), &token, &json!({}))
    })
    .await;
    assert_eq!(body["status"], "accepted");
}

#[tokio::test]
async fn concurrent_approvals_and_rejections_decide_a_claim_once() {
    let app = parallel_app().await;
    let (provider_id, referral, etag) = sent_referral(&app, 108).await;
    let path = format!("/v1/referrals/{referral}");
    let token = staff(&provider_id);
    let (status, etag, body) = send(&app, &token, &format!("{path}/accept"), Some(&etag), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let started = json!({"started_on": today()});
    let (status, _, body) = send(&app, &token, &format!("{path}/start"), Some(&etag), started).await;
    assert_eq!(status, 200, "{body}");
    let raised = claims(&app, &purchaser(), &format!("?referral_id={referral}")).await;
    assert_eq!(raised.len(), 1, "the start fee: {raised:?}");
    let claim = raised[0]["id"].as_str().unwrap().to_owned();
    let claim_path = format!("/v1/claims/{claim}");
    let decider = purchaser();
    let etag = current_etag(&app, &decider, &claim_path).await;

    let change = OneChange {
        resource_id: &claim,
        events: &["claim.approved", "claim.rejected"],
        fields: &["status"],
    };
    let (won, body) = race(&app, &etag, change, |i| {
        if i % 2 == 0 {
            request(
                &app,
                Method::POST,
                &format!("{claim_path}/approve"),
                &decider,
                &json!({}),
            )
        } else {
            let reason = json!({"reason": "The activity never started."});
            request(&app, Method::POST, &format!("{claim_path}/reject"), &decider, &reason)
        }
    })
    .await;
    let decided = if won % 2 == 0 { "approved" } else { "rejected" };
    assert_eq!(body["status"], decided);
}

#[tokio::test]
async fn concurrent_provider_patches_change_it_once() {
    let app = parallel_app().await;
    let id = provider(&app, 109, "Arbetsvägen AB").await;
    let path = format!("/v1/providers/{id}");
    let token = purchaser();
    let etag = current_etag(&app, &token, &path).await;
    let names: Vec<String> = (0..N).map(|i| format!("Arbetsvägen {i} AB")).collect();

    let change = OneChange {
        resource_id: &id,
        events: &["provider.updated"],
        fields: &["name"],
    };
    let (won, body) = race(&app, &etag, change, |i| {
        request(&app, Method::PATCH, &path, &token, &json!({"name": names[i]}))
    })
    .await;
    assert_eq!(body["name"], names[won].as_str());
}

#[tokio::test]
async fn concurrent_contract_patches_change_it_once() {
    let app = parallel_app().await;
    let provider_id = provider(&app, 110, "Arbetsvägen AB").await;
    let id = contract(&app, &provider_id, "LOU-2026-A", 5).await;
    let path = format!("/v1/contracts/{id}");
    let token = purchaser();
    let etag = current_etag(&app, &token, &path).await;

    let change = OneChange {
        resource_id: &id,
        events: &["contract.updated"],
        fields: &["capacity"],
    };
    let (won, body) = race(&app, &etag, change, |i| {
        request(&app, Method::PATCH, &path, &token, &json!({"capacity": 10 + i}))
    })
    .await;
    assert_eq!(body["capacity"], 10 + won);
}
