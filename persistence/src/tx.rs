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
    match work(conn) {
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
