//! A write request is one transaction: the idempotency key, the work with its history, access
//! log and event, the stored response and the rate-limit count commit together, once. A
//! request killed mid-way leaves nothing behind, so its retry completes at once.
//!
//! The rate-limit count comes last, so the window's row is locked only from there to the
//! commit; a request over the limit rolls back whatever it did and is answered 429. A request
//! whose work fails is rolled back and then counted in a transaction of its own (and answered
//! 429 instead if that finds the window full): failures count, successes commit once.

use actix_web::HttpResponse;
use chrono::Timelike;
use domain::access::{Action, ListScope};
use persistence::idempotency::{self, Claim, StoredResponse};
use persistence::{rate_limit, tx, DbConnection};

use crate::auth::Authenticated;
use crate::concurrency::IfMatch;
use crate::idempotency::{replay, IdempotencyKey};
use crate::ops::{Context, OpError};
use crate::problem::ApiError;
use crate::state::AppState;

/// The write budget of one request: whose window, and how full it may be.
struct Budget {
    subject: String,
    /// `None` when the limit is off.
    limit: Option<i32>,
    window_start: chrono::NaiveDateTime,
    retry_after: u32,
}

impl Budget {
    fn of(state: &AppState, caller: &Authenticated) -> Self {
        let now = caller.now();
        let limit = state.config.writes_per_minute;
        let naive = now.naive_utc();
        Budget {
            subject: caller.0.subject().to_owned(),
            limit: (limit > 0).then(|| i32::try_from(limit).unwrap_or(i32::MAX)),
            window_start: naive.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(naive),
            retry_after: 60 - now.second(),
        }
    }

    /// Counts the request in the current transaction; 429 when the window is full. The window's
    /// count after it, when the limit is on.
    fn count(&self, conn: &mut DbConnection) -> Result<Option<i32>, ApiError> {
        let Some(limit) = self.limit else { return Ok(None) };
        match rate_limit::take(conn, &self.subject, self.window_start, limit)? {
            Some(count) => Ok(Some(count)),
            None => Err(ApiError::TooManyRequests {
                retry_after: self.retry_after,
            }),
        }
    }

    /// Puts what is left after `count` requests in the response's RateLimit headers (call it
    /// on the request's task, not on the database thread).
    fn show(&self, count: i32) {
        if let Some(limit) = self.limit {
            crate::request_scope::set_rate_budget(crate::request_scope::RateBudget {
                limit: u32::try_from(limit).unwrap_or_default(),
                remaining: u32::try_from(limit.saturating_sub(count)).unwrap_or_default(),
                reset: self.retry_after,
            });
        }
    }

    /// After the work failed and rolled back: counts the request alone; 429 replaces the
    /// work's error when the window was full anyway. The window's count after it, when known.
    fn count_failed(&self, conn: &mut DbConnection, error: ApiError) -> (ApiError, Option<i32>) {
        let Some(limit) = self.limit else { return (error, None) };
        if matches!(error, ApiError::TooManyRequests { .. }) {
            return (error, Some(limit));
        }
        match rate_limit::take_alone(conn, &self.subject, self.window_start, limit) {
            Ok(Some(count)) => (error, Some(count)),
            Ok(None) => (
                ApiError::TooManyRequests {
                    retry_after: self.retry_after,
                },
                Some(limit),
            ),
            Err(count_error) => {
                log::warn!("could not count a failed write request: {count_error}");
                (error, None)
            }
        }
    }
}

/// Runs `work` as the write request of `caller`, in one transaction with its rate-limit count.
pub async fn change<T, F>(state: &AppState, caller: &Authenticated, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let budget = std::sync::Arc::new(Budget::of(state, caller));
    let commits = state.write_commits.clone();
    let counting = budget.clone();
    let outcome = state
        .db(move |conn| {
            let outcome = tx::write(conn, |conn| {
                let value = work(conn)?;
                let count = counting.count(conn)?;
                Ok((value, count))
            });
            // The work's own failure travels as a value, with the count made after it.
            Ok(match outcome {
                Ok(value) => {
                    commits.inc();
                    Ok(value)
                }
                Err(error) => Err(counting.count_failed(conn, error)),
            })
        })
        .await
        .map_err(|error| (error, None))
        .and_then(|outcome| outcome);
    match outcome {
        Ok((value, count)) => {
            if let Some(count) = count {
                budget.show(count);
            }
            Ok(value)
        }
        Err((error, count)) => {
            // A failed write counts too, so its answer shows the budget as well.
            if let Some(count) = count {
                budget.show(count);
            }
            Err(error)
        }
    }
}

/// Runs a creating `work` as the write request of `caller`, honouring its idempotency key: the
/// key, the work, the stored response and the count commit together.
///
/// The key's fingerprint covers the caller's reach (role, job centre, district, provider,
/// scopes) besides the request itself: a token with the same subject but another reach gets
/// 422 `idempotency_key_reused`, never the stored answer about a resource it may not see.
pub async fn create<F>(
    state: &AppState,
    caller: &Authenticated,
    key: IdempotencyKey,
    fingerprint: String,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<StoredResponse, ApiError> + Send + 'static,
{
    create_revealing(state, caller, key, fingerprint, move |conn| Ok((work(conn)?, None))).await
}

/// [`create`] for a creation whose first answer shows what must not be stored with the
/// idempotency key (a secret): `work` returns the response to store and the body to send this
/// once. A replay answers the stored response, without it.
pub async fn create_revealing<F>(
    state: &AppState,
    caller: &Authenticated,
    key: IdempotencyKey,
    fingerprint: String,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<(StoredResponse, Option<String>), ApiError> + Send + 'static,
{
    let subject = caller.0.subject().to_owned();
    let fingerprint = crate::idempotency::with_reach(&fingerprint, &caller.0);
    let now = caller.now().naive_utc();
    let (mut response, replayed) = change(state, caller, move |conn| {
        let Some(key) = key.0 else {
            return Ok((work(conn)?, false));
        };
        match idempotency::claim(conn, &subject, &key, &fingerprint, now)? {
            Claim::Replay(stored) => return Ok(((stored, None), true)),
            Claim::InProgress => return Err(ApiError::IdempotencyInProgress),
            Claim::Mismatch => return Err(ApiError::IdempotencyKeyReused),
            Claim::Claimed => {}
        }
        let (stored, revealed) = work(conn)?;
        idempotency::complete(conn, &subject, &key, &stored, now)?;
        Ok(((stored, revealed), false))
    })
    .await?;
    if let Some(body) = response.1.take() {
        response.0.body = body;
    }
    Ok(replay(&response.0, replayed))
}

/// Runs one operation on the record `id` at the client's `If-Match` version, as the write
/// request of a caller who may `action` (403 otherwise); the operation sees only what the
/// caller's reach covers.
pub async fn change_at<I, T, F>(
    state: &AppState,
    caller: &Authenticated,
    action: Action,
    (id, if_match): (I, IfMatch),
    operation: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Context, &ListScope, (I, i32)) -> Result<T, OpError> + Send + 'static,
    I: Send + 'static,
    T: Send + 'static,
{
    let scope = crate::http::scope_for(&caller.0, action)?;
    let ctx = caller.context();
    change(state, caller, move |conn| {
        Ok(operation(conn, &ctx, &scope, (id, if_match.0))?)
    })
    .await
}
