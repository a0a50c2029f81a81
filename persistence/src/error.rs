use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What a repository call can fail with. Callers map these to their own errors; nothing here
/// knows about HTTP.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write.
    #[error("conflict on constraint {constraint}")]
    Conflict { constraint: String },
    /// An optimistic-concurrency check failed: the row has moved on to `current`.
    #[error("stale version; current is {current}")]
    StaleVersion { current: i32 },
    /// The database could not be reached (pool timeout, connection refused).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("unexpected database error: {0}")]
    Unexpected(String),
}

impl From<DieselError> for RepoError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => RepoError::NotFound,
            DieselError::DatabaseError(
                kind @ (DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ForeignKeyViolation),
                info,
            ) => RepoError::Conflict {
                constraint: info
                    .constraint_name()
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{kind:?}")),
            },
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                RepoError::Unavailable(info.message().to_owned())
            }
            other => RepoError::Unexpected(other.to_string()),
        }
    }
}

impl From<r2d2::Error> for RepoError {
    fn from(error: r2d2::Error) -> Self {
        RepoError::Unavailable(error.to_string())
    }
}
