//! Absence and deviation reports: the provider's on a referral, the coach's for an own-regime
//! activity; read by the case's job centre and the home district, marked seen by the latter.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::absence::{Absence, AbsenceReason, AbsenceReport, AbsenceSpan};
use domain::access::Action;
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
use crate::ops::absences;
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

/// An absence or deviation on one day.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AbsenceRequest {
    /// The day: within the activity, not in the future.
    #[schema(example = "2026-12-02")]
    pub absent_on: NaiveDate,
    /// From when (`HH:MM`), with `to`; leave both out for the whole day.
    #[schema(example = "09:00", pattern = "^[0-2][0-9]:[0-5][0-9]$", max_length = 5)]
    #[validate(length(max = 5))]
    pub from: Option<String>,
    /// Until when (`HH:MM`), after `from`.
    #[schema(example = "11:30", pattern = "^[0-2][0-9]:[0-5][0-9]$", max_length = 5)]
    #[validate(length(max = 5))]
    pub to: Option<String>,
    #[schema(value_type = crate::codes::AbsenceReasonCode, example = "sick")]
    pub reason: String,
    /// Free text, for every reason; required for `other`.
    #[schema(example = "Ringde in på morgonen.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub note: Option<String>,
    /// Why the report comes after the day; required then.
    #[schema(example = "Handledaren var sjuk i går.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub late_reason: Option<String>,
    /// For the coach's report: the own-regime activity of the current plan.
    #[schema(max_length = 36)]
    #[validate(length(max = limits::UUID_LEN))]
    pub activity_id: Option<String>,
}

fn time(errors: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<Option<NaiveTime>> {
    match raw {
        None => Some(None),
        Some(raw) => errors
            .check(field, "invalid_format", NaiveTime::parse_from_str(raw, "%H:%M"))
            .map(Some),
    }
}

impl AbsenceRequest {
    fn parse(self) -> Result<(AbsenceReport, Option<Uuid>), ApiError> {
        let mut errors = FieldErrors::default();
        let reason = errors.check(
            "reason",
            "unknown",
            AbsenceReason::parse(&self.reason).ok_or("not an absence reason; see /v1/absence-reasons"),
        );
        let (from, to) = (
            time(&mut errors, "from", self.from.as_deref()),
            time(&mut errors, "to", self.to.as_deref()),
        );
        let span = match (from, to) {
            (Some(from), Some(to)) => AbsenceSpan::new(from, to)
                .map_err(|e| errors.add(e.field(), "invalid", e.to_string()))
                .ok(),
            _ => None,
        };
        let note = optional_text(&mut errors, "note", self.note, TEXT_MAX);
        let late_reason = optional_text(&mut errors, "late_reason", self.late_reason, TEXT_MAX);
        let activity = self
            .activity_id
            .as_deref()
            .map(|a| errors.check("activity_id", "invalid_format", Uuid::parse_str(a)));
        Ok(errors.finish(|| {
            Some((
                AbsenceReport {
                    absent_on: self.absent_on,
                    span: span?,
                    reason: reason?,
                    note,
                    late_reason,
                },
                activity.flatten(),
            ))
        })?)
    }
}

/// A reported absence.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenceResponse {
    pub id: String,
    pub participant_id: String,
    pub referral_id: Option<String>,
    pub provider_id: Option<String>,
    pub absent_on: NaiveDate,
    /// `HH:MM`; both absent for the whole day.
    pub from: Option<String>,
    pub to: Option<String>,
    #[schema(value_type = crate::codes::AbsenceReasonCode, example = "sick")]
    pub reason: String,
    pub note: Option<String>,
    pub late_reason: Option<String>,
    pub reported_by: String,
    pub reported_role: String,
    pub reported_at: DateTime<Utc>,
    /// Who at the home district marked it seen, and when.
    pub seen_by: Option<String>,
    pub seen_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<&Absence> for AbsenceResponse {
    fn from(a: &Absence) -> Self {
        let (from, to) = match a.report.span {
            AbsenceSpan::WholeDay => (None, None),
            AbsenceSpan::Hours { from, to } => (
                Some(from.format("%H:%M").to_string()),
                Some(to.format("%H:%M").to_string()),
            ),
        };
        Self {
            id: a.id.to_string(),
            participant_id: a.participant_id.to_string(),
            referral_id: a.referral_id.map(|r| r.to_string()),
            provider_id: a.provider_id.map(|p| p.to_string()),
            absent_on: a.report.absent_on,
            from,
            to,
            reason: a.report.reason.as_str().to_owned(),
            note: a.report.note.clone(),
            late_reason: a.report.late_reason.clone(),
            reported_by: a.reported_by.clone(),
            reported_role: a.reported_role.clone(),
            reported_at: a.reported_at.and_utc(),
            seen_by: a.seen.as_ref().map(|s| s.by.clone()),
            seen_at: a.seen.as_ref().map(|s| s.at.and_utc()),
            version: a.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenceList {
    pub items: Vec<AbsenceResponse>,
}

fn created(absence: &Absence) -> Result<persistence::idempotency::StoredResponse, ApiError> {
    let location = format!("/v1/participants/{}/absences", absence.participant_id);
    idempotency::created(
        &AbsenceResponse::from(absence),
        Some(etag(absence.version)),
        Some(location),
    )
}

/// Report an absence from a referral's activity
///
/// By the provider's staff, once the activity has started: the day, the whole day or from–to,
/// a coded reason and free text. Reported on the day, or later with `late_reason`. The home
/// district sees it in its task list; `participant.absence_reported` goes to the feed.
#[utoipa::path(
    tag = "absences",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = AbsenceRequest,
    responses(
        (status = 201, description = "The report.", body = AbsenceResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/referrals/{referral_id}/absences")]
pub async fn report_referral_absence(
    caller: Authenticated,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: Valid<AbsenceRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::AnswerReferral)?;
    let referral = Uuid::parse_str(&path).map_err(|_| ApiError::NotFound { resource: "referral" })?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let (report, _) = body.into_inner().parse()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        created(&absences::report_on_referral(conn, &ctx, &scope, referral, report)?)
    })
    .await
}

/// Report an absence from an own-regime activity
///
/// By the coach (or a manager) of the job centre, for an activity of the current plan that the
/// job centre runs itself (`activity_id`). Otherwise as the provider's report.
#[utoipa::path(
    tag = "absences",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = AbsenceRequest,
    responses(
        (status = 201, description = "The report.", body = AbsenceResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/{participant_id}/absences")]
pub async fn report_own_absence(
    caller: Authenticated,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: Valid<AbsenceRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::ManageParticipation)?;
    let id = participant_id(&path)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let (report, activity) = body.into_inner().parse()?;
    let activity =
        activity.ok_or_else(|| crate::ops::invalid("activity_id", "required", "name the own-regime activity"))?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        created(&absences::report_own_regime(conn, &ctx, &scope, id, activity, report)?)
    })
    .await
}

/// Absences of a participant
///
/// For the job centre serving the person and the home district; the read is logged.
#[utoipa::path(
    tag = "absences",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The reports, by day.", body = AbsenceList),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/absences")]
pub async fn list_absences(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<AbsenceList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = participant_id(&path)?;
    let items = state
        .read(&caller, move |conn, ctx| Ok(absences::read(conn, ctx, &scope, id)?))
        .await?;
    Ok(web::Json(AbsenceList {
        items: items.iter().map(AbsenceResponse::from).collect(),
    }))
}

/// Mark an absence report seen
///
/// By an officer of the home district, with `If-Match` of the report's version: it leaves the
/// district's task list.
#[utoipa::path(
    tag = "absences",
    security(("bearer" = [])),
    params(("absence_id" = String, Path, description = "The report's id"), crate::http::docs::IfMatchHeader),
    responses(
        (status = 200, description = "The report, seen.", body = AbsenceResponse,
            headers(("ETag" = String, description = "The report's new version"))),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/absences/{absence_id}/seen")]
pub async fn mark_absence_seen(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = Uuid::parse_str(&path).map_err(|_| ApiError::NotFound { resource: "absence" })?;
    let seen =
        crate::write_request::change_at(&state, &caller, Action::DecidePlan, (id, if_match), absences::mark_seen)
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(seen.version)))
        .json(AbsenceResponse::from(&seen)))
}
