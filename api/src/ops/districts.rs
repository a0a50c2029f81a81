//! Districts (stadsdelsförvaltningar) and the job centre that serves each: reference data the
//! administrator keeps.

use domain::reference::{District, DistrictChanges, NewDistrict};
use domain::shared::Code;
use persistence::repos::ReferenceRepo;
use persistence::{DbConnection, RepoError};

use super::{invalid, Context, OpError};

fn ensure_job_centre(conn: &mut DbConnection, code: &Code) -> Result<(), OpError> {
    if ReferenceRepo::job_centre_exists(conn, code)? {
        Ok(())
    } else {
        Err(invalid(
            "jobbtorg_id",
            "unknown",
            format!("no job centre has the id {code}"),
        ))
    }
}

/// Adds a district served by an existing job centre; its code is unique.
pub fn create(conn: &mut DbConnection, ctx: &Context, new: &NewDistrict) -> Result<District, OpError> {
    ensure_job_centre(conn, &new.job_centre_code)?;
    ReferenceRepo::create_district(conn, &ctx.acting(), new).map_err(|e| match e {
        RepoError::Conflict { .. } => OpError::Conflict {
            code: "already_exists",
            detail: format!("A district with the id {} already exists.", new.code),
        },
        other => other.into(),
    })
}

/// Renames the district `code` at `expected`, or moves it to another job centre.
pub fn change(
    conn: &mut DbConnection,
    ctx: &Context,
    (code, expected): (&Code, i32),
    changes: &DistrictChanges,
) -> Result<District, OpError> {
    if let Some(job_centre) = &changes.job_centre_code {
        ensure_job_centre(conn, job_centre)?;
    }
    ReferenceRepo::update_district(conn, &ctx.acting(), code, expected, changes)
        .map_err(|e| OpError::from(e).for_resource("district"))
}
