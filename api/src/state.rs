//! What every handler can reach: the pool and the configuration.

use std::sync::Arc;

use actix_web::web;
use persistence::access_log_writer::AccessLogWriter;
use persistence::audit::ReadLog;
use persistence::pool::PooledConnection;
use persistence::{tx, DbConnection, DbPool, RepoError};
use prometheus_client::metrics::counter::Counter;

use crate::auth::Authenticated;
use crate::config::Config;
use crate::ops::Context;
use crate::problem::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    /// Write requests committed (`jobbtorg_write_request_commits_total`): one each.
    pub write_commits: Counter,
    /// The group-committing writer of read requests' access-log records.
    pub access_log: AccessLogWriter,
}

impl AppState {
    /// Runs blocking diesel work on the thread pool with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        blocking(move || with_connection(&pool, work)).await
    }

    /// Runs an audited read: `work` in one read transaction with a context that collects its
    /// access-log records; the connection goes back to the pool, the records are made durable
    /// by the group-committing writer, and only then is the result handed out. A log that
    /// cannot be written fails the read with 503, and what was read is dropped.
    pub async fn read<T, F>(&self, caller: &Authenticated, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Context) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.audited(caller, ReadKind::Transaction, work).await
    }

    /// [`AppState::read`] for work that reads in one statement on PostgreSQL (one participant):
    /// there it needs no transaction (`tx::read_in_one_statement`).
    pub async fn read_one<T, F>(&self, caller: &Authenticated, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Context) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.audited(caller, ReadKind::OneStatement, work).await
    }

    async fn audited<T, F>(&self, caller: &Authenticated, kind: ReadKind, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Context) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let reads = ReadLog::default();
        let ctx = Context {
            reads: Some(reads.clone()),
            ..caller.context()
        };
        let (pool, writer) = (self.pool.clone(), self.access_log.clone());
        blocking(move || {
            let value = with_connection(&pool, |conn| match kind {
                ReadKind::Transaction => tx::read(conn, |conn| work(conn, &ctx)),
                ReadKind::OneStatement => tx::read_in_one_statement(conn, |conn| work(conn, &ctx)),
            })?;
            writer.write(reads.take())?;
            Ok(value)
        })
        .await
    }
}

#[derive(Clone, Copy)]
enum ReadKind {
    Transaction,
    OneStatement,
}

/// Runs `work` on the blocking thread pool under the request's id.
async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let request_id = crate::request_id::current();
    web::block(move || crate::request_id::on_this_thread(request_id, work))
        .await
        .map_err(ApiError::internal)?
}

/// Runs `work` on a pooled connection, which goes back to the pool when it returns.
fn with_connection<T>(
    pool: &DbPool,
    work: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut conn: PooledConnection = pool.get().map_err(RepoError::from)?;
    let outcome = work(&mut conn);
    drop_if_broken(&mut conn, &outcome);
    outcome
}

/// A request the database could not serve may have met a dead connection: the pool drops it.
fn drop_if_broken<T>(conn: &mut PooledConnection, outcome: &Result<T, ApiError>) {
    if matches!(outcome, Err(ApiError::Unavailable(_))) {
        persistence::pool::mark_broken(conn);
    }
}
