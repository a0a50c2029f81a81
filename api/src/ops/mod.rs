//! The operations layer: one function per action, free of HTTP. An operation takes a
//! connection, the request's [`Context`] (actor, request id, clock) and a parsed command; it runs
//! the whole change with its history, access-log record and event in the caller's transaction and
//! returns the domain result or an [`OpError`]. Effects on other resources (claims raised by a
//! referral step, a plan activity moved by its referral, plans cancelled by an exit) are
//! operations calling operations. Route modules parse, authorize, call one operation and map the
//! result to a response; `scripts/check-layering` keeps actix, utoipa and the route layer out of
//! here.

mod context;
mod error;

pub mod absences;
pub mod case_file;
pub mod claims;
pub mod contracts;
pub mod districts;
pub mod export;
pub mod history;
pub mod intake;
pub mod journal;
pub mod participants;
pub mod plans;
pub mod providers;
pub mod records;
pub mod referrals;
pub mod retention;
pub mod tasks;
pub mod transfers;
pub mod webhooks;

pub use context::Context;
pub use error::{invalid, FieldError, FieldErrors, OpError};

use persistence::versioned::{self, VersionedRow};
use persistence::DbConnection;
use uuid::Uuid;

/// A page request: how many, and after which id (keyset pagination).
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub after: Option<Uuid>,
}

impl Page {
    /// The cursor of the next page: the last id when the page is full, else none.
    pub fn next_cursor<T>(&self, items: &[T], id: impl Fn(&T) -> Uuid) -> Option<String> {
        (items.len() as i64 == self.limit)
            .then(|| items.last().map(|item| id(item).to_string()))
            .flatten()
    }
}

/// A record that carries the version its `ETag` shows.
pub(crate) trait Versioned {
    fn version(&self) -> i32;
}

macro_rules! versioned {
    ($($record:ty),*) => {
        $(impl Versioned for $record {
            fn version(&self) -> i32 {
                self.version
            }
        })*
    };
}

versioned!(
    domain::activity_plan::ActivityPlan,
    domain::referral::Referral,
    domain::provider::Provider,
    domain::provider::Contract,
    persistence::repos::claim::Claim
);

/// The record as loaded, if it is still at the version the client based its change on; 412
/// with the current version otherwise. The store's compare-and-swap checks again at the write.
pub(crate) fn at_version<T: Versioned>(record: T, expected: i32) -> Result<T, OpError> {
    if record.version() == expected {
        Ok(record)
    } else {
        Err(OpError::PreconditionFailed {
            current_version: record.version(),
        })
    }
}

/// A rule refused a change made on the version the client expected: when the record has moved
/// on meanwhile, the refusal may rest on a read torn by that change, so the answer is the
/// stale version (412), not the rule.
pub(crate) fn refused(conn: &mut DbConnection, row: VersionedRow<'_>, expected: i32, error: OpError) -> OpError {
    match versioned::current(conn, row) {
        Ok(Some(current)) if current != expected => OpError::PreconditionFailed {
            current_version: current,
        },
        _ => error,
    }
}
