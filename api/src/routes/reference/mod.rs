//! Reference data: job centres, districts, target groups, activity types and exit outcomes.

mod code_lists;
mod districts;

use actix_web::{get, web};
use domain::reference::{ActivityType, District, ExitOutcome, JobCentre};
use persistence::repos::ReferenceRepo;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Authenticated;
use crate::problem::ApiError;
use crate::request_scope::language;
use crate::state::AppState;
use domain::labels::reference_label;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_job_centres)
        .service(list_districts)
        .service(districts::get_district)
        .service(districts::create_district)
        .service(districts::update_district)
        .service(list_target_groups)
        .service(list_activity_types)
        .service(list_exit_outcomes)
        .service(code_lists::list_code_lists)
        .service(code_lists::get_code_list);
}

/// A job centre and the districts it serves.
#[derive(Serialize, ToSchema)]
pub struct JobbtorgResponse {
    #[schema(example = "jarva")]
    pub id: String,
    #[schema(example = "Jobbtorg Järva")]
    pub name: String,
    #[schema(example = "Kista")]
    pub located_in: String,
    #[schema(example = json!(["rinkeby-kista", "spanga-tensta"]))]
    pub district_ids: Vec<String>,
}

/// A home district and the job centre that serves it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DistrictResponse {
    #[schema(example = "rinkeby-kista")]
    pub id: String,
    #[schema(example = "Rinkeby-Kista")]
    pub name: String,
    #[schema(example = "jarva")]
    pub jobbtorg_id: String,
    #[schema(example = "Jobbtorg Järva")]
    pub jobbtorg_name: String,
    /// Increases with every change; also sent as the `ETag`.
    #[schema(example = 1)]
    pub version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct TargetGroupResponse {
    #[schema(example = "sfi_student")]
    pub id: String,
    #[schema(example = "SFI-studerande")]
    pub name: String,
    /// The name in the language asked for (`Accept-Language`: `sv` default, `en`).
    #[schema(example = "SFI-studerande")]
    pub label: String,
    pub description: String,
    /// 1 or 2; phase 2 groups are open for intake only when configured.
    #[schema(example = 1, minimum = 1, maximum = 2)]
    pub phase: i32,
    /// Whether intake may use this group on this server.
    pub enabled: bool,
    /// Derived from other facts (age at intake) and never sent by clients.
    pub derived: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityTypeResponse {
    #[schema(example = "work_training")]
    pub id: String,
    #[schema(example = "Arbetsträning")]
    pub name: String,
    /// The name in the language asked for (`Accept-Language`: `sv` default, `en`).
    #[schema(example = "Arbetsträning")]
    pub label: String,
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExitOutcomeResponse {
    #[schema(example = "employment")]
    pub id: String,
    #[schema(example = "Arbete")]
    pub name: String,
    /// The name in the language asked for (`Accept-Language`: `sv` default, `en`).
    #[schema(example = "Arbete")]
    pub label: String,
    pub description: String,
    /// An exit with this outcome must state employment form, extent and wage subsidy.
    pub requires_employment_details: bool,
    /// An exit with this outcome must give a free-text reason.
    pub requires_reason: bool,
}

/// The complete list; reference data is small and not paginated.
#[derive(Serialize, ToSchema)]
pub struct JobbtorgList {
    pub items: Vec<JobbtorgResponse>,
}

#[derive(Serialize, ToSchema)]
pub struct DistrictList {
    pub items: Vec<DistrictResponse>,
}

#[derive(Serialize, ToSchema)]
pub struct TargetGroupList {
    pub items: Vec<TargetGroupResponse>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityTypeList {
    pub items: Vec<ActivityTypeResponse>,
}

#[derive(Serialize, ToSchema)]
pub struct ExitOutcomeList {
    pub items: Vec<ExitOutcomeResponse>,
}

/// List job centres
///
/// The five job centres with the districts each serves.
#[utoipa::path(tag = "reference", security(("bearer" = [])), responses((status = 200, description = "The job centres.", body = JobbtorgList)))]
#[get("/jobbtorg")]
async fn list_job_centres(
    _caller: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<JobbtorgList>, ApiError> {
    let centres = state.db(|conn| Ok(ReferenceRepo::job_centres(conn)?)).await?;
    Ok(web::Json(JobbtorgList {
        items: centres.into_iter().map(JobbtorgResponse::from).collect(),
    }))
}

/// List districts
///
/// Every home district with the job centre that serves it.
#[utoipa::path(tag = "reference", security(("bearer" = [])), responses((status = 200, description = "The districts.", body = DistrictList)))]
#[get("/districts")]
async fn list_districts(
    _caller: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<DistrictList>, ApiError> {
    let districts = state.db(|conn| Ok(ReferenceRepo::districts(conn)?)).await?;
    Ok(web::Json(DistrictList {
        items: districts.into_iter().map(DistrictResponse::from).collect(),
    }))
}

/// List target groups
///
/// With their phase and whether intake may use them on this server.
#[utoipa::path(tag = "reference", security(("bearer" = [])), params(crate::http::docs::AcceptLanguageHeader), responses((status = 200, description = "The target groups.", body = TargetGroupList)))]
#[get("/target-groups")]
async fn list_target_groups(
    _caller: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<TargetGroupList>, ApiError> {
    let enabled_phase = state.config.target_group_phase;
    let groups = state.db(|conn| Ok(ReferenceRepo::target_groups(conn)?)).await?;
    let items = groups
        .into_iter()
        .map(|group| TargetGroupResponse {
            enabled: group.is_enabled(enabled_phase),
            phase: group.phase.number(),
            label: reference_label(group.code.as_str(), &group.name, language()),
            id: group.code.to_string(),
            name: group.name,
            description: group.description,
            derived: group.derived,
        })
        .collect();
    Ok(web::Json(TargetGroupList { items }))
}

/// List activity types
///
/// The activity catalogue plans are built from.
#[utoipa::path(tag = "reference", security(("bearer" = [])), params(crate::http::docs::AcceptLanguageHeader), responses((status = 200, description = "The activity types.", body = ActivityTypeList)))]
#[get("/activity-types")]
async fn list_activity_types(
    _caller: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<ActivityTypeList>, ApiError> {
    let types = state.db(|conn| Ok(ReferenceRepo::activity_types(conn)?)).await?;
    Ok(web::Json(ActivityTypeList {
        items: types.into_iter().map(ActivityTypeResponse::from).collect(),
    }))
}

/// List exit outcomes
///
/// The coded outcomes a participation ends with; there is no "unknown".
#[utoipa::path(tag = "reference", security(("bearer" = [])), params(crate::http::docs::AcceptLanguageHeader), responses((status = 200, description = "The exit outcomes.", body = ExitOutcomeList)))]
#[get("/exit-outcomes")]
async fn list_exit_outcomes(
    _caller: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<ExitOutcomeList>, ApiError> {
    let outcomes = state.db(|conn| Ok(ReferenceRepo::exit_outcomes(conn)?)).await?;
    Ok(web::Json(ExitOutcomeList {
        items: outcomes.into_iter().map(ExitOutcomeResponse::from).collect(),
    }))
}

impl From<JobCentre> for JobbtorgResponse {
    fn from(centre: JobCentre) -> Self {
        Self {
            id: centre.code.to_string(),
            name: centre.name,
            located_in: centre.located_in,
            district_ids: centre.district_codes.iter().map(ToString::to_string).collect(),
        }
    }
}

impl From<District> for DistrictResponse {
    fn from(district: District) -> Self {
        Self {
            id: district.code.to_string(),
            name: district.name,
            jobbtorg_id: district.job_centre_code.to_string(),
            jobbtorg_name: district.job_centre_name,
            version: district.version,
        }
    }
}

impl From<ActivityType> for ActivityTypeResponse {
    fn from(activity: ActivityType) -> Self {
        Self {
            label: reference_label(activity.code.as_str(), &activity.name, language()),
            id: activity.code.to_string(),
            name: activity.name,
            description: activity.description,
        }
    }
}

impl From<ExitOutcome> for ExitOutcomeResponse {
    fn from(outcome: ExitOutcome) -> Self {
        Self {
            label: reference_label(outcome.code.as_str(), &outcome.name, language()),
            id: outcome.code.to_string(),
            name: outcome.name,
            description: outcome.description,
            requires_employment_details: outcome.requires_employment_details,
            requires_reason: outcome.requires_reason,
        }
    }
}
