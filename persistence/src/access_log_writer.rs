//! The group-committing access-log writer. Concurrent read requests hand their records to a
//! writer thread, which inserts everything queued meanwhile in multi-row statements and one
//! commit, and answers each request only once its batch is durable. A read then needs no write
//! transaction of its own, and a thousand reads cost a handful of commits, not a thousand.
//! A batch that fails fails every request in it: nothing is disclosed that is not logged.
//!
//! On PostgreSQL two writers take turns at the queue, so the next batch is gathered and sent
//! while the last one waits for its commit (the database merges their flushes); a read waits
//! for one commit, not for the one before it too. SQLite has one: its writes are serialised.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use crate::audit::{self, AccessRecord, MAX_RECORDS_PER_INSERT};
use crate::pool::{DbConnection, DbManager};
use crate::{tx, RepoError};

/// A batch is cut at this many records; what queues meanwhile goes in the next one.
const MAX_BATCH_RECORDS: usize = 4 * MAX_RECORDS_PER_INSERT;

struct Pending {
    records: Vec<AccessRecord>,
    done: SyncSender<Result<(), String>>,
}

/// A handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct AccessLogWriter {
    queue: Sender<Pending>,
}

impl AccessLogWriter {
    /// Starts the writer on its own connection (opened on first use and again after an error).
    pub fn start(manager: DbManager) -> std::io::Result<Self> {
        let (queue, pending) = mpsc::channel();
        let pending = Arc::new(Mutex::new(pending));
        let writers = match manager.backend() {
            crate::pool::Backend::Postgres => 2,
            crate::pool::Backend::Sqlite => 1,
        };
        for n in 0..writers {
            let (manager, pending) = (manager.clone(), pending.clone());
            thread::Builder::new()
                .name(format!("access-log-{n}"))
                .spawn(move || run(&manager, &pending))?;
        }
        Ok(Self { queue })
    }

    /// Makes `records` durable, blocking until their batch has committed; `Unavailable` when
    /// it could not be (the caller must then withhold what was read).
    pub fn write(&self, records: Vec<AccessRecord>) -> Result<(), RepoError> {
        if records.is_empty() {
            return Ok(());
        }
        let (done, outcome) = mpsc::sync_channel(1);
        self.queue
            .send(Pending { records, done })
            .map_err(|_| RepoError::Unavailable("the access-log writer has stopped".into()))?;
        match outcome.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(cause)) => Err(RepoError::Unavailable(format!("access log not written: {cause}"))),
            Err(_) => Err(RepoError::Unavailable("the access-log writer has stopped".into())),
        }
    }
}

fn run(manager: &DbManager, pending: &Mutex<Receiver<Pending>>) {
    let mut conn: Option<DbConnection> = None;
    while let Some(mut batch) = next_batch(pending) {
        let outcome = commit(manager, &mut conn, &mut batch);
        if outcome.is_err() {
            // Start the next batch on a fresh connection: this one may be broken.
            conn = None;
        }
        for request in batch {
            // A request that gave up waiting has nobody to tell.
            let _ = request.done.send(outcome.clone());
        }
    }
}

/// What queued since the last batch was taken (waiting for a first request); `None` once every
/// handle is gone. The queue is held only while the batch is gathered.
fn next_batch(pending: &Mutex<Receiver<Pending>>) -> Option<Vec<Pending>> {
    let pending = pending.lock().unwrap_or_else(PoisonError::into_inner);
    let first = pending.recv().ok()?;
    let mut size = first.records.len();
    let mut batch = vec![first];
    while size < MAX_BATCH_RECORDS {
        match pending.try_recv() {
            Ok(next) => {
                size += next.records.len();
                batch.push(next);
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

fn commit(manager: &DbManager, conn: &mut Option<DbConnection>, batch: &mut [Pending]) -> Result<(), String> {
    if conn.is_none() {
        let mut fresh = manager.connect().map_err(|e| e.to_string())?;
        if let DbConnection::Postgresql(pg) = &mut fresh {
            // A batch that hangs holds every waiting read: give up, fail them (503), reconnect.
            diesel::connection::SimpleConnection::batch_execute(pg, "SET statement_timeout = '5s'")
                .map_err(|e| e.to_string())?;
        }
        *conn = Some(fresh);
    }
    let Some(conn) = conn.as_mut() else {
        return Err("no connection".into());
    };
    let records: Vec<AccessRecord> = batch.iter_mut().flat_map(|p| std::mem::take(&mut p.records)).collect();
    let written = if matches!(conn, DbConnection::Postgresql(_)) {
        // One statement there (`audit::insert`), atomic by itself: no BEGIN and COMMIT round
        // trips. SQLite writes go through `tx::write`, to take their turn in the writer queue.
        audit::insert(conn, &records)
    } else {
        tx::write(conn, |conn| audit::insert(conn, &records))
    };
    written.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{ActingContext, AuditEntry};
    use crate::{migrations, DatabaseUrl};
    use diesel::{sql_query, sql_types::BigInt, QueryableByName, RunQueryDsl};

    fn record(n: usize) -> AccessRecord {
        let acting = ActingContext {
            subject: format!("reader-{n}"),
            role: "coach".into(),
            request_id: format!("req-{n}"),
            now: chrono::Utc::now().naive_utc(),
            reads: None,
        };
        let id = uuid::Uuid::now_v7().to_string();
        AccessRecord::new(
            &acting,
            &AuditEntry {
                action: "participant.read",
                resource_type: "participant",
                resource_id: &id,
                participant_id: Some(&id),
            },
        )
    }

    #[test]
    fn concurrent_reads_are_all_durable_when_they_are_answered() -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::env::temp_dir().join(format!("jobbtorg-writer-{}", uuid::Uuid::now_v7()));
        let url = DatabaseUrl::parse(&dir.join("w.db").to_string_lossy())?;
        let manager = DbManager::new(url);
        let mut conn = manager.connect()?;
        migrations::run_pending(&mut conn)?;
        let writer = AccessLogWriter::start(manager)?;
        let threads: Vec<_> = (0..32)
            .map(|n| {
                let writer = writer.clone();
                thread::spawn(move || writer.write(vec![record(n), record(n + 100)]))
            })
            .collect();
        for handle in threads {
            handle.join().map_err(|_| "a reader panicked")??;
        }
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let stored: Count = sql_query("SELECT COUNT(*) AS n FROM access_log").get_result(&mut conn)?;
        assert_eq!(stored.n, 64, "every record answered is stored");
        std::fs::remove_dir_all(dir)?;
        Ok(())
    }

    #[test]
    fn a_batch_that_cannot_be_written_fails_its_reads() -> Result<(), Box<dyn std::error::Error>> {
        // No such table: the database is there, the log is not.
        let dir = std::env::temp_dir().join(format!("jobbtorg-writer-{}", uuid::Uuid::now_v7()));
        let url = DatabaseUrl::parse(&dir.join("empty.db").to_string_lossy())?;
        let writer = AccessLogWriter::start(DbManager::new(url))?;
        assert!(matches!(writer.write(vec![record(1)]), Err(RepoError::Unavailable(_))));
        assert!(writer.write(vec![]).is_ok(), "nothing to log needs no database");
        std::fs::remove_dir_all(dir)?;
        Ok(())
    }
}
