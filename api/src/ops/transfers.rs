//! Moving to another home district, and a manager moving a leaving coach's participants.
//!
//! A transfer keeps the participation period: the person takes part without a break, so the
//! 548 days keep counting. On acceptance the period, its referrals and the open plan pass to
//! the new district and the job centre serving it; the approved plan goes back for the new
//! district's decision; what passes is recorded as a handover of every kind of record (the
//! same period on both sides: the period itself moves).

use chrono::NaiveDate;
use domain::access::{CaseRecord, Handover, ListScope, PeriodOwner};
use domain::ids::ParticipantId;
use domain::participant::ParticipantStatus;
use domain::shared::Code;
use domain::transfer::{self, TransferError, TransferStatus};
use persistence::repos::case_file::HandoverRecord;
use persistence::repos::transfer::Transfer;
use persistence::repos::{CaseFileRepo, ParticipantRepo, PlanRepo, ReferenceRepo, ReferralRepo, TransferRepo};
use persistence::{tx, DbConnection, RepoError};
use uuid::Uuid;

use super::participants::rule_error;
use super::{invalid, plans, Context, OpError};

/// A move as the coach or the current district asks for it.
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub to_district: Code,
    pub moves_on: NaiveDate,
    pub note: Option<String>,
}

/// The new district's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub accept: bool,
    /// The coach at the new job centre, when known.
    pub coach: Option<String>,
    pub note: Option<String>,
}

fn transfer_error(error: TransferError) -> OpError {
    match error {
        TransferError::SameDistrict(_) => invalid("to_district_id", "same_district", error.to_string()),
        TransferError::TooOld { .. } | TransferError::BeforeIntake(_) => {
            invalid("moves_on", "out_of_range", error.to_string())
        }
        TransferError::NotOpen(_) => OpError::Conflict {
            code: "transfer_answered",
            detail: format!("{error}."),
        },
    }
}

fn unknown_district(error: RepoError) -> OpError {
    match error {
        RepoError::NotFound => invalid("to_district_id", "unknown", "no district has this id"),
        other => other.into(),
    }
}

/// Asks to move the participant (within `scope`) to another district.
pub fn request(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    participant: ParticipantId,
    new: NewTransfer,
) -> Result<Transfer, OpError> {
    let participant = ParticipantRepo::get(conn, participant.uuid(), scope)
        .map_err(|e| OpError::from(e).for_resource("participant"))?;
    let period = &participant.current;
    if period.status == ParticipantStatus::Exited {
        return Err(OpError::Conflict {
            code: "invalid_transition",
            detail: "The participation has ended; the new district refers the person anew.".into(),
        });
    }
    ReferenceRepo::district(conn, &new.to_district).map_err(unknown_district)?;
    transfer::check_request(
        &period.district,
        &new.to_district,
        new.moves_on,
        period.referred_on,
        ctx.today(),
    )
    .map_err(transfer_error)?;
    if TransferRepo::for_participant(conn, participant.id)?
        .iter()
        .any(|t| t.status == TransferStatus::Requested)
    {
        return Err(open_already());
    }
    let requested = Transfer {
        id: Uuid::now_v7(),
        participant_id: participant.id,
        period_id: period.id,
        from_district: period.district.clone(),
        from_jobbtorg: period.jobbtorg.clone(),
        to_district: new.to_district,
        to_jobbtorg: None,
        moves_on: new.moves_on,
        note: new.note,
        status: TransferStatus::Requested,
        requested_by: ctx.actor.subject().to_owned(),
        requested_role: ctx.actor.role().as_str().to_owned(),
        requested_at: ctx.now.naive_utc(),
        decided_by: None,
        decided_at: None,
        decision_note: None,
        coach: None,
        handover_id: None,
        version: 1,
    };
    // Two requests at once: the partial unique index lets one in.
    TransferRepo::insert(conn, &ctx.acting(), &requested).map_err(|e| match e {
        RepoError::Conflict { .. } => open_already(),
        other => other.into(),
    })?;
    Ok(requested)
}

fn open_already() -> OpError {
    OpError::Conflict {
        code: "transfer_pending",
        detail: "A move of this participant waits for an answer already.".into(),
    }
}

/// The transfer if the caller may see it: its old job centre, either district.
pub fn read(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Transfer, OpError> {
    let transfer = TransferRepo::get(conn, id).map_err(|e| OpError::from(e).for_resource("transfer"))?;
    let actor = &ctx.actor;
    let involved = actor
        .district()
        .is_some_and(|d| *d == transfer.from_district || *d == transfer.to_district)
        || actor
            .jobbtorg()
            .is_some_and(|j| *j == transfer.from_jobbtorg || transfer.to_jobbtorg.as_ref() == Some(j));
    if !involved {
        return Err(OpError::NotFound { resource: "transfer" });
    }
    ParticipantRepo::audit_read(
        conn,
        &ctx.acting(),
        "participant.transfer_read",
        &[transfer.participant_id],
    )?;
    Ok(transfer)
}

/// The new district answers transfer `id` at the version it read. On acceptance the
/// participation moves (see the module comment).
pub fn answer(
    conn: &mut DbConnection,
    ctx: &Context,
    district: &Code,
    (id, expected): (Uuid, i32),
    answer: Answer,
) -> Result<Transfer, OpError> {
    let not_found = || OpError::NotFound { resource: "transfer" };
    let before = TransferRepo::get(conn, id).map_err(|_| not_found())?;
    if before.to_district != *district {
        return Err(not_found());
    }
    if before.version != expected {
        return Err(OpError::PreconditionFailed {
            current_version: before.version,
        });
    }
    let status = transfer::answer(before.status, answer.accept).map_err(transfer_error)?;
    let mut answered = Transfer {
        status,
        decided_by: Some(ctx.actor.subject().to_owned()),
        decided_at: Some(ctx.now.naive_utc()),
        decision_note: answer.note,
        ..before.clone()
    };
    if answer.accept {
        let centre = ReferenceRepo::district(conn, district)?.job_centre_code;
        answered.to_jobbtorg = Some(centre.clone());
        answered.coach = answer.coach.clone();
        answered.handover_id = Some(move_case(conn, ctx, &before, &centre, answer.coach)?);
    }
    Ok(TransferRepo::save_answer(conn, &ctx.acting(), &answered, expected)?)
}

/// Moves the period, its referrals and its open plan to the new district and centre; the
/// handover's id.
fn move_case(
    conn: &mut DbConnection,
    ctx: &Context,
    transfer: &Transfer,
    centre: &Code,
    coach: Option<String>,
) -> Result<Uuid, OpError> {
    let acting = ctx.acting();
    let participant = ParticipantRepo::get(conn, transfer.participant_id, &ListScope::Everything)?;
    if participant.current.id != transfer.period_id {
        return Err(OpError::Conflict {
            code: "participation_ended",
            detail: "The participation period the move was asked for has ended.".into(),
        });
    }
    let (district, moves_on) = (transfer.to_district.clone(), transfer.moves_on);
    let moved = ParticipantRepo::change(
        conn,
        &acting,
        participant.id,
        &ListScope::Everything,
        participant.version,
        "participant.transferred",
        |p| {
            p.transfer(district, centre.clone(), coach, moves_on)
                .map_err(rule_error)
        },
    )?;
    for plan in PlanRepo::for_participant(conn, moved.id)?.into_iter().filter(|p| {
        p.period_id == transfer.period_id && p.status_on(ctx.today()) == domain::activity_plan::PlanStatus::Approved
    }) {
        let sent_back = plan.clone().reconsider().map_err(plans::plan_error)?;
        PlanRepo::save(
            conn,
            &acting,
            &plan,
            &sent_back,
            &moved,
            "activity_plan.sent_for_decision",
        )?;
    }
    for referral in ReferralRepo::for_period(conn, transfer.period_id)? {
        let mut after = referral.clone();
        after.jobbtorg = centre.clone();
        after.district = transfer.to_district.clone();
        ReferralRepo::save(conn, &acting, &referral, &after, "referral.case_moved")?;
    }
    let handover = HandoverRecord {
        id: Uuid::now_v7(),
        participant_id: moved.id,
        grant: Handover {
            from: transfer.period_id,
            to: transfer.period_id,
            records: CaseRecord::ALL.to_vec(),
        },
        legal_basis: format!(
            "Flytt från {} till {} (transfer {})",
            transfer.from_district, transfer.to_district, transfer.id
        ),
        consent_id: None,
        recorded_by: ctx.actor.subject().to_owned(),
        recorded_role: ctx.actor.role().as_str().to_owned(),
        recorded_at: ctx.now.naive_utc(),
    };
    let receiving = PeriodOwner {
        period_id: transfer.period_id,
        jobbtorg: centre.clone(),
        district: transfer.to_district.clone(),
        opened_at: ctx.now.naive_utc(),
    };
    CaseFileRepo::hand_over(conn, &acting, &handover, &receiving)?;
    Ok(handover.id)
}

/// One participant's result in a reassignment.
#[derive(Debug)]
pub struct Reassigned {
    pub participant_id: Uuid,
    pub outcome: Result<i32, OpError>,
}

/// Gives every open participation of the manager's job centre (`scope`) whose coach is `from`
/// to `to`, or only those of `only` when given; each in a savepoint of its own, so one that
/// fails (moved meanwhile, already exited) leaves the others done.
pub fn reassign_coach(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    (from, to): (String, String),
    only: Option<Vec<Uuid>>,
) -> Result<Vec<Reassigned>, OpError> {
    let filter = persistence::repos::participant::ParticipantFilter {
        coach: Some(from.clone()),
        ..Default::default()
    };
    let mut ids: Vec<Uuid> = Vec::new();
    let mut after = None;
    loop {
        let page = ParticipantRepo::list(conn, scope, &filter, after, 500, ctx.today())?;
        let full = page.len() == 500;
        after = page.last().map(|p| p.id);
        ids.extend(page.into_iter().filter(|p| p.period.status.is_open()).map(|p| p.id));
        if !full {
            break;
        }
    }
    if let Some(only) = only {
        let mut results: Vec<Reassigned> = Vec::new();
        for id in only {
            if ids.contains(&id) {
                results.push(reassign_one(conn, ctx, scope, id, &to));
            } else {
                results.push(Reassigned {
                    participant_id: id,
                    outcome: Err(OpError::NotFound {
                        resource: "participant",
                    }),
                });
            }
        }
        return Ok(results);
    }
    Ok(ids
        .into_iter()
        .map(|id| reassign_one(conn, ctx, scope, id, &to))
        .collect())
}

fn reassign_one(conn: &mut DbConnection, ctx: &Context, scope: &ListScope, id: Uuid, to: &str) -> Reassigned {
    let outcome = tx::savepoint(conn, |conn| {
        let current = ParticipantRepo::get(conn, id, scope)?;
        let moved = super::participants::assign_coach(
            conn,
            ctx,
            scope,
            (ParticipantId::from(id), current.version),
            to.to_owned(),
        )?;
        Ok::<_, OpError>(moved.version)
    });
    Reassigned {
        participant_id: id,
        outcome,
    }
}
