//! The whole journey on the city's clock (issue 13), moved forward by restarting the server on
//! the same database: an intake decided last Friday, enrolment, the plan approved by the
//! district, a referral to a provider with progress and an outcome, exit to work, the 2- and
//! 8-month follow-ups when they fall due, and the result claims they earn, paid. At the end the
//! export is compared with every table of the database: each table that holds anything about
//! the person is in the export row for row, and each other table is declared free of it.

use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::{json, Value};

use crate::city_clock::{anna, get, post, spawn_at};
use crate::helpers::TestApp;
use crate::participants::{officer, personnummer};
use crate::referrals::{purchaser, staff};

/// What the export holds of each table with data about the person: the SQL that counts the
/// person's rows (`{id}` is the participant) and the count in the export.
type Section = (&'static str, &'static str, fn(&Value) -> usize);

fn len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn sum(v: &Value, inner: &str) -> usize {
    v.as_array()
        .map_or(0, |items| items.iter().map(|i| len(&i[inner])).sum())
}

const EXPORTED: &[Section] = &[
    ("participants", "SELECT COUNT(*) AS n FROM participants WHERE id = '{id}'", |e| usize::from(e["participant"].is_object())),
    ("participation_periods", "SELECT COUNT(*) AS n FROM participation_periods WHERE participant_id = '{id}'", |e| len(&e["periods"])),
    ("period_target_groups", "SELECT COUNT(*) AS n FROM period_target_groups g JOIN participation_periods p ON p.id = g.period_id WHERE p.participant_id = '{id}'", |e| sum(&e["periods"], "target_groups")),
    ("interruptions", "SELECT COUNT(*) AS n FROM interruptions WHERE participant_id = '{id}'", |e| len(&e["interruptions"])),
    ("follow_ups", "SELECT COUNT(*) AS n FROM follow_ups WHERE participant_id = '{id}'", |e| len(&e["follow_ups"])),
    ("assessments", "SELECT COUNT(*) AS n FROM assessments WHERE participant_id = '{id}'", |e| len(&e["assessments"])),
    ("consents", "SELECT COUNT(*) AS n FROM consents WHERE participant_id = '{id}'", |e| len(&e["consents"])),
    ("handovers", "SELECT COUNT(*) AS n FROM handovers WHERE participant_id = '{id}'", |e| len(&e["handovers"])),
    ("field_history", "SELECT COUNT(*) AS n FROM field_history WHERE participant_id = '{id}'", |e| len(&e["history"])),
    ("access_log", "SELECT COUNT(*) AS n FROM access_log WHERE participant_id = '{id}'", |e| len(&e["access_log"])),
    ("events", "SELECT COUNT(*) AS n FROM events WHERE participant_id = '{id}'", |e| len(&e["events"])),
    ("activity_plans", "SELECT COUNT(*) AS n FROM activity_plans WHERE participant_id = '{id}'", |e| len(&e["activity_plans"])),
    ("plan_activities", "SELECT COUNT(*) AS n FROM plan_activities a JOIN activity_plans p ON p.id = a.plan_id WHERE p.participant_id = '{id}'", |e| sum(&e["activity_plans"], "activities")),
    ("plan_decisions", "SELECT COUNT(*) AS n FROM plan_decisions d JOIN activity_plans p ON p.id = d.plan_id WHERE p.participant_id = '{id}'", |e| sum(&e["activity_plans"], "decisions")),
    ("referrals", "SELECT COUNT(*) AS n FROM referrals WHERE participant_id = '{id}'", |e| len(&e["referrals"])),
    ("progress_reports", "SELECT COUNT(*) AS n FROM progress_reports r JOIN referrals f ON f.id = r.referral_id WHERE f.participant_id = '{id}'", |e| sum(&e["referrals"], "progress_reports")),
    ("progress_lines", "SELECT COUNT(*) AS n FROM progress_lines l JOIN referrals f ON f.id = l.referral_id WHERE f.participant_id = '{id}'", |e| {
        e["referrals"].as_array().map_or(0, |rs| rs.iter().map(|r| sum(&r["progress_reports"], "lines")).sum())
    }),
    ("claims", "SELECT COUNT(*) AS n FROM claims c JOIN referrals f ON f.id = c.referral_id WHERE f.participant_id = '{id}'", |e| sum(&e["referrals"], "claims")),
    ("referral_deliveries", "SELECT COUNT(*) AS n FROM referral_deliveries d JOIN referrals f ON f.id = d.referral_id WHERE f.participant_id = '{id}'", |e| {
        e["referrals"].as_array().map_or(0, |rs| rs.iter().filter(|r| r["referral"]["cross_centre_reason"].is_string()).count())
    }),
    ("journal_entries", "SELECT COUNT(*) AS n FROM journal_entries WHERE participant_id = '{id}'", |e| len(&e["journal"]) + sum(&e["journal"], "corrections")),
    ("absences", "SELECT COUNT(*) AS n FROM absences WHERE participant_id = '{id}'", |e| len(&e["absences"])),
    ("transfers", "SELECT COUNT(*) AS n FROM transfers WHERE participant_id = '{id}'", |e| len(&e["transfers"])),
];

/// Exported tables the journey leaves empty: no handover (one period), no referral to
/// another job centre's service (`cross_centres.rs` covers those) and no move to another
/// district (`transfers.rs`).
const EMPTY_IN_THE_JOURNEY: &[&str] = &["handovers", "referral_deliveries", "transfers"];

/// Tables that hold nothing about a person, and why.
const NOT_PERSONAL: &[(&str, &str)] = &[
    ("job_centres", "reference data"),
    ("districts", "reference data"),
    ("target_groups", "reference data"),
    ("activity_types", "reference data"),
    ("exit_outcomes", "reference data"),
    ("af_programmes", "Arbetsförmedlingen's programmes (reference data)"),
    ("af_programme_target_groups", "reference data"),
    ("providers", "the register of organisations"),
    ("provider_contacts", "the providers' own desks, not participants"),
    ("contracts", "the purchaser's terms"),
    ("contract_coverage", "the purchaser's terms"),
    ("contract_result_steps", "the purchaser's terms"),
    ("rate_limit_windows", "counters per caller"),
    ("webhook_subscriptions", "machine clients' endpoints"),
    (
        "webhook_deliveries",
        "delivery attempts of events (ids only; the events are exported)",
    ),
    (
        "idempotency_keys",
        "a replay cache of responses, expiring after a day (docs/operations.md)",
    ),
    ("__diesel_schema_migrations", "the schema's version"),
];

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn tables(app: &TestApp) -> Vec<String> {
    let sql = if std::env::var("TEST_BACKEND").as_deref() == Ok("postgres") {
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    };
    let rows: Vec<Name> = diesel::sql_query(sql).load(&mut app.db()).unwrap();
    rows.into_iter().map(|r| r.name).collect()
}

fn assert_export_holds_every_table(app: &TestApp, id: &str, export: &Value) {
    for table in tables(app) {
        let exported = EXPORTED.iter().find(|(name, ..)| *name == table);
        let declared = NOT_PERSONAL.iter().any(|(name, _)| *name == table);
        assert!(
            exported.is_some() || declared,
            "table {table} is neither in the export nor declared free of personal data"
        );
        if let Some((_, sql, in_export)) = exported {
            let stored = app.count(&sql.replace("{id}", id));
            assert!(
                stored > 0 || EMPTY_IN_THE_JOURNEY.contains(&table.as_str()),
                "the journey leaves rows in {table}"
            );
            assert_eq!(stored as usize, in_export(export), "{table}: stored rows vs the export");
        }
    }
}

async fn claim_triggers(app: &TestApp) -> Vec<(String, String)> {
    let list = get(app, &purchaser(), "/v1/claims").await;
    let mut claims: Vec<(String, String)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["trigger"].as_str().unwrap().to_owned(),
                c["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    claims.sort();
    claims
}

fn triggers(claims: &[(String, String)]) -> Vec<&str> {
    claims.iter().map(|(t, _)| t.as_str()).collect()
}

#[tokio::test]
async fn from_intake_to_the_eight_month_follow_up_and_the_last_claim() {
    // Monday 11 January 2027; the district decided on Friday the 8th.
    let mut app = spawn_at("2027-01-11T09:00:00+01:00").await;
    let (status, _, provider) = post(
        &app,
        &purchaser(),
        "/v1/providers",
        None,
        json!({
        "org_number": "556000-0019", "name": "Arbetsvägen AB", "kind": "lou",
        "contacts": [{"name": "Referral desk", "email": "desk@example.se"}]}),
    )
    .await;
    assert_eq!(status, 201, "{provider}");
    let provider = provider["id"].as_str().unwrap().to_owned();
    let contract = json!({
        "reference": "LOU-2027-A", "procurement_form": "lou_framework",
        "valid_from": "2027-01-01", "valid_to": "2028-12-31",
        "activity_types": ["work_training"], "target_groups": ["social_assistance_unemployed"],
        "job_centres": ["jarva"], "capacity": 5, "start_fee_ore": 500_000,
        "result_steps": [
            {"trigger": "employment_or_studies_started", "amount_ore": 1_500_000},
            {"trigger": "employment_sustained_3_months", "amount_ore": 1_000_000},
            {"trigger": "employment_sustained_6_months", "amount_ore": 1_000_000}]});
    let (status, _, body) = post(
        &app,
        &purchaser(),
        &format!("/v1/providers/{provider}/contracts"),
        None,
        contract,
    )
    .await;
    assert_eq!(status, 201, "{body}");

    let birth = chrono::NaiveDate::from_ymd_opt(1984, 6, 1).unwrap();
    let intake = json!({
        "personal_identity_number": personnummer(birth, 71),
        "first_name": "Amina", "last_name": "Hassan", "home_district_id": "rinkeby-kista",
        "target_groups": ["social_assistance_unemployed"],
        "referral_reason": "Unemployed for 14 months.", "requested_start": "2027-01-11",
        "referred_on": "2027-01-08"});
    let (status, _, referred) = post(&app, &officer("rinkeby-kista"), "/v1/participants", None, intake).await;
    assert_eq!(
        (status, referred["referred_on"].as_str()),
        (201, Some("2027-01-08")),
        "{referred}"
    );
    let id = referred["id"].as_str().unwrap().to_owned();
    let base = format!("/v1/participants/{id}");
    let enrol = json!({"arrived_on": "2027-01-11", "coach_id": "coach-anna"});
    let (status, etag, enrolled) = post(&app, &anna(), &format!("{base}/enrol"), Some("\"1\""), enrol).await;
    assert_eq!(
        (status, enrolled["plan_due_on"].as_str()),
        (200, Some("2027-01-18")),
        "{enrolled}"
    );
    let mapping = app
        .client
        .put(app.url(&format!("{base}/assessment")))
        .bearer_auth(anna())
        .header("If-Match", etag.as_str())
        .json(&json!({"work_history": "Warehouse 2015-2021"}))
        .send()
        .await
        .unwrap();
    assert_eq!(mapping.status().as_u16(), 200);
    let consent = json!({"shares": "CV and plan", "recipient_kind": "provider", "recipient_provider_id": provider, "given_on": "2027-01-11"});
    let (status, _, _) = post(&app, &anna(), &format!("{base}/consents"), None, consent).await;
    assert_eq!(status, 201);

    // The plan, approved by the district the same day.
    let plan = json!({"valid_from": "2027-01-11", "valid_to": "2027-07-10", "goal": "Work in logistics"});
    let (status, etag, plan) = post(&app, &anna(), &format!("{base}/activity-plans"), None, plan).await;
    assert_eq!(status, 201, "{plan}");
    let plan_path = format!("/v1/activity-plans/{}", plan["id"].as_str().unwrap());
    let activity = json!({"activity_type": "work_training", "description": "Work training at a warehouse",
        "provider_kind": "external", "starts_on": "2027-01-18", "ends_on": "2027-03-31", "hours_per_week": 30});
    let (status, etag, plan) = post(&app, &anna(), &format!("{plan_path}/activities"), Some(&etag), activity).await;
    assert_eq!(status, 200, "{plan}");
    let activity_id = plan["activities"][0]["id"].as_str().unwrap().to_owned();
    let (status, etag, _) = post(&app, &anna(), &format!("{plan_path}/submit"), Some(&etag), json!({})).await;
    assert_eq!(status, 200);
    let (status, _, approved) = post(
        &app,
        &officer("rinkeby-kista"),
        &format!("{plan_path}/approve"),
        Some(&etag),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, approved["status"].as_str()),
        (200, Some("approved")),
        "{approved}"
    );

    // The referral: accepted at once, started on the 18th.
    let referral = json!({"participant_id": id, "activity_id": activity_id, "consent_id": null,
        "statutory_basis": "SoL 4 kap. 4 §"});
    let (status, etag, referral) = post(&app, &anna(), "/v1/referrals", None, referral).await;
    assert_eq!(status, 201, "{referral}");
    let referral = format!("/v1/referrals/{}", referral["id"].as_str().unwrap());
    let desk = staff(&provider);
    let (status, _, _) = post(&app, &desk, &format!("{referral}/accept"), Some(&etag), json!({})).await;
    assert_eq!(status, 200);
    app.restart_at("2027-01-18T08:00:00+01:00").await;
    let version = format!("\"{}\"", get(&app, &desk, &referral).await["version"]);
    let (status, etag, _) = post(
        &app,
        &desk,
        &format!("{referral}/start"),
        Some(&version),
        json!({"started_on": "2027-01-18"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(triggers(&claim_triggers(&app).await), ["start_fee"]);
    let report = json!({"granularity": "day", "period_from": "2027-01-18", "period_to": "2027-01-18",
        "lines": [{"date": "2027-01-18", "attended_hours": 6.0, "absent_hours": 0.0}]});
    let (status, etag, _) = post(
        &app,
        &desk,
        &format!("{referral}/progress-reports"),
        Some(&etag),
        report,
    )
    .await;
    assert_eq!(status, 201);
    // The same day the provider reports that the person left early; the coach writes
    // in the journal and corrects it.
    let left = json!({"absent_on": "2027-01-18", "from": "13:00", "to": "16:00", "reason": "left_early",
        "note": "Kände sig sjuk."});
    let (status, _, absence) = post(&app, &desk, &format!("{referral}/absences"), None, left).await;
    assert_eq!(status, 201, "{absence}");
    let note = json!({"text": "Första dagen på lagret. Gick hem tidigt."});
    let (status, _, note) = post(&app, &anna(), &format!("{base}/journal"), None, note).await;
    assert_eq!(status, 201, "{note}");
    let correction = json!({"text": "Rättelse: gick hem kl. 13."});
    let corrections = format!("/v1/journal-entries/{}/corrections", note["id"].as_str().unwrap());
    let (status, _, correction) = post(&app, &anna(), &corrections, None, correction).await;
    assert_eq!(status, 201, "{correction}");
    let version = format!("\"{}\"", get(&app, &anna(), &base).await["version"]);
    let sick = json!({"reason": "sickness", "started_on": "2027-01-18", "note": "Flu"});
    let (status, p_etag, sick) = post(&app, &anna(), &format!("{base}/interruptions"), Some(&version), sick).await;
    assert_eq!(status, 200, "{sick}");

    // Work from 1 April: the provider reports the outcome, the coach records the exit.
    app.restart_at("2027-03-31T15:00:00+02:00").await;
    let interruption = sick["interruptions"][0]["id"].as_str().unwrap();
    let (status, p_etag, _) = post(
        &app,
        &anna(),
        &format!("{base}/interruptions/{interruption}/end"),
        Some(&p_etag),
        json!({"ended_on": "2027-01-25"}),
    )
    .await;
    assert_eq!(status, 200);
    let work = json!({"employment_form": "permanent", "extent": "full_time", "wage_subsidy": false});
    let outcome = json!({"completed_on": "2027-03-31", "outcome": "employment", "employment": work});
    let (status, _, completed) = post(&app, &desk, &format!("{referral}/complete"), Some(&etag), outcome).await;
    assert_eq!(status, 200, "{completed}");
    let exit = json!({"exited_on": "2027-03-31", "outcome": "employment", "employment": work});
    let (status, p_etag, exited) = post(&app, &anna(), &format!("{base}/exit"), Some(&p_etag), exit).await;
    assert_eq!(status, 200, "{exited}");
    assert_eq!(
        triggers(&claim_triggers(&app).await),
        ["employment_or_studies_started", "start_fee"]
    );
    let follow_up = |months: u32, on: &str| json!({"months": months, "followed_up_on": on, "self_supporting": true, "employment": work});
    let (status, _, early) = post(
        &app,
        &anna(),
        &format!("{base}/follow-ups"),
        Some(&p_etag),
        follow_up(8, "2027-03-31"),
    )
    .await;
    assert_eq!(
        (status, early["code"].as_str()),
        (409, Some("follow_up_not_due")),
        "no result before the result"
    );

    // 2 months on (31 May): the first follow-up; 2 months is no sustained step yet.
    app.restart_at("2027-05-31T10:00:00+02:00").await;
    let (status, p_etag, _) = post(
        &app,
        &anna(),
        &format!("{base}/follow-ups"),
        Some(&p_etag),
        follow_up(2, "2027-05-31"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        triggers(&claim_triggers(&app).await),
        ["employment_or_studies_started", "start_fee"]
    );

    // 8 months on (30 November): still in work; both sustained steps fall due.
    app.restart_at("2027-11-30T10:00:00+01:00").await;
    let (status, _, followed) = post(
        &app,
        &anna(),
        &format!("{base}/follow-ups"),
        Some(&p_etag),
        follow_up(8, "2027-11-30"),
    )
    .await;
    assert_eq!(status, 200, "{followed}");
    assert!(followed["follow_ups_due"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["recorded"] == true));
    let claims = claim_triggers(&app).await;
    assert_eq!(
        triggers(&claims),
        [
            "employment_or_studies_started",
            "employment_sustained_3_months",
            "employment_sustained_6_months",
            "start_fee"
        ]
    );

    // The purchaser approves and pays the last claim.
    let last = format!("/v1/claims/{}", claims[2].1);
    let version = format!("\"{}\"", get(&app, &purchaser(), &last).await["version"]);
    let (status, etag, _) = post(
        &app,
        &purchaser(),
        &format!("{last}/approve"),
        Some(&version),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, paid) = post(
        &app,
        &purchaser(),
        &format!("{last}/mark-paid"),
        Some(&etag),
        json!({"paid_on": "2027-11-30"}),
    )
    .await;
    assert_eq!((status, paid["status"].as_str()), (200, Some("paid")), "{paid}");

    let export = get(&app, &anna(), &format!("{base}/export")).await;
    assert_export_holds_every_table(&app, &id, &export);
}
