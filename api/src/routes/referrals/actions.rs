//! The closed loop: the provider accepts or declines, starts, interrupts or completes; the
//! coach may cancel. Each needs `If-Match`. Starting and ending also move the plan activity on,
//! and raise the payment claims the contract's remuneration model gives.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use domain::access::{Action, ListScope};
use domain::activity_plan::{ActivityFollowUp, ActivityStatus, PlanStatus};
use domain::participant::Participant;
use domain::referral::{DeclineReason, Referral, ReferralError, ReferralStatus};
use domain::shared::clean_text;
use persistence::audit::ActingContext;
use persistence::repos::{ParticipantRepo, PlanRepo, ProviderRepo, ReferralRepo};
use persistence::DbConnection;

use super::dto::{CompleteRequest, DeclineRequest, InterruptRequest, ReasonRequest, ReferralResponse, StartRequest};
use super::{card_of, load_for_change, referral_error, referral_response};
use crate::auth::Authenticated;
use crate::concurrency::IfMatch;
use crate::problem::{ApiError, FieldErrors};
use crate::routes::activity_plans::plan_error;
use crate::routes::claims::raise_due_claims;
use crate::routes::paging::path_id;
use crate::routes::participants::{outcome_record, scope_for};
use crate::state::AppState;

const TEXT_MAX: usize = 2000;

/// Moves the referred plan activity on with the referral: started makes it ongoing; completed
/// or interrupted closes it with the provider's report as its follow-up. Left alone when the
/// plan is no longer the approved one in force or the coach has already closed the activity.
fn track_plan_activity(
    conn: &mut DbConnection,
    acting: &ActingContext,
    referral: &Referral,
    participant: &Participant,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let (Some(plan_id), Some(activity_id)) = (referral.activity.plan_id, referral.activity.activity_id) else {
        return Ok(());
    };
    let plan = PlanRepo::get(conn, plan_id)?;
    let open = plan
        .activities
        .iter()
        .any(|a| a.id == activity_id && matches!(a.status, ActivityStatus::Planned | ActivityStatus::Ongoing));
    if plan.status_on(today) != PlanStatus::Approved || !open {
        return Ok(());
    }
    let provider = ProviderRepo::get(conn, referral.provider_id)?;
    let ended_on = referral.ended_on.unwrap_or(today);
    let changed = match referral.status {
        ReferralStatus::InProgress => plan.clone().start_activity(activity_id),
        ReferralStatus::Completed => plan.clone().follow_up_activity(
            activity_id,
            ActivityFollowUp {
                result: format!(
                    "Completed at {}; outcome reported: {}.",
                    provider.name,
                    referral.outcome.as_ref().map(|o| o.outcome().as_str()).unwrap_or("-")
                ),
                on: ended_on,
                status: ActivityStatus::Completed,
                discontinued_reason: None,
                replaced_by: None,
            },
        ),
        ReferralStatus::Interrupted => plan.clone().follow_up_activity(
            activity_id,
            ActivityFollowUp {
                result: format!("Interrupted at {}.", provider.name),
                on: ended_on,
                status: ActivityStatus::Discontinued,
                discontinued_reason: referral.interrupt_reason.clone(),
                replaced_by: None,
            },
        ),
        _ => return Ok(()),
    }
    .map_err(plan_error)?;
    PlanRepo::save(
        conn,
        acting,
        &plan,
        &changed,
        participant,
        "activity_plan.activity_updated",
    )?;
    Ok(())
}

/// Applies `decide` to the referral at the `If-Match` version, stores it, then moves the plan
/// activity and raises due claims, all in one transaction.
async fn act<F>(
    caller: &Authenticated,
    raw_id: &str,
    if_match: IfMatch,
    action: Action,
    event: &'static str,
    state: &AppState,
    decide: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(Referral, NaiveDate) -> Result<Referral, ReferralError> + Send + 'static,
{
    let scope = scope_for(&caller.0, action)?;
    let id = path_id(raw_id, "referral")?;
    let acting = caller.acting();
    let today = caller.today();
    let (saved, card) = crate::write_request::change(state, caller, move |conn| {
        let before = load_for_change(conn, id, &scope, if_match.0)?;
        let after = decide(before.clone(), today).map_err(referral_error)?;
        let saved = ReferralRepo::save(conn, &acting, &before, &after, event)?;
        let moves_on = matches!(
            saved.status,
            ReferralStatus::InProgress | ReferralStatus::Completed | ReferralStatus::Interrupted
        );
        if moves_on {
            let participant = ParticipantRepo::get(conn, saved.participant_id, &ListScope::Everything)?;
            track_plan_activity(conn, &acting, &saved, &participant, today)?;
            raise_due_claims(conn, &acting, &saved, &participant.follow_ups)?;
        }
        let card = card_of(conn, &saved)?;
        Ok((saved, card))
    })
    .await
    .map_err(|e| e.for_resource("referral"))?;
    Ok(referral_response(&saved, &card, today, StatusCode::OK))
}

fn reason_text(field: &str, raw: &str) -> Result<String, ApiError> {
    let mut errors = FieldErrors::default();
    let text = errors.check(field, "invalid_format", clean_text(raw, TEXT_MAX));
    errors.finish(|| text)
}

/// Accept a referral
///
/// By the provider's staff, while `sent` (not expired). Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::openapi::IfMatchHeader),
    responses(
        (status = 200, description = "The referral, accepted.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::openapi::NotFoundResponse),
        (status = 409, response = crate::openapi::ConflictResponse),
        (status = 412, response = crate::openapi::PreconditionFailedResponse),
        (status = 428, response = crate::openapi::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/accept")]
pub async fn accept_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    act(
        &caller,
        &path,
        if_match,
        Action::AnswerReferral,
        "referral.accepted",
        &state,
        |r, today| r.accept(today),
    )
    .await
}

/// Decline a referral
///
/// By the provider's staff, while `sent`, with a reason code (`other` needs a note). The place
/// is freed. Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::openapi::IfMatchHeader),
    request_body = DeclineRequest,
    responses(
        (status = 200, description = "The referral, declined.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::openapi::NotFoundResponse),
        (status = 409, response = crate::openapi::ConflictResponse),
        (status = 412, response = crate::openapi::PreconditionFailedResponse),
        (status = 422, response = crate::openapi::UnprocessableResponse),
        (status = 428, response = crate::openapi::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/decline")]
pub async fn decline_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<DeclineRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let reason = errors.check(
        "reason",
        "invalid_value",
        DeclineReason::parse(&body.reason).ok_or_else(|| format!("use one of {}", DeclineReason::codes())),
    );
    let note = body
        .note
        .filter(|n| !n.trim().is_empty())
        .and_then(|n| errors.check("note", "invalid_format", clean_text(&n, TEXT_MAX)));
    let reason = errors.finish(|| reason)?;
    act(
        &caller,
        &path,
        if_match,
        Action::AnswerReferral,
        "referral.declined",
        &state,
        move |r, today| r.decline(reason, note, today),
    )
    .await
}

/// Cancel a referral
///
/// By the coach, while `sent` or `accepted`, with a reason. Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::openapi::IfMatchHeader),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The referral, cancelled.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::openapi::NotFoundResponse),
        (status = 409, response = crate::openapi::ConflictResponse),
        (status = 412, response = crate::openapi::PreconditionFailedResponse),
        (status = 422, response = crate::openapi::UnprocessableResponse),
        (status = 428, response = crate::openapi::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/cancel")]
pub async fn cancel_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<ReasonRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reason = reason_text("reason", &body.reason)?;
    act(
        &caller,
        &path,
        if_match,
        Action::SendReferral,
        "referral.cancelled",
        &state,
        move |r, today| r.cancel(reason, today),
    )
    .await
}

/// Start a referral
///
/// By the provider's staff, once `accepted`; the start date lies between sending and today.
/// The plan activity becomes ongoing and the start fee is claimed. Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::openapi::IfMatchHeader),
    request_body = StartRequest,
    responses(
        (status = 200, description = "The referral, in progress.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::openapi::NotFoundResponse),
        (status = 409, response = crate::openapi::ConflictResponse),
        (status = 412, response = crate::openapi::PreconditionFailedResponse),
        (status = 422, response = crate::openapi::UnprocessableResponse),
        (status = 428, response = crate::openapi::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/start")]
pub async fn start_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<StartRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let on = body.started_on;
    act(
        &caller,
        &path,
        if_match,
        Action::AnswerReferral,
        "referral.started",
        &state,
        move |r, today| r.start(on, today),
    )
    .await
}

/// Interrupt a referral
///
/// By the provider's staff, while `in_progress`, with a date and a reason. The plan activity is
/// discontinued. Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::openapi::IfMatchHeader),
    request_body = InterruptRequest,
    responses(
        (status = 200, description = "The referral, interrupted.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::openapi::NotFoundResponse),
        (status = 409, response = crate::openapi::ConflictResponse),
        (status = 412, response = crate::openapi::PreconditionFailedResponse),
        (status = 422, response = crate::openapi::UnprocessableResponse),
        (status = 428, response = crate::openapi::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/interrupt")]
pub async fn interrupt_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<InterruptRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reason = reason_text("reason", &body.reason)?;
    let on = body.interrupted_on;
    act(
        &caller,
        &path,
        if_match,
        Action::AnswerReferral,
        "referral.interrupted",
        &state,
        move |r, today| r.interrupt(on, reason, today),
    )
    .await
}

/// Complete a referral with an outcome
///
/// By the provider's staff, while `in_progress`: the outcome as in `/v1/exit-outcomes`, with
/// employment details for `employment` and a reason for `other`. The plan activity is completed
/// with this report as its follow-up; an outcome of work or studies raises the claim for that
/// result step. Completing twice is 409 and never raises a second claim. Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::openapi::IfMatchHeader),
    request_body = CompleteRequest,
    responses(
        (status = 200, description = "The referral, completed.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::openapi::NotFoundResponse),
        (status = 409, response = crate::openapi::ConflictResponse),
        (status = 412, response = crate::openapi::PreconditionFailedResponse),
        (status = 422, response = crate::openapi::UnprocessableResponse),
        (status = 428, response = crate::openapi::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/complete")]
pub async fn complete_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<CompleteRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let record = outcome_record(&mut errors, &body.outcome, body.employment, body.reason);
    let record = errors.finish(|| record)?;
    let on = body.completed_on;
    act(
        &caller,
        &path,
        if_match,
        Action::AnswerReferral,
        "referral.completed",
        &state,
        move |r, today| r.complete(on, record, today),
    )
    .await
}
