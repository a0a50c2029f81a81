//! The records policy on a set clock: participations whose last entry lies more than
//! RETENTION_YEARS back are anonymised by housekeeping (identity, contact and free text gone),
//! the key figures over their period do not change, newer ones are kept; `jobbtorg-api retention
//! --dry-run` lists what it would do and changes nothing.

use std::time::Duration;

use serde_json::{json, Value};

use crate::city_clock::{anna, enrol_on, get, post, refer_on, spawn_at};
use crate::helpers::{TestApp, TestToken, AUDIENCE, ISSUER, TEST_SECRET};
use crate::participants::officer;

const YEAR_2020: &str = "from=2020-01-01&to=2020-12-31";

/// Refers, enrols and exits to studies on `on`; the participant's id.
async fn through(app: &TestApp, serial: u32, on: &str) -> String {
    let id = refer_on(app, serial, on).await;
    let (status, etag, body) = enrol_on(app, &id, on).await;
    assert_eq!(status, 200, "{body}");
    let exit = json!({"exited_on": on, "outcome": "studies"});
    let (status, _, body) = post(app, &anna(), &format!("/v1/participants/{id}/exit"), Some(&etag), exit).await;
    assert_eq!(status, 200, "{body}");
    id
}

async fn key_figures(app: &TestApp) -> Value {
    get(
        app,
        &TestToken::role("analyst").sign(),
        &format!("/v1/reports/key-figures?{YEAR_2020}"),
    )
    .await
}

fn server_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("jobbtorg-api")
}

/// `jobbtorg-api retention --dry-run` on the app's database with the clock at `instant`.
fn dry_run(app: &TestApp, instant: &str) -> String {
    let output = std::process::Command::new(server_binary())
        .args(["retention", "--dry-run"])
        .env("DATABASE_URL", &app.database_url)
        .env("JWT_HS256_SECRET", TEST_SECRET)
        .env("JWT_ISSUER", ISSUER)
        .env("JWT_AUDIENCE", AUDIENCE)
        .env("CLOCK_START", instant)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the server binary runs (make test builds it first)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn participations_past_the_policy_are_anonymised_and_the_key_figures_stay() {
    // March 2020: six people take part and leave; one has a journal note.
    let mut app = spawn_at("2020-03-02T09:00:00+01:00").await;
    let mut old = Vec::new();
    for serial in 61..67 {
        old.push(through(&app, serial, "2020-03-02").await);
    }
    let note = json!({"text": "Vill läsa till undersköterska."});
    let (status, _, _) = post(
        &app,
        &anna(),
        &format!("/v1/participants/{}/journal", old[0]),
        None,
        note,
    )
    .await;
    assert_eq!(status, 201);
    let still_enrolled = refer_on(&app, 67, "2020-03-02").await;
    assert_eq!(enrol_on(&app, &still_enrolled, "2020-03-02").await.0, 200);
    // June 2022: one more leaves; five years on is June 2027.
    app.restart_at("2022-06-01T09:00:00+02:00").await;
    let recent = through(&app, 68, "2022-06-01").await;
    let before = key_figures(&app).await;
    assert_eq!(before["total"]["exits"]["value"], 6, "{before}");

    // The dry run on 3 December 2026 names the six and changes nothing.
    let listed = dry_run(&app, "2026-12-03T09:00:00+01:00");
    for id in &old {
        assert!(
            listed.contains(&format!("would anonymise participant {id}")),
            "{listed}"
        );
    }
    assert!(
        !listed.contains(&recent) && !listed.contains(&still_enrolled),
        "{listed}"
    );
    assert!(
        !listed.contains("Hassan") && listed.contains("kept until 2025-03-02"),
        "{listed}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM participants WHERE anonymised_at IS NOT NULL"),
        0
    );

    // On 3 December 2026 housekeeping (which runs at start) anonymises them.
    app.restart_at("2026-12-03T09:00:00+01:00").await;
    let done = || app.count("SELECT COUNT(*) AS n FROM participants WHERE anonymised_at IS NOT NULL");
    for _ in 0..100 {
        if done() == 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(done(), 6);
    let first = &old[0];
    let identity = format!("SELECT COUNT(*) AS n FROM participants WHERE id = '{first}' AND first_name = 'Amina'");
    assert_eq!(app.count(&identity), 0, "the name is gone");
    let number = format!("SELECT COUNT(*) AS n FROM participants WHERE id = '{first}' AND personnummer LIKE '1985%'");
    assert_eq!(app.count(&number), 0, "the identity number is gone");
    let texts = format!(
        "SELECT COUNT(*) AS n FROM journal_entries WHERE participant_id = '{first}' AND body LIKE '%undersköterska%'"
    );
    assert_eq!(app.count(&texts), 0, "the journal's text is gone");
    let reason = format!(
        "SELECT COUNT(*) AS n FROM participation_periods WHERE participant_id = '{first}' AND referral_reason LIKE 'Unemployed%'"
    );
    assert_eq!(app.count(&reason), 0, "the referral reason is gone");
    let history =
        format!("SELECT COUNT(*) AS n FROM field_history WHERE participant_id = '{first}' AND new_value IS NOT NULL");
    assert_eq!(app.count(&history), 0, "the history keeps who and when, not what");
    // The coded, dated facts stay: the key figures over 2020 are what they were.
    assert_eq!(key_figures(&app).await, before);
    // Nobody reads an anonymised person any more; the others are as they were.
    let district = officer("rinkeby-kista");
    assert_eq!(
        app.get_as(&district, &format!("/v1/participants/{first}"))
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        get(&app, &district, &format!("/v1/participants/{recent}")).await["first_name"],
        "Amina"
    );
    assert_eq!(
        get(&app, &district, &format!("/v1/participants/{still_enrolled}")).await["first_name"],
        "Amina"
    );
    let listed: Value = get(&app, &district, "/v1/participants?limit=200").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
}

#[tokio::test]
async fn a_providers_view_of_a_referral_ends_90_days_after_it_ended() {
    let mut app = spawn_at("2026-12-01T09:00:00+01:00").await;
    let provider = crate::city_clock::provider_with_contract(&app).await;
    let desk = crate::referrals::staff(&provider);
    let id = refer_on(&app, 71, "2026-12-01").await;
    assert_eq!(enrol_on(&app, &id, "2026-12-01").await.0, 200);
    let mapping = json!({"participant_id": id, "activity_type": "mapping", "starts_on": "2026-12-01",
        "ends_on": "2027-01-15", "statutory_basis": "SoL 4 kap. 4 §"});
    let (status, etag, referral) = post(&app, &anna(), "/v1/referrals", None, mapping).await;
    assert_eq!(status, 201, "{referral}");
    let path = format!("/v1/referrals/{}", referral["id"].as_str().unwrap());
    let (_, etag, _) = post(&app, &desk, &format!("{path}/accept"), Some(&etag), json!({})).await;
    let (_, etag, _) = post(
        &app,
        &desk,
        &format!("{path}/start"),
        Some(&etag),
        json!({"started_on": "2026-12-01"}),
    )
    .await;
    let stop = json!({"interrupted_on": "2026-12-01", "reason": "Slutade komma."});
    let (status, _, body) = post(&app, &desk, &format!("{path}/interrupt"), Some(&etag), stop).await;
    assert_eq!(status, 200, "{body}");

    // Ended 1 December: the 90th day after is 1 March.
    app.restart_at("2027-03-01T12:00:00+01:00").await;
    assert_eq!(get(&app, &desk, &path).await["status"], "interrupted");
    let listed = get(&app, &desk, "/v1/referrals").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    app.restart_at("2027-03-02T12:00:00+01:00").await;
    assert_eq!(app.get_as(&desk, &path).await.status().as_u16(), 404);
    let listed = get(&app, &desk, "/v1/referrals").await;
    assert!(listed["items"].as_array().unwrap().is_empty(), "{listed}");
    // The case keeps it.
    assert_eq!(get(&app, &anna(), &path).await["status"], "interrupted");
}
