//! Payment claims: raised by the rules of the contract's remuneration model when a referral
//! starts, when a work or studies outcome is reported, and when follow-ups confirm that work
//! lasted; decided and marked paid by the purchaser.

use domain::claim::{claims_due, ClaimStatus};
use domain::participant::{FollowUp, Participant};
use domain::referral::Referral;
use persistence::repos::claim::Claim;
use persistence::repos::{ClaimRepo, ContractRepo, ReferralRepo};
use persistence::DbConnection;
use serde_json::json;
use uuid::Uuid;

use super::{Context, OpError};

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
        raise_due(conn, ctx, &referral, &participant.follow_ups)?;
    }
    Ok(())
}
