use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app, TestToken};

async fn items(app: &crate::helpers::TestApp, path: &str) -> Vec<Value> {
    let token = TestToken::role("analyst").sign();
    let response = app.get_as(&token, path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let body: Value = response.json().await.unwrap();
    body["items"].as_array().cloned().unwrap_or_default()
}

fn ids(items: &[Value]) -> Vec<&str> {
    items.iter().filter_map(|item| item["id"].as_str()).collect()
}

#[tokio::test]
async fn lists_the_five_job_centres_with_their_districts() {
    let app = spawn_app().await;
    let centres = items(&app, "/v1/jobbtorg").await;
    assert_eq!(
        ids(&centres),
        ["sydost", "sydvast", "innerstaden", "vasterort", "jarva"]
    );
    let jarva = &centres[4];
    assert_eq!(jarva["name"], "Jobbtorg Järva");
    assert_eq!(jarva["located_in"], "Kista");
    assert_eq!(
        jarva["district_ids"],
        serde_json::json!(["rinkeby-kista", "spanga-tensta"])
    );
}

#[tokio::test]
async fn every_district_is_served_by_the_job_centre_of_the_2007_decision() {
    let app = spawn_app().await;
    let districts = items(&app, "/v1/districts").await;
    let mapping: Vec<(&str, &str)> = districts
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["jobbtorg_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        mapping,
        [
            ("enskede-arsta-vantor", "sydost"),
            ("farsta", "sydost"),
            ("skarpnack", "sydost"),
            ("skarholmen", "sydvast"),
            ("hagersten-liljeholmen", "sydvast"),
            ("alvsjo", "sydvast"),
            ("kungsholmen", "innerstaden"),
            ("norrmalm", "innerstaden"),
            ("ostermalm", "innerstaden"),
            ("sodermalm", "innerstaden"),
            ("hasselby-vallingby", "vasterort"),
            ("bromma", "vasterort"),
            ("rinkeby-kista", "jarva"),
            ("spanga-tensta", "jarva"),
        ]
    );
    let rinkeby = &districts[12];
    assert_eq!(rinkeby["name"], "Rinkeby-Kista");
    assert_eq!(rinkeby["jobbtorg_name"], "Jobbtorg Järva");
}

#[tokio::test]
async fn target_groups_show_phase_and_whether_enabled() {
    let app = spawn_app().await;
    let groups = items(&app, "/v1/target-groups").await;
    let summary: Vec<(&str, i64, bool, bool)> = groups
        .iter()
        .map(|g| {
            (
                g["id"].as_str().unwrap(),
                g["phase"].as_i64().unwrap(),
                g["enabled"].as_bool().unwrap(),
                g["derived"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("social_assistance_unemployed", 1, true, false),
            ("social_assistance_new_applicant", 1, true, false),
            ("sfi_student", 1, true, false),
            ("refugee_introduction", 1, true, false),
            ("youth_16_24", 1, true, true),
            ("social_assistance_other_reasons", 2, false, false),
            ("disability_support", 2, false, false),
        ]
    );
}

#[tokio::test]
async fn phase_two_groups_are_enabled_by_configuration() {
    let app = crate::helpers::spawn_app_with(&[("TARGET_GROUP_PHASE", "2")]).await;
    let groups = items(&app, "/v1/target-groups").await;
    assert!(groups.iter().all(|g| g["enabled"] == true), "{groups:?}");
}

#[tokio::test]
async fn lists_the_activity_catalogue() {
    let app = spawn_app().await;
    let types = items(&app, "/v1/activity-types").await;
    assert_eq!(
        ids(&types),
        [
            "mapping",
            "guidance",
            "counselling",
            "coaching",
            "job_matching",
            "sfi_test",
            "sfi_with_internship",
            "preparatory",
            "work_training",
            "internship",
            "short_vocational_course",
            "validation",
            "long_vocational_education",
            "af_programme",
            "recruitment_event",
            "start_business_advice",
            "job_search",
        ]
    );
}

#[tokio::test]
async fn lists_the_coded_exit_outcomes_without_unknown() {
    let app = spawn_app().await;
    let outcomes = items(&app, "/v1/exit-outcomes").await;
    assert_eq!(
        ids(&outcomes),
        [
            "employment",
            "studies",
            "other_support",
            "moved",
            "sick_or_parental_leave",
            "no_show",
            "declined_participation",
            "deceased",
            "other",
        ]
    );
    let requiring_details: Vec<&str> = outcomes
        .iter()
        .filter(|o| o["requires_employment_details"] == true)
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(requiring_details, ["employment"]);
    let requiring_reason: Vec<&str> = outcomes
        .iter()
        .filter(|o| o["requires_reason"] == true)
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(requiring_reason, ["other"]);
}

#[tokio::test]
async fn reference_data_requires_a_token_but_any_role_may_read_it() {
    let app = spawn_app().await;
    assert_problem(app.get("/v1/districts").await, 401, "unauthorized").await;
    for token in [
        TestToken::role("coach").jobbtorg("jarva").sign(),
        TestToken::role("district_officer").district("farsta").sign(),
        TestToken::role("provider_staff")
            .provider("0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11")
            .sign(),
        TestToken::role("integration").sign(),
    ] {
        assert_eq!(app.get_as(&token, "/v1/target-groups").await.status().as_u16(), 200);
    }
}
