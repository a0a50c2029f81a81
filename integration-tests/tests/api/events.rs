//! The change feed: ordered, scoped by the caller's rights, and gap-free under concurrent writes.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::helpers::{admin_token, assert_problem, join_all, spawn_app, TestApp, TestToken};

async fn page(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app.get_as(token, &format!("/v1/events{query}")).await;
    assert_eq!(response.status().as_u16(), 200, "{query}");
    response.json().await.unwrap()
}

async fn move_district(app: &TestApp, district: &str, to: &str) {
    let response = app
        .patch_as(
            &admin_token(),
            &format!("/v1/districts/{district}"),
            "\"1\"",
            &json!({"jobbtorg_id": to}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
}

fn resource_ids(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource_id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_feed_pages_in_order_and_filters_by_type() {
    let app = spawn_app().await;
    let token = admin_token();
    assert_eq!(page(&app, &token, "").await, json!({"items": [], "next_cursor": null}));

    move_district(&app, "farsta", "jarva").await;
    let created = json!({"id": "new-district", "name": "New", "jobbtorg_id": "jarva"});
    assert_eq!(
        app.post_as(&token, "/v1/districts", &created).await.status().as_u16(),
        201
    );
    move_district(&app, "bromma", "jarva").await;

    let first = page(&app, &token, "?limit=2").await;
    assert_eq!(resource_ids(&first), ["farsta", "new-district"]);
    let event = &first["items"][0];
    assert_eq!(
        (event["type"].as_str(), event["resource_type"].as_str()),
        (Some("district.updated"), Some("district"))
    );
    assert_eq!(event["resource_version"], 2);
    assert!(chrono::DateTime::parse_from_rfc3339(event["occurred_at"].as_str().unwrap()).is_ok());

    let cursor = first["next_cursor"].as_str().unwrap();
    let second = page(&app, &token, &format!("?after={cursor}&limit=2")).await;
    assert_eq!(resource_ids(&second), ["bromma"]);
    let end = second["next_cursor"].as_str().unwrap();
    let empty = page(&app, &token, &format!("?after={end}")).await;
    assert_eq!(empty["items"], json!([]));
    assert_eq!(empty["next_cursor"], end, "an empty page keeps the cursor to poll with");

    let created_only = page(&app, &token, "?types=district.created").await;
    assert_eq!(resource_ids(&created_only), ["new-district"]);
    // Event names are lower-case words and dots; anything else is a clear 400.
    for types in ["District.Created", "district.created;drop", "%00"] {
        let response = app.get_as(&token, &format!("/v1/events?types={types}")).await;
        assert_eq!(response.status().as_u16(), 400, "{types}");
    }
}

#[tokio::test]
async fn the_feed_is_scoped_by_the_callers_rights() {
    let app = spawn_app().await;
    move_district(&app, "farsta", "sydost").await; // stays at Sydost, district Farsta
    move_district(&app, "bromma", "jarva").await; // now at Järva, district Bromma

    let jarva_coach = TestToken::role("coach").jobbtorg("jarva").sign();
    assert_eq!(resource_ids(&page(&app, &jarva_coach, "").await), ["bromma"]);
    let farsta_officer = TestToken::role("district_officer").district("farsta").sign();
    assert_eq!(resource_ids(&page(&app, &farsta_officer, "").await), ["farsta"]);
    let provider = TestToken::role("provider_staff")
        .provider("0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11")
        .sign();
    assert_eq!(resource_ids(&page(&app, &provider, "").await), Vec::<&str>::new());

    let reader = TestToken::role("integration").scope("events:read").sign();
    assert_eq!(resource_ids(&page(&app, &reader, "").await), ["farsta", "bromma"]);
    let no_scope = TestToken::role("integration").scope("participants:af-status").sign();
    assert_problem(app.get_as(&no_scope, "/v1/events").await, 403, "forbidden").await;
}

/// Writers commit concurrently while a consumer pages with `after`; the consumer must see every
/// event once, in increasing order. Meaningful on PostgreSQL, where commits interleave.
#[tokio::test]
async fn a_consumer_misses_and_repeats_nothing_while_writers_run() {
    const WRITERS: usize = 4;
    const PER_WRITER: usize = 15;
    let app = spawn_app().await;
    let token = admin_token();

    let writers = (0..WRITERS).map(|w| {
        let (app, token) = (&app, token.clone());
        async move {
            for i in 0..PER_WRITER {
                let body = json!({"id": format!("w{w}-d{i}"), "name": format!("W{w} D{i}"), "jobbtorg_id": "jarva"});
                assert_eq!(app.post_as(&token, "/v1/districts", &body).await.status().as_u16(), 201);
            }
        }
    });
    let consumer = async {
        let mut seen: Vec<(i64, String)> = Vec::new();
        let mut cursor: Option<String> = None;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while seen.len() < WRITERS * PER_WRITER && std::time::Instant::now() < deadline {
            let query = cursor
                .as_ref()
                .map_or("?limit=7".to_owned(), |c| format!("?limit=7&after={c}"));
            let body = page(&app, &token, &query).await;
            for item in body["items"].as_array().unwrap() {
                seen.push((
                    item["cursor"].as_str().unwrap().parse().unwrap(),
                    item["id"].as_str().unwrap().to_owned(),
                ));
            }
            cursor = body["next_cursor"].as_str().map(str::to_owned);
        }
        seen
    };
    let (_, seen) = tokio::join!(join_all(writers), consumer);

    assert_eq!(seen.len(), WRITERS * PER_WRITER, "every event seen exactly once");
    let unique: HashSet<&String> = seen.iter().map(|(_, id)| id).collect();
    assert_eq!(unique.len(), seen.len(), "no event repeated");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "positions strictly increase");
    let everything = page(&app, &token, "?limit=200").await;
    let all_ids: HashSet<String> = everything["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        all_ids,
        seen.iter().map(|(_, id)| id.clone()).collect::<HashSet<_>>(),
        "nothing missed"
    );
}
