//! Absence and deviation reports: reported by the provider's staff on a referral or by the
//! coach for an own-regime activity, read by the case's job centre and the home district,
//! marked seen by the home district.

use domain::absence::{check_report, Absence, AbsenceError, AbsenceReport};
use domain::access::{CaseRecord, ListScope};
use domain::activity_plan::ProviderKind;
use domain::ids::ParticipantId;
use domain::participant::Participant;
use domain::referral::ReferralStatus;
use persistence::events::EventScope;
use persistence::repos::{AbsenceRepo, ParticipantRepo, PlanRepo, ReferralRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::{case_file, invalid, Context, OpError};

fn absence_error(error: AbsenceError) -> OpError {
    invalid(error.field(), "invalid", error.to_string())
}

fn participant_scope(participant: &Participant, provider: Option<Uuid>) -> EventScope {
    EventScope {
        jobbtorg: Some(participant.current.jobbtorg.to_string()),
        district: Some(participant.current.district.to_string()),
        provider: provider.map(|p| p.to_string()),
        participant: Some(participant.id.to_string()),
    }
}

fn new_absence(
    ctx: &Context,
    participant: &Participant,
    referral: Option<(Uuid, Uuid)>,
    report: AbsenceReport,
) -> Absence {
    Absence {
        id: Uuid::now_v7(),
        participant_id: participant.id,
        period_id: participant.current.id,
        referral_id: referral.map(|(r, _)| r),
        provider_id: referral.map(|(_, p)| p),
        report,
        reported_by: ctx.actor.subject().to_owned(),
        reported_role: ctx.actor.role().as_str().to_owned(),
        reported_at: ctx.now.naive_utc(),
        seen: None,
        version: 1,
    }
}

/// The provider's report on referral `referral_id` (within `scope`, the provider's own): the
/// referral must have started, and the day lie within it.
pub fn report_on_referral(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    referral_id: Uuid,
    report: AbsenceReport,
) -> Result<Absence, OpError> {
    let today = ctx.today();
    let referral =
        ReferralRepo::get(conn, referral_id, scope, today).map_err(|e| OpError::from(e).for_resource("referral"))?;
    let status = referral.status_on(today);
    if !matches!(
        status,
        ReferralStatus::InProgress | ReferralStatus::Interrupted | ReferralStatus::Completed
    ) {
        return Err(OpError::Conflict {
            code: "not_started",
            detail: format!("Absences are reported once the activity has started; the referral is {status}."),
        });
    }
    let window = (
        referral.started_on.unwrap_or(referral.activity.starts_on),
        referral.ended_on.unwrap_or(referral.activity.ends_on),
    );
    check_report(&report, window, today).map_err(absence_error)?;
    let participant = ParticipantRepo::get(conn, referral.participant_id, &ListScope::Everything)?;
    if participant.current.id != referral.period_id {
        return Err(OpError::Conflict {
            code: "participation_ended",
            detail: "The referral belongs to an earlier participation period.".into(),
        });
    }
    let absence = new_absence(ctx, &participant, Some((referral.id, referral.provider_id)), report);
    AbsenceRepo::insert(
        conn,
        &ctx.acting(),
        &absence,
        participant_scope(&participant, Some(referral.provider_id)),
    )?;
    Ok(absence)
}

/// The coach's report for an own-regime activity `activity_id` of the participant's current
/// plans (`scope`: the coach's job centre).
pub fn report_own_regime(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    participant: ParticipantId,
    activity_id: Uuid,
    report: AbsenceReport,
) -> Result<Absence, OpError> {
    let participant = ParticipantRepo::get(conn, participant.uuid(), scope)
        .map_err(|e| OpError::from(e).for_resource("participant"))?;
    let activity = PlanRepo::for_participant(conn, participant.id)?
        .into_iter()
        .filter(|plan| plan.period_id == participant.current.id)
        .flat_map(|plan| plan.activities)
        .find(|a| a.id == activity_id)
        .ok_or_else(|| {
            invalid(
                "activity_id",
                "unknown",
                "no plan of the current period has this activity",
            )
        })?;
    if activity.provider_kind != ProviderKind::OwnRegime {
        return Err(invalid(
            "activity_id",
            "not_own_regime",
            "the coach reports absences from the job centre's own activities; a provider reports on its referral",
        ));
    }
    check_report(&report, (activity.starts_on, activity.ends_on), ctx.today()).map_err(absence_error)?;
    let absence = new_absence(ctx, &participant, None, report);
    AbsenceRepo::insert(conn, &ctx.acting(), &absence, participant_scope(&participant, None))?;
    Ok(absence)
}

/// The reports about the participant the caller may read (those of periods whose referrals the
/// case-file rule gives them); the read is logged.
pub fn read(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    participant: ParticipantId,
) -> Result<Vec<Absence>, OpError> {
    let participant = ParticipantRepo::get(conn, participant.uuid(), scope)
        .map_err(|e| OpError::from(e).for_resource("participant"))?;
    let file = case_file::load(conn, participant.id)?;
    let absences = AbsenceRepo::for_participant(conn, participant.id)?
        .into_iter()
        .filter(|a| file.sees(&ctx.actor, CaseRecord::Referrals, a.period_id))
        .collect();
    ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.absences_read", &[participant.id])?;
    Ok(absences)
}

/// The home district marks report `id` seen, at the version it read (`scope`: its district).
pub fn mark_seen(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    (id, expected): (Uuid, i32),
) -> Result<Absence, OpError> {
    let not_found = || OpError::NotFound { resource: "absence" };
    let absence = AbsenceRepo::get(conn, id).map_err(|_| not_found())?;
    let participant = ParticipantRepo::get(conn, absence.participant_id, scope).map_err(|_| not_found())?;
    if absence.period_id != participant.current.id {
        return Err(not_found());
    }
    if absence.version != expected {
        return Err(OpError::PreconditionFailed {
            current_version: absence.version,
        });
    }
    if absence.seen.is_some() {
        return Err(OpError::Conflict {
            code: "already_seen",
            detail: "The report is marked seen already.".into(),
        });
    }
    Ok(AbsenceRepo::mark_seen(
        conn,
        &ctx.acting(),
        id,
        expected,
        participant_scope(&participant, absence.provider_id),
    )?)
}
