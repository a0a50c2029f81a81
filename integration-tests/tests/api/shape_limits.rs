//! The shape limits the spec states are the ones the server enforces, checked before any rule:
//! every broken limit is listed at once under its dotted field path, and nothing is written.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, etag_of, spawn_app};
use crate::participants::{coach, intake_body, officer, personnummer, refer, years_ago};

fn codes_of(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_participant_patch_over_the_stated_lengths_is_refused_field_by_field_and_changes_nothing() {
    let app = spawn_app().await;
    let participant = refer(&app, 301).await;
    let path = format!("/v1/participants/{}", participant["id"].as_str().unwrap());
    let token = coach("jarva", "coach-anna");
    let before = app.get_as(&token, &path).await;
    let etag = etag_of(&before);

    let too_long = json!({
        "first_name": "a".repeat(101),
        "phone": "0".repeat(201),
        "address": {"street": "s".repeat(201), "city": "Spånga"},
    });
    let response = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&token)
        .header("If-Match", &etag)
        .json(&too_long)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        codes_of(&problem),
        [
            ("address.street".to_owned(), "too_long".to_owned()),
            ("first_name".to_owned(), "too_long".to_owned()),
            ("phone".to_owned(), "too_long".to_owned()),
        ]
    );
    let after = app.get_as(&token, &path).await;
    assert_eq!(etag_of(&after), etag, "a refused request changes nothing");

    let at_the_limit = json!({"first_name": "a".repeat(100)});
    let response = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&token)
        .header("If-Match", &etag)
        .json(&at_the_limit)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "exactly the stated length is accepted");
}

#[tokio::test]
async fn an_intake_over_its_text_and_list_limits_names_each_field() {
    let app = spawn_app().await;
    let mut body = intake_body(&personnummer(years_ago(40, 0), 302));
    body["referral_reason"] = json!("r".repeat(2001));
    body["target_groups"] = json!(vec!["social_assistance_unemployed"; 51]);
    let problem = assert_problem(
        app.post_as(&officer("rinkeby-kista"), "/v1/participants", &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        codes_of(&problem),
        [
            ("referral_reason".to_owned(), "too_long".to_owned()),
            ("target_groups".to_owned(), "too_long".to_owned()),
        ]
    );
}

/// Optional fields with a default read `null` as absent: a generated client that sends `null`
/// for what its caller left unset (openapi-python-generator does) gets the default, not a 400.
#[tokio::test]
async fn null_in_an_optional_field_with_a_default_means_the_default() {
    let app = spawn_app().await;
    let mut intake = intake_body(&personnummer(years_ago(40, 0), 302));
    intake["protected_identity"] = Value::Null;
    let response = app
        .post_as(&officer("rinkeby-kista"), "/v1/participants", &intake)
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let participant: Value = response.json().await.unwrap();
    assert_eq!(participant["protected_identity"], false);

    let purchaser = crate::helpers::TestToken::role("contract_manager").sign();
    let provider = json!({"org_number": "556000-0019", "name": "Nollvägen AB", "kind": "lou", "contacts": null});
    let response = app.post_as(&purchaser, "/v1/providers", &provider).await;
    assert_eq!(response.status().as_u16(), 201);
    let provider: Value = response.json().await.unwrap();
    assert_eq!(provider["contacts"], json!([]));
    let contract = json!({
        "reference": "LOU-NULL-1", "procurement_form": "lou_framework",
        "valid_from": "2026-01-01", "valid_to": "2027-12-31",
        "activity_types": ["work_training"], "target_groups": ["social_assistance_unemployed"],
        "job_centres": ["jarva"], "capacity": 5, "start_fee_ore": 500_000, "result_steps": null});
    let path = format!("/v1/providers/{}/contracts", provider["id"].as_str().unwrap());
    let response = app.post_as(&purchaser, &path, &contract).await;
    assert_eq!(response.status().as_u16(), 201);
    let contract: Value = response.json().await.unwrap();
    assert_eq!(contract["remuneration"]["result_steps"], json!([]), "{contract}");

    // A value of the wrong type is still refused.
    intake["protected_identity"] = json!("yes");
    let response = app
        .post_as(&officer("rinkeby-kista"), "/v1/participants", &intake)
        .await;
    assert_problem(response, 400, "invalid_body").await;
}
