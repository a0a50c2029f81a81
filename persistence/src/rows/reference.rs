use diesel::prelude::*;
use domain::reference::{ActivityType, District, ExitOutcome, JobCentre, Phase, TargetGroup};
use domain::shared::Code;

use crate::error::RepoError;
use crate::schema::{activity_types, districts, exit_outcomes, job_centres, target_groups};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = job_centres)]
pub struct JobCentreRow {
    pub code: String,
    pub name: String,
    pub located_in: String,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = districts)]
pub struct DistrictRow {
    pub code: String,
    pub name: String,
    pub job_centre_code: String,
    pub version: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = districts)]
pub struct NewDistrictRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub job_centre_code: &'a str,
    pub sort_order: i32,
    pub version: i32,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = districts)]
pub struct DistrictChangeset<'a> {
    pub name: Option<&'a str>,
    pub job_centre_code: Option<&'a str>,
    pub version: i32,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = target_groups)]
pub struct TargetGroupRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub phase: i32,
    pub derived: bool,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = activity_types)]
pub struct ActivityTypeRow {
    pub code: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = exit_outcomes)]
pub struct ExitOutcomeRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub requires_employment_details: bool,
    pub requires_reason: bool,
}

/// A stored code that no longer parses means the data was edited outside the API.
pub(crate) fn stored_code(raw: &str) -> Result<Code, RepoError> {
    Code::parse(raw).map_err(|_| RepoError::Unexpected(format!("stored code {raw:?} is malformed")))
}

impl JobCentreRow {
    pub fn into_domain(self, district_codes: Vec<Code>) -> Result<JobCentre, RepoError> {
        Ok(JobCentre {
            code: stored_code(&self.code)?,
            name: self.name,
            located_in: self.located_in,
            district_codes,
        })
    }
}

impl DistrictRow {
    pub fn into_domain(self, job_centre: &JobCentreRow) -> Result<District, RepoError> {
        Ok(District {
            code: stored_code(&self.code)?,
            name: self.name,
            job_centre_code: stored_code(&self.job_centre_code)?,
            job_centre_name: job_centre.name.clone(),
            version: self.version,
        })
    }
}

impl TryFrom<TargetGroupRow> for TargetGroup {
    type Error = RepoError;

    fn try_from(row: TargetGroupRow) -> Result<Self, RepoError> {
        let phase = Phase::from_number(row.phase)
            .ok_or_else(|| RepoError::Unexpected(format!("target group phase {} is unknown", row.phase)))?;
        Ok(TargetGroup {
            code: stored_code(&row.code)?,
            name: row.name,
            description: row.description,
            phase,
            derived: row.derived,
        })
    }
}

impl TryFrom<ActivityTypeRow> for ActivityType {
    type Error = RepoError;

    fn try_from(row: ActivityTypeRow) -> Result<Self, RepoError> {
        Ok(ActivityType {
            code: stored_code(&row.code)?,
            name: row.name,
            description: row.description,
        })
    }
}

impl TryFrom<ExitOutcomeRow> for ExitOutcome {
    type Error = RepoError;

    fn try_from(row: ExitOutcomeRow) -> Result<Self, RepoError> {
        Ok(ExitOutcome {
            code: stored_code(&row.code)?,
            name: row.name,
            description: row.description,
            requires_employment_details: row.requires_employment_details,
            requires_reason: row.requires_reason,
        })
    }
}
