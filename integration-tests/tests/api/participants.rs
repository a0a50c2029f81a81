//! Participants over HTTP: the whole flow, every 4xx named in the issue, scoping, protected
//! identity, and the export with its access log.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, etag_of, spawn_app, TestApp, TestToken};

/// A valid personnummer (12 digits with `-`) for someone born on `birth` with serial `serial`.
pub fn personnummer(birth: NaiveDate, serial: u32) -> String {
    let nine = format!("{}{serial:03}", &birth.format("%Y%m%d").to_string()[2..]);
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    format!("{}-{serial:03}{}", birth.format("%Y%m%d"), (10 - sum % 10) % 10)
}

pub fn today() -> NaiveDate {
    domain::shared::city_date(Utc::now())
}

pub fn years_ago(years: i32, days_more: i64) -> NaiveDate {
    let t = today();
    NaiveDate::from_ymd_opt(t.year() - years, t.month(), t.day().min(28)).unwrap() - Duration::days(days_more)
}

pub fn officer(district: &str) -> String {
    TestToken::role("district_officer")
        .district(district)
        .subject(&format!("officer-{district}"))
        .sign()
}

pub fn coach(jobbtorg: &str, subject: &str) -> String {
    TestToken::role("coach").jobbtorg(jobbtorg).subject(subject).sign()
}

pub fn intake_body(pnr: &str) -> Value {
    json!({
        "personal_identity_number": pnr,
        "first_name": "Amina",
        "last_name": "Hassan",
        "phone": "070-123 45 67",
        "address": {"street": "Rinkebytorget 1", "postal_code": "163 73", "city": "Spånga"},
        "language_needs": "Somali interpreter",
        "home_district_id": "rinkeby-kista",
        "target_groups": ["social_assistance_unemployed"],
        "referral_reason": "Unemployed for 14 months.",
        "requested_start": today().to_string()
    })
}

/// Refers an adult from Rinkeby-Kista and returns the response body.
pub async fn refer(app: &TestApp, serial: u32) -> Value {
    let body = intake_body(&personnummer(years_ago(40, 0), serial));
    let response = app.post_as(&officer("rinkeby-kista"), "/v1/participants", &body).await;
    assert_eq!(response.status().as_u16(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn act(app: &TestApp, token: &str, path: &str, version: &Value, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn ok(response: reqwest::Response) -> Value {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn intake_enrol_interrupt_resume_exit_and_both_follow_ups() {
    let app = spawn_app().await;
    let referred = refer(&app, 101).await;
    assert_eq!(referred["status"], "referred");
    assert_eq!(
        referred["jobbtorg_id"], "jarva",
        "the job centre serving the district, never typed in"
    );
    assert_eq!(referred["target_groups"], json!(["social_assistance_unemployed"]));
    assert_eq!(referred["youth_16_24"], false);
    assert_eq!(referred["participation_days_used"], 0);
    assert_eq!(referred["participation_days_left"], 548);
    let id = referred["id"].as_str().unwrap().to_owned();
    let base = format!("/v1/participants/{id}");
    let anna = coach("jarva", "coach-anna");

    let enrolled = ok(act(
        &app,
        &anna,
        &format!("{base}/enrol"),
        &referred["version"],
        json!({"arrived_on": today(), "coach_id": "coach-anna"}),
    )
    .await)
    .await;
    assert_eq!(enrolled["status"], "enrolled");
    assert_eq!(enrolled["coach_id"], "coach-anna");
    let due = domain::shared::add_working_days(today(), 5);
    assert_eq!(enrolled["plan_due_on"], due.to_string());
    assert_eq!(enrolled["plan_overdue"], false);
    assert_eq!(enrolled["participation_days_used"], 1);

    let registered = ok(act(
        &app,
        &anna,
        &format!("{base}/register-af"),
        &enrolled["version"],
        json!({"registered_on": today()}),
    )
    .await)
    .await;
    assert_eq!(registered["af_registered_on"], today().to_string());

    let interrupted = ok(act(
        &app,
        &anna,
        &format!("{base}/interruptions"),
        &registered["version"],
        json!({"reason": "sickness", "started_on": today()}),
    )
    .await)
    .await;
    assert_eq!(interrupted["status"], "interrupted");
    let interruption = interrupted["interruptions"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        interrupted["participation_days_used"], 0,
        "the interrupted day does not count"
    );

    let resumed = ok(act(
        &app,
        &anna,
        &format!("{base}/interruptions/{interruption}/end"),
        &interrupted["version"],
        json!({"ended_on": today()}),
    )
    .await)
    .await;
    assert_eq!(resumed["status"], "enrolled");
    assert_eq!(resumed["interruptions"][0]["ended_on"], today().to_string());

    let exit = json!({
        "exited_on": today(),
        "outcome": "employment",
        "employment": {"employment_form": "fixed_term", "extent": "part_time", "wage_subsidy": true, "ssyk": "5120"}
    });
    let exited = ok(act(&app, &anna, &format!("{base}/exit"), &resumed["version"], exit).await).await;
    assert_eq!(exited["status"], "exited");
    assert_eq!(exited["exit"]["outcome"], "employment");
    assert_eq!(exited["exit"]["employment"]["wage_subsidy"], true);
    let months: Vec<i64> = exited["follow_ups_due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["months"].as_i64().unwrap())
        .collect();
    assert_eq!(months, [2, 8]);

    // A follow-up checks that the person is still self-supporting 2 and 8 months on: on the
    // day of exit there is nothing to check yet (recorded when due: city_clock::the_journey_*).
    for months in [2, 8] {
        let early = act(
            &app,
            &anna,
            &format!("{base}/follow-ups"),
            &exited["version"],
            json!({"months": months, "followed_up_on": today(), "self_supporting": true}),
        )
        .await;
        assert_problem(early, 409, "follow_up_not_due").await;
    }

    let history: Value = app
        .get_as(&anna, &format!("{base}/history"))
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
    assert_eq!(statuses, ["referred", "enrolled", "interrupted", "enrolled", "exited"]);
}

/// The intake answers from what it wrote, without reading it back: the answer must be what a
/// read gives, target groups (typed and derived) in the same order included.
#[tokio::test]
async fn the_intake_answers_what_a_read_then_gives() {
    let app = spawn_app().await;
    let officer = officer("rinkeby-kista");
    let mut body = intake_body(&personnummer(years_ago(20, 0), 102));
    body["target_groups"] = json!(["social_assistance_unemployed", "sfi_student"]);
    let response = app.post_as(&officer, "/v1/participants", &body).await;
    assert_eq!(response.status().as_u16(), 201);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert!(created["target_groups"].as_array().unwrap().len() >= 2, "{created}");
    let read = app
        .get_as(
            &officer,
            &format!("/v1/participants/{}", created["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(read.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(read.json::<Value>().await.unwrap(), created);
}

#[tokio::test]
async fn intake_refuses_bad_input_with_the_field_named() {
    let app = spawn_app().await;
    let token = officer("rinkeby-kista");
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"personal_identity_number": "19811218-9875"}),
            "personal_identity_number",
            "invalid",
        ),
        (
            json!({"personal_identity_number": personnummer(years_ago(15, 0), 201)}),
            "personal_identity_number",
            "under_age",
        ),
        (json!({"target_groups": ["youth_16_24"]}), "target_groups", "derived"),
        (
            json!({"target_groups": ["disability_support"]}),
            "target_groups",
            "not_enabled",
        ),
        (json!({"target_groups": ["astronauts"]}), "target_groups", "unknown"),
        (json!({"target_groups": []}), "target_groups", "required"),
        (json!({"first_name": "  "}), "first_name", "invalid_format"),
        (json!({"email": "not-an-address"}), "email", "invalid_format"),
    ];
    for (patch, field, code) in cases {
        let mut body = intake_body(&personnummer(years_ago(40, 0), 202));
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let problem = assert_problem(
            app.post_as(&token, "/v1/participants", &body).await,
            422,
            "validation_failed",
        )
        .await;
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e["field"] == field && e["code"] == code),
            "{field}/{code}: {problem}"
        );
    }
    let mut youth = intake_body(&personnummer(years_ago(20, 0), 203));
    youth["target_groups"] = json!([]);
    let created: Value = app
        .post_as(&token, "/v1/participants", &youth)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        created["target_groups"],
        json!(["youth_16_24"]),
        "youth is derived from the date of birth"
    );
    assert_eq!(created["youth_16_24"], true);

    let mut typed_job_centre = intake_body(&personnummer(years_ago(40, 0), 204));
    typed_job_centre["jobbtorg_id"] = json!("jarva");
    assert_problem(
        app.post_as(&token, "/v1/participants", &typed_job_centre).await,
        400,
        "unknown_field",
    )
    .await;
}

#[tokio::test]
async fn only_the_home_districts_officer_refers() {
    let app = spawn_app().await;
    let body = intake_body(&personnummer(years_ago(40, 0), 301));
    assert_problem(
        app.post_as(&officer("farsta"), "/v1/participants", &body).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(&coach("jarva", "c"), "/v1/participants", &body).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_known_person_gets_a_new_period_and_an_open_one_is_409() {
    let app = spawn_app().await;
    let pnr = personnummer(years_ago(40, 0), 401);
    let token = officer("rinkeby-kista");
    let first: Value = app
        .post_as(&token, "/v1/participants", &intake_body(&pnr))
        .await
        .json()
        .await
        .unwrap();
    let id = first["id"].as_str().unwrap();

    let duplicate = assert_problem(
        app.post_as(&token, "/v1/participants", &intake_body(&pnr)).await,
        409,
        "open_participation",
    )
    .await;
    assert!(duplicate["detail"].as_str().unwrap().contains(id), "{duplicate}");

    let anna = coach("jarva", "coach-anna");
    let no_show = json!({"exited_on": today(), "outcome": "no_show"});
    ok(act(
        &app,
        &anna,
        &format!("/v1/participants/{id}/exit"),
        &first["version"],
        no_show,
    )
    .await)
    .await;

    let again = app.post_as(&token, "/v1/participants", &intake_body(&pnr)).await;
    assert_eq!(again.status().as_u16(), 201);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], id, "the same person, not a duplicate");
    assert_eq!(again["status"], "referred");
    assert_eq!(again["earlier_periods"], 1);
}

#[tokio::test]
async fn actions_check_state_dates_outcomes_and_if_match() {
    let app = spawn_app().await;
    let p = refer(&app, 501).await;
    let base = format!("/v1/participants/{}", p["id"].as_str().unwrap());
    let anna = coach("jarva", "coach-anna");

    let interrupt = act(
        &app,
        &anna,
        &format!("{base}/interruptions"),
        &p["version"],
        json!({"reason": "sickness", "started_on": today()}),
    )
    .await;
    let problem = assert_problem(interrupt, 409, "invalid_transition").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("referred"),
        "names the current status: {problem}"
    );

    let early = act(
        &app,
        &anna,
        &format!("{base}/enrol"),
        &p["version"],
        json!({"arrived_on": today() - Duration::days(1), "coach_id": "c"}),
    )
    .await;
    let problem = assert_problem(early, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "arrived_on");

    let missing = app
        .client
        .post(app.url(&format!("{base}/enrol")))
        .bearer_auth(&anna)
        .json(&json!({"arrived_on": today(), "coach_id": "c"}))
        .send()
        .await
        .unwrap();
    assert_problem(missing, 428, "precondition_required").await;
    let stale = act(
        &app,
        &anna,
        &format!("{base}/enrol"),
        &json!(7),
        json!({"arrived_on": today(), "coach_id": "c"}),
    )
    .await;
    assert_problem(stale, 412, "precondition_failed").await;

    for (body, field) in [
        (json!({"exited_on": today(), "outcome": "employment"}), "employment"),
        (json!({"exited_on": today(), "outcome": "other"}), "reason"),
        (json!({"exited_on": today(), "outcome": "unknown"}), "outcome"),
        (
            json!({"exited_on": today(), "outcome": "studies", "employment": {"employment_form": "permanent", "extent": "full_time", "wage_subsidy": false}}),
            "employment",
        ),
    ] {
        let problem = assert_problem(
            act(&app, &anna, &format!("{base}/exit"), &p["version"], body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let unchanged: Value = app.get_as(&anna, &base).await.json().await.unwrap();
    assert_eq!(
        (unchanged["status"].as_str(), unchanged["version"].as_i64()),
        (Some("referred"), Some(1)),
        "failed requests changed nothing"
    );
}

#[tokio::test]
async fn reads_are_scoped_by_role() {
    let app = spawn_app().await;
    let p = refer(&app, 601).await;
    let path = format!("/v1/participants/{}", p["id"].as_str().unwrap());

    assert_eq!(
        app.get_as(&coach("jarva", "any-jarva-coach"), &path)
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        app.get_as(&officer("rinkeby-kista"), &path).await.status().as_u16(),
        200
    );
    let manager = TestToken::role("jobbtorg_manager").jobbtorg("jarva").sign();
    assert_eq!(app.get_as(&manager, &path).await.status().as_u16(), 200);

    assert_problem(app.get_as(&coach("sydost", "c"), &path).await, 404, "not_found").await;
    assert_problem(app.get_as(&officer("farsta"), &path).await, 404, "not_found").await;
    let provider = TestToken::role("provider_staff")
        .provider("0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11")
        .sign();
    assert_problem(app.get_as(&provider, &path).await, 403, "forbidden").await;
    assert_problem(
        app.get_as(&TestToken::role("analyst").sign(), &path).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(&TestToken::role("analyst").sign(), "/v1/participants").await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&provider, "/v1/participants").await, 403, "forbidden").await;

    let other_centre: Value = app
        .get_as(&coach("sydost", "c"), "/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other_centre["items"], json!([]));
    let own: Value = app
        .get_as(&coach("jarva", "c"), "/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["items"].as_array().unwrap().len(), 1);
    let enrol = act(
        &app,
        &coach("sydost", "c"),
        &format!("{path}/enrol"),
        &p["version"],
        json!({"arrived_on": today(), "coach_id": "c"}),
    )
    .await;
    assert_problem(enrol, 404, "not_found").await;
}

#[tokio::test]
async fn search_finds_by_identity_number_in_the_body() {
    let app = spawn_app().await;
    let pnr = personnummer(years_ago(40, 0), 701);
    let created: Value = app
        .post_as(&officer("rinkeby-kista"), "/v1/participants", &intake_body(&pnr))
        .await
        .json()
        .await
        .unwrap();
    let short = pnr.replace('-', "")[2..].to_owned();
    let found = app
        .post_as(
            &coach("jarva", "c"),
            "/v1/participants/search",
            &json!({"personal_identity_number": short}),
        )
        .await;
    assert_eq!(found.status().as_u16(), 200);
    assert_eq!(found.json::<Value>().await.unwrap()["id"], created["id"]);
    let hidden = app
        .post_as(
            &coach("sydost", "c"),
            "/v1/participants/search",
            &json!({"personal_identity_number": pnr}),
        )
        .await;
    assert_problem(hidden, 404, "not_found").await;
    let nobody = personnummer(years_ago(30, 0), 702);
    assert_problem(
        app.post_as(
            &coach("jarva", "c"),
            "/v1/participants/search",
            &json!({"personal_identity_number": nobody}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn list_filters_and_pages() {
    let app = spawn_app().await;
    let anna = coach("jarva", "coach-anna");
    let mut ids = Vec::new();
    for serial in 801..806 {
        ids.push(refer(&app, serial).await);
    }
    let first = &ids[0];
    ok(act(
        &app,
        &anna,
        &format!("/v1/participants/{}/enrol", first["id"].as_str().unwrap()),
        &first["version"],
        json!({"arrived_on": today(), "coach_id": "coach-anna"}),
    )
    .await)
    .await;

    let page1: Value = app
        .get_as(&anna, "/v1/participants?limit=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page1["items"].as_array().unwrap().len(), 2);
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2: Value = app
        .get_as(&anna, &format!("/v1/participants?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    let page3: Value = app
        .get_as(
            &anna,
            &format!(
                "/v1/participants?limit=2&cursor={}",
                page2["next_cursor"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page3["items"].as_array().unwrap().len(), 1);
    assert_eq!(page3["next_cursor"], Value::Null);

    let enrolled: Value = app
        .get_as(&anna, "/v1/participants?status=enrolled")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(enrolled["items"][0]["id"], first["id"]);
    assert_eq!(enrolled["items"].as_array().unwrap().len(), 1);
    let by_coach: Value = app
        .get_as(&anna, "/v1/participants?coach_id=coach-anna")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_coach["items"].as_array().unwrap().len(), 1);
    let by_group: Value = app
        .get_as(&anna, "/v1/participants?target_group=sfi_student")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_group["items"], json!([]));
    let overdue: Value = app
        .get_as(&anna, "/v1/participants?plan_overdue=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overdue["items"], json!([]), "enrolled today: not yet overdue");
    assert_problem(
        app.get_as(&anna, "/v1/participants?status=lost").await,
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn plan_overdue_is_derived_from_the_enrolment_date() {
    let app = spawn_app().await;
    let p = refer(&app, 851).await;
    let id = p["id"].as_str().unwrap();
    // Move the intake and arrival back in time directly: the API never accepts past intakes.
    let long_ago = today() - Duration::days(30);
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE participation_periods SET referred_on = '{long_ago}' WHERE participant_id = '{id}'"
        )),
        &mut app.db(),
    )
    .unwrap();
    let anna = coach("jarva", "coach-anna");
    let enrolled = ok(act(
        &app,
        &anna,
        &format!("/v1/participants/{id}/enrol"),
        &p["version"],
        json!({"arrived_on": long_ago, "coach_id": "coach-anna"}),
    )
    .await)
    .await;
    assert_eq!(
        enrolled["plan_overdue"], true,
        "no approved plan 30 days after enrolment"
    );
    let overdue: Value = app
        .get_as(&anna, "/v1/participants?plan_overdue=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overdue["items"][0]["id"], id);
    let on_time: Value = app
        .get_as(&anna, "/v1/participants?plan_overdue=false")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(on_time["items"], json!([]));
}

#[tokio::test]
async fn protected_identity_hides_address_always_and_name_from_all_but_coach_and_district() {
    let app = spawn_app().await;
    let mut body = intake_body(&personnummer(years_ago(40, 0), 901));
    body["protected_identity"] = json!(true);
    let created: Value = app
        .post_as(&officer("rinkeby-kista"), "/v1/participants", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(created["address"], Value::Null);
    assert_eq!(
        created["display_name"], "Amina Hassan",
        "the district officer sees the name"
    );
    let id = created["id"].as_str().unwrap();
    let path = format!("/v1/participants/{id}");
    let anna = coach("jarva", "coach-anna");
    ok(act(
        &app,
        &anna,
        &format!("{path}/enrol"),
        &created["version"],
        json!({"arrived_on": today(), "coach_id": "coach-anna"}),
    )
    .await)
    .await;

    let as_coach: Value = app.get_as(&anna, &path).await.json().await.unwrap();
    assert_eq!(
        (as_coach["first_name"].as_str(), as_coach["address"].is_null()),
        (Some("Amina"), true)
    );
    let other_coach: Value = app
        .get_as(&coach("jarva", "coach-bertil"), &path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other_coach["display_name"], created["pseudonym"]);
    assert_eq!(
        (
            other_coach["first_name"].is_null(),
            other_coach["personal_identity_number"].is_null()
        ),
        (true, true)
    );
    let manager = TestToken::role("jobbtorg_manager").jobbtorg("jarva").sign();
    let list: Value = app.get_as(&manager, "/v1/participants").await.json().await.unwrap();
    assert_eq!(list["items"][0]["display_name"], created["pseudonym"]);
    assert!(
        !list.to_string().contains("Amina") && !list.to_string().contains("Rinkebytorget"),
        "{list}"
    );
    let export: Value = app.get_as(&anna, &format!("{path}/export")).await.json().await.unwrap();
    assert!(
        !export.to_string().contains("Rinkebytorget"),
        "address never leaves: {export}"
    );
}

#[tokio::test]
async fn the_export_holds_the_data_history_and_every_read() {
    let app = spawn_app().await;
    let p = refer(&app, 951).await;
    let path = format!("/v1/participants/{}", p["id"].as_str().unwrap());
    let anna = coach("jarva", "coach-anna");
    app.get_as(&anna, &path).await;
    app.get_as(&officer("rinkeby-kista"), &path).await;
    app.get_as(&anna, "/v1/participants").await;

    let export: Value = app.get_as(&anna, &format!("{path}/export")).await.json().await.unwrap();
    assert_eq!(export["participant"]["id"], p["id"]);
    assert_eq!(export["address"]["street"], "Rinkebytorget 1");
    let actions: Vec<(&str, &str)> = export["access_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["actor_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("participant.referred", "officer-rinkeby-kista"),
            ("participant.read", "coach-anna"),
            ("participant.read", "officer-rinkeby-kista"),
            ("participant.list", "coach-anna"),
            ("participant.export", "coach-anna"),
        ]
    );
    assert!(export["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["field"] == "status"));
    let log: Value = app
        .get_as(&anna, &format!("{path}/access-log"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        log["items"].as_array().unwrap().len(),
        6,
        "the export and this read are logged too"
    );
}

#[tokio::test]
async fn personal_data_changes_need_if_match_and_are_kept_in_history() {
    let app = spawn_app().await;
    let p = refer(&app, 961).await;
    let path = format!("/v1/participants/{}", p["id"].as_str().unwrap());
    let anna = coach("jarva", "coach-anna");
    let changed = app
        .patch_as(
            &anna,
            &path,
            "\"1\"",
            &json!({"phone": null, "last_name": "Hassan Ali"}),
        )
        .await;
    assert_eq!(etag_of(&changed), "\"2\"");
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(
        (changed["phone"].is_null(), changed["last_name"].as_str()),
        (true, Some("Hassan Ali"))
    );
    let history: Value = app
        .get_as(&anna, &format!("{path}/history"))
        .await
        .json()
        .await
        .unwrap();
    let phone = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["field"] == "phone")
        .unwrap();
    assert_eq!(
        (
            phone["old_value"].as_str(),
            phone["new_value"].is_null(),
            phone["actor_id"].as_str()
        ),
        (Some("070-123 45 67"), true, Some("coach-anna"))
    );
    assert_problem(
        app.patch_as(&anna, &path, "\"1\"", &json!({"phone": "1"})).await,
        412,
        "precondition_failed",
    )
    .await;
    assert_problem(
        app.patch_as(&anna, &path, "\"2\"", &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn an_integration_client_records_af_registration_only_with_its_scope() {
    let app = spawn_app().await;
    let p = refer(&app, 971).await;
    let path = format!("/v1/participants/{}/register-af", p["id"].as_str().unwrap());
    let af = TestToken::role("integration").scope("participants:af-status").sign();
    let recorded = act(&app, &af, &path, &p["version"], json!({"registered_on": today()})).await;
    assert_eq!(recorded.status().as_u16(), 200);
    let body: Value = recorded.json().await.unwrap();
    assert_eq!(body["af_registered_on"], today().to_string());
    assert!(
        body.get("first_name").is_none(),
        "no personal data for a machine client: {body}"
    );
    let no_scope = TestToken::role("integration").scope("events:read").sign();
    assert_problem(
        act(
            &app,
            &no_scope,
            &path,
            &body["version"],
            json!({"registered_on": today()}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(&af, &format!("/v1/participants/{}", p["id"].as_str().unwrap()))
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_mapping_is_saved_with_if_match_and_kept_in_history() {
    let app = spawn_app().await;
    let p = refer(&app, 981).await;
    let path = format!("/v1/participants/{}/assessment", p["id"].as_str().unwrap());
    let anna = coach("jarva", "coach-anna");
    let empty = app.get_as(&anna, &path).await;
    assert_eq!(etag_of(&empty), "\"1\"");
    assert_eq!(empty.json::<Value>().await.unwrap()["languages"], Value::Null);

    let mapping = json!({"languages": "Somali, Swedish (SFI C)", "sfi_test_result": "C passed"});
    let saved = app
        .client
        .put(app.url(&path))
        .bearer_auth(&anna)
        .header("If-Match", "\"1\"")
        .json(&mapping)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status().as_u16(), 200);
    assert_eq!(etag_of(&saved), "\"2\"");
    let read: Value = app.get_as(&anna, &path).await.json().await.unwrap();
    assert_eq!(read["sfi_test_result"], "C passed");
    let stale = app
        .client
        .put(app.url(&path))
        .bearer_auth(&anna)
        .header("If-Match", "\"1\"")
        .json(&mapping)
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition_failed").await;
    assert_problem(app.get_as(&officer("rinkeby-kista"), &path).await, 403, "forbidden").await;

    let history: Value = app
        .get_as(
            &anna,
            &format!("/v1/participants/{}/history", p["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(history["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["field"] == "assessment.languages" && h["new_value"] == "Somali, Swedish (SFI C)"));
}

#[tokio::test]
async fn consents_are_given_listed_and_withdrawn_once() {
    let app = spawn_app().await;
    let p = refer(&app, 991).await;
    let base = format!("/v1/participants/{}/consents", p["id"].as_str().unwrap());
    let anna = coach("jarva", "coach-anna");
    let provider = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11";
    let body = json!({"shares": "CV and activity plan", "recipient_kind": "provider", "recipient_provider_id": provider, "given_on": today()});
    let given = app.post_as(&anna, &base, &body).await;
    assert_eq!(given.status().as_u16(), 201);
    let version = etag_of(&given);
    let consent: Value = given.json().await.unwrap();
    assert_eq!(
        (consent["active"].as_bool(), consent["recipient_provider_id"].as_str()),
        (Some(true), Some(provider))
    );

    let missing_provider = json!({"shares": "CV", "recipient_kind": "provider", "given_on": today()});
    let problem = assert_problem(
        app.post_as(&anna, &base, &missing_provider).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "recipient_provider_id");

    let withdraw = format!("{base}/{}/withdraw", consent["id"].as_str().unwrap());
    let done = app
        .client
        .post(app.url(&withdraw))
        .bearer_auth(&anna)
        .header("If-Match", &version)
        .json(&json!({"withdrawn_on": today()}))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status().as_u16(), 200);
    let next_version = etag_of(&done);
    assert_eq!(done.json::<Value>().await.unwrap()["active"], false);
    let twice = app
        .client
        .post(app.url(&withdraw))
        .bearer_auth(&anna)
        .header("If-Match", &next_version)
        .json(&json!({"withdrawn_on": today()}))
        .send()
        .await
        .unwrap();
    assert_problem(twice, 409, "already_withdrawn").await;

    let list: Value = app.get_as(&officer("rinkeby-kista"), &base).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["withdrawn_on"], today().to_string());
}

#[tokio::test]
async fn an_idempotent_replay_goes_only_to_a_caller_of_the_same_reach() {
    let app = spawn_app().await;
    let p = refer(&app, 992).await;
    let path = format!("/v1/participants/{}/consents", p["id"].as_str().unwrap());
    let body = json!({"shares": "CV", "recipient_kind": "employer", "given_on": today()});
    let post = |token: String| {
        app.client
            .post(app.url(&path))
            .bearer_auth(token)
            .header("Idempotency-Key", "consent-1")
            .json(&body)
            .send()
    };
    let first = post(coach("jarva", "coach-anna")).await.unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let again = post(coach("jarva", "coach-anna")).await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");

    // The same subject with a token for another job centre may not see this participant: it
    // gets no stored answer about them.
    let elsewhere = post(coach("sydost", "coach-anna")).await.unwrap();
    assert!(elsewhere.headers().get("idempotent-replayed").is_none());
    assert_problem(elsewhere, 422, "idempotency_key_reused").await;
}
