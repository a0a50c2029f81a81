//! Changes to a participant: the person's data and the lifecycle actions. Each needs `If-Match`
//! and runs the domain rule, the write, the history, the audit record and the event in one
//! transaction.

use actix_web::http::StatusCode;
use actix_web::{patch, post, web, HttpResponse};
use chrono::NaiveDate;
use domain::access::Action;
use domain::participant::{InterruptionReason, Participant, PersonChanges};
use domain::shared::clean_text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::dto::{present, AddressDto};
use super::intake::{CONTACT_MAX, NAME_MAX};
use super::{participant_id, participant_response, ParticipantResponse};
use crate::auth::Authenticated;
use crate::concurrency::IfMatch;
use crate::http::employment::{employment, outcome_record, EmploymentDto};
use crate::http::limits;
use crate::http::numbers::whole_number;
use crate::http::text::{optional_text, TEXT_MAX};
use crate::http::valid::Valid;
use crate::ops::participants::{self, FollowUp, Interruption, ParticipantAt};
use crate::ops::{Context, OpError};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;
use domain::access::ListScope;
use domain::ids::InterruptionId;
use persistence::DbConnection;

/// Runs one participant operation on the participant at the `If-Match` version, as a write
/// request of a caller who may `action`.
async fn change<F>(
    caller: &Authenticated,
    state: &AppState,
    action: Action,
    (raw_id, if_match): (&str, IfMatch),
    operation: F,
) -> Result<Participant, ApiError>
where
    F: FnOnce(&mut DbConnection, &Context, &ListScope, ParticipantAt) -> Result<Participant, OpError> + Send + 'static,
{
    let at = (participant_id(raw_id)?, if_match);
    crate::write_request::change_at(state, caller, action, at, operation).await
}

fn respond(caller: &Authenticated, participant: &Participant) -> HttpResponse {
    participant_response(participant, caller, StatusCode::OK)
}

fn coach_id(errors: &mut FieldErrors, raw: &str) -> Option<String> {
    errors.check("coach_id", "invalid_format", clean_text(raw, NAME_MAX))
}

/// Changes to the person's own data; absent fields are kept, `null` clears an optional one.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateParticipantRequest {
    #[schema(example = "Amina", max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub first_name: Option<String>,
    #[schema(max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "070-765 43 21", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub email: Option<Option<String>>,
    /// Replaces the whole address; `null` clears it.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<AddressDto>)]
    #[validate(nested)]
    pub address: Option<Option<AddressDto>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub language_needs: Option<Option<String>>,
    pub protected_identity: Option<bool>,
}

impl UpdateParticipantRequest {
    fn parse(self) -> Result<PersonChanges, ApiError> {
        let mut errors = FieldErrors::default();
        let first_name = self
            .first_name
            .map(|n| errors.check("first_name", "invalid_format", clean_text(&n, NAME_MAX)));
        let last_name = self
            .last_name
            .map(|n| errors.check("last_name", "invalid_format", clean_text(&n, NAME_MAX)));
        let phone = self.phone.map(|v| optional_text(&mut errors, "phone", v, CONTACT_MAX));
        let email = self.email.map(|v| optional_text(&mut errors, "email", v, CONTACT_MAX));
        let language_needs = self
            .language_needs
            .map(|v| optional_text(&mut errors, "language_needs", v, TEXT_MAX));
        let address = self.address.map(|a| {
            let a = a.unwrap_or(AddressDto {
                street: None,
                postal_code: None,
                city: None,
            });
            (
                optional_text(&mut errors, "address.street", a.street, CONTACT_MAX),
                optional_text(&mut errors, "address.postal_code", a.postal_code, CONTACT_MAX),
                optional_text(&mut errors, "address.city", a.city, CONTACT_MAX),
            )
        });
        let nothing = first_name.is_none()
            && last_name.is_none()
            && phone.is_none()
            && email.is_none()
            && address.is_none()
            && language_needs.is_none()
            && self.protected_identity.is_none();
        if nothing {
            errors.add("", "empty_change", "send at least one field to change");
        }
        Ok(errors.finish(|| {
            Some(PersonChanges {
                first_name: first_name.map(|n| n.ok_or(())).transpose().ok()?,
                last_name: last_name.map(|n| n.ok_or(())).transpose().ok()?,
                phone,
                email,
                street: address.as_ref().map(|a| a.0.clone()),
                postal_code: address.as_ref().map(|a| a.1.clone()),
                city: address.as_ref().map(|a| a.2.clone()),
                language_needs,
                protected_identity: self.protected_identity,
            })
        })?)
    }
}

/// Change a participant's personal data
///
/// Names, contact, address, language needs, protected identity. Requires `If-Match`.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = UpdateParticipantRequest,
    responses(
        (status = 200, description = "The participant after the change.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[patch("/participants/{participant_id}")]
pub async fn update_participant(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<UpdateParticipantRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let changes = body.into_inner().parse()?;
    let participant = change(
        &caller,
        &state,
        Action::UpdateParticipant,
        (&path, if_match),
        move |conn, ctx, scope, at| participants::update_person(conn, ctx, scope, at, changes),
    )
    .await?;
    Ok(respond(&caller, &participant))
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The day the person arrived at the job centre; not before the intake, not in the future.
    #[schema(example = "2026-11-23")]
    pub arrived_on: NaiveDate,
    /// The coach's user id.
    #[schema(example = "coach-anna", max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub coach_id: String,
}

/// Enrol a referred participant
///
/// Arrival at the job centre with a coach: starts the mapping and the 5-working-day clock for
/// an approved activity plan. 409 unless the participant is `referred`.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = EnrolRequest,
    responses(
        (status = 200, description = "The participant, enrolled.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/enrol")]
pub async fn enrol_participant(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<EnrolRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let coach = coach_id(&mut errors, &body.coach_id);
    let enrolment = (body.arrived_on, errors.finish(|| coach)?);
    let participant = change(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        move |conn, ctx, scope, at| participants::enrol(conn, ctx, scope, at, enrolment),
    )
    .await?;
    Ok(respond(&caller, &participant))
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AssignCoachRequest {
    #[schema(example = "coach-bertil", max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub coach_id: String,
}

/// Assign a coach
///
/// Gives the enrolled participant another coach at the same job centre; `If-Match` names the
/// participant's version. Several at once, when a coach leaves: `POST
/// /v1/participants/reassign-coach`.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = AssignCoachRequest,
    responses(
        (status = 200, description = "The participant with the new coach.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/assign-coach")]
pub async fn assign_coach(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<AssignCoachRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let coach = coach_id(&mut errors, &body.coach_id);
    let coach = errors.finish(|| coach)?;
    let participant = change(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        move |conn, ctx, scope, at| participants::assign_coach(conn, ctx, scope, at, coach),
    )
    .await?;
    Ok(respond(&caller, &participant))
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RegisterAfRequest {
    /// The day the person registered with Arbetsförmedlingen.
    #[schema(example = "2026-11-23")]
    pub registered_on: NaiveDate,
}

/// The result of recording an Arbetsförmedlingen registration; carries no personal data, so
/// machine clients with the `participants:af-status` scope may receive it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AfRegistrationResponse {
    pub participant_id: String,
    pub version: i32,
    pub af_registered_on: Option<NaiveDate>,
}

/// Record the Arbetsförmedlingen registration
///
/// By the coach, or by an integration client with the `participants:af-status` scope.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = RegisterAfRequest,
    responses(
        (status = 200, description = "The registration was recorded.", body = AfRegistrationResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/register-af")]
pub async fn register_af(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<RegisterAfRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let registered_on = body.registered_on;
    let participant = change(
        &caller,
        &state,
        Action::RecordAfRegistration,
        (&path, if_match),
        move |conn, ctx, scope, at| participants::register_af(conn, ctx, scope, at, registered_on),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::ETAG,
            crate::concurrency::etag(participant.version),
        ))
        .json(AfRegistrationResponse {
            participant_id: participant.id.to_string(),
            version: participant.version,
            af_registered_on: participant.current.af_registered_on,
        }))
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StartInterruptionRequest {
    /// `pregnancy`, `parental_leave`, `sickness` or `other`.
    #[schema(value_type = crate::codes::InterruptionReasonCode, example = "sickness")]
    pub reason: String,
    #[schema(example = "2026-11-23")]
    pub started_on: NaiveDate,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub note: Option<String>,
}

impl StartInterruptionRequest {
    /// The interruption the request describes, checked for shape.
    fn parse(self) -> Result<Interruption, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let reason = errors.check(
            "reason",
            "invalid_value",
            InterruptionReason::parse(&body.reason).ok_or("use pregnancy, parental_leave, sickness or other"),
        );
        let note = optional_text(&mut errors, "note", body.note, TEXT_MAX);
        let interruption = errors.finish(|| {
            Some(Interruption {
                reason: reason?,
                started_on: body.started_on,
                note,
            })
        })?;
        Ok(interruption)
    }
}

/// Interrupt participation (avbrott)
///
/// Interrupted days do not count towards the 18 months. 409 unless `enrolled`.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = StartInterruptionRequest,
    responses(
        (status = 200, description = "The participant, interrupted.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/interruptions")]
pub async fn start_interruption(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<StartInterruptionRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let interruption = body.into_inner().parse()?;
    let participant = change(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        move |conn, ctx, scope, at| participants::interrupt(conn, ctx, scope, at, interruption),
    )
    .await?;
    Ok(respond(&caller, &participant))
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EndInterruptionRequest {
    /// The first day back (nystart).
    #[schema(example = "2026-12-07")]
    pub ended_on: NaiveDate,
}

/// End an interruption (nystart)
///
/// 409 unless the participant is interrupted by this interruption.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(
        ("participant_id" = String, Path, description = "The participant's id"),
        ("interruption_id" = String, Path, description = "The interruption's id"),
        crate::http::docs::IfMatchHeader,
    ),
    request_body = EndInterruptionRequest,
    responses(
        (status = 200, description = "The participant, enrolled again.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/interruptions/{interruption_id}/end")]
pub async fn end_interruption(
    caller: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Valid<EndInterruptionRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, raw_interruption) = path.into_inner();
    let interruption = InterruptionId::parse(&raw_interruption).ok_or(ApiError::NotFound {
        resource: "interruption",
    })?;
    let ending = (interruption, body.ended_on);
    let participant = change(
        &caller,
        &state,
        Action::ManageParticipation,
        (&raw_id, if_match),
        move |conn, ctx, scope, at| participants::resume(conn, ctx, scope, at, ending),
    )
    .await?;
    Ok(respond(&caller, &participant))
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ExitRequest {
    #[schema(example = "2027-03-31")]
    pub exited_on: NaiveDate,
    /// A code from `/v1/exit-outcomes`; required, never unknown.
    #[schema(example = "employment", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub outcome: String,
    /// Required for `employment`, refused otherwise.
    #[validate(nested)]
    pub employment: Option<EmploymentDto>,
    /// Required for `other`.
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub reason: Option<String>,
}

/// Exit with a coded outcome
///
/// Ends the participation; employment details with `employment`, a reason with `other`. An
/// open interruption ends on the exit date. The 2- and 8-month follow-ups become due.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = ExitRequest,
    responses(
        (status = 200, description = "The participant, exited.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/exit")]
pub async fn exit_participant(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<ExitRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let record = outcome_record(&mut errors, &body.outcome, body.employment, body.reason);
    let exit = (body.exited_on, errors.finish(|| record)?);
    let participant = change(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        move |conn, ctx, scope, at| participants::exit(conn, ctx, scope, at, exit),
    )
    .await?;
    Ok(respond(&caller, &participant))
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRequest {
    /// 2 or 8: months after exit.
    #[schema(example = 2, minimum = 2, maximum = 8)]
    #[serde(deserialize_with = "whole_number")]
    #[validate(range(min = 2, max = 8))]
    pub months: u32,
    #[schema(example = "2027-05-31")]
    pub followed_up_on: NaiveDate,
    /// Whether the person supports themselves without social assistance.
    pub self_supporting: bool,
    #[validate(nested)]
    pub employment: Option<EmploymentDto>,
}

impl FollowUpRequest {
    /// The follow-up the request describes, checked for shape before the version.
    fn parse(self) -> Result<FollowUp, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let details = employment(&mut errors, "employment", body.employment);
        // Checked before the version, so a malformed request is 422 whatever its If-Match.
        if !domain::participant::FOLLOW_UP_MONTHS.contains(&body.months) {
            errors.add("months", "invalid_value", "follow-ups are made at 2 or 8 months");
        }
        let follow_up = errors.finish(|| {
            Some(FollowUp {
                months: body.months,
                followed_up_on: body.followed_up_on,
                self_supporting: body.self_supporting,
                employment: details,
            })
        })?;
        Ok(follow_up)
    }
}

/// Record a follow-up after exit
///
/// At 2 or 8 months: still self-supporting, and in which employment. Each only once.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = FollowUpRequest,
    responses(
        (status = 200, description = "The participant with the follow-up.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/follow-ups")]
pub async fn record_follow_up(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<FollowUpRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let follow_up = body.into_inner().parse()?;
    let participant = change(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        move |conn, ctx, scope, at| participants::record_follow_up(conn, ctx, scope, at, follow_up),
    )
    .await?;
    Ok(respond(&caller, &participant))
}
