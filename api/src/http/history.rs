//! Field-level history as every resource's `/history` shows it.

use chrono::{DateTime, Utc};
use persistence::history::HistoryRow;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub changed_at: DateTime<Utc>,
    /// Who changed it (user id) and in which role.
    pub actor_id: String,
    pub actor_role: String,
    pub request_id: String,
    #[schema(example = "status")]
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryList {
    pub items: Vec<HistoryEntry>,
}

pub fn history_entries(rows: Vec<HistoryRow>) -> Vec<HistoryEntry> {
    rows.into_iter()
        .map(|r| HistoryEntry {
            changed_at: r.changed_at.and_utc(),
            actor_id: r.actor_subject,
            actor_role: r.actor_role,
            request_id: r.request_id,
            field: r.field,
            old_value: r.old_value,
            new_value: r.new_value,
        })
        .collect()
}
