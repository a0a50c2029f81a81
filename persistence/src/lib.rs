//! Persistence for Jobbtorg: one set of diesel queries over SQLite (embedded default) and
//! PostgreSQL (production). Knows nothing about HTTP.

pub mod access_log_writer;
pub mod audit;
pub mod error;
pub mod events;
pub mod history;
pub mod idempotency;
pub mod journal;
pub mod migrations;
pub mod pool;
pub mod rate_limit;
pub mod repos;
pub mod rows;
pub mod schema;
pub mod tx;
pub mod versioned;

pub use error::RepoError;
pub use pool::{Backend, DatabaseUrl, DbConnection, DbPool};
