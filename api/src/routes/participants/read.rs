//! Reading participants: one, a scoped list, the field history, the access log and the export.
//! Every read of personal data is written to the access log in the same transaction.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use domain::access::Action;
use domain::participant::ParticipantStatus;
use domain::shared::Code;
use persistence::repos::participant::ParticipantFilter;
use persistence::repos::ParticipantRepo;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use super::dto::{ParticipantList, ParticipantListItem};
use super::{participant_id, participant_response, scope_for, ParticipantResponse};
use crate::auth::Authenticated;
use crate::http::history as history_http;
use crate::http::history::HistoryList;
use crate::http::limits;
use crate::http::paging::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::http::valid::ValidQuery;
use crate::ops::history::HistoryOf;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ParticipantQuery {
    /// `referred`, `enrolled`, `interrupted` or `exited`.
    #[param(value_type = Option<crate::codes::ParticipantStatusCode>, example = "enrolled")]
    pub status: Option<String>,
    #[param(example = "jarva", pattern = r"^[a-z0-9_-]{1,64}$")]
    pub jobbtorg_id: Option<String>,
    #[param(example = "rinkeby-kista", pattern = r"^[a-z0-9_-]{1,64}$")]
    pub district_id: Option<String>,
    /// The coach's user id.
    #[validate(length(min = 1, max = limits::NAME_MAX), custom(function = "crate::http::text::clean_filter_text"))]
    pub coach_id: Option<String>,
    #[param(example = "sfi_student", pattern = r"^[a-z0-9_-]{1,64}$")]
    pub target_group: Option<String>,
    /// Enrolled or interrupted, past the plan deadline, without an approved plan.
    pub plan_overdue: Option<bool>,
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub cursor: Option<String>,
}

fn query_code(raw: Option<String>, name: &str) -> Result<Option<Code>, ApiError> {
    raw.map(|r| Code::parse(&r).map_err(|_| ApiError::InvalidQuery(format!("{name} is not a valid id"))))
        .transpose()
}

impl ParticipantQuery {
    fn into_filter(self) -> Result<(ParticipantFilter, Option<Uuid>, i64), ApiError> {
        let status = self
            .status
            .map(|s| {
                ParticipantStatus::parse(&s).ok_or_else(|| ApiError::InvalidQuery(format!("unknown status {s:?}")))
            })
            .transpose()?;
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::InvalidQuery(format!("limit must be from 1 to {MAX_LIMIT}")));
        }
        let cursor = self
            .cursor
            .map(|c| Uuid::parse_str(&c).map_err(|_| ApiError::InvalidQuery(format!("{c:?} is not a cursor"))))
            .transpose()?;
        let filter = ParticipantFilter {
            status,
            jobbtorg: query_code(self.jobbtorg_id, "jobbtorg_id")?,
            district: query_code(self.district_id, "district_id")?,
            coach: self.coach_id,
            target_group: query_code(self.target_group, "target_group")?,
            plan_overdue: self.plan_overdue,
        };
        Ok((filter, cursor, limit))
    }
}

/// List participants
///
/// Only those you may see: a coach or manager their job centre's, a district officer their
/// district's. Keyset-paginated. Protected identities appear under their pseudonym.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(ParticipantQuery),
    responses((status = 200, description = "A page of participants.", body = ParticipantList))
)]
#[get("/participants")]
pub async fn list_participants(
    caller: Authenticated,
    query: ValidQuery<ParticipantQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<ParticipantList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let (filter, cursor, limit) = query.into_inner().into_filter()?;
    let today = caller.today();
    let page = state
        .read(&caller, move |conn, ctx| {
            let page = ParticipantRepo::list(conn, &scope, &filter, cursor, limit, today)?;
            let ids: Vec<Uuid> = page.iter().map(|p| p.id).collect();
            ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.list", &ids)?;
            Ok(page)
        })
        .await?;
    let next_cursor = (page.len() as i64 == limit)
        .then(|| page.last().map(|p| p.id.to_string()))
        .flatten();
    let items = page
        .iter()
        .map(|p| ParticipantListItem::for_viewer(p, &caller.0, today))
        .collect();
    Ok(web::Json(ParticipantList { items, next_cursor }))
}

/// Get a participant
///
/// With everything derived on read: age, plan deadline, days used and left of 548, follow-ups
/// due. 404 when it does not exist or is outside your reach.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The participant.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}")]
pub async fn get_participant(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let participant = read_audited(&caller, &path, "participant.read", &state).await?;
    Ok(participant_response(&participant, &caller, StatusCode::OK))
}

async fn read_audited(
    caller: &Authenticated,
    raw_id: &str,
    action: &'static str,
    state: &AppState,
) -> Result<domain::participant::Participant, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = participant_id(raw_id)?.uuid();
    state
        .read_one(caller, move |conn, ctx| {
            let participant = ParticipantRepo::get(conn, id, &scope)?;
            ParticipantRepo::audit_read(conn, &ctx.acting(), action, &[id])?;
            Ok(participant)
        })
        .await
        .map_err(|e| e.for_resource("participant"))
}

/// Field-level history of a participant
///
/// Who changed which field, when, from what to what.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The changes, oldest first.", body = HistoryList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/history")]
pub async fn participant_history(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<HistoryList>, ApiError> {
    let of = HistoryOf::Participant(participant_id(&path)?);
    history_http::respond(&state, &caller, Action::ReadParticipant, of).await
}
