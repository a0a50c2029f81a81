//! Field-level history: who changed which field from what to what, and when.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::field_history;

#[derive(Debug, Insertable)]
#[diesel(table_name = field_history)]
struct NewHistoryRow<'a> {
    id: String,
    resource_type: &'a str,
    resource_id: &'a str,
    participant_id: Option<&'a str>,
    changed_at: NaiveDateTime,
    actor_subject: &'a str,
    actor_role: &'a str,
    request_id: &'a str,
    field: &'a str,
    old_value: Option<&'a str>,
    new_value: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = field_history)]
pub struct HistoryRow {
    pub id: String,
    pub changed_at: NaiveDateTime,
    pub actor_subject: String,
    pub actor_role: String,
    pub request_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Records each changed field; call in the change's transaction.
pub fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    resource: (&str, &str),
    participant_id: Option<&str>,
    changes: &[(&'static str, Option<String>, Option<String>)],
) -> Result<(), RepoError> {
    // One insert per field: MultiConnection has no batch insert.
    for (field, old, new) in changes {
        diesel::insert_into(field_history::table)
            .values(NewHistoryRow {
                id: uuid::Uuid::now_v7().to_string(),
                resource_type: resource.0,
                resource_id: resource.1,
                participant_id,
                changed_at: acting.now,
                actor_subject: &acting.subject,
                actor_role: &acting.role,
                request_id: &acting.request_id,
                field,
                old_value: old.as_deref(),
                new_value: new.as_deref(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// The history of one resource, oldest first.
pub fn for_resource(
    conn: &mut DbConnection,
    resource_type: &str,
    resource_id: &str,
) -> Result<Vec<HistoryRow>, RepoError> {
    Ok(field_history::table
        .filter(field_history::resource_type.eq(resource_type))
        .filter(field_history::resource_id.eq(resource_id))
        .order((field_history::changed_at, field_history::id))
        .select(HistoryRow::as_select())
        .load(conn)?)
}

/// A history row with the resource it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = field_history)]
pub struct ResourceHistoryRow {
    pub resource_type: String,
    pub resource_id: String,
    #[diesel(embed)]
    pub row: HistoryRow,
}

/// Every change that touched one participant's data, of any resource, oldest first.
pub fn for_participant(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<ResourceHistoryRow>, RepoError> {
    Ok(field_history::table
        .filter(field_history::participant_id.eq(participant_id))
        .order((field_history::changed_at, field_history::id))
        .select(ResourceHistoryRow::as_select())
        .load(conn)?)
}
