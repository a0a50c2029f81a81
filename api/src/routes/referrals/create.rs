//! Sending a referral: what is referred, to which contract (the participant's choice or the
//! neutral default allocation), and on which legal basis.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use domain::access::Action;
use domain::participant::Participant;
use domain::provider::{neutral_allocation, Contract, ContractTerms, Ineligible, ProviderStatus, ReferralNeed};
use domain::referral::{
    check_legal_basis, may_refer, plan_activity, pre_plan_activity, ActivityRefusal, LegalBasis, Referral,
    ReferralRefusal, ReferralStatus, ReferredActivity,
};
use domain::shared::{clean_text, Code};
use persistence::repos::{ContractRepo, ParticipantRepo, PlanRepo, ProviderRepo, ReferenceRepo, ReferralRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::card_of;
use super::dto::{CreateReferralRequest, ReferralResponse};
use crate::auth::Authenticated;
use crate::concurrency::etag;
use crate::idempotency::{self, IdempotencyKey};
use crate::problem::{ApiError, FieldErrors};
use crate::routes::participants::scope_for;
use crate::state::AppState;

const TEXT_MAX: usize = 2000;

fn invalid(field: &str, code: &str, message: impl Into<String>) -> ApiError {
    let mut errors = FieldErrors::default();
    errors.add(field, code, message);
    ApiError::Validation(errors.into_vec())
}

/// What the request asks for, checked for shape before any query.
struct Command {
    participant_id: Uuid,
    activity: ActivityChoice,
    chosen_provider: Option<Uuid>,
    legal_basis: LegalBasis,
    note: Option<String>,
}

enum ActivityChoice {
    FromPlan(Uuid),
    PrePlan(Code, NaiveDate, NaiveDate),
}

fn uuid_field(errors: &mut FieldErrors, field: &str, raw: Option<String>) -> Option<Uuid> {
    raw.and_then(|r| errors.check(field, "invalid_format", Uuid::parse_str(&r).map_err(|_| "not a UUID")))
}

fn parse(body: CreateReferralRequest) -> Result<Command, ApiError> {
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
            .check("statutory_basis", "invalid_format", clean_text(&text, 200))
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
    let chosen_by_participant = body.chosen_by_participant;
    errors.finish(|| {
        Some(Command {
            participant_id: participant_id?,
            activity: activity?,
            chosen_provider: if chosen_by_participant {
                Some(chosen_provider?)
            } else {
                None
            },
            legal_basis: legal_basis?,
            note,
        })
    })
}

fn activity_refusal(refusal: ActivityRefusal) -> ApiError {
    match refusal {
        ActivityRefusal::NoSuchActivity => invalid("activity_id", "unknown", refusal.to_string()),
        ActivityRefusal::PlanNotApproved(_) | ActivityRefusal::ActivityClosed(_) => ApiError::Conflict {
            code: "activity_not_referable",
            detail: format!("{refusal}."),
        },
        ActivityRefusal::NeedsPlan(_) => invalid("activity_type", "needs_plan", refusal.to_string()),
        ActivityRefusal::EndsBeforeStart => invalid("ends_on", "rule", refusal.to_string()),
    }
}

fn referred_activity(
    conn: &mut DbConnection,
    participant: &Participant,
    choice: ActivityChoice,
    today: NaiveDate,
) -> Result<ReferredActivity, ApiError> {
    let activity = match choice {
        ActivityChoice::FromPlan(id) => {
            let plans = PlanRepo::for_participant(conn, participant.id)?;
            plan_activity(&plans, id, today).map_err(activity_refusal)?
        }
        ActivityChoice::PrePlan(code, from, to) => {
            if !ReferenceRepo::activity_type_exists(conn, &code)? {
                return Err(invalid("activity_type", "unknown", "not a code of /v1/activity-types"));
            }
            pre_plan_activity(code, from, to).map_err(activity_refusal)?
        }
    };
    Ok(activity)
}

/// The contract the referral goes to, and the reason recorded with a default allocation.
fn allocate(
    conn: &mut DbConnection,
    need: &ReferralNeed,
    chosen_provider: Option<Uuid>,
    today: NaiveDate,
) -> Result<(Contract, Option<String>), ApiError> {
    let mut candidates = ContractRepo::covering(conn, &need.activity_type)?;
    if let Some(provider) = chosen_provider {
        ProviderRepo::get(conn, provider).map_err(|_| invalid("provider_id", "unknown", "no provider has this id"))?;
        candidates.retain(|c| c.provider_id == provider);
    }
    let provider_ids: Vec<Uuid> = candidates.iter().map(|c| c.provider_id).collect();
    let active_providers = ProviderRepo::active_among(conn, &provider_ids)?;
    let ids: Vec<Uuid> = candidates.iter().map(|c| c.id).collect();
    let usage = ContractRepo::usage(conn, &ids, today)?;
    let terms: Vec<ContractTerms> = candidates
        .iter()
        .map(|c| {
            let used = usage.get(&c.id).copied().unwrap_or_default();
            ContractTerms {
                id: c.id,
                reference: c.reference.clone(),
                provider_active: active_providers.contains(&c.provider_id),
                contract_active: c.status == ProviderStatus::Active,
                valid_from: c.valid_from,
                valid_to: c.valid_to,
                activity_types: c.activity_types.clone(),
                target_groups: c.target_groups.clone(),
                job_centres: c.job_centres.clone(),
                capacity: c.capacity,
                places_used: used.places_used,
                default_allocations: used.default_allocations,
            }
        })
        .collect();
    match neutral_allocation(&terms, need) {
        Ok(allocation) => {
            let contract = candidates
                .into_iter()
                .find(|c| c.id == allocation.contract)
                .ok_or_else(|| ApiError::internal("the allocated contract vanished"))?;
            let reason = match chosen_provider {
                Some(_) => None,
                None => Some(allocation.reason),
            };
            Ok((contract, reason))
        }
        Err(failures) => Err(no_eligible_contract(&candidates, &failures, need)),
    }
}

/// 422 naming every candidate contract and why it cannot take the referral.
fn no_eligible_contract(
    candidates: &[Contract],
    failures: &[(Uuid, Vec<Ineligible>)],
    need: &ReferralNeed,
) -> ApiError {
    let mut errors = FieldErrors::default();
    if failures.is_empty() {
        errors.add(
            "activity_type",
            "no_eligible_contract",
            format!("no contract (of the chosen provider) covers {}", need.activity_type),
        );
    }
    for (id, reasons) in failures {
        let reference = candidates
            .iter()
            .find(|c| c.id == *id)
            .map(|c| c.reference.as_str())
            .unwrap_or("?");
        let why = reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        errors.add("contract_id", "ineligible", format!("{reference} ({id}): {why}"));
    }
    ApiError::Validation(errors.into_vec())
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
    params(crate::openapi::IdempotencyKeyHeader),
    request_body = CreateReferralRequest,
    responses(
        (status = 201, description = "The referral, sent.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's version"), ("Location" = String, description = "The referral's URL"))),
        (status = 404, response = crate::openapi::NotFoundResponse),
        (status = 409, response = crate::openapi::ConflictResponse),
        (status = 422, response = crate::openapi::UnprocessableResponse),
    )
)]
#[post("/referrals")]
pub async fn create_referral(
    caller: Authenticated,
    key: IdempotencyKey,
    body: web::Json<CreateReferralRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::SendReferral)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let command = parse(body.into_inner())?;
    let acting = caller.acting();
    let today = caller.today();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let participant = ParticipantRepo::get(conn, command.participant_id, &scope)
            .map_err(|e| ApiError::from(e).for_resource("participant"))?;
        let activity = referred_activity(conn, &participant, command.activity, today)?;
        may_refer(participant.current.status, &activity, today).map_err(|refusal| match refusal {
            ReferralRefusal::NotEnrolled(_) => ApiError::Conflict {
                code: "invalid_transition",
                detail: format!("{refusal}."),
            },
            ReferralRefusal::ActivityEnded => invalid("ends_on", "rule", refusal.to_string()),
        })?;
        let need = ReferralNeed {
            activity_type: activity.activity_type.clone(),
            target_groups: participant.current.target_groups.clone(),
            jobbtorg: participant.current.jobbtorg.clone(),
            starts_on: activity.starts_on,
            ends_on: activity.ends_on,
        };
        ReferralRepo::lock_allocation(conn)?;
        let (contract, allocation_reason) = allocate(conn, &need, command.chosen_provider, today)?;
        let consents = ParticipantRepo::consents(conn, participant.id)?;
        check_legal_basis(&command.legal_basis, &consents, contract.provider_id, today)
            .map_err(|e| invalid("consent_id", "rule", e.to_string()))?;
        let referral = Referral {
            id: Uuid::now_v7(),
            participant_id: participant.id,
            period_id: participant.current.id,
            jobbtorg: participant.current.jobbtorg.clone(),
            district: participant.current.district.clone(),
            activity,
            provider_id: contract.provider_id,
            contract_id: contract.id,
            chosen_by_participant: command.chosen_provider.is_some(),
            allocation_reason,
            legal_basis: command.legal_basis,
            note: command.note,
            referred_by: acting.subject.clone(),
            sent_on: acting.now.date(),
            status: ReferralStatus::Sent,
            decline: None,
            cancel_reason: None,
            started_on: None,
            ended_on: None,
            interrupt_reason: None,
            outcome: None,
            version: 1,
        };
        let saved = ReferralRepo::insert(conn, &acting, &referral)?;
        let card = card_of(conn, &saved)?;
        idempotency::created(
            &ReferralResponse::new(&saved, &card, today),
            Some(etag(saved.version)),
            Some(format!("/v1/referrals/{}", saved.id)),
        )
    })
    .await
}
