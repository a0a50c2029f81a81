//! Each job centre's case file is its own: what of a participant's earlier periods the caller
//! may read (by [`domain::access::CaseFile`]), and the handover that shares some of it.

use domain::access::{sees_identity, Actor, CaseFile, CaseRecord, Handover, Identity, IdentityField, Role};
use domain::ids::ParticipantId;
use domain::participant::{Consent, Participant};
use persistence::audit::AccessLogRow;
use persistence::history::HistoryRow;
use persistence::repos::case_file::{HandoverRecord, HANDOVER};
use persistence::repos::{CaseFileRepo, ParticipantRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::{invalid, Context, OpError};

/// The participant's case file: its periods and handovers.
pub fn load(conn: &mut DbConnection, participant: Uuid) -> Result<CaseFile, OpError> {
    Ok(CaseFileRepo::load(conn, participant)?)
}

/// Whether a record of `record` kind in `period_id` is the caller's to read; a record of the
/// current period always is for whoever may read the participant, except by role (the mapping
/// is never the district's).
pub fn sees(file: &CaseFile, actor: &Actor, record: CaseRecord, period_id: Uuid) -> bool {
    file.sees(actor, record, period_id)
}

/// Whether a changed field of the participant itself is one `actor` may see under the identity
/// rule (a protected identity's name and address, in history as in the resource).
pub fn sees_participant_field(actor: &Actor, identity: &Identity<'_>, field: &str) -> bool {
    IdentityField::of_participant_field(field).is_none_or(|f| sees_identity(actor, identity, f))
}

/// The participant's field history as `actor` may read it: rows of periods whose history the
/// caller holds, and of those only fields of records the caller may read and identity fields
/// the identity rule shows them.
pub fn history(file: &CaseFile, actor: &Actor, identity: &Identity<'_>, rows: Vec<HistoryRow>) -> Vec<HistoryRow> {
    rows.into_iter()
        .filter(|row| {
            let Some(period) = file.period_at(row.changed_at) else {
                return false;
            };
            file.sees(actor, CaseRecord::History, period)
                && CaseRecord::of_participant_field(&row.field).is_none_or(|kind| file.sees(actor, kind, period))
                && sees_participant_field(actor, identity, &row.field)
        })
        .collect()
}

/// The access log as `actor` may read it: entries of periods whose log the caller holds, and
/// every handover between the caller's office and another (it is in both logs).
pub fn access_log(
    file: &CaseFile,
    handovers: &[HandoverRecord],
    actor: &Actor,
    rows: Vec<AccessLogRow>,
) -> Vec<AccessLogRow> {
    rows.into_iter()
        .filter(|row| {
            if row.resource_type == HANDOVER {
                return handovers
                    .iter()
                    .find(|h| h.id.to_string() == row.resource_id)
                    .is_some_and(|h| file.sees_handover(actor, &h.grant));
            }
            file.period_at(row.occurred_at)
                .is_some_and(|period| file.sees(actor, CaseRecord::AccessLog, period))
        })
        .collect()
}

/// The participant's access log as the caller may read it (an earlier period's office reads
/// its own period's part); the read itself is logged first.
pub fn read_access_log(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &domain::access::ListScope,
    id: ParticipantId,
) -> Result<Vec<AccessLogRow>, OpError> {
    let (participant, file) = load_as_an_office_of(conn, ctx, scope, id)?;
    ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.access_log", &[participant.id])?;
    let handovers = CaseFileRepo::handovers(conn, participant.id)?;
    let rows = persistence::audit::for_participant(conn, &participant.id.to_string())?;
    Ok(access_log(&file, &handovers, &ctx.actor, rows))
}

/// The consents `actor` may read, each with its period.
pub fn consents(
    conn: &mut DbConnection,
    file: &CaseFile,
    actor: &Actor,
    participant: Uuid,
) -> Result<Vec<(Uuid, Consent)>, OpError> {
    Ok(ParticipantRepo::consents_by_period(conn, participant)?
        .into_iter()
        .filter(|(period, _)| file.sees(actor, CaseRecord::Consents, *period))
        .collect())
}

/// A handover as the giving office records it.
#[derive(Debug, Clone)]
pub struct NewHandover {
    pub from_period: Uuid,
    pub records: Vec<CaseRecord>,
    pub legal_basis: String,
    pub consent_id: Option<Uuid>,
}

/// Records that the office that made an earlier period shares the named records of it with
/// the participant's current period. Only that office (its coaches and managers) may: the
/// records are theirs to disclose. Anyone else gets 404, as for a participant out of reach.
pub fn hand_over(
    conn: &mut DbConnection,
    ctx: &Context,
    participant: ParticipantId,
    new: NewHandover,
) -> Result<(HandoverRecord, Participant), OpError> {
    let participant = ParticipantRepo::get(conn, participant.uuid(), &domain::access::ListScope::Everything)
        .map_err(|e| OpError::from(e).for_resource("participant"))?;
    let file = load(conn, participant.id)?;
    let gives = file
        .periods
        .iter()
        .find(|p| p.period_id == new.from_period)
        .is_some_and(|p| {
            matches!(ctx.actor.role(), Role::Coach | Role::JobbtorgManager) && p.made_by_office_of(&ctx.actor)
        });
    let made_any = file.periods.iter().any(|p| p.made_by_office_of(&ctx.actor));
    if !made_any {
        return Err(OpError::NotFound {
            resource: "participant",
        });
    }
    if !gives {
        return Err(invalid(
            "from_period_id",
            "not_yours",
            "a handover is recorded by the job centre whose period it shares",
        ));
    }
    let receiving = file.periods.last().cloned().ok_or(OpError::NotFound {
        resource: "participant",
    })?;
    if receiving.period_id == new.from_period {
        return Err(invalid(
            "from_period_id",
            "current_period",
            "the current period's records need no handover",
        ));
    }
    if let Some(consent) = new.consent_id {
        let known = ParticipantRepo::consents_by_period(conn, participant.id)?;
        if !known.iter().any(|(_, c)| c.id == consent) {
            return Err(invalid(
                "consent_id",
                "unknown",
                "no consent of this participant has this id",
            ));
        }
    }
    let record = HandoverRecord {
        id: Uuid::now_v7(),
        participant_id: participant.id,
        grant: Handover {
            from: new.from_period,
            to: receiving.period_id,
            records: new.records,
        },
        legal_basis: new.legal_basis,
        consent_id: new.consent_id,
        recorded_by: ctx.actor.subject().to_owned(),
        recorded_role: ctx.actor.role().as_str().to_owned(),
        recorded_at: ctx.now.naive_utc(),
    };
    CaseFileRepo::hand_over(conn, &ctx.acting(), &record, &receiving)?;
    Ok((record, participant))
}

/// The handovers of the participant that the caller's office gave or received; 404 when the
/// caller's office made no period of the participant. The read is logged.
pub fn read_handovers(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &domain::access::ListScope,
    id: ParticipantId,
) -> Result<Vec<HandoverRecord>, OpError> {
    let (participant, file) = load_as_an_office_of(conn, ctx, scope, id)?;
    ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.handovers_read", &[participant.id])?;
    handovers(conn, &file, &ctx.actor, participant.id)
}

/// The participant and case file for a read that an earlier period's office may make too (its
/// own access log, its handovers): within `scope`, or else where the caller's office made some
/// period; not found otherwise.
fn load_as_an_office_of(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &domain::access::ListScope,
    id: ParticipantId,
) -> Result<(Participant, CaseFile), OpError> {
    let not_found = || OpError::NotFound {
        resource: "participant",
    };
    let participant = match ParticipantRepo::get(conn, id.uuid(), scope) {
        Ok(participant) => participant,
        Err(persistence::RepoError::NotFound) => {
            ParticipantRepo::get(conn, id.uuid(), &domain::access::ListScope::Everything).map_err(|_| not_found())?
        }
        Err(e) => return Err(e.into()),
    };
    let file = load(conn, participant.id)?;
    if !file.periods.iter().any(|p| p.made_by_office_of(&ctx.actor)) {
        return Err(not_found());
    }
    Ok((participant, file))
}

/// The handovers the caller may see: those given or received by the caller's office.
pub fn handovers(
    conn: &mut DbConnection,
    file: &CaseFile,
    actor: &Actor,
    participant: Uuid,
) -> Result<Vec<HandoverRecord>, OpError> {
    Ok(CaseFileRepo::handovers(conn, participant)?
        .into_iter()
        .filter(|h| file.sees_handover(actor, &h.grant))
        .collect())
}
