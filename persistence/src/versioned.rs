//! The one compare-and-swap write of optimistic concurrency: every row that carries a `version`
//! moves to its next version here, and only here.
//!
//! `UPDATE … SET version = version + 1 WHERE id = ? AND version = ?` is the check itself: on
//! PostgreSQL a concurrent writer of the same row waits for the first one's commit and then
//! finds no row at its version, so exactly one of them wins — a version compared in memory
//! and written by id alone lets them all win. Call it first in the change's transaction, before
//! any other write of the change, so a loser has written nothing that could fail differently.

use diesel::prelude::*;

use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::{
    absences, activity_plans, claims, contracts, districts, participants, providers, referrals, transfers,
};

/// One versioned row: its table and its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionedRow<'a> {
    District(&'a str),
    /// A participant's version also covers its periods, interruptions, follow-ups, mapping and
    /// consents: they change only together with it.
    Participant(&'a str),
    ActivityPlan(&'a str),
    Provider(&'a str),
    Contract(&'a str),
    Referral(&'a str),
    Claim(&'a str),
    Absence(&'a str),
    Transfer(&'a str),
}

/// Each arm names its table; the statement is the same for all of them.
macro_rules! for_each_table {
    ($row:expr, |$table:ident, $key:ident| $body:expr) => {
        match $row {
            VersionedRow::District($key) => {
                use districts as $table;
                $body
            }
            VersionedRow::Participant($key) => {
                use participants as $table;
                $body
            }
            VersionedRow::ActivityPlan($key) => {
                use activity_plans as $table;
                $body
            }
            VersionedRow::Provider($key) => {
                use providers as $table;
                $body
            }
            VersionedRow::Contract($key) => {
                use contracts as $table;
                $body
            }
            VersionedRow::Referral($key) => {
                use referrals as $table;
                $body
            }
            VersionedRow::Claim($key) => {
                use claims as $table;
                $body
            }
            VersionedRow::Absence($key) => {
                use absences as $table;
                $body
            }
            VersionedRow::Transfer($key) => {
                use transfers as $table;
                $body
            }
        }
    };
}

/// Moves `row` from `expected` to `expected + 1` and returns the new version; `StaleVersion`
/// with the current one when someone changed it first, `NotFound` when it does not exist.
pub fn advance(conn: &mut DbConnection, row: VersionedRow<'_>, expected: i32) -> Result<i32, RepoError> {
    let updated = for_each_table!(row, |table, key| diesel::update(
        table::table.find(key).filter(table::version.eq(expected))
    )
    .set(table::version.eq(expected + 1))
    .execute(conn))?;
    if updated == 1 {
        return Ok(expected + 1);
    }
    match current(conn, row)? {
        Some(current) => Err(RepoError::StaleVersion { current }),
        None => Err(RepoError::NotFound),
    }
}

/// Moves `row` to its next version whatever it is, for a change the client did not base on a
/// version it read (adding a consent, a claim raised by a referral step); the row lock orders
/// concurrent writers. Returns the new version.
pub fn bump(conn: &mut DbConnection, row: VersionedRow<'_>) -> Result<i32, RepoError> {
    let updated = for_each_table!(row, |table, key| diesel::update(table::table.find(key))
        .set(table::version.eq(table::version + 1))
        .execute(conn))?;
    if updated == 0 {
        return Err(RepoError::NotFound);
    }
    current(conn, row)?.ok_or(RepoError::NotFound)
}

/// The row's version now, if it exists.
pub fn current(conn: &mut DbConnection, row: VersionedRow<'_>) -> Result<Option<i32>, RepoError> {
    Ok(for_each_table!(row, |table, key| table::table
        .find(key)
        .select(table::version)
        .first::<i32>(conn)
        .optional())?)
}
