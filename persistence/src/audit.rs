//! The access log: who did or read what, written in the same transaction as the work.

use chrono::NaiveDateTime;
use diesel::prelude::*;

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
