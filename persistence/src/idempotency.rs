//! Idempotency keys: the first response to a creating request is stored under the caller's key,
//! in the same transaction as the work, and replayed for a retry with the same body.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::idempotency_keys as keys;

/// Completed keys are honoured this long.
const RETAINED_FOR_HOURS: i64 = 24;

/// A response as stored for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub etag: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is ours; do the work and complete it.
    Claimed,
    /// The same request was completed before: send this.
    Replay(StoredResponse),
    /// Another request with the same key took it over (after expiry) at the same moment.
    InProgress,
    /// The key was used with another request body.
    Mismatch,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = keys)]
struct NewKeyRow<'a> {
    actor_subject: &'a str,
    idempotency_key: &'a str,
    request_hash: &'a str,
    created_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = keys)]
struct KeyRow {
    request_hash: String,
    status_code: Option<i32>,
    response_body: Option<String>,
    response_etag: Option<String>,
    response_location: Option<String>,
    created_at: NaiveDateTime,
    completed_at: Option<NaiveDateTime>,
}

/// Claims `key` for `subject`, inside the request's write transaction: the key, the work and
/// the stored response commit together or not at all, so a key is never seen half-used and a
/// request killed mid-way leaves nothing behind. A concurrent request with the same key waits
/// at the insert (PostgreSQL) until the first commits (then it replays) or rolls back (then it
/// claims the key itself).
pub fn claim(
    conn: &mut DbConnection,
    subject: &str,
    key: &str,
    request_hash: &str,
    now: NaiveDateTime,
) -> Result<Claim, RepoError> {
    let row = NewKeyRow {
        actor_subject: subject,
        idempotency_key: key,
        request_hash,
        created_at: now,
    };
    let primary_key = (keys::actor_subject, keys::idempotency_key);
    // `ON CONFLICT DO NOTHING` on both: a failed insert would abort a PostgreSQL transaction.
    // Diesel builds it per backend, not for the multi-backend connection.
    let inserted = match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(keys::table)
            .values(row)
            .on_conflict(primary_key)
            .do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::insert_into(keys::table)
            .values(row)
            .on_conflict(primary_key)
            .do_nothing()
            .execute(sqlite)?,
    };
    if inserted == 1 {
        return Ok(Claim::Claimed);
    }
    let existing: KeyRow = keys::table
        .find((subject, key))
        .select(KeyRow::as_select())
        .first(conn)?;
    let expired = existing
        .completed_at
        .is_some_and(|at| at < now - Duration::hours(RETAINED_FOR_HOURS));
    // A row without a response was left by an earlier version that claimed keys in a
    // transaction of their own; nothing of its work committed.
    let abandoned = existing.completed_at.is_none();
    if expired || abandoned {
        return take_over(conn, subject, key, request_hash, now, existing.created_at);
    }
    if existing.request_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    match (existing.status_code, existing.response_body) {
        (Some(status), Some(body)) => Ok(Claim::Replay(StoredResponse {
            status: u16::try_from(status).map_err(|_| RepoError::Unexpected(format!("stored status {status}")))?,
            body,
            etag: existing.response_etag,
            location: existing.response_location,
        })),
        _ => Ok(Claim::InProgress),
    }
}

/// Re-claims an expired or abandoned key; only one of several racing callers wins.
fn take_over(
    conn: &mut DbConnection,
    subject: &str,
    key: &str,
    request_hash: &str,
    now: NaiveDateTime,
    seen_created_at: NaiveDateTime,
) -> Result<Claim, RepoError> {
    let updated = diesel::update(
        keys::table
            .find((subject, key))
            .filter(keys::created_at.eq(seen_created_at)),
    )
    .set((
        keys::request_hash.eq(request_hash),
        keys::created_at.eq(now),
        keys::status_code.eq(None::<i32>),
        keys::response_body.eq(None::<String>),
        keys::response_etag.eq(None::<String>),
        keys::response_location.eq(None::<String>),
        keys::completed_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(if updated == 1 {
        Claim::Claimed
    } else {
        Claim::InProgress
    })
}

/// Stores the response; call in the transaction of the work so both commit together.
pub fn complete(
    conn: &mut DbConnection,
    subject: &str,
    key: &str,
    response: &StoredResponse,
    now: NaiveDateTime,
) -> Result<(), RepoError> {
    diesel::update(keys::table.find((subject, key)))
        .set((
            keys::status_code.eq(Some(i32::from(response.status))),
            keys::response_body.eq(Some(&response.body)),
            keys::response_etag.eq(response.etag.as_ref()),
            keys::response_location.eq(response.location.as_ref()),
            keys::completed_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes keys past their retention (completed or not); returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, RepoError> {
    let cutoff = now - Duration::hours(RETAINED_FOR_HOURS);
    Ok(diesel::delete(
        keys::table.filter(
            keys::completed_at
                .lt(cutoff)
                .or(keys::completed_at.is_null().and(keys::created_at.lt(cutoff))),
        ),
    )
    .execute(conn)?)
}
