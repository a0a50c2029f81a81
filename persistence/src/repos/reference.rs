use diesel::prelude::*;
use domain::reference::{
    ActivityType, District, DistrictChanges, ExitOutcome, JobCentre, NewDistrict, ReferenceName, TargetGroup,
};
use domain::shared::Code;

use crate::audit::{self, ActingContext, AuditEntry};
use crate::error::RepoError;
use crate::events::{self, EventScope, NewEvent};
use crate::pool::DbConnection;
use crate::rows::reference::{
    stored_code, ActivityTypeRow, DistrictChangeset, DistrictRow, ExitOutcomeRow, JobCentreRow, NewDistrictRow,
    TargetGroupRow,
};
use crate::schema::{activity_types, districts, exit_outcomes, job_centres, target_groups};
use crate::versioned::{self, VersionedRow};

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

/// What a district change is recorded as, in the audit log and the feed.
const DISTRICT: &str = "district";

impl ReferenceRepo {
    pub fn job_centre_exists(conn: &mut DbConnection, code: &Code) -> Result<bool, RepoError> {
        let found: i64 = job_centres::table
            .filter(job_centres::code.eq(code.as_str()))
            .count()
            .get_result(conn)?;
        Ok(found > 0)
    }

    pub fn activity_type_exists(conn: &mut DbConnection, code: &Code) -> Result<bool, RepoError> {
        let found: i64 = activity_types::table
            .filter(activity_types::code.eq(code.as_str()))
            .count()
            .get_result(conn)?;
        Ok(found > 0)
    }

    pub fn district(conn: &mut DbConnection, code: &Code) -> Result<District, RepoError> {
        let (district, centre): (DistrictRow, JobCentreRow) = districts::table
            .inner_join(job_centres::table)
            .filter(districts::code.eq(code.as_str()))
            .select((DistrictRow::as_select(), JobCentreRow::as_select()))
            .first(conn)?;
        district.into_domain(&centre)
    }

    /// Adds a district, with its audit record and event. Call inside a write transaction.
    pub fn create_district(
        conn: &mut DbConnection,
        acting: &ActingContext,
        new: &NewDistrict,
    ) -> Result<District, RepoError> {
        let last: Option<i32> = districts::table
            .select(diesel::dsl::max(districts::sort_order))
            .first(conn)?;
        diesel::insert_into(districts::table)
            .values(NewDistrictRow {
                code: new.code.as_str(),
                name: new.name.as_str(),
                job_centre_code: new.job_centre_code.as_str(),
                sort_order: last.unwrap_or(0) + 1,
                version: 1,
            })
            .execute(conn)?;
        let district = Self::district(conn, &new.code)?;
        record_district_change(conn, acting, &district, "district.created")?;
        Ok(district)
    }

    /// Changes a district if it is still at `expected_version`. Call inside a write transaction.
    pub fn update_district(
        conn: &mut DbConnection,
        acting: &ActingContext,
        code: &Code,
        expected_version: i32,
        changes: &DistrictChanges,
    ) -> Result<District, RepoError> {
        let version = versioned::advance(conn, VersionedRow::District(code.as_str()), expected_version)?;
        diesel::update(districts::table.filter(districts::code.eq(code.as_str())))
            .set(DistrictChangeset {
                name: changes.name.as_ref().map(ReferenceName::as_str),
                job_centre_code: changes.job_centre_code.as_ref().map(Code::as_str),
                version,
            })
            .execute(conn)?;
        let district = Self::district(conn, code)?;
        record_district_change(conn, acting, &district, "district.updated")?;
        Ok(district)
    }
}

fn record_district_change(
    conn: &mut DbConnection,
    acting: &ActingContext,
    district: &District,
    event_type: &str,
) -> Result<(), RepoError> {
    let id = district.code.as_str();
    audit::record(
        conn,
        acting,
        &AuditEntry {
            action: event_type,
            resource_type: DISTRICT,
            resource_id: id,
            participant_id: None,
        },
    )?;
    events::append(
        conn,
        acting,
        &NewEvent {
            event_type,
            resource_type: DISTRICT,
            resource_id: id,
            resource_version: district.version,
            scope: EventScope {
                jobbtorg: Some(district.job_centre_code.to_string()),
                district: Some(id.to_owned()),
                ..EventScope::default()
            },
        },
    )
}
