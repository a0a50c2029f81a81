//! Sending a referral: the request checked for shape; the operation picks the contract.

use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::access::Action;
use domain::referral::LegalBasis;
use domain::shared::{clean_text, Code};
use uuid::Uuid;

use super::dto::{CreateReferralRequest, ReferralResponse};
use crate::auth::Authenticated;
use crate::concurrency::etag;
use crate::http::scope_for;
use crate::http::text::TEXT_MAX;
use crate::http::valid::Valid;
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::referrals::{self, ActivityChoice, SendReferral};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

fn uuid_field<I: From<Uuid>>(errors: &mut FieldErrors, field: &str, raw: Option<String>) -> Option<I> {
    raw.and_then(|r| {
        errors.check(
            field,
            "invalid_format",
            Uuid::parse_str(&r).map(I::from).map_err(|_| "not a UUID"),
        )
    })
}

fn parse(body: CreateReferralRequest) -> Result<SendReferral, ApiError> {
    let mut errors = FieldErrors::default();
    let participant_id = uuid_field(&mut errors, "participant_id", Some(body.participant_id));
    let activity = match (body.activity_id, body.activity_type) {
        (Some(id), None) => {
            if body.starts_on.is_some() || body.ends_on.is_some() {
                errors.add("starts_on", "not_allowed", "a plan activity brings its own dates");
            }
            uuid_field(&mut errors, "activity_id", Some(id)).map(ActivityChoice::FromPlan)
        }
        (None, Some(raw)) => {
            let code = errors.check("activity_type", "invalid_format", Code::parse(&raw));
            if body.starts_on.is_none() {
                errors.add(
                    "starts_on",
                    "required",
                    "a pre-plan activity needs starts_on and ends_on",
                );
            }
            if body.ends_on.is_none() {
                errors.add("ends_on", "required", "a pre-plan activity needs starts_on and ends_on");
            }
            match (code, body.starts_on, body.ends_on) {
                (Some(code), Some(from), Some(to)) => Some(ActivityChoice::PrePlan(code, from, to)),
                _ => None,
            }
        }
        _ => {
            errors.add(
                "activity_id",
                "required",
                "send activity_id, or activity_type with dates, not both",
            );
            None
        }
    };
    let chosen_provider = match (body.chosen_by_participant, body.provider_id) {
        (true, Some(raw)) => uuid_field(&mut errors, "provider_id", Some(raw)),
        (true, None) => {
            errors.add("provider_id", "required", "name the provider the participant chose");
            None
        }
        (false, Some(_)) => {
            errors.add(
                "provider_id",
                "not_allowed",
                "a provider is named only when the participant chose it; otherwise the default allocation picks",
            );
            None
        }
        (false, None) => None,
    };
    let legal_basis = match (body.consent_id, body.statutory_basis) {
        (Some(id), None) => uuid_field(&mut errors, "consent_id", Some(id)).map(LegalBasis::Consent),
        (None, Some(text)) => errors
            .check(
                "statutory_basis",
                "invalid_format",
                clean_text(&text, crate::http::limits::CONTACT_MAX as usize),
            )
            .map(LegalBasis::Statutory),
        _ => {
            errors.add(
                "consent_id",
                "required",
                "send exactly one of consent_id and statutory_basis",
            );
            None
        }
    };
    let note = body
        .note
        .filter(|n| !n.trim().is_empty())
        .and_then(|n| errors.check("note", "invalid_format", clean_text(&n, TEXT_MAX)));
    let delivering = body
        .delivering_jobbtorg_id
        .and_then(|raw| errors.check("delivering_jobbtorg_id", "invalid_format", Code::parse(&raw)));
    let cross_centre_reason = body
        .cross_centre_reason
        .and_then(|r| errors.check("cross_centre_reason", "invalid_format", clean_text(&r, TEXT_MAX)));
    let chosen_by_participant = body.chosen_by_participant;
    Ok(errors.finish(|| {
        Some(SendReferral {
            participant_id: participant_id?,
            activity: activity?,
            chosen_provider: if chosen_by_participant {
                Some(chosen_provider?)
            } else {
                None
            },
            legal_basis: legal_basis?,
            note,
            delivery: (delivering, cross_centre_reason),
        })
    })?)
}

/// Send a referral to a provider
///
/// By the participant's coach. The activity is one of the participant's approved plan, or a
/// `mapping`, `guidance`, `coaching` or `job_search` activity before any plan. With
/// `chosen_by_participant` the referral goes to the chosen provider; without, the **neutral
/// default allocation** picks, among eligible contracts, the one with the fewest default
/// allocations so far, ties by contract reference, and records why. Eligible: provider and
/// contract active, the contract's period covering the activity's dates, covering the activity
/// type, one of the participant's target groups and the participant's job centre, with a free
/// place. No eligible contract is 422 with each candidate and why it failed. Exactly one legal
/// basis: a consent of the participant to that provider, or a statutory basis. The provider
/// answers within 5 working days or the referral reads as `expired` (computed on read).
/// Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(crate::http::docs::IdempotencyKeyHeader),
    request_body = CreateReferralRequest,
    responses(
        (status = 201, description = "The referral, sent.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's version"), ("Location" = String, description = "The referral's URL"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/referrals")]
pub async fn create_referral(
    caller: Authenticated,
    key: IdempotencyKey,
    body: Valid<CreateReferralRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::SendReferral)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let command = parse(body.into_inner())?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let (referral, card) = referrals::send(conn, &ctx, &scope, command)?;
        idempotency::created(
            &ReferralResponse::new(&referral, &card, &ctx.actor, ctx.today()),
            Some(etag(referral.version)),
            Some(format!("/v1/referrals/{}", referral.id)),
        )
    })
    .await
}
