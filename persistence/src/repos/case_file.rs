//! Whose case file is whose: a participant's periods with the offices that made them, and the
//! recorded handovers that share an earlier period's records with a later one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::access::{CaseFile, CaseRecord, Handover, PeriodOwner};
use uuid::Uuid;

use crate::audit::{self, ActingContext, AuditEntry};
use crate::error::RepoError;
use crate::events::{self, EventScope, NewEvent};
use crate::pool::DbConnection;
use crate::rows::participant::stored_uuid;
use crate::rows::reference::stored_code;
use crate::schema::{handovers, participation_periods as periods};

pub const HANDOVER: &str = "handover";

/// A recorded handover with who recorded it, when and on which basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverRecord {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub grant: Handover,
    pub legal_basis: String,
    pub consent_id: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_role: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = handovers)]
struct HandoverRow {
    id: String,
    participant_id: String,
    from_period_id: String,
    to_period_id: String,
    records: String,
    legal_basis: String,
    consent_id: Option<String>,
    recorded_by: String,
    recorded_role: String,
    recorded_at: NaiveDateTime,
}

impl HandoverRow {
    fn into_record(self) -> Result<HandoverRecord, RepoError> {
        let records = self
            .records
            .split(',')
            .map(|r| CaseRecord::parse(r).ok_or_else(|| RepoError::Unexpected(format!("stored case record {r:?}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(HandoverRecord {
            id: stored_uuid(&self.id)?,
            participant_id: stored_uuid(&self.participant_id)?,
            grant: Handover {
                from: stored_uuid(&self.from_period_id)?,
                to: stored_uuid(&self.to_period_id)?,
                records,
            },
            legal_basis: self.legal_basis,
            consent_id: self.consent_id.as_deref().map(stored_uuid).transpose()?,
            recorded_by: self.recorded_by,
            recorded_role: self.recorded_role,
            recorded_at: self.recorded_at,
        })
    }
}

pub struct CaseFileRepo;

impl CaseFileRepo {
    /// The participant's periods, oldest first, and the handovers between them.
    pub fn load(conn: &mut DbConnection, participant_id: Uuid) -> Result<CaseFile, RepoError> {
        let rows: Vec<(String, String, String, NaiveDateTime)> = periods::table
            .filter(periods::participant_id.eq(participant_id.to_string()))
            .order((periods::created_at, periods::id))
            .select((
                periods::id,
                periods::job_centre_code,
                periods::district_code,
                periods::created_at,
            ))
            .load(conn)?;
        let periods = rows
            .into_iter()
            .map(|(id, jobbtorg, district, opened_at)| {
                Ok(PeriodOwner {
                    period_id: stored_uuid(&id)?,
                    jobbtorg: stored_code(&jobbtorg)?,
                    district: stored_code(&district)?,
                    opened_at,
                })
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        let handovers = Self::handovers(conn, participant_id)?
            .into_iter()
            .map(|h| h.grant)
            .collect();
        Ok(CaseFile { periods, handovers })
    }

    /// Every handover of the participant's records, oldest first.
    pub fn handovers(conn: &mut DbConnection, participant_id: Uuid) -> Result<Vec<HandoverRecord>, RepoError> {
        handovers::table
            .filter(handovers::participant_id.eq(participant_id.to_string()))
            .order((handovers::recorded_at, handovers::id))
            .select(HandoverRow::as_select())
            .load::<HandoverRow>(conn)?
            .into_iter()
            .map(HandoverRow::into_record)
            .collect()
    }

    /// Stores a handover with its access-log record (shown to both offices) and its event
    /// (to the receiving office's feed).
    pub fn hand_over(
        conn: &mut DbConnection,
        acting: &ActingContext,
        handover: &HandoverRecord,
        receiving: &PeriodOwner,
    ) -> Result<(), RepoError> {
        let id = handover.id.to_string();
        let participant = handover.participant_id.to_string();
        let records: Vec<&str> = handover.grant.records.iter().map(|r| r.as_str()).collect();
        diesel::insert_into(handovers::table)
            .values(HandoverRow {
                id: id.clone(),
                participant_id: participant.clone(),
                from_period_id: handover.grant.from.to_string(),
                to_period_id: handover.grant.to.to_string(),
                records: records.join(","),
                legal_basis: handover.legal_basis.clone(),
                consent_id: handover.consent_id.map(|c| c.to_string()),
                recorded_by: handover.recorded_by.clone(),
                recorded_role: handover.recorded_role.clone(),
                recorded_at: handover.recorded_at,
            })
            .execute(conn)?;
        audit::record(
            conn,
            acting,
            &AuditEntry {
                action: "participant.handover_recorded",
                resource_type: HANDOVER,
                resource_id: &id,
                participant_id: Some(&participant),
            },
        )?;
        events::append(
            conn,
            acting,
            &NewEvent {
                event_type: "participant.handover_recorded",
                resource_type: HANDOVER,
                resource_id: &id,
                resource_version: 1,
                scope: EventScope {
                    jobbtorg: Some(receiving.jobbtorg.to_string()),
                    district: Some(receiving.district.to_string()),
                    provider: None,
                    participant: Some(participant.clone()),
                },
            },
        )
    }
}
