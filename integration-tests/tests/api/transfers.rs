//! Moving to another district over HTTP on a set clock: from Rinkeby-Kista to Farsta the
//! 548-day count goes on and the case moves to Sydost with its plan up for a new decision;
//! exactly one of concurrent acceptances wins; rejection, scoping and bad input; a manager
//! reassigning a leaving coach's participants.

use serde_json::{json, Value};

use crate::city_clock::{anna, enrol_on, get, post, refer_on, spawn_at};
use crate::helpers::{assert_problem, join_all, TestApp, TestToken};
use crate::participants::{coach, officer};
use crate::tasks::{approved_plan_ending_13_november, kinds, tasks};

fn sara() -> String {
    coach("sydost", "coach-sara")
}

async fn request(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, String, Value) {
    post(app, token, &format!("/v1/participants/{id}/transfers"), None, body).await
}

#[tokio::test]
async fn a_move_from_rinkeby_kista_to_farsta_keeps_the_548_days_and_moves_the_case_to_sydost() {
    let mut app = spawn_at("2026-11-02T09:00:00+01:00").await;
    let id = refer_on(&app, 51, "2026-11-02").await;
    assert_eq!(enrol_on(&app, &id, "2026-11-02").await.0, 200);
    let plan = approved_plan_ending_13_november(&app, &id).await;

    // Tuesday 1 December: 30 days used (2 November to 1 December).
    app.restart_at("2026-12-01T10:00:00+01:00").await;
    let before = get(&app, &anna(), &format!("/v1/participants/{id}")).await;
    assert_eq!(before["participation_days_used"], 30);
    let body = json!({"to_district_id": "farsta", "moves_on": "2026-12-01", "note": "Flyttar till Farsta."});
    let (status, etag, transfer) = request(&app, &anna(), &id, body.clone()).await;
    assert_eq!(status, 201, "{transfer}");
    assert_eq!(
        (transfer["status"].as_str(), etag.as_str()),
        (Some("requested"), "\"1\"")
    );
    let (status, _, again) = request(&app, &officer("rinkeby-kista"), &id, body).await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(again["code"], "transfer_pending");

    // The new district sees the move to answer, without the person's name.
    let farsta = officer("farsta");
    let queue = tasks(&app, &farsta, "").await;
    assert_eq!(kinds(&queue), ["transfer_awaiting_answer"], "{queue}");
    assert!(queue["items"][0]["participant"].is_null());
    let path = format!("/v1/transfers/{}", transfer["id"].as_str().unwrap());
    assert_eq!(get(&app, &farsta, &path).await["to_district_id"], "farsta");
    assert_problem(app.get_as(&officer("skarpnack"), &path).await, 404, "not_found").await;

    // Only the new district answers; of several acceptances with one If-Match exactly one wins.
    let accept = format!("{path}/accept");
    let (status, _, _) = post(&app, &officer("rinkeby-kista"), &accept, Some("\"1\""), json!({})).await;
    assert_eq!(status, 404);
    let (status, _, _) = post(&app, &anna(), &accept, Some("\"1\""), json!({})).await;
    assert_eq!(status, 403);
    let outcomes =
        join_all((0..4).map(|_| post(&app, &farsta, &accept, Some("\"1\""), json!({"coach_id": "coach-sara"})))).await;
    let statuses: Vec<u16> = outcomes.iter().map(|(s, _, _)| *s).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 412), "{statuses:?}");
    let accepted = outcomes.into_iter().find(|(s, _, _)| *s == 200).unwrap().2;
    assert_eq!(accepted["to_jobbtorg_id"], "sydost");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM handovers WHERE participant_id = '{id}'"
        )),
        1
    );

    // The participation goes on at Sydost: the same count of days, the new coach, the plan
    // for the new district's decision within 5 working days of the move.
    let moved = get(&app, &sara(), &format!("/v1/participants/{id}")).await;
    assert_eq!(moved["participation_days_used"], 30, "{moved}");
    assert_eq!(
        (moved["jobbtorg_id"].as_str(), moved["home_district_id"].as_str()),
        (Some("sydost"), Some("farsta"))
    );
    assert_eq!(moved["coach_id"], "coach-sara");
    assert_eq!(moved["plan_due_on"], "2026-12-08");
    let plan_path = format!("/v1/activity-plans/{plan}");
    let plan_now = get(&app, &sara(), &plan_path).await;
    assert_eq!(plan_now["status"], "submitted");
    assert_eq!(kinds(&tasks(&app, &farsta, "").await), ["plan_awaiting_decision"]);
    assert_problem(
        app.get_as(&anna(), &format!("/v1/participants/{id}")).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&officer("rinkeby-kista"), &format!("/v1/participants/{id}"))
            .await,
        404,
        "not_found",
    )
    .await;
    let handovers = get(&app, &sara(), &format!("/v1/participants/{id}/handovers")).await;
    assert_eq!(
        handovers["items"][0]["records"].as_array().unwrap().len(),
        8,
        "{handovers}"
    );
    // The new district decides the plan; the 548 days keep counting on.
    let version = format!("\"{}\"", plan_now["version"]);
    let (status, _, approved) = post(
        &app,
        &farsta,
        &format!("{plan_path}/approve"),
        Some(&version),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    app.restart_at("2026-12-11T10:00:00+01:00").await;
    assert_eq!(
        get(&app, &sara(), &format!("/v1/participants/{id}")).await["participation_days_used"],
        40
    );
    let export = get(&app, &sara(), &format!("/v1/participants/{id}/export")).await;
    assert_eq!(export["transfers"][0]["status"], "accepted");
    // Answered once only.
    let (status, _, answered) = post(&app, &farsta, &format!("{path}/reject"), Some("\"2\""), json!({})).await;
    assert_eq!(
        (status, answered["code"].as_str()),
        (409, Some("transfer_answered")),
        "{answered}"
    );
}

#[tokio::test]
async fn a_rejected_move_leaves_the_person_where_they_are_and_bad_requests_are_refused() {
    let app = spawn_at("2026-12-01T10:00:00+01:00").await;
    let id = refer_on(&app, 52, "2026-12-01").await;
    assert_eq!(enrol_on(&app, &id, "2026-12-01").await.0, 200);
    for (body, field) in [
        (
            json!({"to_district_id": "rinkeby-kista", "moves_on": "2026-12-01"}),
            "to_district_id",
        ),
        (
            json!({"to_district_id": "atlantis", "moves_on": "2026-12-01"}),
            "to_district_id",
        ),
        (
            json!({"to_district_id": "Farsta!", "moves_on": "2026-12-01"}),
            "to_district_id",
        ),
        (
            json!({"to_district_id": "farsta", "moves_on": "2026-10-01"}),
            "moves_on",
        ),
    ] {
        let (status, _, problem) = request(&app, &anna(), &id, body).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (status, _, _) = request(
        &app,
        &coach("sydost", "coach-sara"),
        &id,
        json!({"to_district_id": "farsta", "moves_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = request(
        &app,
        &TestToken::role("analyst").sign(),
        &id,
        json!({"to_district_id": "farsta", "moves_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(status, 403);
    let desk = crate::referrals::staff(&uuid::Uuid::now_v7().to_string());
    let (status, _, _) = request(
        &app,
        &desk,
        &id,
        json!({"to_district_id": "farsta", "moves_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = request(
        &app,
        &officer("farsta"),
        &id,
        json!({"to_district_id": "farsta", "moves_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(status, 404, "the new district does not ask for the move");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM transfers"), 0);

    let (status, _, transfer) = request(
        &app,
        &anna(),
        &id,
        json!({"to_district_id": "farsta", "moves_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(status, 201);
    let reject = format!("/v1/transfers/{}/reject", transfer["id"].as_str().unwrap());
    let (status, _, problem) = post(
        &app,
        &officer("farsta"),
        &reject,
        Some("\"1\""),
        json!({"coach_id": "coach-sara"}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("coach_id"))
    );
    let (status, _, rejected) = post(
        &app,
        &officer("farsta"),
        &reject,
        Some("\"1\""),
        json!({"note": "Bor kvar i Kista."}),
    )
    .await;
    assert_eq!(
        (status, rejected["status"].as_str()),
        (200, Some("rejected")),
        "{rejected}"
    );
    let stays = get(&app, &anna(), &format!("/v1/participants/{id}")).await;
    assert_eq!(
        (stays["jobbtorg_id"].as_str(), stays["home_district_id"].as_str()),
        (Some("jarva"), Some("rinkeby-kista"))
    );
    // A new request may follow a rejected one.
    let (status, _, _) = request(
        &app,
        &anna(),
        &id,
        json!({"to_district_id": "farsta", "moves_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_manager_hands_a_leaving_coachs_participants_to_another_with_a_result_for_each() {
    let app = spawn_at("2026-12-01T10:00:00+01:00").await;
    let first = refer_on(&app, 53, "2026-12-01").await;
    assert_eq!(enrol_on(&app, &first, "2026-12-01").await.0, 200);
    let second = refer_on(&app, 54, "2026-12-01").await;
    assert_eq!(enrol_on(&app, &second, "2026-12-01").await.0, 200);
    let manager = TestToken::role("jobbtorg_manager")
        .jobbtorg("jarva")
        .subject("manager-mia")
        .sign();
    let path = "/v1/participants/reassign-coach";
    let body = json!({"from_coach_id": "coach-anna", "to_coach_id": "coach-bertil"});
    let (status, _, _) = post(&app, &anna(), path, None, body.clone()).await;
    assert_eq!(status, 403);
    let (status, _, problem) = post(
        &app,
        &manager,
        path,
        None,
        json!({"from_coach_id": "", "to_coach_id": "coach-bertil"}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("from_coach_id"))
    );

    let stranger = uuid::Uuid::now_v7().to_string();
    let only =
        json!({"from_coach_id": "coach-anna", "to_coach_id": "coach-bertil", "participant_ids": [first, stranger]});
    let (status, _, results) = post(&app, &manager, path, None, only).await;
    assert_eq!(status, 200, "{results}");
    assert_eq!(results["items"][0]["status"], 200);
    assert_eq!(results["items"][0]["version"], 3);
    assert_eq!(
        (
            results["items"][1]["status"].as_u64(),
            results["items"][1]["code"].as_str()
        ),
        (Some(404), Some("not_found"))
    );
    let (status, _, results) = post(&app, &manager, path, None, body).await;
    assert_eq!(status, 200, "{results}");
    let items = results["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the second is still Anna's: {results}");
    assert_eq!(items[0]["participant_id"], second.as_str());
    let bertil = coach("jarva", "coach-bertil");
    for id in [&first, &second] {
        assert_eq!(
            get(&app, &bertil, &format!("/v1/participants/{id}")).await["coach_id"],
            "coach-bertil"
        );
    }
    assert_eq!(kinds(&tasks(&app, &bertil, "").await), ["plan_due", "plan_due"]);
    assert_eq!(tasks(&app, &anna(), "").await["total"], 0);
}

#[tokio::test]
async fn of_concurrent_requests_to_move_one_person_exactly_one_is_open() {
    let app = spawn_at("2026-12-01T10:00:00+01:00").await;
    let id = refer_on(&app, 55, "2026-12-01").await;
    assert_eq!(enrol_on(&app, &id, "2026-12-01").await.0, 200);
    let body = json!({"to_district_id": "farsta", "moves_on": "2026-12-01"});
    let coach = anna();
    let outcomes = join_all((0..6).map(|_| request(&app, &coach, &id, body.clone()))).await;
    let statuses: Vec<u16> = outcomes.iter().map(|(s, _, _)| *s).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(
        outcomes
            .iter()
            .all(|(s, _, b)| *s == 201 || (*s == 409 && b["code"] == "transfer_pending")),
        "{outcomes:?}"
    );
    let open = format!("SELECT COUNT(*) AS n FROM transfers WHERE participant_id = '{id}' AND status = 'requested'");
    assert_eq!(app.count(&open), 1);
}
