//! Nothing is disclosed that is not logged (issue 14): while the access log refuses every
//! insert, each audited read answers 503 and returns no personal data; once the log takes
//! records again, the same reads answer and are logged.

use diesel::connection::SimpleConnection;
use serde_json::Value;

use chrono::Duration;
use serde_json::json;

use crate::city_clock::{post, provider_with_contract};
use crate::helpers::spawn_app;
use crate::participants::{coach, refer, today};

const REFUSE_SQLITE: &str = "CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log \
    BEGIN SELECT RAISE(ABORT, 'access log refused'); END;";
const REFUSE_POSTGRES: &str = "CREATE FUNCTION refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS \
    $$ BEGIN RAISE EXCEPTION 'access log refused'; END $$; \
    CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log \
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_access_log();";
const ALLOW: &str = "DROP TRIGGER refuse_access_log ON access_log; DROP FUNCTION refuse_access_log();";

fn on_postgres() -> bool {
    std::env::var("TEST_BACKEND").as_deref() == Ok("postgres")
}

#[tokio::test]
async fn a_read_whose_access_log_record_cannot_be_written_answers_503_and_discloses_nothing() {
    let app = spawn_app().await;
    let person = refer(&app, 971).await;
    let id = person["id"].as_str().unwrap();
    let anna = coach("jarva", "coach-anna");
    provider_with_contract(&app).await;
    let enrol = json!({"arrived_on": today(), "coach_id": "coach-anna"});
    let (status, _, _) = post(
        &app,
        &anna,
        &format!("/v1/participants/{id}/enrol"),
        Some("\"1\""),
        enrol,
    )
    .await;
    assert_eq!(status, 200);
    let referral = json!({"participant_id": id, "activity_type": "mapping", "starts_on": today(),
        "ends_on": today() + Duration::days(10), "statutory_basis": "SoL 4 kap. 4 §"});
    let (status, _, referral) = post(&app, &anna, "/v1/referrals", None, referral).await;
    assert_eq!(status, 201, "{referral}");
    let doors = [
        format!("/v1/participants/{id}"),
        "/v1/participants".to_owned(),
        format!("/v1/participants/{id}/history"),
        format!("/v1/participants/{id}/export"),
        "/v1/referrals".to_owned(),
        format!("/v1/referrals/{}", referral["id"].as_str().unwrap()),
    ];
    let logged = || app.count("SELECT COUNT(*) AS n FROM access_log");
    let reads_of_the_person = || {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM access_log WHERE participant_id = '{id}'"
        ))
    };

    let refuse = if on_postgres() { REFUSE_POSTGRES } else { REFUSE_SQLITE };
    app.db().batch_execute(refuse).expect("the trigger is created");
    let before = logged();
    for door in &doors {
        let response = app.get_as(&anna, door).await;
        assert_eq!(response.status().as_u16(), 503, "{door}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "service_unavailable", "{door}: {body}");
        let text = body.to_string();
        assert!(
            !text.contains("Amina") && !text.contains(id),
            "{door} disclosed: {text}"
        );
    }
    assert_eq!(logged(), before, "nothing was logged, and nothing was shown");

    let allow = if on_postgres() {
        ALLOW
    } else {
        "DROP TRIGGER refuse_access_log;"
    };
    app.db().batch_execute(allow).expect("the trigger is dropped");
    let reads_before = reads_of_the_person();
    for door in &doors {
        let response = app.get_as(&anna, door).await;
        assert_eq!(response.status().as_u16(), 200, "{door} after the log recovers");
    }
    // One record per door that showed the person, once the log took them.
    assert_eq!(reads_of_the_person() - reads_before, doors.len() as i64);
}
