//! The change feed: every state change as an event, in commit order, scoped by the caller's
//! rights. Events carry ids only, never personal data.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use domain::access::{list_scope, Action};
use persistence::events::{self, EventRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::Authenticated;
use crate::http::limits;
use crate::http::paging::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::http::valid::ValidQuery;
use crate::problem::ApiError;
use crate::state::AppState;

const MAX_TYPES: usize = crate::http::limits::CODES_MAX as usize;
/// Room for `MAX_TYPES` event names of up to 100 characters with their commas.
pub(crate) const MAX_TYPES_LENGTH: u64 = crate::http::limits::CODES_MAX * 101;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_events);
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Return events after this cursor (a `cursor` or `next_cursor` from an earlier page).
    /// Omit to start from the beginning.
    #[param(example = "42", pattern = r"^[0-9]{1,18}$")]
    pub after: Option<String>,
    /// Comma-separated event types to include, e.g. `district.updated`.
    #[param(example = "district.created,district.updated")]
    #[validate(length(max = MAX_TYPES_LENGTH), custom(function = "crate::http::text::event_type_list"))]
    pub types: Option<String>,
    /// Page size, 1 to 200.
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
}

/// Something changed. Fetch the resource for its current state.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventResponse {
    #[schema(example = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11")]
    pub id: String,
    /// Pass as `after` to continue after this event. Opaque.
    #[schema(example = "42")]
    pub cursor: String,
    #[serde(rename = "type")]
    #[schema(example = "district.updated")]
    pub event_type: String,
    #[schema(example = "district")]
    pub resource_type: String,
    #[schema(example = "rinkeby-kista")]
    pub resource_id: String,
    /// The resource's version after the change.
    #[schema(example = 2)]
    pub resource_version: i32,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventResponse>,
    /// Where to continue: the last event's cursor, or the `after` sent when there is nothing new
    /// (null only when the feed is empty and no `after` was sent). Poll again with it.
    #[schema(example = "42")]
    pub next_cursor: Option<String>,
}

/// Read the change feed
///
/// Events in commit order. A consumer that stores `next_cursor` and pages with `after` sees every
/// event it may see exactly once, also while writes go on.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(EventsQuery),
    responses((status = 200, description = "The next events.", body = EventList))
)]
#[get("/events")]
async fn list_events(
    caller: Authenticated,
    query: ValidQuery<EventsQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<EventList>, ApiError> {
    let scope = list_scope(&caller.0, Action::ReadEvents).ok_or(ApiError::Forbidden)?;
    let query = query.into_inner();
    let after = query.after.as_deref().map(parse_cursor).transpose()?;
    let types: Vec<String> = query
        .types
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    if types.len() > MAX_TYPES {
        return Err(ApiError::InvalidQuery(format!("at most {MAX_TYPES} types")));
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::InvalidQuery(format!("limit must be from 1 to {MAX_LIMIT}")));
    }
    let rows = state
        .db(move |conn| Ok(events::feed(conn, &scope, after, &types, limit)?))
        .await?;
    let next_cursor = rows.last().map(|row| row.position.to_string()).or(query.after);
    Ok(web::Json(EventList {
        items: rows.into_iter().map(EventResponse::from).collect(),
        next_cursor,
    }))
}

fn parse_cursor(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|p| *p >= 0)
        .ok_or_else(|| ApiError::InvalidQuery(format!("{raw:?} is not a cursor")))
}

impl From<EventRow> for EventResponse {
    fn from(row: EventRow) -> Self {
        Self {
            id: row.id,
            cursor: row.position.to_string(),
            event_type: row.event_type,
            resource_type: row.resource_type,
            resource_id: row.resource_id,
            resource_version: row.resource_version,
            occurred_at: row.occurred_at.and_utc(),
        }
    }
}
