//! Payment claims: raised by the rules of the contract's remuneration model when a referral
//! starts, when a work or studies outcome is reported, and when follow-ups confirm that work
//! lasted; decided and marked paid by the purchaser.

use chrono::NaiveDate;
use domain::access::ListScope;
use domain::claim::{claims_due, ClaimAction, ClaimStatus};
use domain::ids::ClaimId;
use domain::participant::{FollowUp, Participant};
use domain::referral::Referral;
use persistence::repos::claim::Claim;
use persistence::repos::{ClaimRepo, ContractRepo, ReferralRepo};
use persistence::DbConnection;
use serde_json::json;
use uuid::Uuid;

use super::{at_version, Context, OpError};

/// Raises every claim the referral has earned and not yet claimed, each with a snapshot of the
/// contract terms and the evidence it rests on. Call in the transaction of the change.
pub fn raise_due(
    conn: &mut DbConnection,
    ctx: &Context,
    referral: &Referral,
    follow_ups: &[FollowUp],
) -> Result<(), OpError> {
    let contract = ContractRepo::get(conn, referral.contract_id)?;
    let claimed = ClaimRepo::claimed_triggers(conn, referral.id)?;
    let evidence = referral.claim_evidence(follow_ups);
    for (trigger, amount) in claims_due(&contract.remuneration, &evidence, &claimed) {
        let terms = json!({
            "contract_id": contract.id,
            "contract_reference": contract.reference,
            "contract_version": contract.version,
            "procurement_form": contract.procurement_form.as_str(),
            "start_fee_ore": contract.remuneration.start_fee_ore,
            "result_steps": contract.remuneration.steps.iter()
                .map(|(t, a)| json!({"trigger": t.as_str(), "amount_ore": a}))
                .collect::<Vec<_>>(),
        });
        let evidence = json!({
            "referral_id": referral.id,
            "referral_status": referral.status.as_str(),
            "started_on": referral.started_on,
            "ended_on": referral.ended_on,
            "outcome": referral.outcome.as_ref().map(|o| o.outcome().as_str()),
            "follow_ups": evidence.follow_ups.iter()
                .map(|(months, employed)| json!({"months": months, "employed_and_self_supporting": employed}))
                .collect::<Vec<_>>(),
        });
        let claim = Claim {
            id: Uuid::now_v7(),
            referral_id: referral.id,
            contract_id: contract.id,
            provider_id: referral.provider_id,
            trigger,
            amount_ore: amount,
            status: ClaimStatus::Pending,
            terms_snapshot: terms.to_string(),
            evidence: evidence.to_string(),
            decided_by: None,
            decided_at: None,
            reject_reason: None,
            paid_on: None,
            version: 1,
            created_at: ctx.now.naive_utc(),
        };
        ClaimRepo::insert(conn, &ctx.acting(), &claim, referral.participant_id)?;
    }
    Ok(())
}

/// After a follow-up: claims that the participant's lasting work now confirms.
pub fn raise_confirmed(conn: &mut DbConnection, ctx: &Context, participant: &Participant) -> Result<(), OpError> {
    for referral in ReferralRepo::for_period(conn, participant.current.id)? {
        raise_due(conn, ctx, &referral, &participant.follow_ups_made_when_due())?;
    }
    Ok(())
}

/// A claim at the version the client based its decision on.
pub type ClaimAt = (ClaimId, i32);

/// The purchaser's decision on a claim.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    Reject { reason: String },
    MarkPaid { on: NaiveDate },
}

/// Decides the claim at `at`: approval and rejection record who decided and when; a payment
/// date may not be in the future.
pub fn decide(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    (id, expected): ClaimAt,
    decision: Decision,
) -> Result<Claim, OpError> {
    let (action, event) = match decision {
        Decision::Approve => (ClaimAction::Approve, "claim.approved"),
        Decision::Reject { .. } => (ClaimAction::Reject, "claim.rejected"),
        Decision::MarkPaid { .. } => (ClaimAction::MarkPaid, "claim.paid"),
    };
    if let Decision::MarkPaid { on } = decision {
        if on > ctx.today() {
            return Err(super::invalid(
                "paid_on",
                "in_future",
                "the payment date may not be in the future",
            ));
        }
    }
    let before = ClaimRepo::get(conn, id.uuid(), scope).map_err(|e| OpError::from(e).for_resource("claim"))?;
    let before = at_version(before, expected)?;
    let mut after = before.clone();
    after.status = before.status.apply(action).map_err(|e| OpError::Conflict {
        code: "invalid_transition",
        detail: format!("{e}; current status: {}.", before.status.as_str()),
    })?;
    let acting = ctx.acting();
    match decision {
        Decision::Approve => {}
        Decision::Reject { reason } => after.reject_reason = Some(reason),
        Decision::MarkPaid { on } => after.paid_on = Some(on),
    }
    if action != ClaimAction::MarkPaid {
        after.decided_by = Some(acting.subject.clone());
        after.decided_at = Some(acting.now);
    }
    Ok(ClaimRepo::save(conn, &acting, &before, &after, event)?)
}
