//! Reading participants: one, a scoped list, the field history, the access log and the export.
//! Every read of personal data is written to the access log in the same transaction.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use domain::access::Action;
use domain::participant::ParticipantStatus;
use domain::shared::Code;
use persistence::repos::participant::{ParticipantFilter, PARTICIPANT};
use persistence::repos::ParticipantRepo;
use persistence::{audit, history, tx};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use super::dto::{
    AccessLogEntry, AccessLogList, AddressDto, FollowUpResponse, InterruptionResponse, ParticipantExport,
    ParticipantList, ParticipantListItem,
};
use super::{participant_id, participant_response, scope_for, ParticipantResponse};
use crate::auth::Authenticated;
use crate::http::history as history_http;
use crate::http::history::{history_entries, HistoryList};
use crate::http::limits;
use crate::http::paging::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::http::valid::ValidQuery;
use crate::ops::history::HistoryOf;
use crate::problem::ApiError;
use crate::state::AppState;
use domain::participant::Participant;
use persistence::history::HistoryRow;

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ParticipantQuery {
    /// `referred`, `enrolled`, `interrupted` or `exited`.
    #[param(example = "enrolled", pattern = "^(referred|enrolled|interrupted|exited)$")]
    pub status: Option<String>,
    #[param(example = "jarva", pattern = r"^[a-z0-9_-]{1,64}$")]
    pub jobbtorg_id: Option<String>,
    #[param(example = "rinkeby-kista", pattern = r"^[a-z0-9_-]{1,64}$")]
    pub district_id: Option<String>,
    /// The coach's user id.
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
    let (acting, today) = (caller.acting(), caller.today());
    let page = state
        .db(move |conn| {
            tx::write(conn, |conn| {
                let page = ParticipantRepo::list(conn, &scope, &filter, cursor, limit, today)?;
                let ids: Vec<Uuid> = page.iter().map(|p| p.id).collect();
                ParticipantRepo::audit_read(conn, &acting, "participant.list", &ids)?;
                Ok(page)
            })
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
    let acting = caller.acting();
    state
        .db(move |conn| {
            tx::write(conn, |conn| {
                let participant = ParticipantRepo::get(conn, id, &scope)?;
                ParticipantRepo::audit_read(conn, &acting, action, &[id])?;
                Ok(participant)
            })
        })
        .await
        .map_err(|e| e.for_resource("participant"))
}

fn access_entries(rows: Vec<audit::AccessLogRow>) -> Vec<AccessLogEntry> {
    rows.into_iter()
        .map(|r| AccessLogEntry {
            occurred_at: r.occurred_at.and_utc(),
            actor_id: r.actor_subject,
            actor_role: r.actor_role,
            action: r.action,
            resource_type: r.resource_type,
            resource_id: r.resource_id,
            request_id: r.request_id,
        })
        .collect()
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

/// Access log of a participant
///
/// Every read and change of the participant's data: who, in which role, what, when.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The accesses, oldest first.", body = AccessLogList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/access-log")]
pub async fn participant_access_log(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<AccessLogList>, ApiError> {
    let participant = read_audited(&caller, &path, "participant.access_log", &state).await?;
    let id = participant.id.to_string();
    let rows = state.db(move |conn| Ok(audit::for_participant(conn, &id)?)).await?;
    Ok(web::Json(AccessLogList {
        items: access_entries(rows),
    }))
}

impl ParticipantExport {
    /// The export of `participant` as `caller` may see it, with its history and access log.
    fn new(
        participant: &Participant,
        caller: &Authenticated,
        history_rows: Vec<HistoryRow>,
        access_rows: Vec<audit::AccessLogRow>,
    ) -> Self {
        ParticipantExport {
            exported_at: caller.now(),
            participant: ParticipantResponse::for_viewer(participant, &caller.0, caller.today()),
            address: (!participant.protected_identity).then(|| AddressDto {
                street: participant.address.street.clone(),
                postal_code: participant.address.postal_code.clone(),
                city: participant.address.city.clone(),
            }),
            interruptions: participant
                .interruptions
                .iter()
                .map(InterruptionResponse::from)
                .collect(),
            follow_ups: participant.follow_ups.iter().map(FollowUpResponse::from).collect(),
            history: history_entries(history_rows),
            access_log: access_entries(access_rows),
        }
    }
}

/// Export everything held about a participant
///
/// One JSON document for the person's right of access: their data, every period's
/// interruptions and follow-ups, the field history and the access log.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The export.", body = ParticipantExport),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/export")]
pub async fn export_participant(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<ParticipantExport>, ApiError> {
    let participant = read_audited(&caller, &path, "participant.export", &state).await?;
    let id = participant.id.to_string();
    let (history_rows, access_rows) = state
        .db(move |conn| {
            Ok((
                history::for_resource(conn, PARTICIPANT, &id)?,
                audit::for_participant(conn, &id)?,
            ))
        })
        .await?;
    Ok(web::Json(ParticipantExport::new(
        &participant,
        &caller,
        history_rows,
        access_rows,
    )))
}
