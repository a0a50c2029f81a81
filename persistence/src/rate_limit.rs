//! Write-request counting per token subject and fixed one-minute window, in the database so
//! that every API node shares the count.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::rate_limit_windows as windows;
use crate::tx;

/// Counts one request of `subject` in the window starting at `window_start` and returns the
/// window's count with it; `None` when the window already holds `limit` (not counted then).
///
/// Runs inside the request's own write transaction, last before its commit: the window's row is
/// locked only from here to the commit, and a refused request rolls back with everything else.
pub fn take(
    conn: &mut DbConnection,
    subject: &str,
    window_start: NaiveDateTime,
    limit: i32,
) -> Result<Option<i32>, RepoError> {
    // A window's first request makes its row; a concurrent first one waits for it (PostgreSQL)
    // and then finds it, instead of failing the transaction with a unique violation. The same
    // `ON CONFLICT DO NOTHING` on both, but diesel builds it per backend, not for the
    // multi-backend connection.
    let window = (
        windows::actor_subject.eq(subject),
        windows::window_start.eq(window_start),
        windows::requests.eq(0),
    );
    let key = (windows::actor_subject, windows::window_start);
    match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(windows::table)
            .values(window)
            .on_conflict(key)
            .do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::insert_into(windows::table)
            .values(window)
            .on_conflict(key)
            .do_nothing()
            .execute(sqlite)?,
    };
    count_one(conn, subject, window_start, limit)
}

/// Counts one request in a transaction of its own: for a write request whose work failed (its
/// transaction rolled back) or that never reached the database.
pub fn take_alone(
    conn: &mut DbConnection,
    subject: &str,
    window_start: NaiveDateTime,
    limit: i32,
) -> Result<Option<i32>, RepoError> {
    tx::write(conn, |conn| take(conn, subject, window_start, limit))
}

/// Adds one request to the window if it holds fewer than `limit`; the count then.
fn count_one(
    conn: &mut DbConnection,
    subject: &str,
    window_start: NaiveDateTime,
    limit: i32,
) -> Result<Option<i32>, RepoError> {
    let counted = diesel::update(
        windows::table
            .filter(windows::actor_subject.eq(subject))
            .filter(windows::window_start.eq(window_start))
            .filter(windows::requests.lt(limit)),
    )
    .set(windows::requests.eq(windows::requests + 1))
    .execute(conn)?;
    if counted == 0 {
        return Ok(None);
    }
    // The window's row is locked by the update until the commit: the count read is this one's.
    Ok(Some(
        windows::table
            .filter(windows::actor_subject.eq(subject))
            .filter(windows::window_start.eq(window_start))
            .select(windows::requests)
            .first(conn)?,
    ))
}

/// Deletes the windows that ended before `cutoff`; they count nothing any more.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<usize, RepoError> {
    Ok(diesel::delete(windows::table.filter(windows::window_start.lt(cutoff))).execute(conn)?)
}
