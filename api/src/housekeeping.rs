//! Housekeeping each API node runs now and then: rows that only mattered for a while are
//! deleted, so the tables do not grow without end, and participations past the records policy
//! are anonymised. Every step is safe to run on several nodes at once.

use chrono::Duration;
use persistence::repos::WebhookRepo;
use persistence::{idempotency, rate_limit};

use crate::ops::{retention, Context};
use crate::problem::ApiError;
use crate::state::AppState;

/// Delivered and failed webhook deliveries stay in the log this long.
pub const DELIVERY_LOG_DAYS: i64 = 30;
/// Rate-limit windows are one minute; an hour back is long gone.
const RATE_WINDOWS_KEPT_MINUTES: i64 = 60;

/// Starts the loop on the current runtime; the first round runs at once.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(state.config.housekeeping_interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(error) = round(&state).await {
                log::warn!("housekeeping failed: {error}");
            }
        }
    })
}

async fn round(state: &AppState) -> Result<(), ApiError> {
    let now = state.config.clock.now_naive();
    let (keys, windows, deliveries) = state
        .db(move |conn| {
            Ok((
                idempotency::purge_expired(conn, now)?,
                rate_limit::purge_before(conn, now - Duration::minutes(RATE_WINDOWS_KEPT_MINUTES))?,
                WebhookRepo::purge_finished_before(conn, now - Duration::days(DELIVERY_LOG_DAYS))?,
            ))
        })
        .await?;
    let (ctx, years) = (
        retention_context(state.config.clock.now())?,
        state.config.retention_years,
    );
    let anonymised = state
        .db(move |conn| Ok(retention::run(conn, &ctx, years, false)?))
        .await?;
    if !anonymised.is_empty() {
        log::info!(
            "housekeeping: anonymised {} participation(s) past the records policy",
            anonymised.len()
        );
    }
    if keys + windows + deliveries > 0 {
        log::info!(
            "housekeeping: deleted {keys} idempotency keys, {windows} rate-limit windows, {deliveries} webhook deliveries"
        );
    }
    Ok(())
}

/// Who anonymises: the records policy itself, under a request id of its own, at `now`.
pub fn retention_context(now: chrono::DateTime<chrono::Utc>) -> Result<Context, crate::ops::OpError> {
    let actor = domain::access::Actor::new("records-policy", domain::access::Role::Admin, None, None, None, vec![])
        .map_err(|e| crate::ops::OpError::Internal(e.to_string()))?;
    Ok(Context {
        actor,
        request_id: format!("retention-{}", uuid::Uuid::now_v7()),
        now,
        reads: None,
    })
}
