//! Webhooks against a real receiver on 127.0.0.1: signed, id-only, retried, logged; and the
//! targets that are refused.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::helpers::{admin_token, assert_problem, spawn_app_with, TestApp, TestToken};
use crate::participants::refer;

/// What the receiver got: the signature header and the raw body.
type Received = Arc<Mutex<Vec<(String, String)>>>;

/// A webhook receiver that answers 503 to the first `failures` requests and 204 after.
pub(crate) struct Receiver {
    port: u16,
    received: Received,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    pub(crate) async fn start(failures: usize) -> Self {
        let received: Received = Arc::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = received.clone();
        let server = HttpServer::new(move || {
            let state = state.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: String| {
                let state = state.clone();
                async move {
                    let signature = req
                        .headers()
                        .get("Jobbtorg-Signature")
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default();
                    let mut received = state.lock().unwrap();
                    received.push((signature, body));
                    if received.len() <= failures {
                        HttpResponse::ServiceUnavailable().finish()
                    } else {
                        HttpResponse::NoContent().finish()
                    }
                }
            }))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self { port, received, handle }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// Waits until `count` requests have arrived (the server polls every 50 ms).
    pub(crate) async fn wait_for(&self, count: usize) -> Vec<(String, String)> {
        for _ in 0..200 {
            let received = self.received.lock().unwrap().clone();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the receiver got {} of {count} requests",
            self.received.lock().unwrap().len()
        );
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

pub(crate) fn integration(subject: &str) -> String {
    TestToken::role("integration")
        .subject(subject)
        .scope("events:read")
        .sign()
}

async fn quick_webhooks() -> TestApp {
    spawn_app_with(&[
        ("WEBHOOK_ALLOW_LOOPBACK_HTTP", "true"),
        ("WEBHOOK_POLL_MS", "50"),
        ("WEBHOOK_RETRY_BASE_MS", "200"),
    ])
    .await
}

fn expected_signature(secret: &str, signature: &str, body: &str) -> String {
    let timestamp = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split(',').next())
        .unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

#[actix_web::test]
async fn deliveries_are_signed_id_only_retried_and_logged() {
    let app = quick_webhooks().await;
    let receiver = Receiver::start(1).await;
    let client = integration("af-integration");
    let response = app
        .post_as(
            &client,
            "/v1/webhook-subscriptions",
            &json!({"url": receiver.url(), "event_types": ["participant.referred"]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let subscription: Value = response.json().await.unwrap();
    let secret = subscription["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(
        location,
        format!("/v1/webhook-subscriptions/{}", subscription["id"].as_str().unwrap())
    );

    let participant = refer(&app, 101).await;
    let received = receiver.wait_for(2).await;
    let (first_signature, first_body) = &received[0];
    let (second_signature, second_body) = &received[1];
    assert_eq!(
        *first_signature,
        expected_signature(&secret, first_signature, first_body)
    );
    assert_eq!(
        *second_signature,
        expected_signature(&secret, second_signature, second_body)
    );
    assert_ne!(
        *first_signature,
        expected_signature("whsec_wrong", first_signature, first_body),
        "the signature depends on the secret"
    );

    let first: Value = serde_json::from_str(first_body).unwrap();
    let second: Value = serde_json::from_str(second_body).unwrap();
    assert_eq!(
        (first["attempt"].as_i64(), second["attempt"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        first["delivery_id"], second["delivery_id"],
        "a retry is the same delivery"
    );
    assert_eq!(first["event"]["type"], "participant.referred");
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["attempt", "delivery_id", "event", "subscription_id"]);
    let event_keys: Vec<&String> = first["event"].as_object().unwrap().keys().collect();
    assert_eq!(event_keys, ["id", "position", "type"], "ids only");
    let identity = participant["personal_identity_number"].as_str().unwrap();
    assert!(!first_body.contains(identity) && !first_body.contains(&identity.replace('-', "")));

    // The event is in the feed the client may read, under the id the notification named.
    let feed: Value = app.get_as(&client, "/v1/events").await.json().await.unwrap();
    let in_feed = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == first["event"]["id"]);
    assert!(in_feed, "{feed}");

    // The log: one delivery, delivered at the second attempt; the 503 is remembered.
    let mut log: Value = Value::Null;
    for _ in 0..100 {
        log = app
            .get_as(&client, &format!("{location}/deliveries"))
            .await
            .json()
            .await
            .unwrap();
        if log["items"][0]["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{log}");
    assert_eq!(items[0]["status"], "delivered");
    assert_eq!(items[0]["attempts"], 2);
    assert_eq!(items[0]["last_status_code"], 204);
    assert_eq!(items[0]["id"], first["delivery_id"]);
    assert!(items[0]["delivered_at"].is_string());

    // The secret is shown once; another client neither sees nor deletes the subscription.
    let read: Value = app.get_as(&client, &location).await.json().await.unwrap();
    assert!(read.get("secret").is_none());
    let other = integration("other-partner");
    assert_problem(app.get_as(&other, &location).await, 404, "not_found").await;
    let others: Value = app
        .get_as(&other, "/v1/webhook-subscriptions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(others["items"], json!([]));
    let deleted = app.delete_as(&other, &location).await;
    assert_problem(deleted, 404, "not_found").await;
    let admin_view: Value = app
        .get_as(&admin_token(), "/v1/webhook-subscriptions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin_view["items"].as_array().unwrap().len(), 1);

    let deleted = app.delete_as(&client, &location).await;
    assert_eq!(deleted.status(), 204);
    assert_problem(app.get_as(&client, &location).await, 404, "not_found").await;
    refer(&app, 102).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.received.lock().unwrap().len(),
        2,
        "nothing is sent after deletion"
    );
}

#[actix_web::test]
async fn a_failing_receiver_is_retried_with_back_off_and_the_log_says_why() {
    let app = quick_webhooks().await;
    let receiver = Receiver::start(usize::MAX).await;
    let client = integration("af-integration");
    let response = app
        .post_as(&client, "/v1/webhook-subscriptions", &json!({"url": receiver.url()}))
        .await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    refer(&app, 103).await;
    // Waits of 200 ms, then 400 ms: three attempts take at least 600 ms.
    let started = std::time::Instant::now();
    receiver.wait_for(3).await;
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    let log: Value = app
        .get_as(&client, &format!("/v1/webhook-subscriptions/{id}/deliveries"))
        .await
        .json()
        .await
        .unwrap();
    let delivery = &log["items"][0];
    assert_eq!(delivery["status"], "pending");
    assert!(delivery["attempts"].as_i64().unwrap() >= 2, "{log}");
    assert_eq!(delivery["last_status_code"], 503);
    assert_eq!(delivery["last_error"], "HTTP 503");
    assert!(delivery["next_attempt_at"].is_string());
}

#[actix_web::test]
async fn private_range_and_plain_http_targets_are_refused() {
    let app = spawn_app_with(&[]).await;
    let client = integration("af-integration");
    for (url, code) in [
        ("http://127.0.0.1:9/hook", "not_https"),
        ("http://93.184.216.34/hook", "not_https"),
        ("ftp://93.184.216.34/hook", "not_https"),
        ("https://10.0.0.1/hook", "private_address"),
        ("https://192.168.1.20/hook", "private_address"),
        ("https://172.16.5.4/hook", "private_address"),
        ("https://169.254.169.254/latest/meta-data", "private_address"),
        ("https://[::1]/hook", "private_address"),
        ("https://[fd00::1]/hook", "private_address"),
        ("https://[::ffff:10.0.0.1]/hook", "private_address"),
        ("https://localhost/hook", "private_address"),
        ("https://user:secret@93.184.216.34/hook", "credentials_in_url"),
        ("not a url", "invalid_format"),
    ] {
        let response = app
            .post_as(&client, "/v1/webhook-subscriptions", &json!({"url": url}))
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "url", "{url}");
        assert_eq!(problem["errors"][0]["code"], code, "{url}");
    }
    let response = app
        .post_as(
            &client,
            "/v1/webhook-subscriptions",
            &json!({"url": "https://93.184.216.34/hook", "event_types": ["Not A Type"]}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;

    // Development allows plain http to this machine, never to the private network.
    let dev = quick_webhooks().await;
    let response = dev
        .post_as(
            &client,
            "/v1/webhook-subscriptions",
            &json!({"url": "https://192.168.0.10/hook"}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;

    let subscriptions: Value = app
        .get_as(&client, "/v1/webhook-subscriptions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(subscriptions["items"], json!([]), "a refused request stores nothing");
}

#[actix_web::test]
async fn only_admins_and_clients_that_read_the_feed_subscribe() {
    let app = quick_webhooks().await;
    let body = json!({"url": "http://127.0.0.1:9/hook"});
    for token in [
        TestToken::role("integration").scope("participants:af-status").sign(),
        TestToken::role("coach").jobbtorg("jarva").sign(),
        TestToken::role("analyst").sign(),
    ] {
        let response = app.post_as(&token, "/v1/webhook-subscriptions", &body).await;
        assert_problem(response, 403, "forbidden").await;
        let response = app.get_as(&token, "/v1/webhook-subscriptions").await;
        assert_problem(response, 403, "forbidden").await;
    }
    let response = app.post_as(&admin_token(), "/v1/webhook-subscriptions", &body).await;
    assert_eq!(response.status(), 201);
}

#[actix_web::test]
async fn a_delivery_is_given_up_after_eight_attempts() {
    let app = spawn_app_with(&[
        ("WEBHOOK_ALLOW_LOOPBACK_HTTP", "true"),
        ("WEBHOOK_POLL_MS", "20"),
        ("WEBHOOK_RETRY_BASE_MS", "10"),
    ])
    .await;
    let receiver = Receiver::start(usize::MAX).await;
    let client = integration("af-integration");
    let response = app
        .post_as(&client, "/v1/webhook-subscriptions", &json!({"url": receiver.url()}))
        .await;
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    refer(&app, 104).await;
    receiver.wait_for(8).await;
    let mut delivery = Value::Null;
    for _ in 0..100 {
        let log: Value = app
            .get_as(&client, &format!("/v1/webhook-subscriptions/{id}/deliveries"))
            .await
            .json()
            .await
            .unwrap();
        delivery = log["items"][0].clone();
        if delivery["status"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(delivery["status"], "failed", "{delivery}");
    assert_eq!(delivery["attempts"], 8);
    assert!(delivery["next_attempt_at"].is_null());
    // The last wait was 640 ms; nothing more comes after it.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(receiver.received.lock().unwrap().len(), 8);
}

/// The signing secret is kept with the subscription only: the idempotency record of its
/// creation, and so a replay, come without it. A rotation gives a new one, which signs every
/// delivery from then on; another client cannot rotate it.
#[actix_web::test]
async fn a_webhook_secret_is_never_kept_with_the_idempotency_key_and_can_be_rotated() {
    let app = quick_webhooks().await;
    let receiver = Receiver::start(0).await;
    let client = integration("af-integration");
    let create = || {
        app.client
            .post(app.url("/v1/webhook-subscriptions"))
            .bearer_auth(&client)
            .header("Idempotency-Key", "subscribe-once")
            .json(&json!({"url": receiver.url(), "event_types": ["participant.referred"]}))
            .send()
    };
    let first = create().await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let secret = first["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_body LIKE '%{secret}%'"
        )),
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_body IS NOT NULL"),
        1
    );
    let replay = create().await.unwrap();
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay["id"], first["id"]);
    assert!(replay.get("secret").is_none(), "{replay}");

    let rotate = format!(
        "/v1/webhook-subscriptions/{}/rotate-secret",
        first["id"].as_str().unwrap()
    );
    let other = integration("other-partner");
    assert_problem(app.post_as(&other, &rotate, &json!({})).await, 404, "not_found").await;
    let rotated = app.post_as(&client, &rotate, &json!({})).await;
    assert_eq!(rotated.status(), 200);
    let rotated: Value = rotated.json().await.unwrap();
    let new_secret = rotated["secret"].as_str().unwrap().to_owned();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);

    refer(&app, 102).await;
    let received = receiver.wait_for(1).await;
    let (signature, body) = &received[0];
    assert_eq!(*signature, expected_signature(&new_secret, signature, body));
    assert_ne!(*signature, expected_signature(&secret, signature, body));
}
