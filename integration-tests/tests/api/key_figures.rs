//! Key figures over a seeded data set whose every expected number is worked out by hand below.
//!
//! The period is 2026-01-01..2026-06-30. Järva: P1–P7 enrolled in it, R1 enrolled in 2025 and
//! exited in it. Sydost: Q1 and Q2 enrolled in it. Provider A (Arbetslinjen) delivers to P1–P5
//! and R1; provider B (Bryggan) declines five referrals and has one unanswered.

use diesel::connection::SimpleConnection;
use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app, TestApp, TestToken};

const PERIOD: &str = "from=2026-01-01&to=2026-06-30";
const PROVIDER_A: &str = "0000000a-0000-4000-8000-000000000000";
const PROVIDER_B: &str = "0000000b-0000-4000-8000-000000000000";

fn id(kind: u8, n: u8) -> String {
    format!("000000{kind:02x}-0000-4000-8000-0000000000{n:02x}")
}

/// `(date, outcome, employment form, extent, wage subsidy)`
type Exit = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<bool>,
);

struct Person {
    n: u8,
    centre: &'static str,
    district: &'static str,
    target_group: &'static str,
    enrolled: &'static str,
    plan_due: &'static str,
    plan_approved: Option<&'static str>,
    exit: Option<Exit>,
}

fn opt(value: Option<&str>) -> String {
    value.map_or("NULL".into(), |v| format!("'{v}'"))
}

fn person_sql(p: &Person) -> String {
    let (pid, period) = (id(1, p.n), id(2, p.n));
    let (exited, outcome, form, extent, subsidy) = match p.exit {
        Some((on, outcome, form, extent, subsidy)) => (
            opt(Some(on)),
            opt(Some(outcome)),
            opt(form),
            opt(extent),
            subsidy.map_or("NULL".into(), |s| s.to_string().to_uppercase()),
        ),
        None => (
            "NULL".into(),
            "NULL".into(),
            "NULL".into(),
            "NULL".into(),
            "NULL".into(),
        ),
    };
    format!(
        "INSERT INTO participants (id, personnummer, first_name, last_name, birth_date, protected_identity,
            pseudonym, version, created_at, updated_at)
         VALUES ('{pid}', '19900101{n:04}', 'Test', 'Person', '1990-01-01', FALSE, 'pseudonym-{n}', 1,
            '2025-09-01 08:00:00', '2025-09-01 08:00:00');
         INSERT INTO participation_periods (id, participant_id, is_current, status, district_code, job_centre_code,
            referral_reason, requested_start, referred_on, referred_by, enrolled_on, plan_due_on, plan_approved_on,
            exited_on, exit_outcome, exit_employment_form, exit_extent, exit_wage_subsidy, created_at)
         VALUES ('{period}', '{pid}', TRUE, 'enrolled', '{district}', '{centre}', 'Needs support', '{enrolled}',
            '{enrolled}', 'officer', '{enrolled}', '{due}', {approved}, {exited}, {outcome}, {form}, {extent},
            {subsidy}, '2025-09-01 08:00:00');
         INSERT INTO period_target_groups (period_id, target_group_code) VALUES ('{period}', '{group}');",
        n = p.n,
        district = p.district,
        centre = p.centre,
        enrolled = p.enrolled,
        due = p.plan_due,
        approved = opt(p.plan_approved),
        group = p.target_group,
    )
}

fn people() -> Vec<Person> {
    let jarva = |n, group, enrolled, due, approved, exit| Person {
        n,
        centre: "jarva",
        district: "rinkeby-kista",
        target_group: group,
        enrolled,
        plan_due: due,
        plan_approved: approved,
        exit,
    };
    let sydost = |n, enrolled| Person {
        n,
        centre: "sydost",
        district: "farsta",
        target_group: "social_assistance_unemployed",
        enrolled,
        plan_due: "2026-03-16",
        plan_approved: Some("2026-03-11"),
        exit: None,
    };
    let work = |on, form, extent, subsidy| Some((on, "employment", Some(form), Some(extent), Some(subsidy)));
    let unemployed = "social_assistance_unemployed";
    vec![
        // Plan days: 2, 4, 7, 10 (late), 3, none (overdue), 1. Participation days: 120, 90, 89, 120, 91.
        jarva(
            1,
            unemployed,
            "2026-01-12",
            "2026-01-19",
            Some("2026-01-14"),
            work("2026-05-12", "permanent", "full_time", false),
        ),
        jarva(
            2,
            unemployed,
            "2026-01-12",
            "2026-01-19",
            Some("2026-01-16"),
            work("2026-04-12", "fixed_term", "full_time", true),
        ),
        jarva(
            3,
            unemployed,
            "2026-02-02",
            "2026-02-09",
            Some("2026-02-09"),
            work("2026-05-02", "permanent", "full_time", false),
        ),
        jarva(
            4,
            unemployed,
            "2026-02-02",
            "2026-02-09",
            Some("2026-02-12"),
            work("2026-06-02", "hourly", "full_time", false),
        ),
        jarva(
            5,
            unemployed,
            "2026-03-02",
            "2026-03-09",
            Some("2026-03-05"),
            Some(("2026-06-01", "studies", None, None, None)),
        ),
        jarva(6, "sfi_student", "2026-03-02", "2026-03-09", None, None),
        jarva(7, "sfi_student", "2026-04-01", "2026-04-08", Some("2026-04-02"), None),
        // R1: enrolled before the period, 132 days to an exit in it.
        jarva(
            8,
            unemployed,
            "2025-10-01",
            "2025-10-08",
            Some("2025-10-03"),
            work("2026-02-10", "permanent", "full_time", false),
        ),
        sydost(11, "2026-03-09"),
        sydost(12, "2026-03-09"),
    ]
}

fn provider_sql(provider: &str, n: u8, name: &str) -> String {
    format!(
        "INSERT INTO providers (id, org_number, name, kind, status, version, created_at, updated_at)
         VALUES ('{provider}', '55667788{n}0', '{name}', 'company', 'active', 1, '2025-09-01 08:00:00', '2025-09-01 08:00:00');
         INSERT INTO contracts (id, provider_id, reference, procurement_form, valid_from, valid_to, capacity,
            start_fee_ore, status, overlaps_af_programme, version, created_at, updated_at)
         VALUES ('{contract}', '{provider}', 'KF-{n}', 'loa', '2025-01-01', '2027-12-31', 100, 500000, 'active', FALSE,
            1, '2025-09-01 08:00:00', '2025-09-01 08:00:00');",
        contract = id(3, n),
    )
}

/// A referral of person `who` to provider `to`: sent at `sent`, then declined for a reason,
/// or started (and ended) on a date.
fn referral_sql(
    n: u8,
    who: u8,
    to: (&str, u8),
    sent: &str,
    status: &str,
    reason: Option<&str>,
    dates: (Option<&str>, Option<&str>),
) -> String {
    let centre_of = |who: u8| {
        if who > 10 {
            ("sydost", "farsta")
        } else {
            ("jarva", "rinkeby-kista")
        }
    };
    let (centre, district) = centre_of(who);
    format!(
        "INSERT INTO referrals (id, participant_id, period_id, job_centre_code, district_code, activity_type,
            starts_on, ends_on, provider_id, contract_id, chosen_by_participant, referred_by, status, decline_reason,
            started_on, ended_on, version, created_at, updated_at)
         VALUES ('{rid}', '{pid}', '{period}', '{centre}', '{district}', 'coaching', '2025-12-01', '2026-12-31',
            '{provider}', '{contract}', FALSE, 'coach', '{status}', {reason}, {started}, {ended}, 1, '{sent}', '{sent}');",
        rid = id(4, n),
        pid = id(1, who),
        period = id(2, who),
        provider = to.0,
        contract = id(3, to.1),
        reason = opt(reason),
        started = opt(dates.0),
        ended = opt(dates.1),
    )
}

fn progress_sql(n: u8, referral: u8, date: &str, minutes: u32) -> String {
    format!(
        "INSERT INTO progress_reports (id, referral_id, granularity, period_from, period_to, reported_by, reported_at)
         VALUES ('{report}', '{rid}', 'weekly', '{date}', '{date}', 'provider', '{date} 18:00:00');
         INSERT INTO progress_lines (id, report_id, referral_id, position, line_date, attended_minutes, absent_minutes)
         VALUES ('{line}', '{report}', '{rid}', 0, '{date}', {minutes}, 0);",
        report = id(5, n),
        line = id(6, n),
        rid = id(4, referral),
    )
}

/// An absence report on `referral` (of participant `who`), for the whole day or `from`–`to`.
fn absence_sql(n: u8, referral: u8, who: u8, on: &str, hours: Option<(&str, &str)>) -> String {
    format!(
        "INSERT INTO absences (id, participant_id, period_id, referral_id, provider_id, absent_on, from_time, to_time,
            reason, reported_by, reported_role, reported_at, version)
         VALUES ('{aid}', '{pid}', '{period}', '{rid}', '{PROVIDER_A}', '{on}', {from}, {to}, 'sick', 'staff',
            'provider_staff', '{on} 09:00:00', 1);",
        aid = id(7, n),
        pid = id(1, who),
        period = id(2, who),
        rid = id(4, referral),
        from = opt(hours.map(|h| h.0)),
        to = opt(hours.map(|h| h.1)),
    )
}

fn claim_sql(n: u8, referral: u8, trigger: &str, amount: u32, status: &str, paid_on: Option<&str>) -> String {
    format!(
        "INSERT INTO claims (id, referral_id, contract_id, provider_id, claim_trigger, amount_ore, status,
            terms_snapshot, evidence, paid_on, version, created_at, updated_at)
         VALUES ('{cid}', '{rid}', '{contract}', '{PROVIDER_A}', '{trigger}', {amount}, '{status}', '{{}}', '{{}}',
            {paid}, 1, '2026-01-20 08:00:00', '2026-01-20 08:00:00');",
        cid = id(7, n),
        rid = id(4, referral),
        contract = id(3, 1),
        paid = opt(paid_on),
    )
}

fn follow_up_sql(n: u8, who: u8, months: u8, self_supporting: bool) -> String {
    format!(
        "INSERT INTO follow_ups (id, period_id, participant_id, months, followed_up_on, self_supporting, recorded_at)
         VALUES ('{fid}', '{period}', '{pid}', {months}, '2026-08-01', {supporting}, '2026-08-01 08:00:00');",
        fid = id(8, n),
        period = id(2, who),
        pid = id(1, who),
        supporting = self_supporting.to_string().to_uppercase(),
    )
}

fn seed(app: &TestApp) {
    let a = (PROVIDER_A, 1);
    let b = (PROVIDER_B, 2);
    let mut sql: Vec<String> = people().iter().map(person_sql).collect();
    sql.push(provider_sql(PROVIDER_A, 1, "Arbetslinjen AB"));
    sql.push(provider_sql(PROVIDER_B, 2, "Bryggan"));
    let started = |on| (Some(on), None);
    sql.extend([
        referral_sql(
            1,
            1,
            a,
            "2026-01-13 09:00:00",
            "completed",
            None,
            (Some("2026-01-20"), Some("2026-05-12")),
        ),
        referral_sql(
            2,
            2,
            a,
            "2026-01-13 09:00:00",
            "completed",
            None,
            (Some("2026-01-20"), Some("2026-04-12")),
        ),
        referral_sql(
            3,
            3,
            a,
            "2026-02-03 09:00:00",
            "in_progress",
            None,
            started("2026-02-10"),
        ),
        referral_sql(
            4,
            4,
            a,
            "2026-02-03 09:00:00",
            "in_progress",
            None,
            started("2026-02-10"),
        ),
        referral_sql(
            5,
            5,
            b,
            "2026-03-03 09:00:00",
            "declined",
            Some("no_capacity"),
            (None, None),
        ),
        referral_sql(
            6,
            5,
            a,
            "2026-03-04 09:00:00",
            "in_progress",
            None,
            started("2026-03-10"),
        ),
        referral_sql(
            7,
            6,
            b,
            "2026-03-03 09:00:00",
            "declined",
            Some("not_eligible"),
            (None, None),
        ),
        referral_sql(
            8,
            7,
            b,
            "2026-04-02 09:00:00",
            "declined",
            Some("no_capacity"),
            (None, None),
        ),
        referral_sql(9, 7, b, "2026-04-20 09:00:00", "declined", Some("other"), (None, None)),
        referral_sql(
            10,
            6,
            b,
            "2026-05-04 09:00:00",
            "declined",
            Some("no_capacity"),
            (None, None),
        ),
        // Before the period: not sent in it, but R1 was in the activity in it.
        referral_sql(
            11,
            8,
            a,
            "2025-12-15 09:00:00",
            "completed",
            None,
            (Some("2025-12-20"), Some("2026-02-10")),
        ),
        referral_sql(12, 11, b, "2026-06-30 15:00:00", "sent", None, (None, None)),
        // Sent the day after the period.
        referral_sql(13, 12, b, "2026-07-01 00:00:00", "sent", None, (None, None)),
    ]);
    // Delivered minutes in the period: 600 + 480 + 300 + 120 + 360 = 1860 = 31 hours over P1–P5 and R1.
    sql.extend([
        progress_sql(1, 1, "2026-02-02", 600),
        progress_sql(2, 2, "2026-02-02", 480),
        progress_sql(3, 3, "2026-03-02", 300),
        progress_sql(4, 6, "2026-03-16", 120),
        progress_sql(5, 11, "2025-12-22", 240),
        progress_sql(6, 11, "2026-01-15", 360),
    ]);
    // Absences in the period: five whole days and 09:00–13:00 (half a day) for P1–P5 and R1;
    // one before the period and one after it do not count.
    sql.extend([
        absence_sql(1, 1, 1, "2026-02-03", None),
        absence_sql(2, 2, 2, "2026-02-04", None),
        absence_sql(3, 3, 3, "2026-03-03", Some(("09:00", "13:00"))),
        absence_sql(4, 4, 4, "2026-03-04", None),
        absence_sql(5, 6, 5, "2026-03-17", None),
        absence_sql(6, 11, 8, "2026-01-15", None),
        absence_sql(7, 11, 8, "2025-12-22", None),
        absence_sql(8, 4, 4, "2026-07-02", None),
    ]);
    // Paid in the period: 500 000 × 4 + 1 500 000 × 2 = 5 000 000 öre for P1–P4 and R1.
    sql.extend([
        claim_sql(1, 1, "start_fee", 500_000, "paid", Some("2026-02-01")),
        claim_sql(
            2,
            1,
            "employment_or_studies_started",
            1_500_000,
            "paid",
            Some("2026-06-01"),
        ),
        claim_sql(3, 2, "start_fee", 500_000, "paid", Some("2026-02-01")),
        claim_sql(4, 3, "start_fee", 500_000, "paid", Some("2026-03-01")),
        claim_sql(5, 4, "start_fee", 500_000, "paid", Some("2026-03-01")),
        claim_sql(
            6,
            11,
            "employment_or_studies_started",
            1_500_000,
            "paid",
            Some("2026-03-01"),
        ),
        claim_sql(7, 6, "start_fee", 500_000, "paid", Some("2026-07-05")),
        claim_sql(8, 2, "employment_or_studies_started", 1_500_000, "approved", None),
    ]);
    // Self-supporting after 2 months: 5 of 6; after 8 months only R1 was followed up.
    sql.extend([
        follow_up_sql(1, 1, 2, true),
        follow_up_sql(2, 2, 2, true),
        follow_up_sql(3, 3, 2, true),
        follow_up_sql(4, 4, 2, true),
        follow_up_sql(5, 5, 2, false),
        follow_up_sql(6, 8, 2, true),
        follow_up_sql(7, 8, 8, true),
    ]);
    app.db()
        .batch_execute(&sql.join("\n"))
        .expect("the data set is inserted");
}

fn analyst() -> String {
    TestToken::role("analyst").sign()
}

async fn report(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app.get_as(token, &format!("/v1/reports/key-figures?{query}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn group<'a>(report: &'a Value, key: &str) -> &'a Value {
    let groups = report["groups"].as_array().unwrap();
    &groups
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key}"))["figures"]
}

fn shown(value: impl Into<Value>) -> Value {
    serde_json::json!({"value": value.into(), "suppressed": false})
}

fn suppressed() -> Value {
    serde_json::json!({"value": null, "suppressed": true})
}

fn empty() -> Value {
    serde_json::json!({"value": null, "suppressed": false})
}

#[actix_web::test]
async fn key_figures_per_job_centre_are_counted_by_hand() {
    let app = spawn_app().await;
    seed(&app);
    let report = report(&app, &analyst(), &format!("{PERIOD}&group_by=jobbtorg")).await;
    assert_eq!(report["group_by"], "jobbtorg");
    assert_eq!(report["min_persons"], 5);
    assert_eq!(
        report["groups"].as_array().unwrap().len(),
        5,
        "every job centre has a row"
    );

    let jarva = group(&report, "jarva");
    let expected = [
        ("participants_enrolled", shown(7)),
        // P1–P7 and R1.
        ("participants_active", shown(8)),
        ("exits", shown(6)),
        ("work_with_wage_subsidy", suppressed()),
        // 5 of 6 to work and 1 to studies: a shown 5 would give the 1 away (secondary suppression).
        ("share_to_work", suppressed()),
        ("share_to_studies", suppressed()),
        ("share_without_coded_outcome", shown(0.0)),
        // 1, 2, 3, 4, 7, 10 → (3 + 4) / 2.
        ("median_days_to_approved_plan", shown(3.5)),
        // On time: P1, P2, P3, P5, P7 of seven due (P6 overdue, P4 late).
        ("share_plans_on_time", shown(0.7143)),
        // (120 + 90 + 89 + 120 + 91 + 132) / 6.
        ("mean_participation_days", shown(107.0)),
        ("self_supporting_after_2_months", shown(0.8333)),
        ("self_supporting_after_8_months", suppressed()),
        ("referrals_sent", shown(10)),
        ("referrals_declined", shown(5)),
        ("share_referrals_declined", shown(0.5)),
        // 31 hours over six persons.
        ("activity_hours_per_participant", shown(5.17)),
        ("absences_reported", shown(6)),
        // Working days in the period of P1 (20 Jan–12 May) 78, P2 (20 Jan–12 Apr) 57, P3 and
        // P4 (from 10 Feb) 96 each, P5 (from 10 Mar) 76, R1 (to 10 Feb) 27: 430, less Twelfth
        // Night, Easter, 1 May, Ascension and midsummer eve; 5.5 days absent: 1 − 5.5 / 430.
        ("attendance_share", shown(0.9872)),
        ("payments_ore", shown(5_000_000)),
        // Over 8 active; over the persons in work it would give their number away.
        ("cost_per_participant_ore", shown(625_000.0)),
        ("cost_per_participant_in_work_ore", suppressed()),
    ];
    for (figure, value) in expected {
        assert_eq!(jarva[figure], value, "jarva {figure}");
    }
    assert_eq!(jarva["exits_by_outcome"]["employment"], suppressed());
    assert_eq!(jarva["exits_by_outcome"]["studies"], suppressed());
    assert_eq!(jarva["exits_by_outcome"]["moved"], shown(0));
    assert_eq!(jarva["exits_by_outcome"].as_object().unwrap().len(), 9);
    assert_eq!(jarva["work_by_extent"]["full_time"], suppressed());
    assert_eq!(jarva["work_by_extent"]["part_time"], shown(0));
    assert_eq!(jarva["work_by_employment_form"]["permanent"], suppressed());
    assert_eq!(jarva["referrals_declined_by_reason"]["no_capacity"], suppressed());
    assert_eq!(
        jarva["referrals_declined_by_reason"]["participant_unreachable"],
        shown(0)
    );

    // Two persons at Sydost: every count about them is hidden; nothing there to divide.
    let sydost = group(&report, "sydost");
    assert_eq!(sydost["participants_enrolled"], suppressed());
    assert_eq!(
        sydost["referrals_sent"],
        suppressed(),
        "the one sent on the period's last day"
    );
    assert_eq!(sydost["exits"], shown(0));
    assert_eq!(sydost["share_to_work"], empty());
    assert_eq!(sydost["median_days_to_approved_plan"], suppressed());
    let innerstaden = group(&report, "innerstaden");
    assert_eq!(innerstaden["participants_enrolled"], shown(0));

    assert_eq!(report["total"]["participants_enrolled"], shown(9));
    assert_eq!(report["total"]["participants_active"], shown(10));
    assert_eq!(report["total"]["referrals_sent"], shown(11));
    assert_eq!(report["total"]["share_referrals_declined"], shown(0.4545));
}

#[actix_web::test]
async fn key_figures_per_provider_and_target_group() {
    let app = spawn_app().await;
    seed(&app);
    let report = report(&app, &analyst(), &format!("{PERIOD}&group_by=provider")).await;
    let keys: Vec<&str> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [PROVIDER_A, PROVIDER_B], "providers with data, by name");
    assert_eq!(report["groups"][0]["label"], "Arbetslinjen AB");
    let a = group(&report, PROVIDER_A);
    // A's participants: P1–P5 enrolled in the period, R1 before it.
    assert_eq!(a["participants_enrolled"], shown(5));
    assert_eq!(a["participants_active"], shown(6));
    assert_eq!(a["exits"], shown(6));
    assert_eq!(a["share_to_work"], suppressed());
    assert_eq!(a["referrals_sent"], shown(5));
    assert_eq!(a["share_referrals_declined"], shown(0.0));
    assert_eq!(a["activity_hours_per_participant"], shown(5.17));
    assert_eq!(a["attendance_share"], shown(0.9872));
    assert_eq!(a["absences_reported"], shown(6));
    assert_eq!(a["payments_ore"], shown(5_000_000));
    assert_eq!(a["cost_per_participant_ore"], shown(833_333.33));
    let b = group(&report, PROVIDER_B);
    // Six referrals to B in the period, five declined: the sign of creaming to watch.
    assert_eq!(b["referrals_sent"], shown(6));
    assert_eq!(b["referrals_declined"], shown(5));
    assert_eq!(b["share_referrals_declined"], shown(0.8333));
    assert_eq!(b["participants_enrolled"], shown(0));

    let report = self::report(&app, &analyst(), &format!("{PERIOD}&group_by=target_group")).await;
    let unemployed = group(&report, "social_assistance_unemployed");
    assert_eq!(unemployed["participants_enrolled"], shown(7));
    assert_eq!(unemployed["participants_active"], shown(8));
    assert_eq!(unemployed["exits"], shown(6));
    assert_eq!(group(&report, "sfi_student")["participants_enrolled"], suppressed());
    assert_eq!(group(&report, "youth_16_24")["participants_enrolled"], shown(0));
}

#[actix_web::test]
async fn a_manager_sees_their_own_centre_and_case_workers_none() {
    let app = spawn_app().await;
    seed(&app);
    let manager = TestToken::role("jobbtorg_manager").jobbtorg("jarva").sign();
    let own = report(&app, &manager, PERIOD).await;
    let keys: Vec<&Value> = own["groups"].as_array().unwrap().iter().map(|g| &g["key"]).collect();
    assert_eq!(keys, ["jarva"]);
    assert_eq!(own["total"]["participants_enrolled"], shown(7));
    assert_eq!(own["total"]["referrals_sent"], shown(10));
    let by_group = report(&app, &manager, &format!("{PERIOD}&group_by=target_group")).await;
    assert_eq!(
        group(&by_group, "social_assistance_unemployed")["participants_enrolled"],
        shown(5)
    );

    let contract_manager = TestToken::role("contract_manager").sign();
    assert_eq!(
        report(&app, &contract_manager, PERIOD).await["total"]["participants_enrolled"],
        shown(9)
    );
    for token in [
        TestToken::role("coach").jobbtorg("jarva").sign(),
        TestToken::role("provider_staff").provider(PROVIDER_A).sign(),
        TestToken::role("admin").sign(),
    ] {
        let response = app.get_as(&token, &format!("/v1/reports/key-figures?{PERIOD}")).await;
        assert_problem(response, 403, "forbidden").await;
    }
}

#[actix_web::test]
async fn key_figures_as_csv_have_the_json_columns_and_two_dots_for_suppressed_cells() {
    let app = spawn_app().await;
    seed(&app);
    let json = report(&app, &analyst(), PERIOD).await;
    let response = app
        .client
        .get(app.url(&format!("/v1/reports/key-figures?{PERIOD}")))
        .bearer_auth(analyst())
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let text = response.text().await.unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|line| line.split(',').collect()).collect();
    assert_eq!(rows.len(), 1 + 5 + 1, "header, five centres, total");

    let mut json_columns: Vec<String> = Vec::new();
    for (name, cell) in json["total"].as_object().unwrap() {
        match cell.get("suppressed") {
            Some(_) => json_columns.push(name.clone()),
            None => json_columns.extend(cell.as_object().unwrap().keys().map(|code| format!("{name}.{code}"))),
        }
    }
    let mut header: Vec<String> = rows[0][2..].iter().map(|c| (*c).to_owned()).collect();
    header.sort();
    json_columns.sort();
    assert_eq!(header, json_columns, "one CSV column per JSON figure");
    assert_eq!(&rows[0][..2], ["group", "label"]);

    let column = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
    let jarva = rows.iter().find(|row| row[0] == "jarva").unwrap();
    assert_eq!(jarva[1], "Jobbtorg Järva");
    assert_eq!(jarva[column("participants_enrolled")], "7");
    assert_eq!(jarva[column("exits_by_outcome.studies")], "..");
    assert_eq!(jarva[column("share_to_work")], "..");
    assert_eq!(jarva[column("share_referrals_declined")], "0.5");
    assert_eq!(jarva[column("payments_ore")], "5000000");
    let sydost = rows.iter().find(|row| row[0] == "sydost").unwrap();
    assert_eq!(sydost[column("share_to_work")], "", "nothing to divide");
    let total = rows.last().unwrap();
    assert_eq!((total[0], total[column("participants_enrolled")]), ("total", "9"));
}

#[actix_web::test]
async fn a_malformed_query_is_400_and_an_impossible_period_422() {
    let app = spawn_app().await;
    for query in [
        "from=2026-01-01&to=2026-13-01",
        "from=2026-01-01",
        "from=2026-01-01&to=2026-06-30&group_by=district",
    ] {
        let response = app
            .get_as(&analyst(), &format!("/v1/reports/key-figures?{query}"))
            .await;
        assert_problem(response, 400, "invalid_query").await;
    }
    for (query, code) in [
        ("from=2026-06-30&to=2026-01-01", "before_from"),
        ("from=2000-01-01&to=2026-01-01", "period_too_long"),
    ] {
        let response = app
            .get_as(&analyst(), &format!("/v1/reports/key-figures?{query}"))
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(
            (
                problem["errors"][0]["field"].as_str(),
                problem["errors"][0]["code"].as_str()
            ),
            (Some("to"), Some(code))
        );
    }
}
