//! Write transactions: every state change runs in one, together with its audit record and its
//! event, so nothing is half-written.

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::error::RepoError;
use crate::pool::DbConnection;

/// Runs `work` in a transaction that commits when it returns `Ok` and rolls back otherwise.
///
/// On SQLite the transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front,
/// so concurrent writers wait (busy timeout) instead of failing with `SQLITE_BUSY` when a
/// deferred transaction tries to upgrade its read lock.
pub fn write<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<RepoError>,
{
    let begun = match conn {
        DbConnection::Sqlite(sqlite) => AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE"),
        DbConnection::Postgresql(_) => {
            <DbConnection as diesel::Connection>::TransactionManager::begin_transaction(conn)
        }
    };
    begun.map_err(|e| E::from(RepoError::from(e)))?;
    let outcome = work(conn);
    finish(conn, outcome)
}

/// Runs `work` in a savepoint of the transaction `conn` is in: after `Err` only what `work`
/// did is undone, and the transaction goes on.
pub fn savepoint<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<RepoError>,
{
    debug_assert!(
        matches!(
            <DbConnection as diesel::Connection>::TransactionManager::transaction_manager_status_mut(conn)
                .transaction_depth(),
            Ok(Some(_))
        ),
        "a savepoint needs a transaction"
    );
    <DbConnection as diesel::Connection>::TransactionManager::begin_transaction(conn)
        .map_err(|e| E::from(RepoError::from(e)))?;
    let outcome = work(conn);
    finish(conn, outcome)
}

/// Commits after `Ok`, rolls back after `Err`.
fn finish<T, E: From<RepoError>>(conn: &mut DbConnection, outcome: Result<T, E>) -> Result<T, E> {
    match outcome {
        Ok(value) => {
            <DbConnection as diesel::Connection>::TransactionManager::commit_transaction(conn)
                .map_err(|e| E::from(RepoError::from(e)))?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = <DbConnection as diesel::Connection>::TransactionManager::rollback_transaction(conn)
            {
                log::error!("rollback failed: {rollback}");
            }
            Err(error)
        }
    }
}

/// Runs `work` in a read transaction: one consistent snapshot (PostgreSQL: repeatable read,
/// read only, so it never waits for a writer and never fails to serialise; SQLite: a deferred
/// transaction, a WAL snapshot that takes no write lock). On PostgreSQL a write inside it
/// fails, so a read whose access-log records were not collected fails rather than going
/// unlogged.
pub fn read<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<RepoError>,
{
    let begun = match conn {
        DbConnection::Sqlite(sqlite) => AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN DEFERRED"),
        DbConnection::Postgresql(pg) => {
            AnsiTransactionManager::begin_transaction_sql(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        }
    };
    begun.map_err(|e| E::from(RepoError::from(e)))?;
    let outcome = work(conn);
    finish(conn, outcome)
}
