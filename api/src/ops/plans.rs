//! Activity plans: drafted and changed by the coach, decided by the home district, revised,
//! cancelled by an exit, and moved on by the referral that carries an activity out.

use domain::access::{CaseRecord, ListScope};
use domain::activity_plan::{
    may_draft_new_plan, may_revise, Activity, ActivityFollowUp, ActivityPlan, ActivityStatus, Decision, DecisionKind,
    DraftRefusal, PlanChanges, PlanError, PlanRuleError, PlanStatus,
};
use domain::ids::{ActivityId, ParticipantId, PlanId};
use domain::participant::Participant;
use domain::referral::{Referral, ReferralStatus};
use domain::shared::Code;
use persistence::repos::activity_plan::PlanFilter;
use persistence::repos::{ParticipantRepo, PlanRepo, ProviderRepo, ReferenceRepo};
use persistence::DbConnection;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use persistence::versioned::VersionedRow;

use super::{at_version, case_file, invalid, refused, Context, OpError, Page};

/// The target group whose participants take part full days (the introduction programme).
pub const INTRODUCTION_GROUP: &str = "refugee_introduction";

/// A plan with the participant it belongs to, as every plan operation returns it.
pub type PlanOf = (ActivityPlan, Participant);

/// The fields of a new draft.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub valid_from: chrono::NaiveDate,
    pub valid_to: chrono::NaiveDate,
    pub goal: String,
    pub goal_ssyk: Option<String>,
    pub wishes: Option<String>,
}

/// Plan rule errors: a transition not allowed now is a conflict naming the status; a broken
/// rule is invalid on its field.
pub fn plan_error(error: PlanError) -> OpError {
    let field = match &error {
        PlanError::Transition(t) => {
            return OpError::Conflict {
                code: "invalid_transition",
                detail: format!("{t}; current status: {}.", t.from),
            };
        }
        PlanError::NoSuchActivity => return OpError::NotFound { resource: "activity" },
        PlanError::Rule(
            PlanRuleError::EndsBeforeStart
            | PlanRuleError::TooLong { .. }
            | PlanRuleError::PastParticipationLimit { .. },
        ) => "valid_to",
        PlanError::Rule(PlanRuleError::ActivityEndsBeforeStart | PlanRuleError::ActivityOutsidePlan { .. }) => {
            "ends_on"
        }
        PlanError::Rule(PlanRuleError::Hours) => "hours_per_week",
        PlanError::NoActivities => "activities",
        PlanError::ReasonRequired => "reason",
        PlanError::FollowUpStatus => "status",
        PlanError::DiscontinuedReasonRequired => "discontinued_reason",
    };
    invalid(field, "rule", error.to_string())
}

fn draft_refusal(refusal: DraftRefusal) -> OpError {
    let detail = format!("{refusal}.");
    match refusal {
        DraftRefusal::NotEnrolled(_) => OpError::Conflict {
            code: "invalid_transition",
            detail,
        },
        DraftRefusal::OpenPlan { .. } => OpError::Conflict {
            code: "open_plan_exists",
            detail,
        },
    }
}

/// The plan and its participant if `scope` reaches the participant; not found otherwise.
/// An earlier period's plan is the other office's unless handed over (`ops::case_file`).
pub fn load_scoped(conn: &mut DbConnection, ctx: &Context, id: PlanId, scope: &ListScope) -> Result<PlanOf, OpError> {
    let not_found = |e: OpError| e.for_resource("activity plan");
    let plan = PlanRepo::get(conn, id.uuid()).map_err(|e| not_found(e.into()))?;
    let participant = ParticipantRepo::get(conn, plan.participant_id, scope).map_err(|e| not_found(e.into()))?;
    if plan.period_id != participant.current.id {
        let file = case_file::load(conn, participant.id)?;
        if !file.sees(&ctx.actor, CaseRecord::Plans, plan.period_id) {
            return Err(not_found(OpError::NotFound {
                resource: "activity plan",
            }));
        }
    }
    Ok((plan, participant))
}

/// The plan as the caller may read it, recorded in the access log as `action`.
pub fn read(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    id: PlanId,
    action: &str,
) -> Result<PlanOf, OpError> {
    let (plan, participant) = load_scoped(conn, ctx, id, scope)?;
    ParticipantRepo::audit_read(conn, &ctx.acting(), action, &[participant.id])?;
    Ok((plan, participant))
}

/// A new draft for an enrolled participant without an open plan.
pub fn draft(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    participant_id: ParticipantId,
    new: NewPlan,
) -> Result<PlanOf, OpError> {
    let today = ctx.today();
    let participant_id = participant_id.uuid();
    let participant =
        ParticipantRepo::get(conn, participant_id, scope).map_err(|e| OpError::from(e).for_resource("participant"))?;
    let plans = PlanRepo::for_participant(conn, participant_id)?;
    may_draft_new_plan(participant.current.status, &plans, today).map_err(draft_refusal)?;
    let plan = ActivityPlan {
        id: Uuid::now_v7(),
        participant_id,
        period_id: participant.current.id,
        number: PlanRepo::next_number(conn, participant_id)?,
        status: PlanStatus::Draft,
        valid_from: new.valid_from,
        valid_to: new.valid_to,
        goal: new.goal,
        goal_ssyk: new.goal_ssyk,
        wishes: new.wishes,
        revision_of: None,
        version: 1,
        activities: Vec::new(),
        decisions: Vec::new(),
    }
    .draft(participant.last_participation_day(today))
    .map_err(plan_error)?;
    let saved = PlanRepo::insert(conn, &ctx.acting(), &plan, &participant, "activity_plan.drafted")?;
    Ok((saved, participant))
}

/// The plan at the version the client based its change on; 412 with the current one otherwise.
/// The store's compare-and-swap checks again at the write.
fn load_at(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    (id, expected): PlanAt,
) -> Result<PlanOf, OpError> {
    let (plan, participant) = load_scoped(conn, ctx, id, scope)?;
    Ok((at_version(plan, expected)?, participant))
}

/// The one way a plan changes: load it within reach, check the version the client saw, apply
/// the domain rule, store it with its history and `event`.
fn change(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: PlanAt,
    event: &str,
    decide: impl FnOnce(ActivityPlan, &Participant) -> Result<ActivityPlan, PlanError>,
) -> Result<PlanOf, OpError> {
    let (plan, participant) = load_at(conn, ctx, scope, at)?;
    let changed = match decide(plan.clone(), &participant) {
        Ok(changed) => changed,
        Err(error) => {
            return Err(refused(
                conn,
                VersionedRow::ActivityPlan(&plan.id.to_string()),
                at.1,
                plan_error(error),
            ))
        }
    };
    let saved = PlanRepo::save(conn, &ctx.acting(), &plan, &changed, &participant, event)?;
    Ok((saved, participant))
}

/// The plan at `version`, identified for a change.
pub type PlanAt = (PlanId, i32);

pub fn edit(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: PlanAt,
    changes: PlanChanges,
) -> Result<PlanOf, OpError> {
    let today = ctx.today();
    change(conn, ctx, scope, at, "activity_plan.updated", |plan, participant| {
        plan.edit(changes, participant.last_participation_day(today))
    })
}

fn ensure_activity_type(conn: &mut DbConnection, code: &Code) -> Result<(), OpError> {
    if ReferenceRepo::activity_type_exists(conn, code)? {
        Ok(())
    } else {
        Err(invalid("activity_type", "unknown", "not a code of /v1/activity-types"))
    }
}

pub fn add_activity(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: PlanAt,
    activity: Activity,
) -> Result<PlanOf, OpError> {
    // The catalogue is seeded reference data; checking it first keeps the foreign key from
    // turning a typo into a failed write.
    ensure_activity_type(conn, &activity.activity_type)?;
    change(conn, ctx, scope, at, "activity_plan.updated", |plan, _| {
        plan.add_activity(activity)
    })
}

pub fn replace_activity(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: PlanAt,
    activity: Activity,
) -> Result<PlanOf, OpError> {
    ensure_activity_type(conn, &activity.activity_type)?;
    change(conn, ctx, scope, at, "activity_plan.updated", |plan, _| {
        plan.replace_activity(activity)
    })
}

pub fn remove_activity(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: PlanAt,
    activity_id: ActivityId,
) -> Result<PlanOf, OpError> {
    change(conn, ctx, scope, at, "activity_plan.updated", |plan, _| {
        plan.remove_activity(activity_id.uuid())
    })
}

pub fn follow_up_activity(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: PlanAt,
    activity_id: ActivityId,
    follow_up: ActivityFollowUp,
) -> Result<PlanOf, OpError> {
    change(conn, ctx, scope, at, "activity_plan.activity_followed_up", |plan, _| {
        plan.follow_up_activity(activity_id.uuid(), follow_up)
    })
}

pub fn submit(conn: &mut DbConnection, ctx: &Context, scope: &ListScope, at: PlanAt) -> Result<PlanOf, OpError> {
    change(conn, ctx, scope, at, "activity_plan.submitted", |plan, _| plan.submit())
}

fn content_hash(plan: &ActivityPlan) -> String {
    Sha256::digest(plan.canonical_content().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The district's decision on exactly the version and content the officer saw.
fn decision(ctx: &Context, plan: &ActivityPlan, kind: DecisionKind, reason: Option<String>) -> Decision {
    Decision {
        id: Uuid::now_v7(),
        kind,
        decided_by: ctx.actor.subject().to_owned(),
        decided_at: ctx.now.naive_utc(),
        reason,
        plan_version: plan.version,
        content_hash: content_hash(plan),
    }
}

/// Approves the plan; a revision supersedes the plan it replaces, and the period records that
/// its plan is approved.
pub fn approve(conn: &mut DbConnection, ctx: &Context, scope: &ListScope, at: PlanAt) -> Result<PlanOf, OpError> {
    let (approved, participant) = change(conn, ctx, scope, at, "activity_plan.approved", |plan, _| {
        let decision = decision(ctx, &plan, DecisionKind::Approved, None);
        plan.decide(decision)
    })?;
    if let Some(previous) = approved.revision_of {
        let old = PlanRepo::get(conn, previous)?;
        let superseded = old.clone().supersede().map_err(plan_error)?;
        PlanRepo::save(
            conn,
            &ctx.acting(),
            &old,
            &superseded,
            &participant,
            "activity_plan.superseded",
        )?;
    }
    // TODO(#12): the period's plan date changes without a participant version bump.
    PlanRepo::mark_period_plan_approved(conn, approved.period_id, ctx.today())?;
    Ok((approved, participant))
}

/// Returns the plan to the coach with the district's reason.
pub fn send_back(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: PlanAt,
    reason: String,
) -> Result<PlanOf, OpError> {
    change(conn, ctx, scope, at, "activity_plan.returned", |plan, _| {
        let decision = decision(ctx, &plan, DecisionKind::Returned, Some(reason));
        plan.decide(decision)
    })
}

/// A new draft copied from the approved plan at `at`; the approved plan stays in force until
/// the revision is approved.
pub fn revise(conn: &mut DbConnection, ctx: &Context, scope: &ListScope, at: PlanAt) -> Result<PlanOf, OpError> {
    let (plan, participant) = load_at(conn, ctx, scope, at)?;
    may_revise(&PlanRepo::for_participant(conn, participant.id)?).map_err(draft_refusal)?;
    let number = PlanRepo::next_number(conn, participant.id)?;
    let draft = plan.revise(Uuid::now_v7(), number, Uuid::now_v7).map_err(plan_error)?;
    let saved = PlanRepo::insert(conn, &ctx.acting(), &draft, &participant, "activity_plan.revised")?;
    Ok((saved, participant))
}

/// Cancels the participant's open plans; part of an exit.
pub fn cancel_open(conn: &mut DbConnection, ctx: &Context, participant: &Participant) -> Result<(), OpError> {
    let today = ctx.today();
    for plan in PlanRepo::for_participant(conn, participant.id)?
        .into_iter()
        .filter(|p| p.status_on(today).is_open())
    {
        let cancelled = plan.clone().cancel().map_err(plan_error)?;
        PlanRepo::save(
            conn,
            &ctx.acting(),
            &plan,
            &cancelled,
            participant,
            "activity_plan.cancelled",
        )?;
    }
    Ok(())
}

/// Moves the referred plan activity on with the referral: started makes it ongoing; completed
/// or interrupted closes it with the provider's report as its follow-up. Left alone when the
/// plan is no longer the approved one in force or the coach has already closed the activity.
pub fn follow_referral(
    conn: &mut DbConnection,
    ctx: &Context,
    referral: &Referral,
    participant: &Participant,
) -> Result<(), OpError> {
    let today = ctx.today();
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
        &ctx.acting(),
        &plan,
        &changed,
        participant,
        "activity_plan.activity_updated",
    )?;
    Ok(())
}

/// A page of plans within reach, each read written to the access log, with the periods among
/// them whose participant is in the introduction programme (for the full-day warning).
pub fn list(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    filter: &PlanFilter,
    page: Page,
) -> Result<(Vec<ActivityPlan>, Vec<Uuid>), OpError> {
    let plans = PlanRepo::list(conn, scope, filter, page.after, page.limit)?;
    let participants: Vec<Uuid> = plans.iter().map(|p| p.participant_id).collect();
    ParticipantRepo::audit_read(conn, &ctx.acting(), "activity_plan.list", &participants)?;
    let periods: Vec<Uuid> = plans.iter().map(|p| p.period_id).collect();
    let introduction = PlanRepo::periods_in_group(conn, &periods, INTRODUCTION_GROUP)?;
    Ok((plans, introduction))
}
