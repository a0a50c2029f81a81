//! The connection pool: one `DbConnection` type over both backends, picked by the URL scheme.

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::R2D2Connection;
use diesel::{Connection, ConnectionError, PgConnection, SqliteConnection};

/// One connection type for both backends, so every query is written once.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledConnection = r2d2::PooledConnection<DbManager>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// A parsed `DATABASE_URL`: `postgres://…`/`postgresql://…`, or `sqlite://path`, `sqlite:path`
/// or a plain file path for SQLite.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What diesel's `establish` takes: the full URL for PostgreSQL, the file path for SQLite.
    target: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct InvalidDatabaseUrl(String);

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, InvalidDatabaseUrl> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self {
                backend: Backend::Postgres,
                target: url.to_owned(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() {
            return Err(InvalidDatabaseUrl("empty database URL".into()));
        }
        if path.contains("://") {
            return Err(InvalidDatabaseUrl(
                "unsupported scheme; use postgres://… or sqlite://path".into(),
            ));
        }
        Ok(Self {
            backend: Backend::Sqlite,
            target: path.to_owned(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }
}

/// Never print credentials: only the backend and, for SQLite, the file.
impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.backend {
            Backend::Postgres => f.write_str("postgres://…"),
            Backend::Sqlite => write!(f, "sqlite://{}", self.target),
        }
    }
}

/// r2d2 manager that connects to either backend. The stock diesel manager reduces every failure
/// to "timed out waiting for connection"; this one keeps the real error.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
}

const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

impl DbManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }

    pub fn backend(&self) -> Backend {
        self.url.backend
    }

    pub fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self.url.backend {
            Backend::Postgres => PgConnection::establish(&self.url.target).map(DbConnection::Postgresql),
            Backend::Sqlite => {
                if let Some(dir) = Path::new(&self.url.target).parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(|e| {
                            ConnectionError::BadConnection(format!("cannot create {}: {e}", dir.display()))
                        })?;
                    }
                }
                let mut conn = SqliteConnection::establish(&self.url.target)?;
                // Set on every pooled connection: these pragmas are per connection.
                // busy_timeout first: setting the journal mode takes a lock, and a connection
                // opened while another writes would otherwise fail at once with "database is
                // locked" (seen when a server restarts on a file another one still writes).
                // synchronous = FULL: a commit is on disk before it is acknowledged, so no
                // acknowledged write is lost on power loss (NORMAL may lose the last ones).
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                ))
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    #[error(transparent)]
    Connect(#[from] ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = ManagerError;

    fn connect(&self) -> Result<DbConnection, ManagerError> {
        Ok(DbManager::connect(self)?)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ManagerError> {
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }

    /// Broken: its transaction manager is in error (a transaction that could not be ended, or
    /// [`mark_broken`] after a failure that may have been the connection's). The pool drops it.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Postgresql(pg) => R2D2Connection::is_broken(pg),
            DbConnection::Sqlite(lite) => R2D2Connection::is_broken(lite),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_size: u32,
    /// How long a request waits for a free connection before it fails as unavailable.
    pub connection_timeout: Duration,
}

/// Marks a connection broken, so the pool drops it when it comes back: after a failure that
/// may have been the connection's own (the pool does not ping a connection on every checkout;
/// a dead one is found by the request that meets it, answered 503, and replaced).
pub fn mark_broken(conn: &mut DbConnection) {
    match conn {
        DbConnection::Postgresql(pg) => AnsiTransactionManager::transaction_manager_status_mut(pg).set_in_error(),
        DbConnection::Sqlite(lite) => AnsiTransactionManager::transaction_manager_status_mut(lite).set_in_error(),
    }
}

/// Builds the pool without connecting; call [`DbManager::connect`] first to surface a bad URL.
pub fn build_pool(url: DatabaseUrl, settings: PoolSettings) -> DbPool {
    r2d2::Pool::builder()
        .max_size(settings.max_size)
        .min_idle(Some(0))
        .connection_timeout(settings.connection_timeout)
        // No `SELECT 1` before every request: a round trip on the hot path. A dead connection
        // fails its request (503) and is dropped (`mark_broken`, `has_broken`).
        .test_on_check_out(false)
        .build_unchecked(DbManager::new(url))
}

/// Whether a connection can be had within `timeout` and answers a trivial query.
pub fn ping(pool: &DbPool, timeout: Duration) -> Result<(), crate::RepoError> {
    let mut conn = pool.get_timeout(timeout)?;
    conn.batch_execute("SELECT 1").map_err(|e| {
        mark_broken(&mut conn);
        crate::RepoError::Unavailable(e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_backends_from_the_scheme() {
        let pg = DatabaseUrl::parse("postgres://u@h/db").ok();
        assert_eq!(pg.map(|u| u.backend()), Some(Backend::Postgres));
        let pg = DatabaseUrl::parse("postgresql://u@h/db").ok();
        assert_eq!(pg.map(|u| u.backend()), Some(Backend::Postgres));
        for sqlite in ["sqlite://data/x.db", "sqlite:x.db", "./data/jobbtorg.db"] {
            let parsed = DatabaseUrl::parse(sqlite);
            assert_eq!(parsed.map(|u| u.backend()), Ok(Backend::Sqlite), "{sqlite}");
        }
    }

    #[test]
    fn rejects_unknown_schemes_and_empty_urls() {
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn debug_never_shows_postgres_credentials() {
        let url = DatabaseUrl::parse("postgres://user:secret@h/db").ok();
        assert!(!format!("{url:?}").contains("secret"));
    }

    #[test]
    fn sqlite_connections_get_wal_and_foreign_keys() -> Result<(), Box<dyn std::error::Error>> {
        use diesel::{sql_query, sql_types::Integer, QueryableByName, RunQueryDsl};
        #[derive(QueryableByName)]
        struct Flag {
            #[diesel(sql_type = Integer)]
            foreign_keys: i32,
        }
        let dir = std::env::temp_dir().join(format!("jobbtorg-pool-{}", uuid::Uuid::now_v7()));
        let url = DatabaseUrl::parse(&dir.join("t.db").to_string_lossy())?;
        let mut conn = DbManager::new(url).connect()?;
        let flag: Flag = sql_query("PRAGMA foreign_keys").get_result(&mut conn)?;
        assert_eq!(flag.foreign_keys, 1);
        std::fs::remove_dir_all(dir)?;
        Ok(())
    }
}
