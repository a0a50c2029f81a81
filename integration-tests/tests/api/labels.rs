//! Labels and problem texts in Swedish by default and in English on `Accept-Language`.

use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app, TestApp, TestToken};

async fn get_in(app: &TestApp, path: &str, language: Option<&str>) -> (reqwest::header::HeaderMap, Value) {
    let mut request = app
        .client
        .get(app.url(path))
        .bearer_auth(TestToken::role("analyst").sign());
    if let Some(language) = language {
        request = request.header("Accept-Language", language);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    (response.headers().clone(), response.json().await.unwrap())
}

fn label_of(list: &Value, code: &str) -> String {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code || i["id"] == code)
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .unwrap()
}

#[tokio::test]
async fn code_lists_and_reference_data_carry_labels_in_the_language_asked_for() {
    let app = spawn_app().await;
    let (headers, swedish) = get_in(&app, "/v1/code-lists/absence-reasons", None).await;
    assert_eq!(label_of(&swedish, "child_sick"), "Vård av sjukt barn");
    assert_eq!(headers["content-language"], "sv");
    let vary: Vec<String> = headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .collect();
    assert!(
        vary.iter()
            .any(|v| v.split(',').any(|name| name.trim() == "accept-language")),
        "{vary:?}"
    );
    for asked in ["en", "en-GB", "sv;q=0.5, en-GB;q=0.9", "de, en;q=0.3"] {
        let (headers, english) = get_in(&app, "/v1/code-lists/absence-reasons", Some(asked)).await;
        assert_eq!(label_of(&english, "child_sick"), "Caring for a sick child", "{asked}");
        assert_eq!(headers["content-language"], "en", "{asked}");
    }
    let (_, fallback) = get_in(&app, "/v1/code-lists/decline-reasons", Some("fr")).await;
    assert_eq!(label_of(&fallback, "no_capacity"), "Ingen plats");

    // Every list, every code labelled in both languages.
    let (_, all_sv) = get_in(&app, "/v1/code-lists", None).await;
    let (_, all_en) = get_in(&app, "/v1/code-lists", Some("en")).await;
    let names: Vec<&str> = all_sv["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    for name in [
        "absence-reasons",
        "decline-reasons",
        "participant-statuses",
        "plan-statuses",
        "referral-statuses",
        "claim-statuses",
        "transfer-statuses",
        "task-kinds",
        "interruption-reasons",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    for (sv, en) in all_sv["items"]
        .as_array()
        .unwrap()
        .iter()
        .zip(all_en["items"].as_array().unwrap())
    {
        for (a, b) in sv["items"]
            .as_array()
            .unwrap()
            .iter()
            .zip(en["items"].as_array().unwrap())
        {
            assert_eq!(a["code"], b["code"]);
            assert!(!a["label"].as_str().unwrap().is_empty() && !b["label"].as_str().unwrap().is_empty());
        }
    }
    let response = app
        .get_as(&TestToken::role("analyst").sign(), "/v1/code-lists/colours")
        .await;
    assert_problem(response, 404, "not_found").await;

    // The seeded reference data: the stored Swedish name, or its English label.
    for path in ["/v1/target-groups", "/v1/activity-types", "/v1/exit-outcomes"] {
        let (_, sv) = get_in(&app, path, None).await;
        let (_, en) = get_in(&app, path, Some("en")).await;
        for (a, b) in sv["items"]
            .as_array()
            .unwrap()
            .iter()
            .zip(en["items"].as_array().unwrap())
        {
            assert_eq!(a["label"], a["name"], "{path}");
            let code = a["id"].as_str().unwrap();
            let english = domain::labels::REFERENCE_EN.iter().find(|(c, _)| *c == code);
            assert_eq!(
                b["label"].as_str(),
                english.map(|(_, l)| *l),
                "{path}: {code} has an English label"
            );
        }
    }
    let (_, en) = get_in(&app, "/v1/target-groups", Some("en")).await;
    assert_eq!(label_of(&en, "sfi_student"), "SFI student");
}

#[tokio::test]
async fn problem_titles_and_messages_follow_accept_language() {
    let app = spawn_app().await;
    let coach = TestToken::role("coach").jobbtorg("jarva").sign();
    let path = format!("/v1/participants/{}", uuid::Uuid::now_v7());
    let swedish = assert_problem(app.get_as(&coach, &path).await, 404, "not_found").await;
    assert_eq!(swedish["title"], "Resursen finns inte");
    assert!(swedish["detail"].as_str().unwrap().contains("finns inte"), "{swedish}");
    let response = app
        .client
        .get(app.url(&path))
        .bearer_auth(&coach)
        .header("Accept-Language", "en-US")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-language"], "en");
    let english = assert_problem(response, 404, "not_found").await;
    assert_eq!(english["title"], "Resource not found");
    assert_eq!(
        english["code"], swedish["code"],
        "the code is the machine's, whatever the language"
    );
    let analyst = TestToken::role("analyst").sign();
    let forbidden = app
        .client
        .get(app.url("/v1/participants"))
        .bearer_auth(&analyst)
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(forbidden, 403, "forbidden").await["title"],
        "Not allowed"
    );
    assert_eq!(
        assert_problem(app.get_as(&analyst, "/v1/participants").await, 403, "forbidden").await["title"],
        "Inte tillåtet"
    );
}
