//! Field-level history as every resource's `/history` shows it.

use actix_web::web;
use chrono::{DateTime, Utc};
use domain::access::Action;
use persistence::history::HistoryRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::ops::history::{self, HistoryOf};
use crate::problem::ApiError;
use crate::state::AppState;

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

/// The answer of every `/history` endpoint: the caller's reach for `action`, then the history
/// of `of` as [`ops::history::of`](crate::ops::history::of) gives it.
pub async fn respond(
    state: &AppState,
    caller: &Authenticated,
    action: Action,
    of: HistoryOf,
) -> Result<web::Json<HistoryList>, ApiError> {
    let scope = crate::http::scope_for(&caller.0, action)?;
    let rows = state
        .read(caller, move |conn, ctx| Ok(history::of(conn, ctx, &scope, of)?))
        .await?;
    Ok(web::Json(HistoryList {
        items: history_entries(rows),
    }))
}
