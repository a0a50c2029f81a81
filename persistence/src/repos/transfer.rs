//! Moves between districts: a request, then the new district's answer, each written with its
//! history, access-log record and event. At most one request is open per participant (a
//! partial unique index); the answer moves the transfer by compare-and-swap.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::shared::Code;
use domain::transfer::TransferStatus;
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::stored_uuid;
use crate::rows::reference::stored_code;
use crate::schema::transfers;
use crate::versioned::{self, VersionedRow};

pub const TRANSFER: &str = "transfer";

/// A transfer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub period_id: Uuid,
    pub from_district: Code,
    pub from_jobbtorg: Code,
    pub to_district: Code,
    /// The job centre serving the new district, set when accepted.
    pub to_jobbtorg: Option<Code>,
    pub moves_on: NaiveDate,
    pub note: Option<String>,
    pub status: TransferStatus,
    pub requested_by: String,
    pub requested_role: String,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: Option<String>,
    /// The coach at the new job centre, set when accepted.
    pub coach: Option<String>,
    pub handover_id: Option<Uuid>,
    pub version: i32,
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = transfers, treat_none_as_null = true)]
struct TransferRow {
    id: String,
    participant_id: String,
    period_id: String,
    from_district_code: String,
    from_job_centre_code: String,
    to_district_code: String,
    to_job_centre_code: Option<String>,
    moves_on: NaiveDate,
    note: Option<String>,
    status: String,
    requested_by: String,
    requested_role: String,
    requested_at: NaiveDateTime,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
    decision_note: Option<String>,
    coach_subject: Option<String>,
    handover_id: Option<String>,
    version: i32,
}

impl TransferRow {
    fn from_domain(t: &Transfer) -> Self {
        TransferRow {
            id: t.id.to_string(),
            participant_id: t.participant_id.to_string(),
            period_id: t.period_id.to_string(),
            from_district_code: t.from_district.to_string(),
            from_job_centre_code: t.from_jobbtorg.to_string(),
            to_district_code: t.to_district.to_string(),
            to_job_centre_code: t.to_jobbtorg.as_ref().map(ToString::to_string),
            moves_on: t.moves_on,
            note: t.note.clone(),
            status: t.status.as_str().to_owned(),
            requested_by: t.requested_by.clone(),
            requested_role: t.requested_role.clone(),
            requested_at: t.requested_at,
            decided_by: t.decided_by.clone(),
            decided_at: t.decided_at,
            decision_note: t.decision_note.clone(),
            coach_subject: t.coach.clone(),
            handover_id: t.handover_id.map(|h| h.to_string()),
            version: t.version,
        }
    }

    fn into_domain(self) -> Result<Transfer, RepoError> {
        Ok(Transfer {
            id: stored_uuid(&self.id)?,
            participant_id: stored_uuid(&self.participant_id)?,
            period_id: stored_uuid(&self.period_id)?,
            from_district: stored_code(&self.from_district_code)?,
            from_jobbtorg: stored_code(&self.from_job_centre_code)?,
            to_district: stored_code(&self.to_district_code)?,
            to_jobbtorg: self.to_job_centre_code.as_deref().map(stored_code).transpose()?,
            moves_on: self.moves_on,
            note: self.note,
            status: TransferStatus::parse(&self.status)
                .ok_or_else(|| RepoError::Unexpected(format!("stored transfer status {:?}", self.status)))?,
            requested_by: self.requested_by,
            requested_role: self.requested_role,
            requested_at: self.requested_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            decision_note: self.decision_note,
            coach: self.coach_subject,
            handover_id: self.handover_id.as_deref().map(stored_uuid).transpose()?,
            version: self.version,
        })
    }
}

/// Both districts' feeds hear of a transfer: the one it leaves and the one it joins.
fn scopes(t: &Transfer) -> [EventScope; 2] {
    let participant = Some(t.participant_id.to_string());
    [
        EventScope {
            jobbtorg: Some(t.from_jobbtorg.to_string()),
            district: Some(t.from_district.to_string()),
            provider: None,
            participant: participant.clone(),
        },
        EventScope {
            jobbtorg: t.to_jobbtorg.as_ref().map(ToString::to_string),
            district: Some(t.to_district.to_string()),
            provider: None,
            participant,
        },
    ]
}

pub struct TransferRepo;

impl TransferRepo {
    pub fn get(conn: &mut DbConnection, id: Uuid) -> Result<Transfer, RepoError> {
        transfers::table
            .find(id.to_string())
            .select(TransferRow::as_select())
            .first::<TransferRow>(conn)?
            .into_domain()
    }

    pub fn for_participant(conn: &mut DbConnection, participant_id: Uuid) -> Result<Vec<Transfer>, RepoError> {
        transfers::table
            .filter(transfers::participant_id.eq(participant_id.to_string()))
            .order((transfers::requested_at, transfers::id))
            .select(TransferRow::as_select())
            .load::<TransferRow>(conn)?
            .into_iter()
            .map(TransferRow::into_domain)
            .collect()
    }

    /// Open requests to the new district `district`, oldest first.
    pub fn open_to(conn: &mut DbConnection, district: Option<&Code>, limit: i64) -> Result<Vec<Transfer>, RepoError> {
        let mut query = transfers::table
            .filter(transfers::status.eq(TransferStatus::Requested.as_str()))
            .select(TransferRow::as_select())
            .order((transfers::requested_at, transfers::id))
            .limit(limit)
            .into_boxed();
        if let Some(code) = district {
            query = query.filter(transfers::to_district_code.eq(code.to_string()));
        }
        query
            .load::<TransferRow>(conn)?
            .into_iter()
            .map(TransferRow::into_domain)
            .collect()
    }

    /// Stores a request; `Conflict` when the participant has an open one already.
    pub fn insert(conn: &mut DbConnection, acting: &ActingContext, transfer: &Transfer) -> Result<(), RepoError> {
        diesel::insert_into(transfers::table)
            .values(TransferRow::from_domain(transfer))
            .execute(conn)?;
        let [from, to] = scopes(transfer);
        record(conn, acting, transfer, "participant.transfer_requested", from)?;
        // The new district's officers answer it, so their feed hears of it too.
        crate::events::append(
            conn,
            acting,
            &crate::events::NewEvent {
                event_type: "participant.transfer_requested",
                resource_type: TRANSFER,
                resource_id: &transfer.id.to_string(),
                resource_version: transfer.version,
                scope: to,
            },
        )
    }

    /// Writes the answered transfer at `expected` version (412 when it moved on).
    pub fn save_answer(
        conn: &mut DbConnection,
        acting: &ActingContext,
        answered: &Transfer,
        expected: i32,
    ) -> Result<Transfer, RepoError> {
        let key = answered.id.to_string();
        let version = versioned::advance(conn, VersionedRow::Transfer(&key), expected)?;
        let mut row = TransferRow::from_domain(answered);
        row.version = version;
        diesel::update(transfers::table.find(&key)).set(&row).execute(conn)?;
        let saved = Self::get(conn, answered.id)?;
        let event = match saved.status {
            TransferStatus::Accepted => "participant.transfer_accepted",
            _ => "participant.transfer_rejected",
        };
        let [from, to] = scopes(&saved);
        record(conn, acting, &saved, event, to)?;
        crate::events::append(
            conn,
            acting,
            &crate::events::NewEvent {
                event_type: event,
                resource_type: TRANSFER,
                resource_id: &key,
                resource_version: saved.version,
                scope: from,
            },
        )?;
        Ok(saved)
    }
}

fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    t: &Transfer,
    event_type: &str,
    scope: EventScope,
) -> Result<(), RepoError> {
    let (id, participant) = (t.id.to_string(), t.participant_id.to_string());
    journal::record(
        conn,
        acting,
        Change {
            event_type,
            resource_type: TRANSFER,
            resource_id: &id,
            resource_version: t.version,
            participant_id: Some(&participant),
            scope,
        },
        &[(
            "status",
            (t.status != TransferStatus::Requested).then(|| TransferStatus::Requested.as_str().to_owned()),
            Some(t.status.as_str().to_owned()),
        )],
    )
}
