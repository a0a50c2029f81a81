//! Absence reports: inserted with their access-log record and event, marked seen by the home
//! district through the one compare-and-swap write.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use domain::absence::{Absence, AbsenceReason, AbsenceReport, AbsenceSpan, Seen};
use domain::access::ListScope;
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::stored_uuid;
use crate::schema::{absences, participation_periods as periods};
use crate::versioned::{self, VersionedRow};

pub const ABSENCE: &str = "absence";
const TIME_FORMAT: &str = "%H:%M";

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = absences)]
struct AbsenceRow {
    id: String,
    participant_id: String,
    period_id: String,
    referral_id: Option<String>,
    provider_id: Option<String>,
    absent_on: NaiveDate,
    from_time: Option<String>,
    to_time: Option<String>,
    reason: String,
    note: Option<String>,
    late_reason: Option<String>,
    reported_by: String,
    reported_role: String,
    reported_at: NaiveDateTime,
    seen_by: Option<String>,
    seen_at: Option<NaiveDateTime>,
    version: i32,
}

fn stored_time(raw: Option<&str>) -> Result<Option<NaiveTime>, RepoError> {
    raw.map(|t| {
        NaiveTime::parse_from_str(t, TIME_FORMAT).map_err(|_| RepoError::Unexpected(format!("stored time {t:?}")))
    })
    .transpose()
}

impl AbsenceRow {
    fn from_domain(a: &Absence) -> Self {
        let (from, to) = match a.report.span {
            AbsenceSpan::WholeDay => (None, None),
            AbsenceSpan::Hours { from, to } => (
                Some(from.format(TIME_FORMAT).to_string()),
                Some(to.format(TIME_FORMAT).to_string()),
            ),
        };
        AbsenceRow {
            id: a.id.to_string(),
            participant_id: a.participant_id.to_string(),
            period_id: a.period_id.to_string(),
            referral_id: a.referral_id.map(|r| r.to_string()),
            provider_id: a.provider_id.map(|p| p.to_string()),
            absent_on: a.report.absent_on,
            from_time: from,
            to_time: to,
            reason: a.report.reason.as_str().to_owned(),
            note: a.report.note.clone(),
            late_reason: a.report.late_reason.clone(),
            reported_by: a.reported_by.clone(),
            reported_role: a.reported_role.clone(),
            reported_at: a.reported_at,
            seen_by: a.seen.as_ref().map(|s| s.by.clone()),
            seen_at: a.seen.as_ref().map(|s| s.at),
            version: a.version,
        }
    }

    fn into_domain(self) -> Result<Absence, RepoError> {
        let span = AbsenceSpan::new(
            stored_time(self.from_time.as_deref())?,
            stored_time(self.to_time.as_deref())?,
        )
        .map_err(|e| RepoError::Unexpected(format!("stored absence span: {e}")))?;
        Ok(Absence {
            id: stored_uuid(&self.id)?,
            participant_id: stored_uuid(&self.participant_id)?,
            period_id: stored_uuid(&self.period_id)?,
            referral_id: self.referral_id.as_deref().map(stored_uuid).transpose()?,
            provider_id: self.provider_id.as_deref().map(stored_uuid).transpose()?,
            report: AbsenceReport {
                absent_on: self.absent_on,
                span,
                reason: AbsenceReason::parse(&self.reason)
                    .ok_or_else(|| RepoError::Unexpected(format!("stored absence reason {:?}", self.reason)))?,
                note: self.note,
                late_reason: self.late_reason,
            },
            reported_by: self.reported_by,
            reported_role: self.reported_role,
            reported_at: self.reported_at,
            seen: match (self.seen_by, self.seen_at) {
                (Some(by), Some(at)) => Some(Seen { by, at }),
                _ => None,
            },
            version: self.version,
        })
    }
}

pub struct AbsenceRepo;

impl AbsenceRepo {
    /// One report, whoever's it is; the caller checks who may see it.
    pub fn get(conn: &mut DbConnection, id: Uuid) -> Result<Absence, RepoError> {
        absences::table
            .find(id.to_string())
            .select(AbsenceRow::as_select())
            .first::<AbsenceRow>(conn)?
            .into_domain()
    }

    /// Every report about the participant, by day.
    pub fn for_participant(conn: &mut DbConnection, participant_id: Uuid) -> Result<Vec<Absence>, RepoError> {
        absences::table
            .filter(absences::participant_id.eq(participant_id.to_string()))
            .order((absences::absent_on, absences::reported_at, absences::id))
            .select(AbsenceRow::as_select())
            .load::<AbsenceRow>(conn)?
            .into_iter()
            .map(AbsenceRow::into_domain)
            .collect()
    }

    /// Reports not yet seen whose participant's current period lies in `scope` (a district).
    pub fn unseen(conn: &mut DbConnection, scope: &ListScope, limit: i64) -> Result<Vec<Absence>, RepoError> {
        let mut query = absences::table
            .inner_join(periods::table.on(periods::id.eq(absences::period_id)))
            .filter(periods::is_current.eq(true))
            .filter(absences::seen_at.is_null())
            .select(AbsenceRow::as_select())
            .order((absences::reported_at, absences::id))
            .limit(limit)
            .into_boxed();
        query = match scope {
            ListScope::Everything => query,
            ListScope::District(code) => query.filter(periods::district_code.eq(code.to_string())),
            ListScope::Jobbtorg(code) => query.filter(periods::job_centre_code.eq(code.to_string())),
            _ => query.filter(absences::id.eq("")),
        };
        query
            .load::<AbsenceRow>(conn)?
            .into_iter()
            .map(AbsenceRow::into_domain)
            .collect()
    }

    /// Writes a report with its access-log record and its event.
    pub fn insert(
        conn: &mut DbConnection,
        acting: &ActingContext,
        absence: &Absence,
        scope: EventScope,
    ) -> Result<(), RepoError> {
        diesel::insert_into(absences::table)
            .values(AbsenceRow::from_domain(absence))
            .execute(conn)?;
        let (id, participant) = (absence.id.to_string(), absence.participant_id.to_string());
        journal::record(
            conn,
            acting,
            Change {
                event_type: "participant.absence_reported",
                resource_type: ABSENCE,
                resource_id: &id,
                resource_version: absence.version,
                participant_id: Some(&participant),
                scope,
            },
            &[],
        )
    }

    /// Marks the report seen at `expected` version (412 when it moved on), with its history,
    /// access-log record and event.
    pub fn mark_seen(
        conn: &mut DbConnection,
        acting: &ActingContext,
        id: Uuid,
        expected: i32,
        scope: EventScope,
    ) -> Result<Absence, RepoError> {
        let key = id.to_string();
        let version = versioned::advance(conn, VersionedRow::Absence(&key), expected)?;
        diesel::update(absences::table.find(&key))
            .set((absences::seen_by.eq(&acting.subject), absences::seen_at.eq(acting.now)))
            .execute(conn)?;
        let seen = Self::get(conn, id)?;
        let participant = seen.participant_id.to_string();
        journal::record(
            conn,
            acting,
            Change {
                event_type: "participant.absence_seen",
                resource_type: ABSENCE,
                resource_id: &key,
                resource_version: version,
                participant_id: Some(&participant),
                scope,
            },
            &[("seen_by", None, Some(acting.subject.clone()))],
        )?;
        Ok(seen)
    }
}
