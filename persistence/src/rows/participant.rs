//! Participant rows and their mapping to and from the domain `Participant`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::participant::{
    Address, Contact, EmploymentDetails, EmploymentExtent, EmploymentForm, Exit, ExitOutcome, ExitRecord, FollowUp,
    Interruption, InterruptionReason, ParticipantStatus, Period,
};
use domain::shared::Code;
use uuid::Uuid;

use super::reference::stored_code;
use crate::error::RepoError;
use crate::schema::{follow_ups, interruptions, participants, participation_periods};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Deserialize)]
#[diesel(table_name = participants, treat_none_as_null = true)]
pub struct ParticipantRow {
    pub id: String,
    pub personnummer: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub language_needs: Option<String>,
    pub protected_identity: bool,
    pub pseudonym: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Deserialize)]
#[diesel(table_name = participation_periods, treat_none_as_null = true)]
pub struct PeriodRow {
    pub id: String,
    pub participant_id: String,
    pub is_current: bool,
    pub status: String,
    pub district_code: String,
    pub job_centre_code: String,
    pub referral_reason: String,
    pub requested_start: NaiveDate,
    pub referred_on: NaiveDate,
    pub referred_by: String,
    pub enrolled_on: Option<NaiveDate>,
    pub coach_subject: Option<String>,
    pub plan_due_on: Option<NaiveDate>,
    pub plan_approved_on: Option<NaiveDate>,
    pub af_registered_on: Option<NaiveDate>,
    pub exited_on: Option<NaiveDate>,
    pub exit_outcome: Option<String>,
    pub exit_employment_form: Option<String>,
    pub exit_extent: Option<String>,
    pub exit_wage_subsidy: Option<bool>,
    pub exit_ssyk: Option<String>,
    pub exit_reason: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = interruptions)]
pub struct InterruptionRow {
    pub id: String,
    pub period_id: String,
    pub participant_id: String,
    pub reason: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = follow_ups)]
pub struct FollowUpRow {
    pub id: String,
    pub period_id: String,
    pub participant_id: String,
    pub months: i32,
    pub followed_up_on: NaiveDate,
    pub self_supporting: bool,
    pub employment_form: Option<String>,
    pub extent: Option<String>,
    pub wage_subsidy: Option<bool>,
    pub ssyk: Option<String>,
    pub recorded_at: NaiveDateTime,
}

pub(crate) fn corrupt(what: &str, value: &str) -> RepoError {
    RepoError::Unexpected(format!("stored {what} {value:?} is not valid"))
}

pub(crate) fn stored_uuid(raw: &str) -> Result<Uuid, RepoError> {
    Uuid::parse_str(raw).map_err(|_| corrupt("id", raw))
}

pub(crate) fn employment(
    form: Option<&str>,
    extent: Option<&str>,
    wage_subsidy: Option<bool>,
    ssyk: Option<String>,
) -> Result<Option<EmploymentDetails>, RepoError> {
    match (form, extent, wage_subsidy) {
        (Some(form), Some(extent), Some(wage_subsidy)) => Ok(Some(EmploymentDetails {
            form: EmploymentForm::parse(form).ok_or_else(|| corrupt("employment form", form))?,
            extent: EmploymentExtent::parse(extent).ok_or_else(|| corrupt("extent", extent))?,
            wage_subsidy,
            ssyk,
        })),
        _ => Ok(None),
    }
}

impl PeriodRow {
    pub fn into_domain(self, target_groups: Vec<Code>) -> Result<Period, RepoError> {
        let exit = match (self.exited_on, self.exit_outcome.as_deref()) {
            (Some(on), Some(outcome)) => {
                let outcome = ExitOutcome::parse(outcome).ok_or_else(|| corrupt("exit outcome", outcome))?;
                let details = employment(
                    self.exit_employment_form.as_deref(),
                    self.exit_extent.as_deref(),
                    self.exit_wage_subsidy,
                    self.exit_ssyk.clone(),
                )?;
                let record = ExitRecord::new(outcome, details, self.exit_reason.clone())
                    .map_err(|e| RepoError::Unexpected(e.to_string()))?;
                Some(Exit { on, record })
            }
            _ => None,
        };
        Ok(Period {
            id: stored_uuid(&self.id)?,
            status: ParticipantStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            district: stored_code(&self.district_code)?,
            jobbtorg: stored_code(&self.job_centre_code)?,
            target_groups,
            referral_reason: self.referral_reason,
            requested_start: self.requested_start,
            referred_on: self.referred_on,
            enrolled_on: self.enrolled_on,
            coach: self.coach_subject,
            plan_due_on: self.plan_due_on,
            plan_approved_on: self.plan_approved_on,
            af_registered_on: self.af_registered_on,
            exit,
        })
    }

    /// The row for `period` of `participant_id`, keeping the columns the domain does not model.
    pub fn from_domain(
        period: &Period,
        participant_id: &str,
        is_current: bool,
        referred_by: String,
        created_at: NaiveDateTime,
    ) -> Self {
        let exit = period.exit.as_ref();
        let employment = exit.and_then(|e| e.record.employment());
        Self {
            id: period.id.to_string(),
            participant_id: participant_id.to_owned(),
            is_current,
            status: period.status.as_str().to_owned(),
            district_code: period.district.to_string(),
            job_centre_code: period.jobbtorg.to_string(),
            referral_reason: period.referral_reason.clone(),
            requested_start: period.requested_start,
            referred_on: period.referred_on,
            referred_by,
            enrolled_on: period.enrolled_on,
            coach_subject: period.coach.clone(),
            plan_due_on: period.plan_due_on,
            plan_approved_on: period.plan_approved_on,
            af_registered_on: period.af_registered_on,
            exited_on: exit.map(|e| e.on),
            exit_outcome: exit.map(|e| e.record.outcome().as_str().to_owned()),
            exit_employment_form: employment.map(|e| e.form.as_str().to_owned()),
            exit_extent: employment.map(|e| e.extent.as_str().to_owned()),
            exit_wage_subsidy: employment.map(|e| e.wage_subsidy),
            exit_ssyk: employment.and_then(|e| e.ssyk.clone()),
            exit_reason: exit.and_then(|e| e.record.reason().map(str::to_owned)),
            created_at,
        }
    }
}

impl InterruptionRow {
    pub fn into_domain(self) -> Result<Interruption, RepoError> {
        Ok(Interruption {
            id: stored_uuid(&self.id)?,
            period_id: stored_uuid(&self.period_id)?,
            reason: InterruptionReason::parse(&self.reason)
                .ok_or_else(|| corrupt("interruption reason", &self.reason))?,
            started_on: self.started_on,
            ended_on: self.ended_on,
            note: self.note,
        })
    }

    pub fn from_domain(interruption: &Interruption, participant_id: &str) -> Self {
        Self {
            id: interruption.id.to_string(),
            period_id: interruption.period_id.to_string(),
            participant_id: participant_id.to_owned(),
            reason: interruption.reason.as_str().to_owned(),
            started_on: interruption.started_on,
            ended_on: interruption.ended_on,
            note: interruption.note.clone(),
        }
    }
}

impl FollowUpRow {
    pub fn into_domain(self) -> Result<FollowUp, RepoError> {
        Ok(FollowUp {
            id: stored_uuid(&self.id)?,
            period_id: stored_uuid(&self.period_id)?,
            months: u32::try_from(self.months).map_err(|_| corrupt("months", &self.months.to_string()))?,
            followed_up_on: self.followed_up_on,
            self_supporting: self.self_supporting,
            employment: employment(
                self.employment_form.as_deref(),
                self.extent.as_deref(),
                self.wage_subsidy,
                self.ssyk,
            )?,
        })
    }

    pub fn from_domain(follow_up: &FollowUp, participant_id: &str, recorded_at: NaiveDateTime) -> Self {
        let employment = follow_up.employment.as_ref();
        Self {
            id: follow_up.id.to_string(),
            period_id: follow_up.period_id.to_string(),
            participant_id: participant_id.to_owned(),
            months: i32::try_from(follow_up.months).unwrap_or(i32::MAX),
            followed_up_on: follow_up.followed_up_on,
            self_supporting: follow_up.self_supporting,
            employment_form: employment.map(|e| e.form.as_str().to_owned()),
            extent: employment.map(|e| e.extent.as_str().to_owned()),
            wage_subsidy: employment.map(|e| e.wage_subsidy),
            ssyk: employment.and_then(|e| e.ssyk.clone()),
            recorded_at,
        }
    }
}

pub fn contact_of(row: &ParticipantRow) -> (Contact, Address) {
    (
        Contact {
            phone: row.phone.clone(),
            email: row.email.clone(),
        },
        Address {
            street: row.street_address.clone(),
            postal_code: row.postal_code.clone(),
            city: row.city.clone(),
        },
    )
}
