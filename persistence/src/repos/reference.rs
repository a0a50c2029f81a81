use diesel::prelude::*;
use domain::reference::{ActivityType, District, ExitOutcome, JobCentre, TargetGroup};

use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::rows::reference::{
    stored_code, ActivityTypeRow, DistrictRow, ExitOutcomeRow, JobCentreRow, TargetGroupRow,
};
use crate::schema::{activity_types, districts, exit_outcomes, job_centres, target_groups};

/// Read access to the seeded reference data.
pub struct ReferenceRepo;

impl ReferenceRepo {
    pub fn job_centres(conn: &mut DbConnection) -> Result<Vec<JobCentre>, RepoError> {
        let centres: Vec<JobCentreRow> = job_centres::table
            .order(job_centres::sort_order)
            .select(JobCentreRow::as_select())
            .load(conn)?;
        let served: Vec<DistrictRow> = districts::table
            .order(districts::sort_order)
            .select(DistrictRow::as_select())
            .load(conn)?;
        centres
            .into_iter()
            .map(|centre| {
                let codes = served
                    .iter()
                    .filter(|d| d.job_centre_code == centre.code)
                    .map(|d| stored_code(&d.code))
                    .collect::<Result<Vec<_>, _>>()?;
                centre.into_domain(codes)
            })
            .collect()
    }

    pub fn districts(conn: &mut DbConnection) -> Result<Vec<District>, RepoError> {
        let rows: Vec<(DistrictRow, JobCentreRow)> = districts::table
            .inner_join(job_centres::table)
            .order(districts::sort_order)
            .select((DistrictRow::as_select(), JobCentreRow::as_select()))
            .load(conn)?;
        rows.into_iter()
            .map(|(district, centre)| district.into_domain(&centre))
            .collect()
    }

    pub fn target_groups(conn: &mut DbConnection) -> Result<Vec<TargetGroup>, RepoError> {
        target_groups::table
            .order(target_groups::sort_order)
            .select(TargetGroupRow::as_select())
            .load(conn)?
            .into_iter()
            .map(TargetGroup::try_from)
            .collect()
    }

    pub fn activity_types(conn: &mut DbConnection) -> Result<Vec<ActivityType>, RepoError> {
        activity_types::table
            .order(activity_types::sort_order)
            .select(ActivityTypeRow::as_select())
            .load(conn)?
            .into_iter()
            .map(ActivityType::try_from)
            .collect()
    }

    pub fn exit_outcomes(conn: &mut DbConnection) -> Result<Vec<ExitOutcome>, RepoError> {
        exit_outcomes::table
            .order(exit_outcomes::sort_order)
            .select(ExitOutcomeRow::as_select())
            .load(conn)?
            .into_iter()
            .map(ExitOutcome::try_from)
            .collect()
    }
}
