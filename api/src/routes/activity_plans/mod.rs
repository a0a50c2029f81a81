//! Activity plans: drafted by the coach with the participant, decided by the home district.

use crate::http::wire::plans as dto;
mod handlers;

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::NaiveDate;
use domain::access::{Action, ListScope};
use domain::ids::PlanId;
use persistence::DbConnection;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::PlanResponse;

use crate::auth::Authenticated;
use crate::concurrency::{etag, IfMatch};
use crate::ops::plans::{PlanAt, PlanOf};
use crate::ops::{Context, OpError};
use crate::problem::ApiError;
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(handlers::create_plan)
        .service(handlers::list_plans)
        .service(handlers::plan_history)
        .service(handlers::list_participant_plans)
        .service(handlers::get_plan)
        .service(handlers::update_plan)
        .service(handlers::add_activity)
        .service(handlers::update_activity)
        .service(handlers::remove_activity)
        .service(handlers::submit_plan)
        .service(handlers::approve_plan)
        .service(handlers::return_plan)
        .service(handlers::revise_plan)
        .service(handlers::follow_up_activity);
}

pub(crate) fn plan_id(raw: &str) -> Result<PlanId, ApiError> {
    PlanId::parse(raw).ok_or(ApiError::NotFound {
        resource: "activity plan",
    })
}

pub(crate) fn plan_response(
    (plan, participant): &PlanOf,
    today: NaiveDate,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(plan.version)))
        .json(PlanResponse::new(plan, participant, today))
}

/// Runs one plan operation on the plan at the `If-Match` version, as a write request of a
/// caller who may `action`, and answers with the changed plan.
pub(crate) async fn change_plan<F>(
    caller: &Authenticated,
    state: &AppState,
    action: Action,
    (raw_id, if_match): (&str, IfMatch),
    operation: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection, &Context, &ListScope, PlanAt) -> Result<PlanOf, OpError> + Send + 'static,
{
    let at = (plan_id(raw_id)?, if_match);
    let changed = crate::write_request::change_at(state, caller, action, at, operation).await?;
    Ok(plan_response(&changed, caller.today(), actix_web::http::StatusCode::OK))
}
