//! Moving to another home district, and a manager handing a leaving coach's participants on.

use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};
use chrono::{DateTime, NaiveDate, Utc};
use domain::access::Action;
use domain::shared::{clean_text, Code};
use persistence::repos::transfer::Transfer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::{participant_id, scope_for};
use crate::auth::Authenticated;
use crate::concurrency::{etag, IfMatch};
use crate::http::limits;
use crate::http::text::{optional_text, TEXT_MAX};
use crate::http::valid::Valid;
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::transfers::{self, Answer, NewTransfer};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

/// A move to another home district.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// The new home district.
    #[schema(example = "farsta", max_length = 64)]
    #[validate(length(max = limits::CODE_MAX))]
    pub to_district_id: String,
    /// The day of the move: after the intake, at most 30 days back.
    #[schema(example = "2026-12-01")]
    pub moves_on: NaiveDate,
    #[schema(example = "Flyttar till andrahandskontrakt i Farsta.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub note: Option<String>,
}

/// The new district's answer.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct TransferAnswerRequest {
    /// On acceptance: the coach at the job centre serving your district, when known (else the
    /// centre's manager assigns one).
    #[schema(example = "coach-sara", max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub coach_id: Option<String>,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferResponse {
    pub id: String,
    pub participant_id: String,
    pub period_id: String,
    pub from_district_id: String,
    pub from_jobbtorg_id: String,
    pub to_district_id: String,
    /// The job centre serving the new district, once accepted.
    pub to_jobbtorg_id: Option<String>,
    pub moves_on: NaiveDate,
    pub note: Option<String>,
    #[schema(value_type = crate::codes::TransferStatusCode, example = "requested")]
    pub status: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub coach_id: Option<String>,
    /// The handover that records what passed to the new district, once accepted.
    pub handover_id: Option<String>,
    pub version: i32,
}

impl From<&Transfer> for TransferResponse {
    fn from(t: &Transfer) -> Self {
        Self {
            id: t.id.to_string(),
            participant_id: t.participant_id.to_string(),
            period_id: t.period_id.to_string(),
            from_district_id: t.from_district.to_string(),
            from_jobbtorg_id: t.from_jobbtorg.to_string(),
            to_district_id: t.to_district.to_string(),
            to_jobbtorg_id: t.to_jobbtorg.as_ref().map(ToString::to_string),
            moves_on: t.moves_on,
            note: t.note.clone(),
            status: t.status.as_str().to_owned(),
            requested_by: t.requested_by.clone(),
            requested_at: t.requested_at.and_utc(),
            decided_by: t.decided_by.clone(),
            decided_at: t.decided_at.map(|d| d.and_utc()),
            decision_note: t.decision_note.clone(),
            coach_id: t.coach.clone(),
            handover_id: t.handover_id.map(|h| h.to_string()),
            version: t.version,
        }
    }
}

fn respond(transfer: &Transfer) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(transfer.version)))
        .json(TransferResponse::from(transfer))
}

fn transfer_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound { resource: "transfer" })
}

impl TransferRequest {
    fn parse(self) -> Result<NewTransfer, ApiError> {
        let mut errors = FieldErrors::default();
        let to = errors.check("to_district_id", "invalid_format", Code::parse(&self.to_district_id));
        let note = optional_text(&mut errors, "note", self.note, TEXT_MAX);
        Ok(errors.finish(|| {
            Some(NewTransfer {
                to_district: to?,
                moves_on: self.moves_on,
                note,
            })
        })?)
    }
}

impl TransferAnswerRequest {
    fn parse(self, accept: bool) -> Result<Answer, ApiError> {
        let mut errors = FieldErrors::default();
        let coach = self
            .coach_id
            .map(|c| errors.check("coach_id", "invalid_format", clean_text(&c, limits::NAME_MAX as usize)));
        let note = optional_text(&mut errors, "note", self.note, TEXT_MAX);
        if !accept && coach.is_some() {
            errors.add("coach_id", "not_allowed", "a rejection assigns no coach");
        }
        Ok(errors.finish(|| {
            Some(Answer {
                accept,
                coach: coach.flatten(),
                note,
            })
        })?)
    }
}

/// Ask to move a participant to another district
///
/// By the coach (or a manager) of the job centre, or an officer of the current home district.
/// An officer of the new district accepts or rejects; at most one move waits at a time.
#[utoipa::path(
    tag = "transfers",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = TransferRequest,
    responses(
        (status = 201, description = "The request.", body = TransferResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/{participant_id}/transfers")]
pub async fn request_transfer(
    caller: Authenticated,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: Valid<TransferRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::UpdateParticipant)?;
    let id = participant_id(&path)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let new = body.into_inner().parse()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let transfer = transfers::request(conn, &ctx, &scope, id, new)?;
        let location = format!("/v1/transfers/{}", transfer.id);
        idempotency::created(
            &TransferResponse::from(&transfer),
            Some(etag(transfer.version)),
            Some(location),
        )
    })
    .await
}

/// A move to another district
///
/// For the job centre it leaves and both districts.
#[utoipa::path(
    tag = "transfers",
    security(("bearer" = [])),
    params(("transfer_id" = String, Path, description = "The transfer's id")),
    responses(
        (status = 200, description = "The transfer.", body = TransferResponse,
            headers(("ETag" = String, description = "The transfer's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/transfers/{transfer_id}")]
pub async fn get_transfer(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = transfer_id(&path)?;
    let transfer = state
        .read(&caller, move |conn, ctx| Ok(transfers::read(conn, ctx, id)?))
        .await?;
    Ok(respond(&transfer))
}

async fn answer(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<TransferAnswerRequest>,
    state: web::Data<AppState>,
    accept: bool,
) -> Result<HttpResponse, ApiError> {
    let id = transfer_id(&path)?;
    let answer = body.into_inner().parse(accept)?;
    let district = caller.0.district().cloned().ok_or(ApiError::Forbidden)?;
    let transfer = crate::write_request::change_at(&state, &caller, Action::DecidePlan, (id, if_match), {
        move |conn, ctx, _scope, at| transfers::answer(conn, ctx, &district, at, answer)
    })
    .await?;
    Ok(respond(&transfer))
}

/// Accept a move to your district
///
/// By an officer of the new district, with `If-Match`: the participation continues (the 548
/// days keep counting) at the job centre serving your district; an approved plan comes to you
/// for a new decision, due 5 working days after the move; the case file passes with a recorded
/// handover.
#[utoipa::path(
    tag = "transfers",
    security(("bearer" = [])),
    params(("transfer_id" = String, Path, description = "The transfer's id"), crate::http::docs::IfMatchHeader),
    request_body = TransferAnswerRequest,
    responses(
        (status = 200, description = "The transfer, accepted.", body = TransferResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/transfers/{transfer_id}/accept")]
pub async fn accept_transfer(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<TransferAnswerRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    answer(caller, path, if_match, body, state, true).await
}

/// Reject a move to your district
///
/// By an officer of the new district, with `If-Match`; the person stays where they are.
#[utoipa::path(
    tag = "transfers",
    security(("bearer" = [])),
    params(("transfer_id" = String, Path, description = "The transfer's id"), crate::http::docs::IfMatchHeader),
    request_body = TransferAnswerRequest,
    responses(
        (status = 200, description = "The transfer, rejected.", body = TransferResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/transfers/{transfer_id}/reject")]
pub async fn reject_transfer(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<TransferAnswerRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    answer(caller, path, if_match, body, state, false).await
}

/// Hand a coach's participants to another coach.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReassignCoachRequest {
    #[schema(example = "coach-anna", max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub from_coach_id: String,
    #[schema(example = "coach-bertil", max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub to_coach_id: String,
    /// Only these of the coach's participants; all of them when left out.
    #[schema(max_items = 500)]
    #[validate(length(max = 500))]
    pub participant_ids: Option<Vec<String>>,
}

/// One participant's result.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReassignResult {
    pub participant_id: String,
    /// 200 when reassigned; else the status the single change would have answered.
    pub status: u16,
    /// The participant's new version when reassigned.
    pub version: Option<i32>,
    /// The problem's code when not.
    pub code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReassignResponse {
    pub items: Vec<ReassignResult>,
}

/// The coach leaving and the coach taking over, and the participants when not all.
type Reassignment = ((String, String), Option<Vec<Uuid>>);

impl ReassignCoachRequest {
    fn parse(self) -> Result<Reassignment, ApiError> {
        let mut errors = FieldErrors::default();
        let max = limits::NAME_MAX as usize;
        let from = errors.check("from_coach_id", "invalid_format", clean_text(&self.from_coach_id, max));
        let to = errors.check("to_coach_id", "invalid_format", clean_text(&self.to_coach_id, max));
        let only: Option<Vec<Option<Uuid>>> = self.participant_ids.map(|ids| {
            ids.iter()
                .enumerate()
                .map(|(i, id)| errors.check(&format!("participant_ids[{i}]"), "invalid_format", Uuid::parse_str(id)))
                .collect()
        });
        Ok(errors.finish(|| {
            let only = match only {
                Some(ids) => Some(ids.into_iter().collect::<Option<Vec<_>>>()?),
                None => None,
            };
            Some(((from?, to?), only))
        })?)
    }
}

/// Reassign all of a coach's participants
///
/// By a manager of the job centre, when a coach leaves: every open participation of yours
/// whose coach is `from_coach_id` (or those listed) gets `to_coach_id`, each on its own — one
/// that fails leaves the others done, and its result says why.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    request_body = ReassignCoachRequest,
    responses(
        (status = 200, description = "A result per participant.", body = ReassignResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/reassign-coach")]
pub async fn reassign_coach(
    caller: Authenticated,
    body: Valid<ReassignCoachRequest>,
    state: web::Data<AppState>,
) -> Result<web::Json<ReassignResponse>, ApiError> {
    if caller.0.role() != domain::access::Role::JobbtorgManager {
        return Err(ApiError::Forbidden);
    }
    let scope = scope_for(&caller.0, Action::ManageParticipation)?;
    let (coaches, only) = body.into_inner().parse()?;
    let ctx = caller.context();
    let results = crate::write_request::change(&state, &caller, move |conn| {
        Ok(transfers::reassign_coach(conn, &ctx, &scope, coaches, only)?)
    })
    .await?;
    Ok(web::Json(ReassignResponse {
        items: results.into_iter().map(ReassignResult::from).collect(),
    }))
}

impl From<transfers::Reassigned> for ReassignResult {
    fn from(r: transfers::Reassigned) -> Self {
        let participant_id = r.participant_id.to_string();
        match r.outcome {
            Ok(version) => Self {
                participant_id,
                status: 200,
                version: Some(version),
                code: None,
            },
            Err(error) => {
                let problem = ApiError::from(error);
                Self {
                    participant_id,
                    status: problem.status_code().as_u16(),
                    version: None,
                    code: Some(problem.code().to_owned()),
                }
            }
        }
    }
}
