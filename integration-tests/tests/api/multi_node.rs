//! Several nodes on one database (issue 14): two servers share one database and are used at
//! once. The same Idempotency-Key to both makes one resource; the write limit is shared
//! exactly; the events feed reads the same, in the same order and without a gap, through
//! either; a webhook is delivered once though both nodes run the delivery loop.

use std::time::Duration;

use chrono::{Timelike, Utc};
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, Node, TestApp, TestToken};
use crate::participants::{intake_body, officer, personnummer, years_ago};
use crate::webhooks::{integration, Receiver};

/// A POST to `base` (either node's address) with an optional Idempotency-Key.
async fn post_to(app: &TestApp, base: &str, token: &str, path: &str, key: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = app.client.post(format!("{base}{path}")).bearer_auth(token).json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn get_from(app: &TestApp, base: &str, token: &str, path: &str) -> Value {
    let response = app
        .client
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.unwrap()
}

async fn two_nodes(settings: &[(&str, &str)]) -> (TestApp, Node) {
    let app = spawn_app_with(settings).await;
    let other = app.another_node().await;
    (app, other)
}

#[tokio::test]
async fn the_same_idempotency_key_to_both_nodes_makes_one_resource() {
    let (app, other) = two_nodes(&[]).await;
    let token = officer("rinkeby-kista");
    let body = intake_body(&personnummer(years_ago(40, 0), 981));
    let key = "intake-on-both-nodes";
    let (first, second) = tokio::join!(
        post_to(&app, &app.address, &token, "/v1/participants", Some(key), &body),
        post_to(&app, &other.address, &token, "/v1/participants", Some(key), &body),
    );
    assert_eq!((first.0, second.0), (201, 201), "{first:?} {second:?}");
    assert_eq!(first.1["id"], second.1["id"], "one resource, answered alike by both");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM participants"), 1);
}

#[tokio::test]
async fn the_write_limit_is_shared_exactly_across_nodes() {
    let second = Utc::now().second();
    if second > 45 {
        tokio::time::sleep(Duration::from_secs(u64::from(61 - second))).await;
    }
    let (app, other) = two_nodes(&[("RATE_LIMIT_WRITES_PER_MINUTE", "10")]).await;
    let admin = TestToken::role("admin").subject("admin-nodes").sign();
    // Refused by the rules (422) but counted; only the limit answers 429.
    let body = json!({"id": "x", "name": "X", "jobbtorg_id": "nowhere"});
    let writer = |base: String| {
        let (app, admin, body) = (&app, admin.clone(), body.clone());
        async move {
            let mut statuses = Vec::new();
            for _ in 0..5 {
                statuses.push(post_to(app, &base, &admin, "/v1/districts", None, &body).await.0);
            }
            statuses
        }
    };
    let (a, b, c, d) = tokio::join!(
        writer(app.address.clone()),
        writer(other.address.clone()),
        writer(app.address.clone()),
        writer(other.address.clone()),
    );
    let statuses: Vec<u16> = [a, b, c, d].concat();
    let count = |status: u16| statuses.iter().filter(|s| **s == status).count();
    assert_eq!((count(422), count(429)), (10, 10), "{statuses:?}");
}

#[tokio::test]
async fn the_events_feed_reads_the_same_through_either_node_without_a_gap() {
    let (app, other) = two_nodes(&[]).await;
    let token = officer("rinkeby-kista");
    let intakes = (0..6u32).map(|i| {
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            other.address.clone()
        };
        let body = intake_body(&personnummer(years_ago(40, 0), 990 + i));
        let (app, token) = (&app, token.clone());
        async move { post_to(app, &base, &token, "/v1/participants", None, &body).await.0 }
    });
    let statuses = crate::helpers::join_all(intakes).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let reader = integration("af-feed");
    let through = |base: String| {
        let (app, reader) = (&app, reader.clone());
        async move {
            let feed = get_from(app, &base, &reader, "/v1/events?limit=100").await;
            feed["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let (one, two) = tokio::join!(through(app.address.clone()), through(other.address.clone()));
    assert_eq!(one, two, "the same feed in the same order through both nodes");
    assert_eq!(
        one.len() as i64,
        app.count("SELECT COUNT(*) AS n FROM events"),
        "no gap"
    );
    assert_eq!(one.len(), 6, "one participant.referred per intake");
}

#[actix_web::test]
async fn a_webhook_is_delivered_once_though_both_nodes_run_the_loop() {
    let settings = [
        ("WEBHOOK_ALLOW_LOOPBACK_HTTP", "true"),
        ("WEBHOOK_POLL_MS", "20"),
        ("WEBHOOK_RETRY_BASE_MS", "200"),
    ];
    let (app, other) = two_nodes(&settings).await;
    let receiver = Receiver::start(0).await;
    let subscription = json!({"url": receiver.url(), "event_types": ["participant.referred"]});
    let (status, _) = post_to(
        &app,
        &app.address,
        &integration("af-hooks"),
        "/v1/webhook-subscriptions",
        None,
        &subscription,
    )
    .await;
    assert_eq!(status, 201);
    let token = officer("rinkeby-kista");
    for i in 0..4u32 {
        let base = if i % 2 == 0 { &app.address } else { &other.address };
        let body = intake_body(&personnummer(years_ago(40, 0), 960 + i));
        assert_eq!(
            post_to(&app, base, &token, "/v1/participants", None, &body).await.0,
            201
        );
    }
    receiver.wait_for(4).await;
    // Both loops poll every 20 ms: half a second more would show any second delivery.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = receiver.wait_for(4).await;
    let mut events: Vec<String> = received
        .iter()
        .map(|(_, body)| {
            serde_json::from_str::<Value>(body).unwrap()["event"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(received.len(), 4, "each event once: {events:?}");
    events.sort();
    events.dedup();
    assert_eq!(events.len(), 4);
}
