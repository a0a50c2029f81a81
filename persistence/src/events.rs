//! The outbox: one event per state change, appended in the change's transaction, read as an
//! ordered change feed.
//!
//! Ordering guarantee: a consumer paging with `position > after` never misses an event. A
//! position handed out at insert would not do on PostgreSQL: a later position can commit first
//! and a reader skip the earlier one. So there an event is inserted without a position and
//! [`sequence`] numbers the committed ones afterwards, one sequencer at a time (an advisory lock
//! held to its commit): every run's positions are above all earlier runs' and commit at once,
//! so what a reader sees is always a prefix of the feed. The lock is the sequencer's alone; the
//! writes themselves no longer queue behind each other's commits. An event is in the feed once
//! it has a position; the feed's readers run [`sequence`] first. On SQLite writers are
//! serialised by `BEGIN IMMEDIATE`, so the position given at insert is in commit order already.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use domain::access::ListScope;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::events;

/// Arbitrary constant naming the sequencer's lock among advisory locks.
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
    #[diesel(select_expression = events::position.assume_not_null())]
    pub position: i64,
    pub id: String,
    pub event_type: String,
    pub resource_type: String,
    pub resource_id: String,
    pub resource_version: i32,
    pub occurred_at: NaiveDateTime,
}

/// Appends an event; call inside the transaction of the change it records. On PostgreSQL it
/// reaches the feed at the next [`sequence`].
pub fn append(conn: &mut DbConnection, acting: &ActingContext, event: &NewEvent<'_>) -> Result<(), RepoError> {
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

/// Gives the committed events without a position theirs, in the order they were appended
/// (their ids are time-ordered); returns how many. Runs in a transaction of its own, so call it
/// outside any other. A no-op on SQLite.
pub fn sequence(conn: &mut DbConnection) -> Result<usize, RepoError> {
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(0);
    };
    // Most calls find nothing to do: they then take no lock and write nothing.
    let waiting: Option<String> = events::table
        .filter(events::position.is_null())
        .select(events::id)
        .first(pg)
        .optional()?;
    if waiting.is_none() {
        return Ok(0);
    }
    Ok(pg.transaction(|pg| {
        pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({OUTBOX_LOCK_KEY})"))?;
        diesel::sql_query(
            "UPDATE events SET position = numbered.position \
             FROM (SELECT id, nextval('events_position_seq') AS position \
                   FROM (SELECT id FROM events WHERE position IS NULL ORDER BY id) AS waiting) AS numbered \
             WHERE events.id = numbered.id",
        )
        .execute(pg)
    })?)
}

/// The feed after `after`, in feed order, limited to what `scope` may see and to `types` when
/// given: [`sequence`] first, then the events with a position. Call outside a transaction.
pub fn feed(
    conn: &mut DbConnection,
    scope: &ListScope,
    after: Option<i64>,
    types: &[String],
    limit: i64,
) -> Result<Vec<EventRow>, RepoError> {
    sequence(conn)?;
    let mut query = events::table
        .select(EventRow::as_select())
        .filter(events::position.is_not_null())
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

/// Every event about one participant in the feed, in feed order (for the export; run
/// [`sequence`] before its transaction).
pub fn for_participant(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<EventRow>, RepoError> {
    Ok(events::table
        .filter(events::participant_id.eq(participant_id))
        .filter(events::position.is_not_null())
        .order(events::position)
        .select(EventRow::as_select())
        .load(conn)?)
}
