//! The delivery loop each API node runs: turn new events into deliveries, lease the due ones,
//! send them, record each attempt. Nodes share the work through the database.

use std::time::Duration;

use domain::webhook::retry_factor;
use persistence::repos::webhook::{Attempt, DueDelivery};
use persistence::repos::WebhookRepo;
use reqwest::Url;

use super::notification::{WebhookEventRef, WebhookNotification};
use super::signature::{sign, SIGNATURE_HEADER};
use super::target::{check_url, PublicOnlyResolver};
use crate::config::WebhookConfig;
use crate::problem::ApiError;
use crate::state::AppState;

/// Deliveries leased per round.
const BATCH: i64 = 20;

/// Starts the loop on the current runtime; it runs until the runtime stops.
pub fn spawn(state: AppState) -> Result<tokio::task::JoinHandle<()>, reqwest::Error> {
    let settings = state.config.webhooks.clone();
    let client = reqwest::Client::builder()
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(PublicOnlyResolver::shared(settings.allow_loopback_http))
        .user_agent(concat!("jobbtorg-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()?;
    Ok(tokio::spawn(async move {
        let mut ticker = tokio::time::interval(settings.poll_interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(error) = round(&state, &client, &settings).await {
                log::warn!("webhook round failed: {error}");
            }
        }
    }))
}

async fn round(state: &AppState, client: &reqwest::Client, settings: &WebhookConfig) -> Result<(), ApiError> {
    let now = state.config.clock.now_naive();
    // Long enough for the attempt to finish before another node may take the delivery over.
    let lease_until = now + chrono::Duration::from_std(settings.timeout * 2).unwrap_or_default();
    let due = state
        .db(move |conn| {
            WebhookRepo::enqueue_new_events(conn, now)?;
            Ok(WebhookRepo::lease_due(conn, now, lease_until, BATCH)?)
        })
        .await?;
    let sends: Vec<_> = due
        .into_iter()
        .map(|due| tokio::spawn(deliver(state.clone(), client.clone(), settings.clone(), due)))
        .collect();
    for send in sends {
        if let Err(error) = send.await {
            log::warn!("webhook delivery task failed: {error}");
        }
    }
    Ok(())
}

async fn deliver(state: AppState, client: reqwest::Client, settings: WebhookConfig, due: DueDelivery) {
    let delivery = due.delivery;
    let attempt_number = delivery.attempts + 1;
    // Only ids: whoever receives it reads the event from the feed with its own token.
    let notification = WebhookNotification {
        delivery_id: delivery.id.clone(),
        subscription_id: delivery.subscription_id.clone(),
        attempt: attempt_number,
        event: WebhookEventRef {
            id: delivery.event_id.clone(),
            position: delivery.event_position,
            event_type: delivery.event_type.clone(),
        },
    };
    let Ok(body) = serde_json::to_string(&notification) else {
        return;
    };
    let sent_at = state.config.clock.now();
    let outcome = send(&client, &settings, &due.url, &due.secret, &body, sent_at.timestamp()).await;
    let at = sent_at.naive_utc();
    let delivered = outcome.is_ok();
    let (status_code, error) = match outcome {
        Ok(code) => (Some(code), None),
        Err((code, error)) => (code, Some(error)),
    };
    let retry_at = (!delivered)
        .then(|| retry_factor(attempt_number as u32).map(|factor| at + backoff(settings.retry_base, factor)))
        .flatten();
    let attempt = Attempt {
        at,
        status_code,
        error,
        retry_at,
    };
    let recorded = state
        .db(move |conn| Ok(WebhookRepo::record_attempt(conn, &delivery, &attempt, delivered)?))
        .await;
    if let Err(error) = recorded {
        log::warn!("webhook attempt not recorded: {error}");
    }
}

/// The status code on a 2xx; otherwise the status code if any and why it failed.
async fn send(
    client: &reqwest::Client,
    settings: &WebhookConfig,
    raw_url: &str,
    secret: &str,
    body: &str,
    timestamp: i64,
) -> Result<i32, (Option<i32>, String)> {
    let url = Url::parse(raw_url).map_err(|_| (None, "invalid URL".to_owned()))?;
    // A literal address never reaches the resolver, so it is checked here again.
    check_url(&url, settings.allow_loopback_http).map_err(|refusal| (None, refusal.to_string()))?;
    let signature = sign(secret, timestamp, body).map_err(|_| (None, "cannot sign".to_owned()))?;
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .body(body.to_owned())
        .send()
        .await
        .map_err(|error| (None, describe(&error)))?;
    let code = i32::from(response.status().as_u16());
    if response.status().is_success() {
        Ok(code)
    } else {
        Err((Some(code), format!("HTTP {code}")))
    }
}

/// A few words on a failed request, without the URL.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out".into()
    } else if error.is_connect() {
        "could not connect".into()
    } else {
        "request failed".into()
    }
}

fn backoff(base: Duration, factor: u32) -> chrono::Duration {
    chrono::Duration::from_std(base * factor).unwrap_or_else(|_| chrono::Duration::hours(1))
}
