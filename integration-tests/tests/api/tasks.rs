//! The work queue over HTTP on a set clock: a coach's three kinds of due work and nothing else,
//! scoped to the coach, the centre and the district; filters, counts and bad queries.

use serde_json::{json, Value};

use crate::city_clock::{anna, enrol_on, get, post, refer_on, spawn_at};
use crate::helpers::{assert_problem, TestApp, TestToken};
use crate::participants::{coach, officer};

/// The task list of `token` with `query`.
pub(crate) async fn tasks(app: &TestApp, token: &str, query: &str) -> Value {
    get(app, token, &format!("/v1/tasks{query}")).await
}

/// Each item's kind, sorted.
pub(crate) fn kinds(list: &Value) -> Vec<String> {
    let mut kinds: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect();
    kinds.sort();
    kinds
}

/// An approved plan for `id` (enrolled on 2 November) whose own-regime activity runs 2–13
/// November; the plan's id.
pub(crate) async fn approved_plan_ending_13_november(app: &TestApp, id: &str) -> String {
    let plan = json!({"valid_from": "2026-11-02", "valid_to": "2027-04-30", "goal": "Lagerarbete"});
    let (status, etag, plan) = post(
        app,
        &anna(),
        &format!("/v1/participants/{id}/activity-plans"),
        None,
        plan,
    )
    .await;
    assert_eq!(status, 201, "{plan}");
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    let activity = json!({"activity_type": "work_training", "description": "Praktik i förrådet",
        "provider_kind": "own_regime", "starts_on": "2026-11-02", "ends_on": "2026-11-13", "hours_per_week": 30});
    let base = format!("/v1/activity-plans/{plan_id}");
    let (status, etag, body) = post(app, &anna(), &format!("{base}/activities"), Some(&etag), activity).await;
    assert_eq!(status, 200, "{body}");
    let (status, etag, body) = post(app, &anna(), &format!("{base}/submit"), Some(&etag), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = post(
        app,
        &officer("rinkeby-kista"),
        &format!("{base}/approve"),
        Some(&etag),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    plan_id
}

#[tokio::test]
async fn a_coachs_queue_holds_exactly_the_plan_past_its_deadline_the_activity_without_follow_up_and_the_follow_up_due()
{
    // 1 September: someone enrols and leaves for studies the same day; the 2-month follow-up
    // falls due on 1 November and may be recorded from 25 October.
    let mut app = spawn_at("2026-09-01T09:00:00+02:00").await;
    let leaver = refer_on(&app, 31, "2026-09-01").await;
    let (status, etag, body) = enrol_on(&app, &leaver, "2026-09-01").await;
    assert_eq!(status, 200, "{body}");
    let exit = json!({"exited_on": "2026-09-01", "outcome": "studies"});
    let (status, _, body) = post(
        &app,
        &anna(),
        &format!("/v1/participants/{leaver}/exit"),
        Some(&etag),
        exit,
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Monday 2 November: two more enrol; one gets an approved plan at once.
    app.restart_at("2026-11-02T09:00:00+01:00").await;
    let no_plan = refer_on(&app, 32, "2026-11-02").await;
    assert_eq!(enrol_on(&app, &no_plan, "2026-11-02").await.0, 200);
    let with_plan = refer_on(&app, 33, "2026-11-02").await;
    assert_eq!(enrol_on(&app, &with_plan, "2026-11-02").await.0, 200);
    let plan = approved_plan_ending_13_november(&app, &with_plan).await;
    // Nothing is due yet but the plan deadline (Monday 9 November) and the open follow-up.
    let early = tasks(&app, &anna(), "").await;
    assert_eq!(kinds(&early), ["follow_up_due", "plan_due"], "{early}");

    // Tuesday 17 November.
    app.restart_at("2026-11-17T10:00:00+01:00").await;
    let queue = tasks(&app, &anna(), "").await;
    assert_eq!(
        kinds(&queue),
        ["activity_follow_up_due", "follow_up_due", "plan_due"],
        "{queue}"
    );
    let items = queue["items"].as_array().unwrap();
    let item = |kind: &str| items.iter().find(|i| i["kind"] == kind).unwrap().clone();
    let plan_due = item("plan_due");
    assert_eq!(plan_due["due_on"], "2026-11-09");
    assert_eq!(plan_due["overdue"], true);
    assert_eq!(plan_due["participant"]["id"], no_plan.as_str());
    assert_eq!(plan_due["participant"]["display_name"], "Amina Hassan");
    assert_eq!(plan_due["resource"], format!("/v1/participants/{no_plan}"));
    // Ended Friday 13 November; followed up within 5 working days: by Friday 20 November.
    let activity = item("activity_follow_up_due");
    assert_eq!(activity["due_on"], "2026-11-20");
    assert_eq!(activity["overdue"], false);
    assert_eq!(activity["resource"], format!("/v1/activity-plans/{plan}"));
    assert!(activity["activity_id"].is_string());
    let follow_up = item("follow_up_due");
    assert_eq!(
        (follow_up["due_on"].as_str(), follow_up["months"].as_u64()),
        (Some("2026-11-01"), Some(2))
    );
    assert_eq!(follow_up["overdue"], true);
    // Most urgent first, and a count per kind.
    assert_eq!(items[0]["kind"], "follow_up_due");
    assert_eq!(queue["total"], 3);
    assert_eq!(queue["counts"].as_array().unwrap().len(), 3);

    // Filters: kind (the counts still cover all), due_before, overdue first.
    let only = tasks(&app, &anna(), "?kind=plan_due").await;
    assert_eq!(kinds(&only), ["plan_due"]);
    assert_eq!(only["counts"].as_array().unwrap().len(), 3);
    let before = tasks(&app, &anna(), "?due_before=2026-11-05").await;
    assert_eq!(kinds(&before), ["follow_up_due"]);

    // Scoped like the resources: another coach sees nothing of Anna's unless asking for hers,
    // the manager the whole centre, another centre and the purchaser nothing of it.
    let bertil = coach("jarva", "coach-bertil");
    assert_eq!(tasks(&app, &bertil, "").await["total"], 0);
    assert_eq!(tasks(&app, &bertil, "?coach_id=coach-anna").await["total"], 3);
    let manager = TestToken::role("jobbtorg_manager").jobbtorg("jarva").sign();
    assert_eq!(tasks(&app, &manager, "").await["total"], 3);
    assert_eq!(
        tasks(&app, &coach("sydost", "coach-sara"), "?coach_id=coach-anna").await["total"],
        0
    );
    let purchaser = TestToken::role("contract_manager").sign();
    assert_eq!(tasks(&app, &purchaser, "").await["total"], 0);
    // The district decides no plan here and has no report to see.
    assert_eq!(tasks(&app, &officer("rinkeby-kista"), "").await["total"], 0);
    let analyst = TestToken::role("analyst").sign();
    assert_problem(app.get_as(&analyst, "/v1/tasks").await, 403, "forbidden").await;

    // Bad queries are a clear 400.
    let too_long = format!("?coach_id={}", "c".repeat(101));
    for query in [
        "?kind=everything",
        "?due_before=soon",
        "?limit=0",
        "?jobbtorg_id=J%C3%A4rva",
        "?colour=red",
        "?coach_id=coach%07anna",
        "?coach_id=",
        &too_long,
    ] {
        let response = app.get_as(&anna(), &format!("/v1/tasks{query}")).await;
        assert_eq!(response.status().as_u16(), 400, "{query}");
    }

    // Recording the follow-up and following up the activity takes both off the list.
    let follow_up = json!({"months": 2, "followed_up_on": "2026-11-17", "self_supporting": false});
    let leaver_now = get(&app, &anna(), &format!("/v1/participants/{leaver}")).await;
    let version = format!("\"{}\"", leaver_now["version"]);
    let path = format!("/v1/participants/{leaver}/follow-ups");
    let (status, _, body) = post(&app, &anna(), &path, Some(&version), follow_up).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        kinds(&tasks(&app, &anna(), "").await),
        ["activity_follow_up_due", "plan_due"]
    );
}

#[tokio::test]
async fn a_submitted_plan_is_on_the_home_districts_list_with_its_deadline() {
    let app = spawn_at("2026-11-02T09:00:00+01:00").await;
    let id = refer_on(&app, 41, "2026-11-02").await;
    assert_eq!(enrol_on(&app, &id, "2026-11-02").await.0, 200);
    let plan = json!({"valid_from": "2026-11-02", "valid_to": "2027-04-30", "goal": "Lagerarbete"});
    let (_, etag, plan) = post(
        &app,
        &anna(),
        &format!("/v1/participants/{id}/activity-plans"),
        None,
        plan,
    )
    .await;
    let base = format!("/v1/activity-plans/{}", plan["id"].as_str().unwrap());
    let activity = json!({"activity_type": "work_training", "description": "Praktik",
        "provider_kind": "own_regime", "starts_on": "2026-11-02", "ends_on": "2026-12-13", "hours_per_week": 30});
    let (_, etag, _) = post(&app, &anna(), &format!("{base}/activities"), Some(&etag), activity).await;
    let (status, _, _) = post(&app, &anna(), &format!("{base}/submit"), Some(&etag), json!({})).await;
    assert_eq!(status, 200);

    let district = tasks(&app, &officer("rinkeby-kista"), "").await;
    assert_eq!(kinds(&district), ["plan_awaiting_decision"], "{district}");
    assert_eq!(district["items"][0]["due_on"], "2026-11-09");
    assert_eq!(district["items"][0]["resource"], base.as_str());
    assert_eq!(tasks(&app, &officer("farsta"), "").await["total"], 0);
    // The coach still has the deadline; the decision is not theirs.
    assert_eq!(kinds(&tasks(&app, &anna(), "").await), ["plan_due"]);
}

#[tokio::test]
async fn an_unanswered_referral_near_expiry_is_on_the_providers_and_the_coachs_list() {
    // Monday 2 November: a mapping referral is sent; unanswered it expires after Monday 9th.
    let mut app = spawn_at("2026-11-02T09:00:00+01:00").await;
    let provider = crate::city_clock::provider_with_contract(&app).await;
    let desk = crate::referrals::staff(&provider);
    let id = refer_on(&app, 42, "2026-11-02").await;
    assert_eq!(enrol_on(&app, &id, "2026-11-02").await.0, 200);
    let mapping = json!({"participant_id": id, "activity_type": "mapping", "starts_on": "2026-11-03",
        "ends_on": "2026-12-15", "statutory_basis": "SoL 4 kap. 4 §"});
    let (status, _, referral) = post(&app, &anna(), "/v1/referrals", None, mapping).await;
    assert_eq!(status, 201, "{referral}");
    assert_eq!(tasks(&app, &desk, "").await["total"], 0, "not near expiry yet");

    // Saturday 7th: two days before.
    app.restart_at("2026-11-07T10:00:00+01:00").await;
    let queue = tasks(&app, &desk, "").await;
    assert_eq!(kinds(&queue), ["referral_expiring"], "{queue}");
    assert_eq!(queue["items"][0]["due_on"], "2026-11-09");
    assert_eq!(
        queue["items"][0]["resource"],
        format!("/v1/referrals/{}", referral["id"].as_str().unwrap())
    );
    // The provider sees the person as the referral card does.
    assert_eq!(queue["items"][0]["participant"]["display_name"], "Amina Hassan");
    assert!(kinds(&tasks(&app, &anna(), "").await).contains(&"referral_expiring".to_owned()));
    let other = crate::referrals::staff(&uuid::Uuid::now_v7().to_string());
    assert_eq!(tasks(&app, &other, "").await["total"], 0);
    // Expired, it is off the lists.
    app.restart_at("2026-11-10T10:00:00+01:00").await;
    assert_eq!(tasks(&app, &desk, "").await["total"], 0);
}
