//! The case journal: write a note, correct one, read them as the caller may.

use chrono::NaiveDate;
use domain::access::{Actor, CaseFile, CaseRecord, ListScope, Role};
use domain::ids::ParticipantId;
use domain::journal::{check_new_entry, sees_entry, with_corrections, Author, JournalEntry, JournalError};
use domain::participant::Participant;
use persistence::events::EventScope;
use persistence::repos::{JournalRepo, ParticipantRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::{case_file, invalid, Context, OpError};

/// A note as its writer gives it.
#[derive(Debug, Clone)]
pub struct NewNote {
    /// The day it is about; today when not given.
    pub entry_date: Option<NaiveDate>,
    pub body: String,
    pub confidential: bool,
}

/// An original note with its corrections beside it.
pub type NoteWithCorrections = (JournalEntry, Vec<JournalEntry>);

fn journal_error(error: JournalError) -> OpError {
    let field = match error {
        JournalError::InFuture | JournalError::BeforeParticipation(_) => "entry_date",
        JournalError::ConfidentialNotAllowed | JournalError::CorrectionMustBeConfidential => "confidential",
        JournalError::CorrectsACorrection => {
            return OpError::Conflict {
                code: "corrects_a_correction",
                detail: format!("{error}."),
            }
        }
    };
    invalid(field, "invalid", error.to_string())
}

/// A confidential note is heard of in its job centre's feed only.
fn event_scope(entry: &JournalEntry, participant: &Participant) -> EventScope {
    EventScope {
        jobbtorg: Some(participant.current.jobbtorg.to_string()),
        district: (!entry.confidential).then(|| participant.current.district.to_string()),
        provider: None,
        participant: Some(participant.id.to_string()),
    }
}

fn new_entry(
    ctx: &Context,
    participant: &Participant,
    period_id: Uuid,
    corrects: Option<Uuid>,
    note: NewNote,
) -> JournalEntry {
    JournalEntry {
        id: Uuid::now_v7(),
        participant_id: participant.id,
        period_id,
        corrects,
        entry_date: note.entry_date.unwrap_or_else(|| ctx.today()),
        body: note.body,
        confidential: note.confidential,
        author: Author::of(&ctx.actor),
        written_at: ctx.now.naive_utc(),
    }
}

/// Writes a note in the participant's current period.
pub fn write(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    participant: ParticipantId,
    note: NewNote,
) -> Result<JournalEntry, OpError> {
    let participant = ParticipantRepo::get(conn, participant.uuid(), scope)
        .map_err(|e| OpError::from(e).for_resource("participant"))?;
    let entry = new_entry(ctx, &participant, participant.current.id, None, note);
    check_new_entry(
        &entry.author,
        entry.entry_date,
        entry.confidential,
        participant.current.referred_on,
        ctx.today(),
        None,
    )
    .map_err(journal_error)?;
    JournalRepo::insert(conn, &ctx.acting(), &entry, event_scope(&entry, &participant))?;
    Ok(entry)
}

/// Whether the note was written by the caller's office (only that office corrects it).
fn written_by_office_of(actor: &Actor, entry: &JournalEntry) -> bool {
    match actor.role() {
        Role::Coach | Role::JobbtorgManager => {
            entry.author.jobbtorg.is_some() && entry.author.jobbtorg.as_ref() == actor.jobbtorg()
        }
        Role::DistrictOfficer => entry.author.district.is_some() && entry.author.district.as_ref() == actor.district(),
        _ => false,
    }
}

/// Adds a correction beside note `entry_id`. A note the caller may not read is not found; one
/// another office wrote is corrected by that office (403).
pub fn correct(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    entry_id: Uuid,
    note: NewNote,
) -> Result<JournalEntry, OpError> {
    let not_found = || OpError::NotFound {
        resource: "journal_entry",
    };
    let original = JournalRepo::get(conn, entry_id).map_err(|e| OpError::from(e).for_resource("journal_entry"))?;
    let participant = ParticipantRepo::get(conn, original.participant_id, scope).map_err(|_| not_found())?;
    let file = case_file::load(conn, participant.id)?;
    if !file.sees(&ctx.actor, CaseRecord::Journal, original.period_id) || !sees_entry(&ctx.actor, &original) {
        return Err(not_found());
    }
    if !written_by_office_of(&ctx.actor, &original) {
        return Err(OpError::Forbidden);
    }
    let period_start = participant
        .earlier
        .iter()
        .chain(std::iter::once(&participant.current))
        .find(|p| p.id == original.period_id)
        .map_or(participant.current.referred_on, |p| p.referred_on);
    let correction = new_entry(ctx, &participant, original.period_id, Some(original.id), note);
    check_new_entry(
        &correction.author,
        correction.entry_date,
        correction.confidential,
        period_start,
        ctx.today(),
        Some(&original),
    )
    .map_err(journal_error)?;
    JournalRepo::insert(conn, &ctx.acting(), &correction, event_scope(&correction, &participant))?;
    Ok(correction)
}

/// The notes `actor` may read: of periods whose journal the case-file rule gives them, and of
/// those the confidential ones only at the job centre that wrote them.
pub fn visible(
    conn: &mut DbConnection,
    file: &CaseFile,
    actor: &Actor,
    participant: Uuid,
) -> Result<Vec<JournalEntry>, OpError> {
    Ok(JournalRepo::for_participant(conn, participant)?
        .into_iter()
        .filter(|e| file.sees(actor, CaseRecord::Journal, e.period_id) && sees_entry(actor, e))
        .collect())
}

/// The participant's journal as the caller may read it, each note with its corrections; the
/// read is logged.
pub fn read(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    participant: ParticipantId,
) -> Result<Vec<NoteWithCorrections>, OpError> {
    let participant = ParticipantRepo::get(conn, participant.uuid(), scope)
        .map_err(|e| OpError::from(e).for_resource("participant"))?;
    let file = case_file::load(conn, participant.id)?;
    let entries = visible(conn, &file, &ctx.actor, participant.id)?;
    ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.journal_read", &[participant.id])?;
    Ok(with_corrections(entries))
}
