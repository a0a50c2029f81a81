//! What every change leaves behind, written in the change's transaction: the field-level
//! history, the access-log record and the outbox event.

use crate::audit::{self, ActingContext, AuditEntry};
use crate::error::RepoError;
use crate::events::{self, EventScope, NewEvent};
use crate::history;
use crate::pool::DbConnection;

/// One change of one resource.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub event_type: &'a str,
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    /// The version the change produced.
    pub resource_version: i32,
    /// The participant whose data it touches, if any.
    pub participant_id: Option<&'a str>,
    pub scope: EventScope,
}

/// Records `change` with its changed fields (`field`, before, after).
pub fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    change: Change<'_>,
    fields: &[(&'static str, Option<String>, Option<String>)],
) -> Result<(), RepoError> {
    history::record(
        conn,
        acting,
        (change.resource_type, change.resource_id),
        change.participant_id,
        fields,
    )?;
    audit::record(
        conn,
        acting,
        &AuditEntry {
            action: change.event_type,
            resource_type: change.resource_type,
            resource_id: change.resource_id,
            participant_id: change.participant_id,
        },
    )?;
    events::append(
        conn,
        acting,
        &NewEvent {
            event_type: change.event_type,
            resource_type: change.resource_type,
            resource_id: change.resource_id,
            resource_version: change.resource_version,
            scope: change.scope,
        },
    )
}
