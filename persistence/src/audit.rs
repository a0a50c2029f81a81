//! The access log: who did or read what. A change's record is written in the same transaction
//! as the change; a read request's records are collected in a [`ReadLog`] and written by the
//! group-committing [`crate::access_log_writer::AccessLogWriter`] before its data leaves.

use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Nullable, Text, Timestamp};

use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::access_log;

/// Who is acting, for the audit record and the event; built by the API from the token.
#[derive(Debug, Clone)]
pub struct ActingContext {
    pub subject: String,
    pub role: String,
    pub request_id: String,
    /// One clock reading for the whole operation, in UTC.
    pub now: NaiveDateTime,
    /// Where a read request collects its records; `None` writes them at once, in the caller's
    /// transaction.
    pub reads: Option<ReadLog>,
}

/// The access-log records of one read request, waiting for the writer. The request's data may
/// leave only after [`crate::access_log_writer::AccessLogWriter::write`] has made them durable.
#[derive(Debug, Clone, Default)]
pub struct ReadLog(Arc<Mutex<Vec<AccessRecord>>>);

impl ReadLog {
    fn push(&self, records: impl IntoIterator<Item = AccessRecord>) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend(records);
    }

    /// The records collected so far, leaving none behind.
    pub fn take(&self) -> Vec<AccessRecord> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// One access-log record as it is stored.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = access_log)]
pub struct AccessRecord {
    id: String,
    occurred_at: NaiveDateTime,
    actor_subject: String,
    actor_role: String,
    action: String,
    resource_type: String,
    resource_id: String,
    participant_id: Option<String>,
    request_id: String,
}

impl AccessRecord {
    pub fn new(acting: &ActingContext, entry: &AuditEntry<'_>) -> Self {
        AccessRecord {
            id: uuid::Uuid::now_v7().to_string(),
            occurred_at: acting.now,
            actor_subject: acting.subject.clone(),
            actor_role: acting.role.clone(),
            action: entry.action.to_owned(),
            resource_type: entry.resource_type.to_owned(),
            resource_id: entry.resource_id.to_owned(),
            participant_id: entry.participant_id.map(str::to_owned),
            request_id: acting.request_id.clone(),
        }
    }
}

/// The most records one statement inserts: 9 parameters each stays far inside both backends'
/// limits on bound parameters.
pub const MAX_RECORDS_PER_INSERT: usize = 1_000;

/// Inserts `records`: on PostgreSQL in one statement whatever their number; on SQLite in as few
/// multi-row statements as the parameter limit allows.
pub fn insert(conn: &mut DbConnection, records: &[AccessRecord]) -> Result<(), RepoError> {
    match conn {
        DbConnection::Postgresql(pg) => {
            if !records.is_empty() {
                ColumnsInsert::of(records).execute(pg)?;
            }
        }
        DbConnection::Sqlite(lite) => {
            for chunk in records.chunks(MAX_RECORDS_PER_INSERT) {
                // Multi-row VALUES: the multi-backend connection has no batch insert.
                diesel::insert_into(access_log::table).values(chunk).execute(lite)?;
            }
        }
    }
    Ok(())
}

/// The records as one array per column, inserted with `unnest`: the same SQL for any number of
/// records, so PostgreSQL prepares it once per connection (a multi-row VALUES is new SQL for
/// every count, parsed and planned each time).
struct ColumnsInsert {
    id: Vec<String>,
    occurred_at: Vec<NaiveDateTime>,
    actor_subject: Vec<String>,
    actor_role: Vec<String>,
    action: Vec<String>,
    resource_type: Vec<String>,
    resource_id: Vec<String>,
    participant_id: Vec<Option<String>>,
    request_id: Vec<String>,
}

impl ColumnsInsert {
    fn of(records: &[AccessRecord]) -> Self {
        let column = |f: &dyn Fn(&AccessRecord) -> String| records.iter().map(f).collect();
        ColumnsInsert {
            id: column(&|r| r.id.clone()),
            occurred_at: records.iter().map(|r| r.occurred_at).collect(),
            actor_subject: column(&|r| r.actor_subject.clone()),
            actor_role: column(&|r| r.actor_role.clone()),
            action: column(&|r| r.action.clone()),
            resource_type: column(&|r| r.resource_type.clone()),
            resource_id: column(&|r| r.resource_id.clone()),
            participant_id: records.iter().map(|r| r.participant_id.clone()).collect(),
            request_id: column(&|r| r.request_id.clone()),
        }
    }
}

impl QueryFragment<Pg> for ColumnsInsert {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, \
             resource_id, participant_id, request_id) SELECT * FROM unnest(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Timestamp>, _>(&self.occurred_at)?;
        for column in [
            &self.actor_subject,
            &self.actor_role,
            &self.action,
            &self.resource_type,
            &self.resource_id,
        ] {
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(column)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.participant_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.request_id)?;
        out.push_sql(")");
        Ok(())
    }
}

impl QueryId for ColumnsInsert {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl RunQueryDsl<PgConnection> for ColumnsInsert {}

/// Records reads of these entries: into the request's [`ReadLog`] when it has one, else at
/// once, in one statement, in the caller's transaction.
pub fn record_reads(
    conn: &mut DbConnection,
    acting: &ActingContext,
    entries: &[AuditEntry<'_>],
) -> Result<(), RepoError> {
    let records = entries.iter().map(|e| AccessRecord::new(acting, e));
    match &acting.reads {
        Some(log) => {
            log.push(records);
            Ok(())
        }
        // A read whose record cannot be written is unavailable, like one the writer refused.
        None => insert(conn, &records.collect::<Vec<_>>())
            .map_err(|e| RepoError::Unavailable(format!("access log not written: {e}"))),
    }
}

/// What was done to which resource, and which participant's data it touched.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    pub participant_id: Option<&'a str>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = access_log)]
struct NewAccessLogRow<'a> {
    id: String,
    occurred_at: NaiveDateTime,
    actor_subject: &'a str,
    actor_role: &'a str,
    action: &'a str,
    resource_type: &'a str,
    resource_id: &'a str,
    participant_id: Option<&'a str>,
    request_id: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = access_log)]
pub struct AccessLogRow {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor_subject: String,
    pub actor_role: String,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub participant_id: Option<String>,
    pub request_id: String,
}

pub fn record(conn: &mut DbConnection, acting: &ActingContext, entry: &AuditEntry<'_>) -> Result<(), RepoError> {
    diesel::insert_into(access_log::table)
        .values(NewAccessLogRow {
            id: uuid::Uuid::now_v7().to_string(),
            occurred_at: acting.now,
            actor_subject: &acting.subject,
            actor_role: &acting.role,
            action: entry.action,
            resource_type: entry.resource_type,
            resource_id: entry.resource_id,
            participant_id: entry.participant_id,
            request_id: &acting.request_id,
        })
        .execute(conn)?;
    Ok(())
}

/// Every access to one participant's data, oldest first.
pub fn for_participant(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<AccessLogRow>, RepoError> {
    Ok(access_log::table
        .filter(access_log::participant_id.eq(participant_id))
        .order((access_log::occurred_at, access_log::id))
        .select(AccessLogRow::as_select())
        .load(conn)?)
}
