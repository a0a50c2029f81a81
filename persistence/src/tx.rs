//! Write transactions: every state change runs in one, together with its audit record and its
//! event, so nothing is half-written.

use std::sync::{Condvar, Mutex, PoisonError};

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::error::RepoError;
use crate::pool::DbConnection;

/// Runs `work` in a transaction that commits when it returns `Ok` and rolls back otherwise.
///
/// On SQLite the transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front,
/// so concurrent writers wait instead of failing with `SQLITE_BUSY` when a deferred
/// transaction tries to upgrade its read lock. They wait in this process's writer queue
/// ([`WriterQueue`]), not in SQLite's busy handler.
pub fn write<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<RepoError>,
{
    let _turn = matches!(conn, DbConnection::Sqlite(_)).then(|| SQLITE_WRITERS.wait_turn());
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

/// Runs `work` that reads in one statement on PostgreSQL (such as
/// `ParticipantRepo::get`): a statement is its own snapshot there, so it runs without a
/// transaction, two round trips fewer. On SQLite, where the same work takes several
/// statements, it runs in [`read`].
pub fn read_in_one_statement<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<RepoError>,
{
    match conn {
        DbConnection::Postgresql(_) => work(conn),
        DbConnection::Sqlite(_) => read(conn, work),
    }
}

/// SQLite lets one writer in at a time, and its busy handler makes the others sleep and poll
/// (for up to 100 ms a try), so under load writes queued with long tails (p99 over a second
/// at 16 concurrent writers). The writers of this process queue here instead, first come first
/// served, each woken the moment the one before it ends; the busy handler is left for another
/// process on the same file. One queue per process: a server serves one database.
static SQLITE_WRITERS: WriterQueue = WriterQueue::new();

/// A ticket queue: a writer draws the next number and waits until it is served.
struct WriterQueue {
    /// (next ticket to hand out, ticket being served)
    tickets: Mutex<(u64, u64)>,
    turn_ended: Condvar,
}

/// The writer's turn; the next writer's begins when it is dropped (a panic included).
struct WriterTurn<'a>(&'a WriterQueue);

impl WriterQueue {
    const fn new() -> Self {
        Self {
            tickets: Mutex::new((0, 0)),
            turn_ended: Condvar::new(),
        }
    }

    fn wait_turn(&self) -> WriterTurn<'_> {
        let mut tickets = self.tickets.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = tickets.0;
        tickets.0 += 1;
        while tickets.1 != mine {
            tickets = self.turn_ended.wait(tickets).unwrap_or_else(PoisonError::into_inner);
        }
        WriterTurn(self)
    }
}

impl Drop for WriterTurn<'_> {
    fn drop(&mut self) {
        let mut tickets = self.0.tickets.lock().unwrap_or_else(PoisonError::into_inner);
        tickets.1 += 1;
        self.0.turn_ended.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex as StdMutex};

    use super::WriterQueue;

    #[test]
    fn writers_take_turns_one_at_a_time_in_the_order_they_came() {
        let queue: &'static WriterQueue = Box::leak(Box::new(WriterQueue::new()));
        let inside = Arc::new(AtomicUsize::new(0));
        let order = Arc::new(StdMutex::new(Vec::new()));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (inside, order) = (inside.clone(), order.clone());
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let _turn = queue.wait_turn();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two writers at once");
                        order.lock().unwrap().push(queue.tickets.lock().unwrap().1);
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let served = order.lock().unwrap().clone();
        assert_eq!(
            served,
            (0..800).collect::<Vec<u64>>(),
            "every ticket served once, in order"
        );
    }

    #[test]
    fn a_writer_that_panics_passes_the_turn_on() {
        let queue: &'static WriterQueue = Box::leak(Box::new(WriterQueue::new()));
        let crashed = std::thread::spawn(move || {
            let _turn = queue.wait_turn();
            panic!("the work failed");
        })
        .join();
        assert!(crashed.is_err());
        let _next = queue.wait_turn();
        assert_eq!(queue.tickets.lock().unwrap().1, 1);
    }
}
