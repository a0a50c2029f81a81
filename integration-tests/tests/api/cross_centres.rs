//! Services across job centres (issue 13, the 2007 decision): Järva's coach refers a person
//! to Sydost's own-regime mapping with a recorded reason. Sydost's staff see that referral
//! with no more of the person than a provider does, and report on it; Järva keeps the case;
//! the key figures count it at Järva as a case served elsewhere and at Sydost as a service
//! delivered for another centre.

use serde_json::{json, Value};

use crate::city_clock::{anna, enrol_on, get, post, refer_on, spawn_at};
use crate::helpers::{assert_problem, TestApp, TestToken};
use crate::participants::{coach, officer};
use crate::referrals::{purchaser, staff};

pub(crate) const REASON: &str = "Sydost's mapping runs in the evenings; she works mornings.";

/// Sydost's own-regime unit, with a contract for mapping at Sydost only; its provider id.
pub(crate) async fn sydost_own_regime(app: &TestApp) -> String {
    let body = json!({"org_number": "212000-0142", "name": "Jobbtorg Sydost egen regi", "kind": "own_regime",
        "contacts": [{"name": "Kartläggning", "email": "kartlaggning.sydost@example.se"}]});
    let (status, _, provider) = post(app, &purchaser(), "/v1/providers", None, body).await;
    assert_eq!(status, 201, "{provider}");
    let provider = provider["id"].as_str().unwrap().to_owned();
    let contract = json!({
        "reference": "ER-SYDOST-1", "procurement_form": "own_regime",
        "valid_from": "2026-01-01", "valid_to": "2027-12-31",
        "activity_types": ["mapping"], "target_groups": ["social_assistance_unemployed"],
        "job_centres": ["sydost"], "capacity": 20, "start_fee_ore": 0, "result_steps": []
    });
    let (status, _, body) = post(
        app,
        &purchaser(),
        &format!("/v1/providers/{provider}/contracts"),
        None,
        contract,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    provider
}

fn mapping(participant: &str) -> Value {
    json!({"participant_id": participant, "activity_type": "mapping", "starts_on": "2027-01-12",
        "ends_on": "2027-02-26", "statutory_basis": "SoL 4 kap. 4 §"})
}

fn with(mut body: Value, extra: Value) -> Value {
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn enrolled(app: &TestApp, serial: u32) -> String {
    let id = refer_on(app, serial, "2027-01-11").await;
    let (status, _, body) = enrol_on(app, &id, "2027-01-11").await;
    assert_eq!(status, 200, "{body}");
    id
}

async fn cross_centre_referral(app: &TestApp, participant: &str) -> Value {
    let body = with(
        mapping(participant),
        json!({"delivering_jobbtorg_id": "sydost", "cross_centre_reason": REASON}),
    );
    let (status, _, referral) = post(app, &anna(), "/v1/referrals", None, body).await;
    assert_eq!(status, 201, "{referral}");
    referral
}

async fn status_of(app: &TestApp, token: &str, path: &str) -> u16 {
    app.get_as(token, path).await.status().as_u16()
}

#[tokio::test]
async fn a_referral_to_another_centres_service_records_why_and_the_home_centre_keeps_the_case() {
    // Monday 11 January 2027.
    let app = spawn_at("2027-01-11T09:00:00+01:00").await;
    let provider = sydost_own_regime(&app).await;
    let participant = enrolled(&app, 1).await;

    // Nothing covers mapping at Järva itself; Sydost's service needs a reason, and the reason
    // belongs only to a referral to another centre.
    let (status, _, body) = post(&app, &anna(), "/v1/referrals", None, mapping(&participant)).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.to_string().contains("does not cover the participant's job centre"),
        "{body}"
    );
    let cases = [
        (
            json!({"delivering_jobbtorg_id": "sydost"}),
            "cross_centre_reason",
            "required",
        ),
        (
            json!({"delivering_jobbtorg_id": "jarva", "cross_centre_reason": REASON}),
            "cross_centre_reason",
            "not_allowed",
        ),
        (
            json!({"cross_centre_reason": REASON}),
            "cross_centre_reason",
            "not_allowed",
        ),
        (
            json!({"delivering_jobbtorg_id": "atlantis", "cross_centre_reason": REASON}),
            "delivering_jobbtorg_id",
            "unknown",
        ),
        (
            json!({"delivering_jobbtorg_id": "Not a code!", "cross_centre_reason": REASON}),
            "delivering_jobbtorg_id",
            "invalid_format",
        ),
    ];
    for (extra, field, code) in cases {
        let response = app
            .post_as(&anna(), "/v1/referrals", &with(mapping(&participant), extra.clone()))
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e["field"] == field && e["code"] == code),
            "{extra}: {problem}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM referrals"),
        0,
        "a refused referral leaves nothing"
    );

    let referral = cross_centre_referral(&app, &participant).await;
    assert_eq!(referral["jobbtorg_id"], "jarva");
    assert_eq!(referral["delivering_jobbtorg_id"], "sydost");
    assert_eq!(referral["cross_centre_reason"], REASON);
    assert_eq!(referral["provider_id"], provider.as_str());
    let id = referral["id"].as_str().unwrap();
    let path = format!("/v1/referrals/{id}");

    // Sydost's coach sees the referral as a provider does: the card, never the case.
    let sydost = coach("sydost", "coach-sara");
    let seen = get(&app, &sydost, &path).await;
    assert_eq!(seen["cross_centre_reason"], REASON);
    assert_eq!(seen["participant"], referral["participant"]);
    for withheld in ["personal_identity_number", "address", "home_district_id"] {
        assert!(seen["participant"].get(withheld).is_none(), "{withheld} in {seen}");
    }
    let listed = get(&app, &sydost, "/v1/referrals").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(
        status_of(&app, &sydost, &format!("/v1/participants/{participant}")).await,
        404
    );
    let plans = format!("/v1/participants/{participant}/activity-plans");
    assert_eq!(status_of(&app, &sydost, &plans).await, 404, "plans are the case's");
    assert_eq!(status_of(&app, &sydost, &format!("{path}/history")).await, 200);
    // A third centre sees nothing of it.
    let vasterort = coach("vasterort", "coach-vera");
    assert_eq!(status_of(&app, &vasterort, &path).await, 404);
    assert_eq!(get(&app, &vasterort, "/v1/referrals").await["items"], json!([]));
    // The home district follows it together with the home centre.
    let district = get(&app, &officer("rinkeby-kista"), &path).await;
    assert_eq!(district["delivering_jobbtorg_id"], "sydost");

    // Cancelling is the case's; answering is the provider's.
    let (status, _, _) = post(
        &app,
        &sydost,
        &format!("{path}/cancel"),
        Some("\"1\""),
        json!({"reason": "mine?"}),
    )
    .await;
    assert_eq!(status, 404, "Sydost does not hold the case");
    let (status, _, _) = post(&app, &sydost, &format!("{path}/accept"), Some("\"1\""), json!({})).await;
    assert_eq!(status, 403, "the answer stays with the provider");
    let (status, etag, _) = post(
        &app,
        &staff(&provider),
        &format!("{path}/accept"),
        Some("\"1\""),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, etag, started) = post(
        &app,
        &staff(&provider),
        &format!("{path}/start"),
        Some(&etag),
        json!({"started_on": "2027-01-11"}),
    )
    .await;
    assert_eq!(status, 200, "{started}");

    // Sydost's staff report on it; neither Västerort nor the home centre can.
    let report = json!({"granularity": "day", "period_from": "2027-01-11", "period_to": "2027-01-11",
        "lines": [{"date": "2027-01-11", "attended_hours": 3, "absent_hours": 0}]});
    for (token, expected) in [(&vasterort, 404), (&anna(), 404)] {
        let (status, _, body) = post(
            &app,
            token,
            &format!("{path}/progress-reports"),
            Some(&etag),
            report.clone(),
        )
        .await;
        assert_eq!(status, expected, "{body}");
    }
    let (status, _, body) = post(&app, &sydost, &format!("{path}/progress-reports"), Some(&etag), report).await;
    assert_eq!(status, 201, "{body}");
    let reports = get(&app, &anna(), &format!("{path}/progress-reports")).await;
    assert_eq!(reports["items"][0]["reported_by"], "coach-sara", "{reports}");

    // Järva keeps the case: the participant is Järva's, and the export names the delivery.
    let person = get(&app, &anna(), &format!("/v1/participants/{participant}")).await;
    assert_eq!(person["jobbtorg_id"], "jarva");
    let export = get(&app, &anna(), &format!("/v1/participants/{participant}/export")).await;
    assert_eq!(
        export["referrals"][0]["referral"]["cross_centre_reason"], REASON,
        "{export}"
    );
}

#[tokio::test]
async fn key_figures_count_it_where_the_case_is_and_where_it_was_delivered() {
    let app = spawn_at("2027-01-11T09:00:00+01:00").await;
    sydost_own_regime(&app).await;
    // Five, so that no cell is suppressed.
    for serial in 1..=5 {
        let participant = enrolled(&app, serial).await;
        cross_centre_referral(&app, &participant).await;
    }
    let query = "from=2027-01-01&to=2027-01-31&group_by=jobbtorg";
    let figures = |report: &Value, centre: &str| {
        let group = report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == centre)
            .unwrap_or_else(|| panic!("no group {centre}: {report}"))["figures"]
            .clone();
        (
            group["referrals_to_other_centres"].clone(),
            group["referrals_from_other_centres"].clone(),
        )
    };
    let five = json!({"value": 5, "suppressed": false});
    let none = json!({"value": 0, "suppressed": false});
    let city = get(
        &app,
        &TestToken::role("analyst").sign(),
        &format!("/v1/reports/key-figures?{query}"),
    )
    .await;
    assert_eq!(figures(&city, "jarva"), (five.clone(), none.clone()), "{city}");
    assert_eq!(figures(&city, "sydost"), (none.clone(), five.clone()), "{city}");
    assert_eq!(figures(&city, "vasterort"), (none.clone(), none.clone()), "{city}");
    assert_eq!(city["total"]["referrals_to_other_centres"], five, "{city}");
    // Each centre's manager sees their side.
    let manager = |centre: &str| {
        TestToken::role("jobbtorg_manager")
            .jobbtorg(centre)
            .subject("manager")
            .sign()
    };
    let sydost = get(&app, &manager("sydost"), &format!("/v1/reports/key-figures?{query}")).await;
    assert_eq!(figures(&sydost, "sydost"), (none.clone(), five.clone()), "{sydost}");
    assert_eq!(sydost["total"]["referrals_from_other_centres"], five, "{sydost}");
    let jarva = get(&app, &manager("jarva"), &format!("/v1/reports/key-figures?{query}")).await;
    assert_eq!(figures(&jarva, "jarva"), (five.clone(), none), "{jarva}");
    // The CSV carries both columns.
    let csv = app
        .client
        .get(app.url(&format!("/v1/reports/key-figures?{query}")))
        .bearer_auth(TestToken::role("analyst").sign())
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("referrals_to_other_centres") && header.contains("referrals_from_other_centres"),
        "{header}"
    );
}
