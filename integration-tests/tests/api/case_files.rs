//! Each job centre's case file is its own (issue 13): a person whose participation at Järva
//! (Rinkeby-Kista) ended is referred again by Farsta to Sydost. The new offices see the
//! person, the earlier period's dates and coded outcome, and nothing else of it until Järva
//! records a handover; the home district never reads the mapping, through any door.

use serde_json::{json, Value};

use crate::city_clock::{get, post};
use crate::helpers::{assert_problem, etag_of, spawn_app, TestApp};
use crate::participants::{coach, intake_body, officer, personnummer, today, years_ago};

const MAPPING_TEXT: &str = "Warehouse work 2015-2021; forklift licence.";
const GOAL_TEXT: &str = "Work in logistics within six months";

async fn put_mapping(app: &TestApp, token: &str, id: &str, version: &str) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/v1/participants/{id}/assessment")))
        .bearer_auth(token)
        .header("If-Match", version)
        .json(&json!({"work_history": MAPPING_TEXT}))
        .send()
        .await
        .unwrap()
}

fn fields(history: &Value) -> Vec<String> {
    history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["field"].as_str().unwrap().to_owned())
        .collect()
}

fn mentions(document: &Value, text: &str) -> bool {
    document.to_string().contains(text)
}

/// Järva's period: referred, enrolled, mapped, a consent, a plan, then exited. The
/// participant id, Järva's period id and the old plan's id.
async fn jarvas_period(app: &TestApp, pnr: &str) -> (String, String, String) {
    let anna = coach("jarva", "coach-anna");
    let (status, _, referred) = post(
        app,
        &officer("rinkeby-kista"),
        "/v1/participants",
        None,
        intake_body(pnr),
    )
    .await;
    assert_eq!(status, 201, "{referred}");
    let id = referred["id"].as_str().unwrap().to_owned();
    let base = format!("/v1/participants/{id}");
    let enrol = json!({"arrived_on": today(), "coach_id": "coach-anna"});
    let (status, etag, _) = post(app, &anna, &format!("{base}/enrol"), Some("\"1\""), enrol).await;
    assert_eq!(status, 200);
    let mapped = put_mapping(app, &anna, &id, &etag).await;
    assert_eq!(mapped.status().as_u16(), 200);
    let consent = json!({"shares": "CV", "recipient_kind": "employer", "given_on": today()});
    let (status, _, _) = post(app, &anna, &format!("{base}/consents"), None, consent).await;
    assert_eq!(status, 201);
    let valid_to = today() + chrono::Months::new(3);
    let plan = json!({"valid_from": today(), "valid_to": valid_to, "goal": GOAL_TEXT});
    let (status, _, plan) = post(app, &anna, &format!("{base}/activity-plans"), None, plan).await;
    assert_eq!(status, 201, "{plan}");
    let version = format!("\"{}\"", get(app, &anna, &base).await["version"]);
    let exit = json!({"exited_on": today(), "outcome": "moved"});
    let (status, _, exited) = post(app, &anna, &format!("{base}/exit"), Some(&version), exit).await;
    assert_eq!(status, 200, "{exited}");
    let export = get(app, &anna, &format!("{base}/export")).await;
    let period = export["periods"][0]["id"].as_str().unwrap().to_owned();
    (id, period, plan["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_new_period_sees_the_earlier_ones_dates_and_outcome_and_the_rest_only_after_a_handover() {
    let app = spawn_app().await;
    let pnr = personnummer(years_ago(35, 0), 611);
    let (id, jarva_period, old_plan) = jarvas_period(&app, &pnr).await;
    let base = format!("/v1/participants/{id}");

    // Farsta refers the person again; Sydost enrols them.
    let farsta = officer("farsta");
    let mut intake = intake_body(&pnr);
    intake["home_district_id"] = json!("farsta");
    intake["referral_reason"] = json!("Moved to Farsta, looking for work.");
    let (status, _, again) = post(&app, &farsta, "/v1/participants", None, intake).await;
    assert_eq!((status, again["id"].as_str()), (201, Some(id.as_str())), "{again}");
    let berit = coach("sydost", "coach-berit");
    let version = format!("\"{}\"", again["version"]);
    let enrol = json!({"arrived_on": today(), "coach_id": "coach-berit"});
    let (status, _, _) = post(&app, &berit, &format!("{base}/enrol"), Some(&version), enrol).await;
    assert_eq!(status, 200);

    // Before a handover: the mapping, plan text, consents, history and access log of Järva's
    // period are not Sydost's nor Farsta's.
    let mapping = get(&app, &berit, &format!("{base}/assessment")).await;
    assert_eq!(
        mapping["work_history"],
        Value::Null,
        "the new period starts its own mapping"
    );
    let plan_path = format!("/v1/activity-plans/{old_plan}");
    assert_problem(app.get_as(&berit, &plan_path).await, 404, "not_found").await;
    assert_problem(
        app.get_as(&berit, &format!("{plan_path}/history")).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(get(&app, &berit, &format!("{base}/consents")).await["items"], json!([]));
    for token in [&berit, &farsta] {
        let history = get(&app, token, &format!("{base}/history")).await;
        assert!(
            !fields(&history).iter().any(|f| f.starts_with("assessment.")),
            "{history}"
        );
        assert!(
            !mentions(&history, "exited"),
            "Järva's exit is Järva's history: {history}"
        );
        let log = get(&app, token, &format!("{base}/access-log")).await;
        assert!(!mentions(&log, "coach-anna"), "Järva's reads are in Järva's log: {log}");
        let export = get(&app, token, &format!("{base}/export")).await;
        for text in [MAPPING_TEXT, GOAL_TEXT, "coach-anna", "Unemployed for 14 months"] {
            assert!(!mentions(&export, text), "{text} leaked: {export}");
        }
        assert_eq!(
            export["periods"][0]["exit_outcome"], "moved",
            "the coded outcome is shared"
        );
        assert_eq!(export["periods"][0]["jobbtorg_id"], "jarva");
        assert_eq!(export["withheld"][0]["period_id"], jarva_period.as_str());
        assert_eq!(
            export["withheld"][0]["records"].as_array().unwrap().len(),
            8,
            "every kind of record, the journal too"
        );
    }

    // Only Järva may hand over Järva's records; it shares the mapping, plans, consents,
    // history and access log, on the participant's consent.
    let handover = json!({
        "from_period_id": jarva_period,
        "records": ["mapping", "plans", "consents", "history", "access_log"],
        "legal_basis": "The participant's consent, given at Sydost"
    });
    let path = format!("{base}/handovers");
    let (status, _, refused) = post(&app, &berit, &path, None, handover.clone()).await;
    assert_eq!(
        (status, refused["errors"][0]["field"].as_str()),
        (422, Some("from_period_id")),
        "{refused}"
    );
    let stranger = coach("innerstaden", "coach-cecilia");
    let (status, _, _) = post(&app, &stranger, &path, None, handover.clone()).await;
    assert_eq!(status, 404, "an office that made no period finds nothing");
    let anna = coach("jarva", "coach-anna");
    let (status, _, recorded) = post(&app, &anna, &path, None, handover).await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(recorded["recorded_by"], "coach-anna");
    let handover_id = recorded["id"].as_str().unwrap();

    // After it: Sydost reads what was handed over; the handover is in both offices' logs.
    let plan = get(&app, &berit, &plan_path).await;
    assert_eq!(plan["goal"], GOAL_TEXT);
    assert_eq!(
        get(&app, &berit, &format!("{base}/consents")).await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let export = get(&app, &berit, &format!("{base}/export")).await;
    assert_eq!(export["assessments"][0]["work_history"], MAPPING_TEXT, "{export}");
    assert_eq!(export["assessments"][0]["period_id"], jarva_period.as_str());
    assert!(mentions(&export["history"], "exited"));
    assert_eq!(
        export["withheld"][0]["records"],
        json!(["referrals", "interruption_notes", "journal"]),
        "what the handover did not name stays Järva's"
    );
    for token in [&anna, &berit] {
        let log = get(&app, token, &format!("{base}/access-log")).await;
        assert!(mentions(&log, handover_id), "{log}");
        let handovers = get(&app, token, &path).await;
        assert_eq!(handovers["items"][0]["id"], handover_id);
    }
    let jarvas_log = get(&app, &anna, &format!("{base}/access-log")).await;
    assert!(
        !mentions(&jarvas_log, "coach-berit"),
        "Sydost's reads are Sydost's: {jarvas_log}"
    );

    // The district decides on plans but never reads the mapping: not by its resource, its
    // history nor the export, handed over or not.
    assert_problem(
        app.get_as(&farsta, &format!("{base}/assessment")).await,
        403,
        "forbidden",
    )
    .await;
    let history = get(&app, &farsta, &format!("{base}/history")).await;
    assert!(
        !fields(&history).iter().any(|f| f.starts_with("assessment.")),
        "{history}"
    );
    let export = get(&app, &farsta, &format!("{base}/export")).await;
    assert!(!mentions(&export, MAPPING_TEXT), "{export}");
    assert_eq!(get(&app, &farsta, &plan_path).await["goal"], GOAL_TEXT);
}

#[tokio::test]
async fn the_home_district_does_not_read_the_mapping_through_history_or_export() {
    let app = spawn_app().await;
    let pnr = personnummer(years_ago(30, 0), 612);
    let district = officer("rinkeby-kista");
    let (status, _, referred) = post(&app, &district, "/v1/participants", None, intake_body(&pnr)).await;
    assert_eq!(status, 201);
    let id = referred["id"].as_str().unwrap();
    let anna = coach("jarva", "coach-anna");
    let enrol = json!({"arrived_on": today(), "coach_id": "coach-anna"});
    let (_, etag, _) = post(
        &app,
        &anna,
        &format!("/v1/participants/{id}/enrol"),
        Some("\"1\""),
        enrol,
    )
    .await;
    let saved = put_mapping(&app, &anna, id, &etag).await;
    assert_eq!(saved.status().as_u16(), 200);
    assert_eq!(etag_of(&saved), "\"3\"");

    let coach_history = get(&app, &anna, &format!("/v1/participants/{id}/history")).await;
    assert!(fields(&coach_history).contains(&"assessment.work_history".to_owned()));
    let coach_export = get(&app, &anna, &format!("/v1/participants/{id}/export")).await;
    assert_eq!(coach_export["assessments"][0]["work_history"], MAPPING_TEXT);

    let history = get(&app, &district, &format!("/v1/participants/{id}/history")).await;
    assert!(
        !fields(&history).iter().any(|f| f.starts_with("assessment.")),
        "{history}"
    );
    assert!(
        fields(&history).contains(&"status".to_owned()),
        "the rest of the history is the district's"
    );
    let export = get(&app, &district, &format!("/v1/participants/{id}/export")).await;
    assert!(!mentions(&export, MAPPING_TEXT), "{export}");
    assert_eq!(export["withheld"][0]["records"], json!(["mapping"]));
}

#[tokio::test]
async fn an_intake_that_meets_an_open_participation_elsewhere_does_not_name_it() {
    let app = spawn_app().await;
    let pnr = personnummer(years_ago(45, 0), 613);
    let (status, _, referred) = post(
        &app,
        &officer("rinkeby-kista"),
        "/v1/participants",
        None,
        intake_body(&pnr),
    )
    .await;
    assert_eq!(status, 201);
    let id = referred["id"].as_str().unwrap();
    let mut elsewhere = intake_body(&pnr);
    elsewhere["home_district_id"] = json!("farsta");
    let refused = assert_problem(
        app.post_as(&officer("farsta"), "/v1/participants", &elsewhere).await,
        409,
        "open_participation",
    )
    .await;
    assert!(!mentions(&refused, id), "{refused}");
}
