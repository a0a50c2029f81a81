//! The case journal and absence reports over HTTP: who writes, who reads, corrections beside
//! the note, a provider's report reaching the home district's task list and the feed, the seen
//! mark by compare-and-swap, and bad input.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, etag_of, join_all, spawn_app, TestApp, TestToken};
use crate::participants::{coach, officer, today};
use crate::referrals::{anna, approved_plan_activity, contract, created, enrolled, provider, send, staff};
use crate::tasks::{kinds, tasks};

async fn journal(app: &TestApp, token: &str, id: &str) -> Value {
    let response = app.get_as(token, &format!("/v1/participants/{id}/journal")).await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn notes_are_signed_corrected_beside_the_original_and_confidential_ones_stay_at_the_job_centre() {
    let app = spawn_app().await;
    let id = enrolled(&app, 201).await;
    let path = format!("/v1/participants/{id}/journal");
    let (_, note) = created(
        &app,
        &anna(),
        &path,
        json!({"text": "Samtal om praktik.\nVill börja i januari."}),
    )
    .await;
    assert_eq!(note["written_by"], "coach-anna");
    assert_eq!(note["written_role"], "coach");
    assert_eq!(note["written_jobbtorg_id"], "jarva");
    assert_eq!(note["entry_date"], today().to_string());
    let (_, secret) = created(
        &app,
        &anna(),
        &path,
        json!({"text": "Berättar om skulder.", "confidential": true}),
    )
    .await;
    let district = officer("rinkeby-kista");
    let (_, district_note) = created(
        &app,
        &district,
        &path,
        json!({"text": "Beslut om försörjningsstöd fattat."}),
    )
    .await;
    assert_eq!(district_note["written_district_id"], "rinkeby-kista");

    // A correction shows beside its note; the note stays as written.
    let corrections = format!("/v1/journal-entries/{}/corrections", note["id"].as_str().unwrap());
    let (_, correction) = created(&app, &anna(), &corrections, json!({"text": "Rättelse: februari."})).await;
    assert_eq!(correction["corrects"], note["id"]);
    let read = journal(&app, &anna(), &id).await;
    let items = read["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{read}");
    assert_eq!(items[0]["text"], "Samtal om praktik.\nVill börja i januari.");
    assert_eq!(items[0]["corrections"][0]["text"], "Rättelse: februari.");

    // The home district reads all but the confidential note; so does the manager; another job
    // centre, a provider and an analyst nothing.
    let seen: Vec<Value> = journal(&app, &district, &id).await["items"].as_array().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|n| n["id"] != secret["id"]));
    let manager = TestToken::role("jobbtorg_manager").jobbtorg("jarva").sign();
    assert_eq!(journal(&app, &manager, &id).await["items"].as_array().unwrap().len(), 3);
    let sydost = coach("sydost", "coach-sara");
    assert_problem(app.get_as(&sydost, &path).await, 404, "not_found").await;
    assert_problem(app.get_as(&officer("farsta"), &path).await, 404, "not_found").await;
    let provider_staff = TestToken::role("provider_staff")
        .provider(&uuid::Uuid::now_v7().to_string())
        .sign();
    assert_problem(app.get_as(&provider_staff, &path).await, 403, "forbidden").await;
    assert_problem(
        app.get_as(&TestToken::role("analyst").sign(), &path).await,
        403,
        "forbidden",
    )
    .await;

    // Only the office that wrote a note corrects it; a note you may not read is not found.
    let district_corrects = format!("/v1/journal-entries/{}/corrections", note["id"].as_str().unwrap());
    assert_problem(
        app.post_as(&district, &district_corrects, &json!({"text": "x"})).await,
        403,
        "forbidden",
    )
    .await;
    let secret_corrections = format!("/v1/journal-entries/{}/corrections", secret["id"].as_str().unwrap());
    assert_problem(
        app.post_as(&district, &secret_corrections, &json!({"text": "x"})).await,
        404,
        "not_found",
    )
    .await;
    let plain = app
        .post_as(&anna(), &secret_corrections, &json!({"text": "Rättelse."}))
        .await;
    assert_problem(plain, 422, "validation_failed").await;
    let twice = format!("/v1/journal-entries/{}/corrections", correction["id"].as_str().unwrap());
    assert_problem(
        app.post_as(&anna(), &twice, &json!({"text": "x"})).await,
        409,
        "corrects_a_correction",
    )
    .await;

    // Bad input: empty, in the future, confidential from the district, unknown fields.
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    for (body, field) in [
        (json!({"text": "   "}), "text"),
        (json!({"text": "x", "entry_date": tomorrow}), "entry_date"),
    ] {
        let problem = assert_problem(app.post_as(&anna(), &path, &body).await, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let problem = assert_problem(
        app.post_as(&district, &path, &json!({"text": "x", "confidential": true}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "confidential");
    let response = app.post_as(&anna(), &path, &json!({"text": "x", "mood": "good"})).await;
    assert_eq!(response.status().as_u16(), 400);
    assert_problem(
        app.post_as(&sydost, &path, &json!({"text": "x"})).await,
        404,
        "not_found",
    )
    .await;
    // Nothing of the refused writes was stored.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM journal_entries WHERE participant_id = '{id}'"
        )),
        4
    );

    // The export carries the journal as the caller may read it.
    let export: Value = app
        .get_as(&district, &format!("/v1/participants/{id}/export"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["journal"].as_array().unwrap().len(), 2, "{}", export["journal"]);
}

/// A started referral of `participant` at a new provider; the referral's path and the staff token.
async fn started_referral(app: &TestApp, participant: &str, n: u32) -> (String, String) {
    let provider_id = provider(app, n, "Arbetsvägen AB").await;
    contract(app, &provider_id, &format!("LOU-{n}"), 5).await;
    let (_, activity) = approved_plan_activity(app, participant).await;
    let body = json!({"participant_id": participant, "activity_id": activity, "statutory_basis": "SoL 4 kap. 4 §"});
    let (etag, referral) = created(app, &anna(), "/v1/referrals", body).await;
    let path = format!("/v1/referrals/{}", referral["id"].as_str().unwrap());
    let desk = staff(&provider_id);
    let (status, etag, _) = send(app, &desk, &format!("{path}/accept"), Some(&etag), json!({})).await;
    assert_eq!(status, 200);
    let (status, _, body) = send(
        app,
        &desk,
        &format!("{path}/start"),
        Some(&etag),
        json!({"started_on": today()}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    (path, desk)
}

#[tokio::test]
async fn a_providers_absence_report_reaches_the_home_district_and_the_feed_and_is_marked_seen_once() {
    let app = spawn_app().await;
    let id = enrolled(&app, 202).await;
    let district = officer("rinkeby-kista");
    let absences = format!("/v1/participants/{id}/absences");

    // Before the activity starts there is nothing to be absent from.
    let provider_id = provider(&app, 7, "Tidig AB").await;
    contract(&app, &provider_id, "LOU-7", 5).await;
    let (_, activity) = approved_plan_activity(&app, &id).await;
    let body = json!({"participant_id": id, "activity_id": activity, "statutory_basis": "SoL 4 kap. 4 §"});
    let (_, sent) = created(&app, &anna(), "/v1/referrals", body).await;
    let early = format!("/v1/referrals/{}/absences", sent["id"].as_str().unwrap());
    let sick = json!({"absent_on": today(), "reason": "sick"});
    assert_problem(
        app.post_as(&staff(&provider_id), &early, &sick).await,
        409,
        "not_started",
    )
    .await;

    let other = enrolled(&app, 204).await;
    let (referral, desk2) = started_referral(&app, &other, 9).await;
    let report = format!("{referral}/absences");
    let (etag, absence) = created(
        &app,
        &desk2,
        &report,
        json!({"absent_on": today(), "reason": "child_sick",
        "note": "Barnet har feber."}),
    )
    .await;
    assert_eq!(absence["reason"], "child_sick");
    assert_eq!(etag, "\"1\"");
    assert!(absence["seen_at"].is_null());

    // The home district's task list and feed; the coach and the district read it.
    let queue = tasks(&app, &district, "").await;
    assert!(kinds(&queue).contains(&"absence_unseen".to_owned()), "{queue}");
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "absence_unseen")
        .unwrap()
        .clone();
    assert_eq!(item["participant"]["id"], other.as_str());
    let feed: Value = app
        .get_as(&district, "/v1/events?limit=200")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "participant.absence_reported" && e["resource_id"] == absence["id"]),
        "{feed}"
    );
    let listed: Value = app
        .get_as(&anna(), &format!("/v1/participants/{other}/absences"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["id"], absence["id"]);
    assert_problem(app.get_as(&officer("farsta"), &absences).await, 404, "not_found").await;
    let other_absences = format!("/v1/participants/{other}/absences");
    assert_problem(
        app.get_as(&coach("sydost", "coach-sara"), &other_absences).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&TestToken::role("analyst").sign(), &other_absences).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&desk2, &other_absences).await, 403, "forbidden").await;
    // The coach's door is not the provider's, nor the other way round.
    assert_problem(app.post_as(&anna(), &report, &sick).await, 403, "forbidden").await;
    // Another provider cannot report on this referral.
    assert_problem(
        app.post_as(&staff(&provider_id), &report, &sick).await,
        404,
        "not_found",
    )
    .await;

    // Marked seen by exactly one of several concurrent requests with the same If-Match.
    let seen = format!("/v1/absences/{}/seen", absence["id"].as_str().unwrap());
    let mark = || async {
        let response = app
            .client
            .post(app.url(&seen))
            .bearer_auth(&district)
            .header("If-Match", "\"1\"")
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), etag_of(&response))
    };
    let outcomes = join_all((0..6).map(|_| mark())).await;
    assert_eq!(outcomes.iter().filter(|(s, _)| *s == 200).count(), 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|(s, _)| *s == 200 || *s == 412), "{outcomes:?}");
    let history = app.count(&format!(
        "SELECT COUNT(*) AS n FROM field_history WHERE resource_id = '{}'",
        absence["id"].as_str().unwrap()
    ));
    assert_eq!(history, 1);
    assert!(!kinds(&tasks(&app, &district, "").await).contains(&"absence_unseen".to_owned()));
    assert_problem(
        app.post_as(&district, &seen, &json!({})).await,
        428,
        "precondition_required",
    )
    .await;
    let coach_marks = app
        .client
        .post(app.url(&seen))
        .bearer_auth(anna())
        .header("If-Match", "\"2\"")
        .send()
        .await
        .unwrap();
    assert_problem(coach_marks, 403, "forbidden").await;

    // Bad input: a late report without its reason, unknown reason, half a span, a future day.
    let yesterday = (today() - chrono::Duration::days(1)).to_string();
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    for (body, field) in [
        (json!({"absent_on": yesterday, "reason": "sick"}), "absent_on"),
        (json!({"absent_on": today(), "reason": "holiday"}), "reason"),
        (json!({"absent_on": today(), "reason": "late", "from": "09:00"}), "to"),
        (
            json!({"absent_on": today(), "reason": "late", "from": "10:00", "to": "09:00"}),
            "to",
        ),
        (
            json!({"absent_on": today(), "reason": "late", "from": "9 o'clock", "to": "10:00"}),
            "from",
        ),
        (json!({"absent_on": tomorrow, "reason": "sick"}), "absent_on"),
        (json!({"absent_on": today(), "reason": "other"}), "note"),
    ] {
        let problem = assert_problem(app.post_as(&desk2, &report, &body).await, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body} {problem}");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM absences WHERE participant_id = '{other}'"
        )),
        1
    );
}

#[tokio::test]
async fn the_coach_reports_absences_from_the_job_centres_own_activities_only() {
    let app = spawn_app().await;
    let (id, _) = crate::activity_plans::enrolled(&app, 205).await;
    let (plan, etag) = crate::activity_plans::draft_with_activity(&app, &id).await;
    let plan_path = format!("/v1/activity-plans/{plan}");
    let (status, etag, _) = send(&app, &anna(), &format!("{plan_path}/submit"), Some(&etag), json!({})).await;
    assert_eq!(status, 200);
    let (status, _, approved) = send(
        &app,
        &officer("rinkeby-kista"),
        &format!("{plan_path}/approve"),
        Some(&etag),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    let activity = approved["activities"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/participants/{id}/absences");
    let (_, absence) = created(
        &app,
        &anna(),
        &path,
        json!({"absent_on": today(), "reason": "no_show", "activity_id": activity}),
    )
    .await;
    assert_eq!(absence["reported_role"], "coach");
    assert!(absence["referral_id"].is_null());
    let problem = assert_problem(
        app.post_as(&anna(), &path, &json!({"absent_on": today(), "reason": "no_show"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "activity_id");
    let unknown = json!({"absent_on": today(), "reason": "no_show", "activity_id": uuid::Uuid::now_v7()});
    assert_problem(app.post_as(&anna(), &path, &unknown).await, 422, "validation_failed").await;
    // The district reads reports but does not write them for the job centre.
    let district = json!({"absent_on": today(), "reason": "no_show", "activity_id": activity});
    assert_problem(
        app.post_as(&officer("rinkeby-kista"), &path, &district).await,
        403,
        "forbidden",
    )
    .await;
}
