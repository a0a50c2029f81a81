//! The demo data set (`jobbtorg-api demo`, run by `make run`): loaded through the operations
//! layer into an empty database, it shows every job centre's participants in every state,
//! plans, referrals and claims in each status, work in the queues, and prints a token per
//! role that the server accepts. A second run changes nothing.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use serde_json::Value;

use crate::crash::server_binary;
use crate::helpers::{spawn_app, TestApp, TestToken, AUDIENCE, ISSUER, TEST_SECRET};

fn run_demo(app: &TestApp) -> String {
    let output = Command::new(server_binary())
        .arg("demo")
        .env("DATABASE_URL", &app.database_url)
        .env("JWT_HS256_SECRET", TEST_SECRET)
        .env("JWT_ISSUER", ISSUER)
        .env("JWT_AUDIENCE", AUDIENCE)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The printed tokens by the heading above each.
fn printed_tokens(stdout: &str) -> HashMap<String, String> {
    let lines: Vec<&str> = stdout.lines().collect();
    lines
        .windows(2)
        .filter_map(|pair| {
            let heading = pair[0].strip_prefix("# ")?;
            Some((heading.to_owned(), pair[1].trim().to_owned()))
        })
        .collect()
}

async fn items(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let body: Value = response.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

fn values<'a>(items: &'a [Value], field: &str) -> BTreeSet<&'a str> {
    items.iter().filter_map(|item| item[field].as_str()).collect()
}

fn set<'a>(expected: &[&'a str]) -> BTreeSet<&'a str> {
    expected.iter().copied().collect()
}

#[tokio::test]
async fn the_demo_shows_every_centre_in_every_state_and_prints_a_working_token_per_role() {
    let app = spawn_app().await;
    let stdout = run_demo(&app);
    assert!(
        stdout.contains("loaded the demo: 130 participants at 5 job centres, 4 providers"),
        "{stdout}"
    );

    for centre in ["sydost", "sydvast", "innerstaden", "vasterort", "jarva"] {
        let manager = TestToken::role("jobbtorg_manager").jobbtorg(centre).sign();
        let participants = items(&app, &manager, "/v1/participants?limit=100").await;
        assert_eq!(participants.len(), 26, "{centre}");
        assert_eq!(
            values(&participants, "status"),
            set(&["enrolled", "exited", "interrupted", "referred"]),
            "{centre}"
        );
        let plans = items(&app, &manager, "/v1/activity-plans?limit=100").await;
        assert_eq!(
            values(&plans, "status"),
            set(&["approved", "cancelled", "draft", "returned", "submitted"]),
            "{centre}"
        );
        let referrals = items(&app, &manager, "/v1/referrals?limit=100").await;
        assert_eq!(
            values(&referrals, "status"),
            set(&[
                "accepted",
                "cancelled",
                "completed",
                "declined",
                "in_progress",
                "interrupted",
                "sent"
            ]),
            "{centre}"
        );
    }

    let tokens = printed_tokens(&stdout);
    assert_eq!(tokens.len(), 8, "one token per role: {tokens:?}");
    let token = |starts: &str| {
        tokens
            .iter()
            .find(|(who, _)| who.starts_with(starts))
            .map(|(_, token)| token.clone())
            .unwrap_or_else(|| panic!("no token for {starts}: {tokens:?}"))
    };
    let coach_tasks = items(&app, &token("coach"), "/v1/tasks").await;
    assert!(
        values(&coach_tasks, "kind").is_superset(&set(&["follow_up_due", "plan_due"])),
        "{coach_tasks:?}"
    );
    let officer_tasks = items(&app, &token("district officer"), "/v1/tasks").await;
    assert!(
        values(&officer_tasks, "kind").contains("absence_unseen"),
        "{officer_tasks:?}"
    );
    let provider_referrals = items(&app, &token("provider staff"), "/v1/referrals?limit=100").await;
    assert!(!provider_referrals.is_empty());
    let claims = items(&app, &token("purchaser"), "/v1/claims?limit=100").await;
    assert_eq!(values(&claims, "status"), set(&["approved", "paid", "pending"]));
    assert_eq!(
        values(&claims, "trigger"),
        set(&["employment_or_studies_started", "start_fee"])
    );
    let today = domain::shared::city_date(chrono::Utc::now());
    let year_ago = today - chrono::Duration::days(364);
    let period = format!("from={year_ago}&to={today}");
    let figures = app
        .get_as(&token("analyst"), &format!("/v1/reports/key-figures?{period}"))
        .await;
    assert_eq!(figures.status().as_u16(), 200);
    let figures: Value = figures.json().await.unwrap();
    assert!(figures.to_string().contains("participants_enrolled"), "{figures}");
    let events = app.get_as(&token("integration"), "/v1/events?limit=10").await;
    assert_eq!(events.status().as_u16(), 200);
    let districts = app.get_as(&token("admin"), "/v1/districts").await;
    assert_eq!(districts.status().as_u16(), 200);

    // A second run finds the demo and loads nothing.
    let again = run_demo(&app);
    assert!(again.contains("the demo data set is loaded already"), "{again}");
    let manager = TestToken::role("jobbtorg_manager").jobbtorg("jarva").sign();
    assert_eq!(items(&app, &manager, "/v1/participants?limit=100").await.len(), 26);
    assert_eq!(printed_tokens(&again).len(), 8);
}
