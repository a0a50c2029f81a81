//! The closed loop: the provider accepts or declines, starts, interrupts or completes; the
//! coach may cancel. Each needs `If-Match`. Starting and ending also move the plan activity on,
//! and raise the payment claims the contract's remuneration model gives.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::access::{Action, ListScope};
use domain::referral::DeclineReason;
use domain::shared::clean_text;
use persistence::DbConnection;

use super::dto::{CompleteRequest, DeclineRequest, InterruptRequest, ReasonRequest, ReferralResponse, StartRequest};
use super::referral_response;
use crate::auth::Authenticated;
use crate::concurrency::IfMatch;
use crate::http::employment::outcome_record;
use crate::http::paging::path_id;
use crate::http::text::TEXT_MAX;
use crate::http::valid::Valid;
use crate::ops::referrals::{self, ReferralAt, ReferralOf};
use crate::ops::{Context, OpError};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

/// Runs one step of the referral at the `If-Match` version as a write request of a caller who
/// may `action`, and answers with the referral.
async fn act<F>(
    caller: &Authenticated,
    state: &AppState,
    action: Action,
    (raw_id, if_match): (&str, IfMatch),
    operation: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection, &Context, &ListScope, ReferralAt) -> Result<ReferralOf, OpError> + Send + 'static,
{
    let at = (path_id(raw_id, "referral")?, if_match);
    let (saved, card) = crate::write_request::change_at(state, caller, action, at, operation).await?;
    Ok(referral_response(&saved, &card, caller, caller.today(), StatusCode::OK))
}

fn reason_text(field: &str, raw: &str) -> Result<String, ApiError> {
    let mut errors = FieldErrors::default();
    let text = errors.check(field, "invalid_format", clean_text(raw, TEXT_MAX));
    Ok(errors.finish(|| text)?)
}

/// Accept a referral
///
/// By the provider's staff, while `sent` (not expired). Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IfMatchHeader),
    responses(
        (status = 200, description = "The referral, accepted.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
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
        &state,
        Action::AnswerReferral,
        (&path, if_match),
        referrals::accept,
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
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IfMatchHeader),
    request_body = DeclineRequest,
    responses(
        (status = 200, description = "The referral, declined.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/decline")]
pub async fn decline_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<DeclineRequest>,
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
    let answer = (errors.finish(|| reason)?, note);
    act(
        &caller,
        &state,
        Action::AnswerReferral,
        (&path, if_match),
        move |conn, ctx, scope, at| referrals::decline(conn, ctx, scope, at, answer),
    )
    .await
}

/// Cancel a referral
///
/// By the coach, while `sent` or `accepted`, with a reason. Requires `If-Match`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IfMatchHeader),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The referral, cancelled.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/cancel")]
pub async fn cancel_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<ReasonRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reason = reason_text("reason", &body.reason)?;
    act(
        &caller,
        &state,
        Action::SendReferral,
        (&path, if_match),
        move |conn, ctx, scope, at| referrals::cancel(conn, ctx, scope, at, reason),
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
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IfMatchHeader),
    request_body = StartRequest,
    responses(
        (status = 200, description = "The referral, in progress.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/start")]
pub async fn start_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<StartRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let on = body.started_on;
    act(
        &caller,
        &state,
        Action::AnswerReferral,
        (&path, if_match),
        move |conn, ctx, scope, at| referrals::start(conn, ctx, scope, at, on),
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
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IfMatchHeader),
    request_body = InterruptRequest,
    responses(
        (status = 200, description = "The referral, interrupted.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/interrupt")]
pub async fn interrupt_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<InterruptRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let reason = reason_text("reason", &body.reason)?;
    let interruption = (body.interrupted_on, reason);
    act(
        &caller,
        &state,
        Action::AnswerReferral,
        (&path, if_match),
        move |conn, ctx, scope, at| referrals::interrupt(conn, ctx, scope, at, interruption),
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
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IfMatchHeader),
    request_body = CompleteRequest,
    responses(
        (status = 200, description = "The referral, completed.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/complete")]
pub async fn complete_referral(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<CompleteRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let record = outcome_record(&mut errors, &body.outcome, body.employment, body.reason);
    let completion = (body.completed_on, errors.finish(|| record)?);
    act(
        &caller,
        &state,
        Action::AnswerReferral,
        (&path, if_match),
        move |conn, ctx, scope, at| referrals::complete(conn, ctx, scope, at, completion),
    )
    .await
}
