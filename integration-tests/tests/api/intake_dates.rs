//! The intake carries the district's decision date (issue 13): today by default, at most 30
//! days back, never in the future; arrival may not precede it and the plan clock runs from the
//! real arrival. The server's clock is set (Monday 7 December 2026, 10:00 in Stockholm).

use serde_json::{json, Value};

use crate::city_clock::{enrol_on, post, spawn_at};
use crate::participants::{officer, personnummer};

fn intake(serial: u32, referred_on: Option<&str>) -> Value {
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 3, 9).unwrap();
    let mut body = json!({
        "personal_identity_number": personnummer(birth, serial),
        "first_name": "Samir", "last_name": "Nilsson",
        "home_district_id": "rinkeby-kista",
        "target_groups": ["social_assistance_unemployed"],
        "referral_reason": "Unemployed since the spring.",
        "requested_start": "2026-12-07"
    });
    if let Some(date) = referred_on {
        body["referred_on"] = json!(date);
    }
    body
}

#[tokio::test]
async fn the_districts_decision_last_friday_is_the_intake_date_and_the_clocks_run_from_the_real_dates() {
    let app = spawn_at("2026-12-07T10:00:00+01:00").await;
    let district = officer("rinkeby-kista");

    let (status, _, today) = post(&app, &district, "/v1/participants", None, intake(11, None)).await;
    assert_eq!(status, 201, "{today}");
    assert_eq!(today["referred_on"], "2026-12-07", "today by default");

    let (status, _, friday) = post(
        &app,
        &district,
        "/v1/participants",
        None,
        intake(12, Some("2026-12-04")),
    )
    .await;
    assert_eq!(status, 201, "{friday}");
    assert_eq!(friday["referred_on"], "2026-12-04");
    let id = friday["id"].as_str().unwrap();

    // Arrival before the decision is out of order; on the Friday itself it is taken.
    let (status, _, before) = enrol_on(&app, id, "2026-12-03").await;
    assert_eq!(
        (status, before["errors"][0]["field"].as_str()),
        (422, Some("arrived_on")),
        "{before}"
    );
    let (status, _, enrolled) = enrol_on(&app, id, "2026-12-04").await;
    assert_eq!(status, 200, "{enrolled}");
    // Friday 4 December + 5 working days: 7, 8, 9, 10, 11 December.
    assert_eq!(enrolled["plan_due_on"], "2026-12-11");
    // 4 to 7 December, both included.
    assert_eq!(enrolled["participation_days_used"], 4);

    // 30 days back (7 November) is the limit; 31 days back and tomorrow are refused.
    let (status, _, oldest) = post(
        &app,
        &district,
        "/v1/participants",
        None,
        intake(13, Some("2026-11-07")),
    )
    .await;
    assert_eq!(status, 201, "{oldest}");
    for (serial, date, code) in [(14, "2026-11-06", "out_of_range"), (15, "2026-12-08", "in_future")] {
        let (status, _, refused) = post(&app, &district, "/v1/participants", None, intake(serial, Some(date))).await;
        assert_eq!(status, 422, "{date}: {refused}");
        assert_eq!(refused["errors"][0]["field"], "referred_on", "{refused}");
        assert_eq!(refused["errors"][0]["code"], code, "{refused}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM participants"),
        3,
        "a refused intake stores nothing"
    );
}
