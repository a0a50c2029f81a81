//! The right of access (GDPR art. 15): everything held about a person, in one document, as
//! the caller's office holds it. Each record goes through the case-file rule of
//! `domain::access` exactly as its own resource does; what another office holds is named, not
//! shown (that office answers for it).

use domain::absence::Absence;
use domain::access::{CaseFile, CaseRecord, ListScope, PeriodOwner};
use domain::activity_plan::ActivityPlan;
use domain::ids::ParticipantId;
use domain::journal::JournalEntry;
use domain::participant::{Assessment, Consent, Participant};
use domain::referral::Referral;
use persistence::audit::{self, AccessLogRow};
use persistence::events::{self, EventRow};
use persistence::history::{self, ResourceHistoryRow};
use persistence::repos::activity_plan::ACTIVITY_PLAN;
use persistence::repos::case_file::HandoverRecord;
use persistence::repos::claim::{Claim, CLAIM};
use persistence::repos::participant::PARTICIPANT;
use persistence::repos::referral::{ParticipantCard, ProgressReport, REFERRAL};
use persistence::repos::transfer::Transfer;
use persistence::repos::{AbsenceRepo, ClaimRepo, ParticipantRepo, PlanRepo, ReferralRepo, TransferRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::{case_file, Context, OpError};

/// A referral with what was reported on it and the claims it earned.
#[derive(Debug, Clone)]
pub struct ReferralRecords {
    pub referral: Referral,
    pub reports: Vec<ProgressReport>,
    pub claims: Vec<Claim>,
}

/// Everything the caller's office holds about the person.
#[derive(Debug, Clone)]
pub struct Export {
    pub participant: Participant,
    pub file: CaseFile,
    /// Each period's mapping, where the caller may read it.
    pub assessments: Vec<(Uuid, Assessment)>,
    pub plans: Vec<ActivityPlan>,
    pub card: Option<ParticipantCard>,
    pub referrals: Vec<ReferralRecords>,
    pub consents: Vec<(Uuid, Consent)>,
    pub handovers: Vec<HandoverRecord>,
    pub history: Vec<ResourceHistoryRow>,
    pub access_log: Vec<AccessLogRow>,
    pub events: Vec<EventRow>,
    /// The case journal's notes the caller may read, corrections included.
    pub journal: Vec<JournalEntry>,
    pub absences: Vec<Absence>,
    pub transfers: Vec<Transfer>,
    /// Periods of which some records are held by another office, and which.
    pub withheld: Vec<(PeriodOwner, Vec<CaseRecord>)>,
}

/// The kind of record a history row is about.
fn history_kind(row: &ResourceHistoryRow) -> Option<CaseRecord> {
    match row.resource_type.as_str() {
        ACTIVITY_PLAN => Some(CaseRecord::Plans),
        REFERRAL | CLAIM => Some(CaseRecord::Referrals),
        _ => CaseRecord::of_participant_field(&row.row.field),
    }
}

/// Gathers the export and records it in the access log.
pub fn gather(conn: &mut DbConnection, ctx: &Context, scope: &ListScope, id: ParticipantId) -> Result<Export, OpError> {
    let participant =
        ParticipantRepo::get(conn, id.uuid(), scope).map_err(|e| OpError::from(e).for_resource("participant"))?;
    ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.export", &[participant.id])?;
    let actor = &ctx.actor;
    let file = case_file::load(conn, participant.id)?;
    let sees = |record, period| file.sees(actor, record, period);
    let mut assessments = Vec::new();
    for period in file.periods.iter().filter(|p| sees(CaseRecord::Mapping, p.period_id)) {
        assessments.push((period.period_id, ParticipantRepo::assessment(conn, period.period_id)?));
    }
    let plans = PlanRepo::for_participant(conn, participant.id)?
        .into_iter()
        .filter(|plan| sees(CaseRecord::Plans, plan.period_id))
        .collect();
    let mut referrals = Vec::new();
    for referral in ReferralRepo::for_participant(conn, participant.id)? {
        if sees(CaseRecord::Referrals, referral.period_id) {
            let reports = ReferralRepo::progress_reports(conn, referral.id)?;
            let claims = ClaimRepo::for_referral(conn, referral.id)?;
            referrals.push(ReferralRecords {
                referral,
                reports,
                claims,
            });
        }
    }
    let card = ReferralRepo::participant_cards(conn, &[participant.id])?
        .into_iter()
        .next();
    let consents = case_file::consents(conn, &file, actor, participant.id)?;
    let handovers = case_file::handovers(conn, &file, actor, participant.id)?;
    let key = participant.id.to_string();
    let identity = participant.identity();
    let history = history::for_participant(conn, &key)?
        .into_iter()
        .filter(|row| {
            let of_the_person =
                row.resource_type != PARTICIPANT || case_file::sees_participant_field(actor, &identity, &row.row.field);
            of_the_person
                && file.period_at(row.row.changed_at).is_some_and(|period| {
                    sees(CaseRecord::History, period) && history_kind(row).is_none_or(|kind| sees(kind, period))
                })
        })
        .collect();
    let all_handovers = persistence::repos::CaseFileRepo::handovers(conn, participant.id)?;
    let access_log = case_file::access_log(&file, &all_handovers, actor, audit::for_participant(conn, &key)?);
    let events = events::for_participant(conn, &key)?
        .into_iter()
        .filter(|e| {
            file.period_at(e.occurred_at)
                .is_some_and(|period| sees(CaseRecord::History, period))
        })
        .collect();
    let journal = super::journal::visible(conn, &file, actor, participant.id)?;
    let absences = AbsenceRepo::for_participant(conn, participant.id)?
        .into_iter()
        .filter(|a| sees(CaseRecord::Referrals, a.period_id))
        .collect();
    let transfers = TransferRepo::for_participant(conn, participant.id)?;
    let withheld = file
        .withheld(actor)
        .into_iter()
        .map(|(period, records)| (period.clone(), records))
        .collect();
    Ok(Export {
        participant,
        assessments,
        plans,
        card,
        referrals,
        consents,
        handovers,
        history,
        access_log,
        events,
        journal,
        absences,
        transfers,
        withheld,
        file,
    })
}
