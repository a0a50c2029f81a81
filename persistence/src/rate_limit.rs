//! Write-request counting per token subject and fixed one-minute window, in the database so
//! that every API node shares the count.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::rate_limit_windows as windows;
use crate::tx;

/// Counts one request of `subject` in the window starting at `window_start`; `false` when the
/// window already holds `limit` requests (the request is not counted then).
pub fn take(
    conn: &mut DbConnection,
    subject: &str,
    window_start: NaiveDateTime,
    limit: i32,
) -> Result<bool, RepoError> {
    match take_once(conn, subject, window_start, limit) {
        // Two first requests of a window raced to insert it: the row exists now, count again.
        Err(RepoError::Conflict { .. }) => take_once(conn, subject, window_start, limit),
        other => other,
    }
}

fn take_once(
    conn: &mut DbConnection,
    subject: &str,
    window_start: NaiveDateTime,
    limit: i32,
) -> Result<bool, RepoError> {
    tx::write(conn, |conn| {
        if count_one(conn, subject, window_start, limit)? {
            return Ok(true);
        }
        // The row may have been committed by a concurrent first request after the update's
        // snapshot (PostgreSQL, read committed): read it again before calling the window full.
        let requests: Option<i32> = windows::table
            .filter(windows::actor_subject.eq(subject))
            .filter(windows::window_start.eq(window_start))
            .select(windows::requests)
            .first(conn)
            .optional()?;
        match requests {
            Some(requests) if requests >= limit => return Ok(false),
            Some(_) => return count_one(conn, subject, window_start, limit),
            None => {}
        }
        // A new window: forget this subject's old ones.
        diesel::delete(
            windows::table
                .filter(windows::actor_subject.eq(subject))
                .filter(windows::window_start.lt(window_start - Duration::minutes(1))),
        )
        .execute(conn)?;
        diesel::insert_into(windows::table)
            .values((
                windows::actor_subject.eq(subject),
                windows::window_start.eq(window_start),
                windows::requests.eq(1),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// Adds one request to the window if it holds fewer than `limit`; whether it did.
fn count_one(
    conn: &mut DbConnection,
    subject: &str,
    window_start: NaiveDateTime,
    limit: i32,
) -> Result<bool, RepoError> {
    let counted = diesel::update(
        windows::table
            .filter(windows::actor_subject.eq(subject))
            .filter(windows::window_start.eq(window_start))
            .filter(windows::requests.lt(limit)),
    )
    .set(windows::requests.eq(windows::requests + 1))
    .execute(conn)?;
    Ok(counted == 1)
}

/// Deletes the windows that ended before `cutoff`; they count nothing any more.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<usize, RepoError> {
    Ok(diesel::delete(windows::table.filter(windows::window_start.lt(cutoff))).execute(conn)?)
}
