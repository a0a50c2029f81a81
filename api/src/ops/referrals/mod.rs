//! Referrals and the closed loop around them: sending, the provider's answer and steps, the
//! coach's cancellation, progress reports. Starting and ending a referral move its plan
//! activity on and raise the payment claims the contract's remuneration model gives.

mod progress;
mod send;

use chrono::NaiveDate;
use domain::access::ListScope;
use domain::ids::ReferralId;
use domain::participant::ExitRecord;
use domain::referral::{DeclineReason, Referral, ReferralError, ReferralStatus};
use persistence::repos::referral::{ParticipantCard, ReferralFilter};
use persistence::repos::{ParticipantRepo, ReferralRepo};
use persistence::DbConnection;

pub use progress::{report_progress, NewReport};
pub use send::{send, ActivityChoice, SendReferral};

use persistence::versioned::VersionedRow;

use super::{at_version, claims, invalid, plans, refused, Context, OpError, Page};

/// A referral at the version the client based its change on.
pub type ReferralAt = (ReferralId, i32);

/// A referral with the participant card its responses show.
pub type ReferralOf = (Referral, ParticipantCard);

/// The participant card of one referral.
pub fn card_of(conn: &mut DbConnection, referral: &Referral) -> Result<ParticipantCard, OpError> {
    card_for(conn, referral.participant_id)
}

/// The card of one participant, as a referral to them shows it.
pub fn card_for(conn: &mut DbConnection, participant_id: uuid::Uuid) -> Result<ParticipantCard, OpError> {
    ReferralRepo::participant_cards(conn, &[participant_id])?
        .pop()
        .ok_or(OpError::NotFound {
            resource: "participant",
        })
}

/// Referral rule errors: a step not allowed now is a conflict naming the status; a date or
/// note problem is invalid on its field.
pub fn referral_error(error: ReferralError) -> OpError {
    let field = match &error {
        ReferralError::Transition(t) => {
            return OpError::Conflict {
                code: "invalid_transition",
                detail: format!("{t}; current status: {}.", t.from),
            }
        }
        ReferralError::InFuture { field } | ReferralError::TooEarly { field, .. } => *field,
        ReferralError::NoteRequired => "note",
    };
    invalid(field, "rule", error.to_string())
}

/// The referral inside `scope` at the version the client saw; not found outside the scope.
fn load_at(
    conn: &mut DbConnection,
    scope: &ListScope,
    (id, expected): ReferralAt,
    today: NaiveDate,
) -> Result<Referral, OpError> {
    let referral =
        ReferralRepo::get(conn, id.uuid(), scope, today).map_err(|e| OpError::from(e).for_resource("referral"))?;
    at_version(referral, expected)
}

/// The one way a referral takes a step: load it at the version, apply the rule, store it with
/// its history and `event`; a start or an end moves the plan activity and raises due claims.
fn step(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
    event: &str,
    decide: impl FnOnce(Referral, NaiveDate) -> Result<Referral, ReferralError>,
) -> Result<ReferralOf, OpError> {
    let before = load_at(conn, scope, at, ctx.today())?;
    let after = match decide(before.clone(), ctx.today()) {
        Ok(after) => after,
        Err(error) => {
            return Err(refused(
                conn,
                VersionedRow::Referral(&before.id.to_string()),
                at.1,
                referral_error(error),
            ))
        }
    };
    let saved = ReferralRepo::save(conn, &ctx.acting(), &before, &after, event)?;
    let moves_on = matches!(
        saved.status,
        ReferralStatus::InProgress | ReferralStatus::Completed | ReferralStatus::Interrupted
    );
    if moves_on {
        let participant = ParticipantRepo::get(conn, saved.participant_id, &ListScope::Everything)?;
        plans::follow_referral(conn, ctx, &saved, &participant)?;
        claims::raise_due(conn, ctx, &saved, &participant.follow_ups_made_when_due())?;
    }
    let card = card_of(conn, &saved)?;
    Ok((saved, card))
}

pub fn accept(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
) -> Result<ReferralOf, OpError> {
    step(conn, ctx, scope, at, "referral.accepted", |r, today| r.accept(today))
}

pub fn decline(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
    (reason, note): (DeclineReason, Option<String>),
) -> Result<ReferralOf, OpError> {
    step(conn, ctx, scope, at, "referral.declined", |r, today| {
        r.decline(reason, note, today)
    })
}

pub fn cancel(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
    reason: String,
) -> Result<ReferralOf, OpError> {
    step(conn, ctx, scope, at, "referral.cancelled", |r, today| {
        r.cancel(reason, today)
    })
}

pub fn start(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
    on: NaiveDate,
) -> Result<ReferralOf, OpError> {
    step(conn, ctx, scope, at, "referral.started", |r, today| r.start(on, today))
}

pub fn interrupt(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
    (on, reason): (NaiveDate, String),
) -> Result<ReferralOf, OpError> {
    step(conn, ctx, scope, at, "referral.interrupted", |r, today| {
        r.interrupt(on, reason, today)
    })
}

pub fn complete(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
    (on, record): (NaiveDate, ExitRecord),
) -> Result<ReferralOf, OpError> {
    step(conn, ctx, scope, at, "referral.completed", |r, today| {
        r.complete(on, record, today)
    })
}

/// A page of referrals within reach, each with its participant card, every read recorded for
/// the access log (run it inside one read or write transaction).
pub fn list(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    filter: &ReferralFilter,
    page: Page,
) -> Result<Vec<ReferralOf>, OpError> {
    let today = ctx.today();
    let referrals = ReferralRepo::list(conn, scope, filter, page.after, page.limit, today)?;
    let ids: Vec<_> = referrals.iter().map(|r| r.participant_id).collect();
    let cards = ReferralRepo::participant_cards(conn, &ids)?;
    ReferralRepo::audit_read(conn, &ctx.acting(), &referrals.iter().collect::<Vec<_>>())?;
    // A referral whose card is missing is not shown (the card query is scoped the same).
    Ok(referrals
        .into_iter()
        .filter_map(|r| {
            let card = cards.iter().find(|c| c.id == r.participant_id.to_string())?.clone();
            Some((r, card))
        })
        .collect())
}
