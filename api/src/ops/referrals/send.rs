//! Sending a referral: what is referred, to which contract (the participant's choice or the
//! neutral default allocation), and on which legal basis.

use chrono::NaiveDate;
use domain::access::ListScope;
use domain::ids::{ActivityId, ParticipantId, ProviderId};
use domain::participant::{Consent, Participant};
use domain::provider::{
    neutral_allocation, over_capacity, Contract, ContractTerms, Ineligible, ProviderStatus, ReferralNeed,
};
use domain::referral::{
    check_legal_basis, delivery, may_refer, plan_activity, pre_plan_activity, ActivityRefusal, CrossCentre,
    DeliveryError, LegalBasis, Referral, ReferralRefusal, ReferralStatus, ReferredActivity,
};
use domain::shared::Code;
use persistence::repos::referral::ParticipantCard;
use persistence::repos::{ContractRepo, ParticipantRepo, PlanRepo, ProviderRepo, ReferenceRepo, ReferralRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::card_for;
use crate::ops::{invalid, Context, FieldErrors, OpError};

/// What the coach asks for, checked for shape before any query.
pub struct SendReferral {
    pub participant_id: ParticipantId,
    pub activity: ActivityChoice,
    pub chosen_provider: Option<ProviderId>,
    pub legal_basis: LegalBasis,
    pub note: Option<String>,
    /// Another job centre to deliver at, and the coach's reason.
    pub delivery: (Option<Code>, Option<String>),
}

pub enum ActivityChoice {
    FromPlan(ActivityId),
    PrePlan(Code, NaiveDate, NaiveDate),
}

/// Sends the referral: the activity, the contract, the legal basis; the referral with the
/// participant card its response shows.
pub fn send(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    command: SendReferral,
) -> Result<(Referral, ParticipantCard), OpError> {
    let today = ctx.today();

    let participant = ParticipantRepo::get(conn, command.participant_id.uuid(), scope)
        .map_err(|e| OpError::from(e).for_resource("participant"))?;
    let activity = referred_activity(conn, &participant, command.activity, today)?;
    may_refer(participant.current.status, &activity, today).map_err(|refusal| match refusal {
        ReferralRefusal::NotEnrolled(_) => OpError::Conflict {
            code: "invalid_transition",
            detail: format!("{refusal}."),
        },
        ReferralRefusal::ActivityEnded => invalid("ends_on", "rule", refusal.to_string()),
    })?;
    let cross_centre = cross_centre(conn, &participant.current.jobbtorg, command.delivery)?;
    let need = ReferralNeed {
        activity_type: activity.activity_type.clone(),
        target_groups: participant.current.target_groups.clone(),
        // The contract must cover the centre that delivers.
        jobbtorg: cross_centre
            .as_ref()
            .map_or(&participant.current.jobbtorg, |c| &c.jobbtorg)
            .clone(),
        starts_on: activity.starts_on,
        ends_on: activity.ends_on,
    };
    let consents = ParticipantRepo::consents(conn, participant.id, participant.current.id)?;
    let card = card_for(conn, participant.id)?;
    let pending = Pending {
        participant: &participant,
        activity: &activity,
        need: &need,
        chosen_provider: command.chosen_provider,
        legal_basis: &command.legal_basis,
        consents: &consents,
        cross_centre: &cross_centre,
        note: &command.note,
    };
    // Allocated on what has committed and written first; only then is the allocation lock taken
    // (held to commit) to recount the chosen contract, so sends queue for one statement and
    // the commit rather than for the whole send. A send that finds its place taken meanwhile
    // is undone and allocated again, under the lock. (Two sends at once may thus both count
    // the same default allocations: the capacity is exact, the rotation between providers
    // approximate under concurrency.)
    let optimistic = persistence::tx::savepoint(conn, |conn| {
        let (saved, capacity) = pending.allocate_and_write(conn, ctx, today)?;
        ReferralRepo::lock_allocation(conn)?;
        if over_capacity(ContractRepo::places_used(conn, saved.contract_id, today)?, capacity) {
            return Err(Attempt::PlaceTaken);
        }
        Ok(saved)
    });
    let saved = match optimistic {
        Ok(saved) => saved,
        Err(Attempt::PlaceTaken) => {
            ReferralRepo::lock_allocation(conn)?;
            pending.allocate_and_write(conn, ctx, today)?.0
        }
        Err(Attempt::Failed(error)) => return Err(error),
    };
    Ok((saved, card))
}

/// A referral ready to be allocated and written.
struct Pending<'a> {
    participant: &'a Participant,
    activity: &'a ReferredActivity,
    need: &'a ReferralNeed,
    chosen_provider: Option<ProviderId>,
    legal_basis: &'a LegalBasis,
    consents: &'a [Consent],
    cross_centre: &'a Option<CrossCentre>,
    note: &'a Option<String>,
}

enum Attempt {
    PlaceTaken,
    Failed(OpError),
}

impl<E: Into<OpError>> From<E> for Attempt {
    fn from(error: E) -> Self {
        Attempt::Failed(error.into())
    }
}

impl Pending<'_> {
    /// The referral written, and the capacity of the contract it went to.
    fn allocate_and_write(
        &self,
        conn: &mut DbConnection,
        ctx: &Context,
        today: NaiveDate,
    ) -> Result<(Referral, u32), OpError> {
        let (contract, allocation_reason) = allocate(conn, self.need, self.chosen_provider, today)?;
        check_legal_basis(self.legal_basis, self.consents, contract.provider_id, today)
            .map_err(|e| invalid("consent_id", "rule", e.to_string()))?;
        let participant = self.participant;
        let referral = Referral {
            id: Uuid::now_v7(),
            participant_id: participant.id,
            period_id: participant.current.id,
            jobbtorg: participant.current.jobbtorg.clone(),
            district: participant.current.district.clone(),
            activity: self.activity.clone(),
            provider_id: contract.provider_id,
            contract_id: contract.id,
            chosen_by_participant: self.chosen_provider.is_some(),
            allocation_reason,
            legal_basis: self.legal_basis.clone(),
            cross_centre: self.cross_centre.clone(),
            note: self.note.clone(),
            referred_by: ctx.actor.subject().to_owned(),
            sent_on: today,
            status: ReferralStatus::Sent,
            decline: None,
            cancel_reason: None,
            started_on: None,
            ended_on: None,
            interrupt_reason: None,
            outcome: None,
            version: 1,
        };
        Ok((ReferralRepo::insert(conn, &ctx.acting(), &referral)?, contract.capacity))
    }
}

/// Where the referral is delivered: at home, or at another existing job centre with a reason.
fn cross_centre(
    conn: &mut DbConnection,
    home: &Code,
    (delivering, reason): (Option<Code>, Option<String>),
) -> Result<Option<CrossCentre>, OpError> {
    let cross = delivery(home, delivering, reason).map_err(|e| {
        let code = match e {
            DeliveryError::ReasonRequired => "required",
            DeliveryError::NotCrossCentre => "not_allowed",
        };
        invalid("cross_centre_reason", code, e.to_string())
    })?;
    if let Some(c) = &cross {
        if !ReferenceRepo::job_centre_exists(conn, &c.jobbtorg)? {
            return Err(invalid(
                "delivering_jobbtorg_id",
                "unknown",
                "not a code of /v1/jobbtorg",
            ));
        }
    }
    Ok(cross)
}

fn activity_refusal(refusal: ActivityRefusal) -> OpError {
    match refusal {
        ActivityRefusal::NoSuchActivity => invalid("activity_id", "unknown", refusal.to_string()),
        ActivityRefusal::PlanNotApproved(_) | ActivityRefusal::ActivityClosed(_) => OpError::Conflict {
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
) -> Result<ReferredActivity, OpError> {
    let activity = match choice {
        ActivityChoice::FromPlan(id) => {
            let plans = PlanRepo::for_participant(conn, participant.id)?;
            plan_activity(&plans, id.uuid(), today).map_err(activity_refusal)?
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
    chosen_provider: Option<ProviderId>,
    today: NaiveDate,
) -> Result<(Contract, Option<String>), OpError> {
    let mut candidates = ContractRepo::covering(conn, &need.activity_type)?;
    if let Some(provider) = chosen_provider.map(ProviderId::uuid) {
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
                .ok_or_else(|| OpError::Internal("the allocated contract vanished".into()))?;
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
fn no_eligible_contract(candidates: &[Contract], failures: &[(Uuid, Vec<Ineligible>)], need: &ReferralNeed) -> OpError {
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
    OpError::Validation(errors.into_vec())
}
