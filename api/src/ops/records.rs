//! The participant's case records beside the lifecycle: the mapping (kartläggning) and the
//! consents to share information. Both move the participant's version.

use chrono::NaiveDate;
use domain::access::ListScope;
use domain::ids::{ConsentId, ParticipantId};
use domain::participant::{Assessment, Consent, ConsentError, Participant};
use persistence::repos::ParticipantRepo;
use persistence::DbConnection;

use super::participants::ParticipantAt;
use super::{case_file, invalid, Context, OpError};

/// Consent rule errors: withdrawing twice is a conflict; the rest are invalid on their field.
pub fn consent_error(error: ConsentError) -> OpError {
    let field = match &error {
        ConsentError::AlreadyWithdrawn => {
            return OpError::Conflict {
                code: "already_withdrawn",
                detail: error.to_string(),
            }
        }
        ConsentError::ProviderRequired | ConsentError::ProviderNotAllowed => "recipient_provider_id",
        ConsentError::InFuture { field } => field,
        ConsentError::WithdrawnBeforeGiven => "withdrawn_on",
    };
    invalid(field, "invalid", error.to_string())
}

/// Stores the mapping of the participant at `at`.
pub fn put_assessment(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    (id, expected): ParticipantAt,
    assessment: Assessment,
) -> Result<(Participant, Assessment), OpError> {
    ParticipantRepo::save_assessment(conn, &ctx.acting(), id.uuid(), scope, expected, &assessment)
        .map_err(|e| OpError::from(e).for_resource("participant"))
}

/// Records a consent the participant gave; it does not rest on a version the client read.
pub fn give_consent(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    participant_id: ParticipantId,
    consent: &Consent,
) -> Result<Participant, OpError> {
    ParticipantRepo::add_consent(conn, &ctx.acting(), participant_id.uuid(), scope, consent)
        .map_err(|e| OpError::from(e).for_resource("participant"))
}

/// Withdraws consent `consent_id` of the participant at `at` from `on`.
pub fn withdraw_consent(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    (id, expected): ParticipantAt,
    (consent_id, on): (ConsentId, NaiveDate),
) -> Result<(Participant, Consent), OpError> {
    let today = ctx.today();
    ParticipantRepo::withdraw_consent(
        conn,
        &ctx.acting(),
        id.uuid(),
        scope,
        expected,
        consent_id.uuid(),
        |c| c.withdraw(on, today).map_err(consent_error),
    )
    .map_err(|e| e.for_resource("consent"))
}

/// The current period's mapping as its coach reads it, with the participant's version;
/// recorded in the access log. An earlier period's mapping is in the export where handed over.
pub fn assessment(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    id: ParticipantId,
) -> Result<(i32, Assessment), OpError> {
    let participant =
        ParticipantRepo::get(conn, id.uuid(), scope).map_err(|e| OpError::from(e).for_resource("participant"))?;
    ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.assessment_read", &[participant.id])?;
    Ok((
        participant.version,
        ParticipantRepo::assessment(conn, participant.current.id)?,
    ))
}

/// The consents the caller may read: the current period's, and an earlier period's where the
/// caller's office made it or it was handed over; recorded in the access log.
pub fn consents(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    id: ParticipantId,
) -> Result<Vec<Consent>, OpError> {
    let participant =
        ParticipantRepo::get(conn, id.uuid(), scope).map_err(|e| OpError::from(e).for_resource("participant"))?;
    ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.consents_read", &[participant.id])?;
    let file = case_file::load(conn, participant.id)?;
    Ok(case_file::consents(conn, &file, &ctx.actor, participant.id)?
        .into_iter()
        .map(|(_, consent)| consent)
        .collect())
}
