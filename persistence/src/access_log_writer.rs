//! The group-committing access-log writer. Concurrent read requests hand their records to one
//! thread, which inserts everything queued meanwhile in multi-row statements and one commit,
//! and answers each request only once its batch is durable. A read then needs no write
//! transaction of its own, and a thousand reads cost a handful of commits, not a thousand.
//! A batch that fails fails every request in it: nothing is disclosed that is not logged.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
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
        thread::Builder::new()
            .name("access-log".into())
            .spawn(move || run(&manager, &pending))?;
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

fn run(manager: &DbManager, pending: &Receiver<Pending>) {
    let mut conn: Option<DbConnection> = None;
    while let Ok(first) = pending.recv() {
        let mut batch = vec![first];
        let mut size = batch[0].records.len();
        while size < MAX_BATCH_RECORDS {
            match pending.try_recv() {
                Ok(next) => {
                    size += next.records.len();
                    batch.push(next);
                }
                Err(_) => break,
            }
        }
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

fn commit(manager: &DbManager, conn: &mut Option<DbConnection>, batch: &mut [Pending]) -> Result<(), String> {
    if conn.is_none() {
        *conn = Some(manager.connect().map_err(|e| e.to_string())?);
    }
    let Some(conn) = conn.as_mut() else {
        return Err("no connection".into());
    };
    let records: Vec<AccessRecord> = batch.iter_mut().flat_map(|p| std::mem::take(&mut p.records)).collect();
    tx::write(conn, |conn| audit::insert(conn, &records)).map_err(|e: RepoError| e.to_string())
}
