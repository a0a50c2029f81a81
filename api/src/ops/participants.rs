//! The participant's lifecycle after intake: changes to the person, enrolment, coach, the
//! Arbetsförmedlingen registration, interruptions, exit and follow-ups.

use chrono::NaiveDate;
use domain::access::ListScope;
use domain::ids::{InterruptionId, ParticipantId};
use domain::participant::{
    EmploymentDetails, ExitRecord, InterruptionReason, Participant, ParticipantError, PersonChanges,
};
use persistence::repos::ParticipantRepo;
use persistence::DbConnection;
use uuid::Uuid;

use super::{claims, invalid, plans, Context, OpError};

/// A participant at the version the client based its change on.
pub type ParticipantAt = (ParticipantId, i32);

/// The participant rules as failures: a forbidden transition is a conflict naming the current
/// status; a date out of order is invalid on its field.
pub fn rule_error(error: ParticipantError) -> OpError {
    match error {
        ParticipantError::Transition(transition) => OpError::Conflict {
            code: "invalid_transition",
            detail: format!("{transition}; current status: {}.", transition.from),
        },
        ParticipantError::FollowUpRecorded { .. } => OpError::Conflict {
            code: "already_recorded",
            detail: error.to_string(),
        },
        ParticipantError::FollowUpNotDue { .. } => OpError::Conflict {
            code: "follow_up_not_due",
            detail: format!("{error}."),
        },
        ParticipantError::TooEarly { field, .. } | ParticipantError::InFuture { field } => {
            invalid(field, "out_of_order", error.to_string())
        }
        ParticipantError::FollowUpMonths => invalid("months", "invalid_value", error.to_string()),
    }
}

/// The one way a participant changes: the store loads it within reach, checks the version,
/// applies the rule and writes it with its history and `event` by compare-and-swap.
fn change(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    (id, expected): ParticipantAt,
    event: &str,
    decide: impl FnOnce(Participant) -> Result<Participant, ParticipantError>,
) -> Result<Participant, OpError> {
    ParticipantRepo::change(conn, &ctx.acting(), id.uuid(), scope, expected, event, |p| {
        decide(p).map_err(rule_error)
    })
    .map_err(|e| e.for_resource("participant"))
}

pub fn update_person(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    changes: PersonChanges,
) -> Result<Participant, OpError> {
    change(conn, ctx, scope, at, "participant.updated", |p| {
        Ok(p.update_person(changes))
    })
}

pub fn enrol(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    (arrived_on, coach): (NaiveDate, String),
) -> Result<Participant, OpError> {
    let today = ctx.today();
    change(conn, ctx, scope, at, "participant.enrolled", |p| {
        p.enrol(arrived_on, coach, today)
    })
}

pub fn assign_coach(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    coach: String,
) -> Result<Participant, OpError> {
    change(conn, ctx, scope, at, "participant.coach_assigned", |p| {
        p.assign_coach(coach)
    })
}

pub fn register_af(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    registered_on: NaiveDate,
) -> Result<Participant, OpError> {
    let today = ctx.today();
    change(conn, ctx, scope, at, "participant.af_registered", |p| {
        p.register_af(registered_on, today)
    })
}

/// An interruption (avbrott) from `started_on`, with its reason and an optional note.
#[derive(Debug, Clone)]
pub struct Interruption {
    pub reason: InterruptionReason,
    pub started_on: NaiveDate,
    pub note: Option<String>,
}

pub fn interrupt(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    interruption: Interruption,
) -> Result<Participant, OpError> {
    let today = ctx.today();
    let Interruption {
        reason,
        started_on,
        note,
    } = interruption;
    change(conn, ctx, scope, at, "participant.interrupted", |p| {
        p.interrupt(Uuid::now_v7(), reason, started_on, note, today)
    })
}

pub fn resume(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    (interruption, ended_on): (InterruptionId, NaiveDate),
) -> Result<Participant, OpError> {
    let today = ctx.today();
    change(conn, ctx, scope, at, "participant.resumed", |p| {
        p.resume(interruption.uuid(), ended_on, today)
    })
}

/// The exit with its coded outcome; the participant's open plans are cancelled with it.
pub fn exit(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    (exited_on, record): (NaiveDate, ExitRecord),
) -> Result<Participant, OpError> {
    let today = ctx.today();
    let exited = change(conn, ctx, scope, at, "participant.exited", |p| {
        p.exit(exited_on, record, today)
    })?;
    plans::cancel_open(conn, ctx, &exited)?;
    Ok(exited)
}

/// A follow-up 2 or 8 months after exit.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub months: u32,
    pub followed_up_on: NaiveDate,
    pub self_supporting: bool,
    pub employment: Option<EmploymentDetails>,
}

/// Records the follow-up; the result steps that lasting work now confirms are claimed with it.
pub fn record_follow_up(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ParticipantAt,
    follow_up: FollowUp,
) -> Result<Participant, OpError> {
    let today = ctx.today();
    let FollowUp {
        months,
        followed_up_on,
        self_supporting,
        employment,
    } = follow_up;
    let participant = change(conn, ctx, scope, at, "participant.followed_up", |p| {
        p.record_follow_up(
            Uuid::now_v7(),
            months,
            followed_up_on,
            self_supporting,
            employment,
            today,
        )
    })?;
    claims::raise_confirmed(conn, ctx, &participant)?;
    Ok(participant)
}
