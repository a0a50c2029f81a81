//! What every handler can reach: the pool and the configuration.

use std::sync::Arc;

use actix_web::web;
use persistence::pool::PooledConnection;
use persistence::{DbConnection, DbPool, RepoError};
use prometheus_client::metrics::counter::Counter;

use crate::config::Config;
use crate::problem::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    /// Write requests committed (`jobbtorg_write_request_commits_total`): one each.
    pub write_commits: Counter,
}

impl AppState {
    /// Runs blocking diesel work on the thread pool with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let request_id = crate::request_id::current();
        web::block(move || {
            crate::request_id::on_this_thread(request_id, || {
                let mut conn: PooledConnection = pool.get().map_err(RepoError::from)?;
                work(&mut conn)
            })
        })
        .await
        .map_err(ApiError::internal)?
    }
}
