//! The outbox: one event per state change, appended in the change's transaction, read as an
//! ordered change feed.
//!
//! Ordering guarantee: a consumer paging with `position > after` never misses an event. On
//! PostgreSQL a transaction-scoped advisory lock is taken right before the insert and held to
//! commit, so positions are handed out in commit order (a plain sequence would let a later
//! position commit first and a reader skip the earlier one). On SQLite writers are serialised
//! by `BEGIN IMMEDIATE` already.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use domain::access::ListScope;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::events;

/// Arbitrary constant naming the outbox lock among advisory locks.
const OUTBOX_LOCK_KEY: i64 = 0x4a6f_6262_746f_7267; // "Jobbtorg"

/// Which job centre, district, provider and participant an event concerns; the feed is scoped
/// by these, and they are ids, never personal data.
#[derive(Debug, Clone, Default)]
pub struct EventScope {
    pub jobbtorg: Option<String>,
    pub district: Option<String>,
    pub provider: Option<String>,
    pub participant: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub event_type: &'a str,
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    pub resource_version: i32,
    pub scope: EventScope,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
struct NewEventRow<'a> {
    id: String,
    event_type: &'a str,
    resource_type: &'a str,
    resource_id: &'a str,
    resource_version: i32,
    occurred_at: NaiveDateTime,
    jobbtorg_code: Option<&'a str>,
    district_code: Option<&'a str>,
    provider_id: Option<&'a str>,
    participant_id: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub position: i64,
    pub id: String,
    pub event_type: String,
    pub resource_type: String,
    pub resource_id: String,
    pub resource_version: i32,
    pub occurred_at: NaiveDateTime,
}

/// Appends an event; call inside the transaction of the change it records.
pub fn append(conn: &mut DbConnection, acting: &ActingContext, event: &NewEvent<'_>) -> Result<(), RepoError> {
    if let DbConnection::Postgresql(pg) = conn {
        pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({OUTBOX_LOCK_KEY})"))?;
    }
    diesel::insert_into(events::table)
        .values(NewEventRow {
            id: uuid::Uuid::now_v7().to_string(),
            event_type: event.event_type,
            resource_type: event.resource_type,
            resource_id: event.resource_id,
            resource_version: event.resource_version,
            occurred_at: acting.now,
            jobbtorg_code: event.scope.jobbtorg.as_deref(),
            district_code: event.scope.district.as_deref(),
            provider_id: event.scope.provider.as_deref(),
            participant_id: event.scope.participant.as_deref(),
        })
        .execute(conn)?;
    Ok(())
}

/// Events after `after` in feed order, limited to what `scope` may see and to `types` when given.
pub fn list(
    conn: &mut DbConnection,
    scope: &ListScope,
    after: Option<i64>,
    types: &[String],
    limit: i64,
) -> Result<Vec<EventRow>, RepoError> {
    let mut query = events::table
        .select(EventRow::as_select())
        .order(events::position)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(events::position.gt(after));
    }
    if !types.is_empty() {
        query = query.filter(events::event_type.eq_any(types.to_vec()));
    }
    query = match scope {
        ListScope::Everything => query,
        ListScope::Jobbtorg(code) => query.filter(events::jobbtorg_code.eq(code.as_str().to_owned())),
        ListScope::District(code) => query.filter(events::district_code.eq(code.as_str().to_owned())),
        ListScope::Provider(provider) => query.filter(events::provider_id.eq(provider.to_string())),
        ListScope::AnyProvider => query.filter(events::provider_id.is_not_null()),
        // Events carry the job centre holding the case; deliveries elsewhere are not in its feed.
        ListScope::JobbtorgWithDeliveries(_) | ListScope::DeliveredAt(_) => query.filter(events::id.eq("")),
    };
    Ok(query.load(conn)?)
}

/// Every event about one participant, in feed order (for the export).
pub fn for_participant(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<EventRow>, RepoError> {
    Ok(events::table
        .filter(events::participant_id.eq(participant_id))
        .order(events::position)
        .select(EventRow::as_select())
        .load(conn)?)
}
