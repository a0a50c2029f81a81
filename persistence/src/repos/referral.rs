//! Referrals and their progress reports. Rows are scoped in the query: a provider's staff load
//! only referrals to their own provider, a coach only those of their job centre.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use domain::access::ListScope;
use domain::participant::changed_fields;
use domain::participant::{ExitOutcome, ExitRecord};
use domain::referral::{
    CrossCentre, DeclineReason, Granularity, LegalBasis, ProgressLine, Referral, ReferralStatus, ReferredActivity,
};
use uuid::Uuid;

use crate::audit::{self, ActingContext, AuditEntry};
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::{corrupt, employment, stored_uuid};
use crate::rows::reference::stored_code;
use crate::schema::{
    participants, participation_periods, progress_lines, progress_reports, referral_deliveries, referrals,
};
use crate::versioned::{self, VersionedRow};

pub const REFERRAL: &str = "referral";

/// Serialises referral allocation on PostgreSQL, so two referrals cannot both take a contract's
/// last place (SQLite serialises writers already).
const ALLOCATION_LOCK_KEY: i64 = 0x5265_6665_7272_616c; // "Referral"

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = referrals, treat_none_as_null = true)]
struct ReferralRow {
    id: String,
    participant_id: String,
    period_id: String,
    job_centre_code: String,
    district_code: String,
    plan_id: Option<String>,
    activity_id: Option<String>,
    activity_type: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    provider_id: String,
    contract_id: String,
    chosen_by_participant: bool,
    allocation_reason: Option<String>,
    consent_id: Option<String>,
    statutory_basis: Option<String>,
    note: Option<String>,
    referred_by: String,
    status: String,
    decline_reason: Option<String>,
    end_note: Option<String>,
    started_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
    outcome: Option<String>,
    outcome_employment_form: Option<String>,
    outcome_extent: Option<String>,
    outcome_wage_subsidy: Option<bool>,
    outcome_ssyk: Option<String>,
    outcome_reason: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Where a referral is delivered when not at the job centre holding the case.
#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = referral_deliveries)]
struct DeliveryRow {
    referral_id: String,
    job_centre_code: String,
    reason: String,
}

fn row(r: &Referral, created_at: NaiveDateTime, now: NaiveDateTime) -> ReferralRow {
    let (consent_id, statutory_basis) = match &r.legal_basis {
        LegalBasis::Consent(id) => (Some(id.to_string()), None),
        LegalBasis::Statutory(text) => (None, Some(text.clone())),
    };
    let outcome = r.outcome.as_ref();
    let employment = outcome.and_then(ExitRecord::employment);
    ReferralRow {
        id: r.id.to_string(),
        participant_id: r.participant_id.to_string(),
        period_id: r.period_id.to_string(),
        job_centre_code: r.jobbtorg.to_string(),
        district_code: r.district.to_string(),
        plan_id: r.activity.plan_id.map(|id| id.to_string()),
        activity_id: r.activity.activity_id.map(|id| id.to_string()),
        activity_type: r.activity.activity_type.to_string(),
        starts_on: r.activity.starts_on,
        ends_on: r.activity.ends_on,
        provider_id: r.provider_id.to_string(),
        contract_id: r.contract_id.to_string(),
        chosen_by_participant: r.chosen_by_participant,
        allocation_reason: r.allocation_reason.clone(),
        consent_id,
        statutory_basis,
        note: r.note.clone(),
        referred_by: r.referred_by.clone(),
        status: r.status.to_string(),
        decline_reason: r.decline.as_ref().map(|(reason, _)| reason.to_string()),
        end_note: r
            .decline
            .as_ref()
            .and_then(|(_, note)| note.clone())
            .or_else(|| r.cancel_reason.clone())
            .or_else(|| r.interrupt_reason.clone()),
        started_on: r.started_on,
        ended_on: r.ended_on,
        outcome: outcome.map(|o| o.outcome().as_str().to_owned()),
        outcome_employment_form: employment.map(|e| e.form.as_str().to_owned()),
        outcome_extent: employment.map(|e| e.extent.as_str().to_owned()),
        outcome_wage_subsidy: employment.map(|e| e.wage_subsidy),
        outcome_ssyk: employment.and_then(|e| e.ssyk.clone()),
        outcome_reason: outcome.and_then(|o| o.reason().map(str::to_owned)),
        version: r.version,
        created_at,
        updated_at: now,
    }
}

impl ReferralRow {
    fn into_domain(self, delivery: Option<DeliveryRow>) -> Result<Referral, RepoError> {
        let status = ReferralStatus::parse(&self.status).ok_or_else(|| corrupt("referral status", &self.status))?;
        let legal_basis = match (self.consent_id.as_deref(), self.statutory_basis) {
            (Some(id), _) => LegalBasis::Consent(stored_uuid(id)?),
            (None, Some(text)) => LegalBasis::Statutory(text),
            (None, None) => return Err(corrupt("legal basis", "")),
        };
        let outcome = match self.outcome.as_deref() {
            Some(code) => {
                let outcome = ExitOutcome::parse(code).ok_or_else(|| corrupt("outcome", code))?;
                let details = employment(
                    self.outcome_employment_form.as_deref(),
                    self.outcome_extent.as_deref(),
                    self.outcome_wage_subsidy,
                    self.outcome_ssyk,
                )?;
                Some(
                    ExitRecord::new(outcome, details, self.outcome_reason)
                        .map_err(|e| RepoError::Unexpected(e.to_string()))?,
                )
            }
            None => None,
        };
        let decline = self
            .decline_reason
            .as_deref()
            .map(|r| {
                DeclineReason::parse(r)
                    .map(|reason| (reason, self.end_note.clone()))
                    .ok_or_else(|| corrupt("decline reason", r))
            })
            .transpose()?;
        let note_if = |s: ReferralStatus| (status == s).then(|| self.end_note.clone()).flatten();
        Ok(Referral {
            id: stored_uuid(&self.id)?,
            participant_id: stored_uuid(&self.participant_id)?,
            period_id: stored_uuid(&self.period_id)?,
            jobbtorg: stored_code(&self.job_centre_code)?,
            district: stored_code(&self.district_code)?,
            activity: ReferredActivity {
                plan_id: self.plan_id.as_deref().map(stored_uuid).transpose()?,
                activity_id: self.activity_id.as_deref().map(stored_uuid).transpose()?,
                activity_type: stored_code(&self.activity_type)?,
                starts_on: self.starts_on,
                ends_on: self.ends_on,
            },
            provider_id: stored_uuid(&self.provider_id)?,
            contract_id: stored_uuid(&self.contract_id)?,
            chosen_by_participant: self.chosen_by_participant,
            allocation_reason: self.allocation_reason,
            legal_basis,
            cross_centre: delivery
                .map(|d| {
                    Ok::<_, RepoError>(CrossCentre {
                        jobbtorg: stored_code(&d.job_centre_code)?,
                        reason: d.reason,
                    })
                })
                .transpose()?,
            note: self.note,
            referred_by: self.referred_by,
            sent_on: self.created_at.date(),
            cancel_reason: note_if(ReferralStatus::Cancelled),
            interrupt_reason: note_if(ReferralStatus::Interrupted),
            status,
            decline,
            started_on: self.started_on,
            ended_on: self.ended_on,
            outcome,
            version: self.version,
        })
    }
}

/// A stored progress report with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReport {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub granularity: Granularity,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub comment: Option<String>,
    pub reported_by: String,
    pub reported_at: NaiveDateTime,
    /// Each line with its own id, so one line can be questioned.
    pub lines: Vec<(Uuid, ProgressLine)>,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = progress_reports)]
struct ReportRow {
    id: String,
    referral_id: String,
    granularity: String,
    period_from: NaiveDate,
    period_to: NaiveDate,
    comment: Option<String>,
    reported_by: String,
    reported_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = progress_lines)]
struct LineRow {
    id: String,
    report_id: String,
    referral_id: String,
    position: i32,
    line_date: NaiveDate,
    attended_minutes: i32,
    absent_minutes: i32,
    absence_reason: Option<String>,
}

/// What a referral shows of its participant: never the identity number, the address or
/// social-assistance details; with the current period's coach and home district, which the
/// identity rule needs to decide who sees a protected identity's name.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = participants)]
pub struct ParticipantCard {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub pseudonym: String,
    pub protected_identity: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub language_needs: Option<String>,
    #[diesel(select_expression = participation_periods::coach_subject)]
    #[diesel(select_expression_type = participation_periods::coach_subject)]
    pub coach: Option<String>,
    #[diesel(select_expression = participation_periods::district_code)]
    #[diesel(select_expression_type = participation_periods::district_code)]
    pub home_district: String,
}

/// Filters of the referral list.
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub participant_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub contract_id: Option<Uuid>,
}

type WithDelivery = diesel::dsl::LeftJoin<referrals::table, referral_deliveries::table>;
type BoxedReferrals = diesel::dsl::IntoBoxed<'static, WithDelivery, <DbConnection as diesel::Connection>::Backend>;
type Joined = (ReferralRow, Option<DeliveryRow>);

fn joined_domain(rows: Vec<Joined>) -> Result<Vec<Referral>, RepoError> {
    rows.into_iter()
        .map(|(row, delivery)| row.into_domain(delivery))
        .collect()
}

/// Referrals with where each is delivered, limited to `scope` on `today`: a provider's view
/// of a referral ends 90 days after it ended (`domain::retention`); the day matters to no
/// other scope.
fn scoped(scope: &ListScope, today: NaiveDate) -> BoxedReferrals {
    let query = referrals::table.left_join(referral_deliveries::table).into_boxed();
    match scope {
        ListScope::Everything | ListScope::AnyProvider => query,
        ListScope::Jobbtorg(code) => query.filter(referrals::job_centre_code.eq(code.to_string())),
        ListScope::JobbtorgWithDeliveries(code) => query.filter(
            referrals::job_centre_code
                .eq(code.to_string())
                .or(referral_deliveries::job_centre_code.nullable().eq(code.to_string())),
        ),
        ListScope::DeliveredAt(code) => {
            query.filter(referral_deliveries::job_centre_code.nullable().eq(code.to_string()))
        }
        ListScope::District(code) => query.filter(referrals::district_code.eq(code.to_string())),
        ListScope::Provider(provider) => {
            let cutoff = domain::retention::provider_view_cutoff(today);
            let cutoff_at = cutoff.and_hms_opt(0, 0, 0).unwrap_or_default();
            // Ended: completed or interrupted on `ended_on`; declined or cancelled when last
            // changed; unanswered (expired) when sent.
            let closed_without_date = [ReferralStatus::Declined.as_str(), ReferralStatus::Cancelled.as_str()];
            query
                .filter(referrals::provider_id.eq(provider.uuid().to_string()))
                .filter(referrals::ended_on.is_null().or(referrals::ended_on.ge(cutoff)))
                .filter(
                    referrals::status
                        .ne_all(closed_without_date)
                        .or(referrals::updated_at.ge(cutoff_at)),
                )
                .filter(
                    referrals::status
                        .ne(ReferralStatus::Sent.as_str())
                        .or(referrals::created_at.ge(cutoff_at)),
                )
        }
    }
}

/// For reads of any referral by id, where no scope limits them.
const ANY_DAY: NaiveDate = NaiveDate::MIN;

pub struct ReferralRepo;

impl ReferralRepo {
    /// Takes the allocation lock for the rest of the transaction.
    pub fn lock_allocation(conn: &mut DbConnection) -> Result<(), RepoError> {
        if let DbConnection::Postgresql(pg) = conn {
            pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({ALLOCATION_LOCK_KEY})"))?;
        }
        Ok(())
    }

    /// The referral if it lies inside `scope`; `NotFound` otherwise, so another provider's
    /// referral is never loaded.
    pub fn get(conn: &mut DbConnection, id: Uuid, scope: &ListScope, today: NaiveDate) -> Result<Referral, RepoError> {
        let (found, delivery): Joined = scoped(scope, today)
            .filter(referrals::id.eq(id.to_string()))
            .select((ReferralRow::as_select(), Option::<DeliveryRow>::as_select()))
            .first(conn)?;
        found.into_domain(delivery)
    }

    /// Referrals inside `scope` ordered by id, after `after`.
    pub fn list(
        conn: &mut DbConnection,
        scope: &ListScope,
        filter: &ReferralFilter,
        after: Option<Uuid>,
        limit: i64,
        today: NaiveDate,
    ) -> Result<Vec<Referral>, RepoError> {
        let mut query = scoped(scope, today)
            .select((ReferralRow::as_select(), Option::<DeliveryRow>::as_select()))
            .order(referrals::id)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(referrals::id.gt(after.to_string()));
        }
        if let Some(status) = filter.status {
            // Expiry is computed: expired means sent and unanswered since before the cut-off.
            let cutoff = ReferralStatus::earliest_unexpired_sent_on(today)
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default();
            query = match status {
                ReferralStatus::Sent => query
                    .filter(referrals::status.eq(ReferralStatus::Sent.as_str()))
                    .filter(referrals::created_at.ge(cutoff)),
                ReferralStatus::Expired => query
                    .filter(referrals::status.eq(ReferralStatus::Sent.as_str()))
                    .filter(referrals::created_at.lt(cutoff)),
                other => query.filter(referrals::status.eq(other.as_str())),
            };
        }
        if let Some(id) = filter.participant_id {
            query = query.filter(referrals::participant_id.eq(id.to_string()));
        }
        if let Some(id) = filter.provider_id {
            query = query.filter(referrals::provider_id.eq(id.to_string()));
        }
        if let Some(id) = filter.contract_id {
            query = query.filter(referrals::contract_id.eq(id.to_string()));
        }
        joined_domain(query.load(conn)?)
    }

    /// The participant's referrals in the period, for the payment rules after a follow-up.
    pub fn for_period(conn: &mut DbConnection, period_id: Uuid) -> Result<Vec<Referral>, RepoError> {
        let rows: Vec<Joined> = scoped(&ListScope::Everything, ANY_DAY)
            .filter(referrals::period_id.eq(period_id.to_string()))
            .order(referrals::id)
            .select((ReferralRow::as_select(), Option::<DeliveryRow>::as_select()))
            .load(conn)?;
        joined_domain(rows)
    }

    /// Every referral of the participant, of every period (for the export).
    pub fn for_participant(conn: &mut DbConnection, participant_id: Uuid) -> Result<Vec<Referral>, RepoError> {
        let rows: Vec<Joined> = scoped(&ListScope::Everything, ANY_DAY)
            .filter(referrals::participant_id.eq(participant_id.to_string()))
            .order(referrals::id)
            .select((ReferralRow::as_select(), Option::<DeliveryRow>::as_select()))
            .load(conn)?;
        joined_domain(rows)
    }

    pub fn insert(conn: &mut DbConnection, acting: &ActingContext, referral: &Referral) -> Result<Referral, RepoError> {
        diesel::insert_into(referrals::table)
            .values(row(referral, acting.now, acting.now))
            .execute(conn)?;
        if let Some(cross) = &referral.cross_centre {
            diesel::insert_into(referral_deliveries::table)
                .values(DeliveryRow {
                    referral_id: referral.id.to_string(),
                    job_centre_code: cross.jobbtorg.to_string(),
                    reason: cross.reason.clone(),
                })
                .execute(conn)?;
        }
        let before: Vec<(&'static str, Option<String>)> = referral
            .snapshot()
            .into_iter()
            .map(|(field, _)| (field, None))
            .collect();
        record(conn, acting, &before, referral, "referral.sent")?;
        Self::get(conn, referral.id, &ListScope::Everything, ANY_DAY)
    }

    /// Stores `after` over `before` at `before`'s version.
    pub fn save(
        conn: &mut DbConnection,
        acting: &ActingContext,
        before: &Referral,
        after: &Referral,
        event_type: &str,
    ) -> Result<Referral, RepoError> {
        let mut next = after.clone();
        next.version = versioned::advance(conn, VersionedRow::Referral(&before.id.to_string()), before.version)?;
        let created_at: NaiveDateTime = referrals::table
            .find(before.id.to_string())
            .select(referrals::created_at)
            .first(conn)?;
        diesel::update(referrals::table.find(before.id.to_string()))
            .set(row(&next, created_at, acting.now))
            .execute(conn)?;
        record(conn, acting, &before.snapshot(), &next, event_type)?;
        Self::get(conn, before.id, &ListScope::Everything, ANY_DAY)
    }

    /// Records that `acting` read these referrals (and so the participant data they carry).
    pub fn audit_read(conn: &mut DbConnection, acting: &ActingContext, read: &[&Referral]) -> Result<(), RepoError> {
        let ids: Vec<(String, String)> = read
            .iter()
            .map(|r| (r.id.to_string(), r.participant_id.to_string()))
            .collect();
        let entries: Vec<AuditEntry> = ids
            .iter()
            .map(|(id, participant)| AuditEntry {
                action: "referral.read",
                resource_type: REFERRAL,
                resource_id: id,
                participant_id: Some(participant),
            })
            .collect();
        audit::record_reads(conn, acting, &entries)
    }

    /// Stores a progress report; the referral's version moves on so the change is evented.
    pub fn add_progress_report(
        conn: &mut DbConnection,
        acting: &ActingContext,
        referral: &Referral,
        report: &ProgressReport,
    ) -> Result<Referral, RepoError> {
        diesel::insert_into(progress_reports::table)
            .values(ReportRow {
                id: report.id.to_string(),
                referral_id: referral.id.to_string(),
                granularity: report.granularity.to_string(),
                period_from: report.period_from,
                period_to: report.period_to,
                comment: report.comment.clone(),
                reported_by: acting.subject.clone(),
                reported_at: acting.now,
            })
            .execute(conn)?;
        for (position, (id, line)) in report.lines.iter().enumerate() {
            diesel::insert_into(progress_lines::table)
                .values(LineRow {
                    id: id.to_string(),
                    report_id: report.id.to_string(),
                    referral_id: referral.id.to_string(),
                    position: i32::try_from(position).unwrap_or(i32::MAX),
                    line_date: line.on,
                    attended_minutes: i32::try_from(line.attended_minutes).unwrap_or(i32::MAX),
                    absent_minutes: i32::try_from(line.absent_minutes).unwrap_or(i32::MAX),
                    absence_reason: line.absence_reason.clone(),
                })
                .execute(conn)?;
        }
        Self::save(conn, acting, referral, referral, "referral.progress_reported")
    }

    /// The referral's progress reports, oldest first.
    pub fn progress_reports(conn: &mut DbConnection, referral_id: Uuid) -> Result<Vec<ProgressReport>, RepoError> {
        let reports: Vec<ReportRow> = progress_reports::table
            .filter(progress_reports::referral_id.eq(referral_id.to_string()))
            .order((progress_reports::reported_at, progress_reports::id))
            .select(ReportRow::as_select())
            .load(conn)?;
        let lines: Vec<LineRow> = progress_lines::table
            .filter(progress_lines::referral_id.eq(referral_id.to_string()))
            .order((progress_lines::report_id, progress_lines::position))
            .select(LineRow::as_select())
            .load(conn)?;
        reports
            .into_iter()
            .map(|r| {
                Ok(ProgressReport {
                    id: stored_uuid(&r.id)?,
                    referral_id: stored_uuid(&r.referral_id)?,
                    granularity: Granularity::parse(&r.granularity)
                        .ok_or_else(|| corrupt("granularity", &r.granularity))?,
                    period_from: r.period_from,
                    period_to: r.period_to,
                    comment: r.comment,
                    reported_by: r.reported_by,
                    reported_at: r.reported_at,
                    lines: lines
                        .iter()
                        .filter(|l| l.report_id == r.id)
                        .map(|l| {
                            Ok((
                                stored_uuid(&l.id)?,
                                ProgressLine {
                                    on: l.line_date,
                                    attended_minutes: u32::try_from(l.attended_minutes).unwrap_or(0),
                                    absent_minutes: u32::try_from(l.absent_minutes).unwrap_or(0),
                                    absence_reason: l.absence_reason.clone(),
                                },
                            ))
                        })
                        .collect::<Result<_, RepoError>>()?,
                })
            })
            .collect()
    }

    /// The participants of these referrals as referrals show them.
    pub fn participant_cards(conn: &mut DbConnection, ids: &[Uuid]) -> Result<Vec<ParticipantCard>, RepoError> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        Ok(participants::table
            .inner_join(participation_periods::table)
            .filter(participants::id.eq_any(ids))
            .filter(participation_periods::is_current.eq(true))
            .select(ParticipantCard::as_select())
            .load(conn)?)
    }

    /// What earlier reports of the referral cover: each line's granularity and date.
    pub fn reported_lines(
        conn: &mut DbConnection,
        referral_id: Uuid,
    ) -> Result<Vec<(Granularity, NaiveDate)>, RepoError> {
        let rows: Vec<(String, NaiveDate)> = progress_lines::table
            .inner_join(progress_reports::table.on(progress_reports::id.eq(progress_lines::report_id)))
            .filter(progress_lines::referral_id.eq(referral_id.to_string()))
            .select((progress_reports::granularity, progress_lines::line_date))
            .load(conn)?;
        rows.into_iter()
            .map(|(g, on)| Ok((Granularity::parse(&g).ok_or_else(|| corrupt("granularity", &g))?, on)))
            .collect()
    }
}

fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    before: &[(&'static str, Option<String>)],
    referral: &Referral,
    event_type: &str,
) -> Result<(), RepoError> {
    let id = referral.id.to_string();
    let participant_id = referral.participant_id.to_string();
    let change = Change {
        event_type,
        resource_type: REFERRAL,
        resource_id: &id,
        resource_version: referral.version,
        participant_id: Some(&participant_id),
        scope: EventScope {
            jobbtorg: Some(referral.jobbtorg.to_string()),
            district: Some(referral.district.to_string()),
            provider: Some(referral.provider_id.to_string()),
            participant: Some(participant_id.clone()),
        },
    };
    journal::record(conn, acting, change, &changed_fields(before, &referral.snapshot()))
}
