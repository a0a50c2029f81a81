//! Who sees a protected identity by name (issue 13, `domain::access::sees_identity`): its own
//! coach and its home district's officers; everyone else, in the resource, its history, the
//! export, lists and referrals, sees the pseudonym; no one sees the address, and no provider
//! ever does.

use chrono::Duration;
use serde_json::{json, Value};

use crate::city_clock::{get, post};
use crate::cross_centres::{sydost_own_regime, REASON};
use crate::helpers::{spawn_app, TestApp, TestToken};
use crate::participants::{coach, intake_body, officer, personnummer, today, years_ago};
use crate::referrals::staff;

const NAME: &str = "Amina";
const SURNAME: &str = "Hassan";
const STREET: &str = "Rinkebytorget";

fn history_fields(history: &Value) -> Vec<&str> {
    history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["field"].as_str().unwrap())
        .collect()
}

async fn protected_person_with_a_referral(app: &TestApp) -> (String, String, String) {
    let mut body = intake_body(&personnummer(years_ago(40, 0), 907));
    body["protected_identity"] = json!(true);
    let (status, _, created) = post(app, &officer("rinkeby-kista"), "/v1/participants", None, body).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let enrol = json!({"arrived_on": today(), "coach_id": "coach-anna"});
    let path = format!("/v1/participants/{id}/enrol");
    let (status, etag, body) = post(app, &coach("jarva", "coach-anna"), &path, Some("\"1\""), enrol).await;
    assert_eq!(status, 200, "{body}");
    // A new name and a new address, so both are in the field history.
    let change = json!({"last_name": "Hassan Ali", "address": {"street": "Rinkebytorget 9", "postal_code": "163 73", "city": "Spånga"}});
    let changed = app
        .patch_as(
            &coach("jarva", "coach-anna"),
            &format!("/v1/participants/{id}"),
            &etag,
            &change,
        )
        .await;
    assert_eq!(changed.status().as_u16(), 200, "{}", changed.text().await.unwrap());
    let provider = sydost_own_regime(app).await;
    let referral = json!({"participant_id": id, "activity_type": "mapping", "starts_on": today(),
        "ends_on": today() + Duration::days(20), "statutory_basis": "SoL 4 kap. 4 §",
        "delivering_jobbtorg_id": "sydost", "cross_centre_reason": REASON});
    let (status, _, referral) = post(app, &coach("jarva", "coach-anna"), "/v1/referrals", None, referral).await;
    assert_eq!(status, 201, "{referral}");
    (id, referral["id"].as_str().unwrap().to_owned(), provider)
}

#[tokio::test]
async fn a_protected_identity_is_named_to_its_own_coach_and_home_district_only_through_every_door() {
    let app = spawn_app().await;
    let (id, referral, provider) = protected_person_with_a_referral(&app).await;
    let person = format!("/v1/participants/{id}");
    let referral = format!("/v1/referrals/{referral}");

    for (who, token) in [
        ("own coach", coach("jarva", "coach-anna")),
        ("home district", officer("rinkeby-kista")),
    ] {
        let shown = get(&app, &token, &person).await;
        assert_eq!(shown["first_name"], NAME, "{who}: {shown}");
        assert!(shown["address"].is_null(), "{who}: the address never shows");
        let history = get(&app, &token, &format!("{person}/history")).await;
        let fields = history_fields(&history);
        assert!(fields.contains(&"last_name"), "{who}: {fields:?}");
        assert!(
            !fields
                .iter()
                .any(|f| ["street_address", "postal_code", "city"].contains(f)),
            "{who}: {fields:?}"
        );
        assert!(!history.to_string().contains(STREET), "{who}");
        let card = get(&app, &token, &referral).await["participant"].clone();
        assert_eq!(card["first_name"], NAME, "{who}: {card}");
        assert_eq!(card["phone"], "070-123 45 67", "{who}: {card}");
        let export = get(&app, &token, &format!("{person}/export")).await;
        assert_eq!(export["participant"]["first_name"], NAME, "{who}");
        assert!(!export.to_string().contains(STREET), "{who}: no address in the export");
    }

    // Another coach and the manager at the same centre read the case, but not the name.
    let pseudonym = get(&app, &coach("jarva", "coach-anna"), &person).await["pseudonym"].clone();
    for (who, token) in [
        ("another coach", coach("jarva", "coach-bertil")),
        (
            "the manager",
            TestToken::role("jobbtorg_manager")
                .jobbtorg("jarva")
                .subject("manager")
                .sign(),
        ),
    ] {
        let shown = get(&app, &token, &person).await;
        assert_eq!(shown["display_name"], pseudonym, "{who}");
        assert!(shown["personal_identity_number"].is_null(), "{who}");
        for door in [
            person.clone(),
            format!("{person}/history"),
            format!("{person}/export"),
            "/v1/participants".to_owned(),
            referral.clone(),
            "/v1/referrals".to_owned(),
        ] {
            let read = get(&app, &token, &door).await.to_string();
            assert!(
                !read.contains(NAME) && !read.contains(STREET),
                "{who} via {door}: {read}"
            );
        }
    }

    // The provider and the centre delivering see the pseudonym only, and no contact.
    for (who, token) in [
        ("the provider", staff(&provider)),
        ("Sydost", coach("sydost", "coach-sara")),
    ] {
        let card = get(&app, &token, &referral).await["participant"].clone();
        assert_eq!(card["display_name"], pseudonym, "{who}: {card}");
        assert!(
            card.get("phone").is_none() && card.get("first_name").is_none(),
            "{who}: {card}"
        );
        let read = get(&app, &token, &format!("{referral}/history")).await.to_string()
            + &get(&app, &token, "/v1/referrals").await.to_string();
        assert!(
            ![NAME, SURNAME, STREET].iter().any(|t| read.contains(t)),
            "{who}: {read}"
        );
    }
}
