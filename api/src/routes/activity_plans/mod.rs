//! Activity plans: drafted by the coach with the participant, decided by the home district.

mod dto;
mod handlers;

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::NaiveDate;
use domain::activity_plan::{ActivityPlan, PlanError, PlanRuleError};
use domain::participant::Participant;
use persistence::audit::ActingContext;
use persistence::repos::{ParticipantRepo, PlanRepo};
use persistence::DbConnection;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use dto::PlanResponse;

use crate::auth::Authenticated;
use crate::concurrency::{etag, IfMatch};
use crate::problem::{ApiError, FieldErrors};
use crate::routes::participants::scope_for;
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

pub(crate) fn plan_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound {
        resource: "activity plan",
    })
}

/// Plan rule errors as problems: a transition not allowed now is 409 naming the status; a broken
/// rule is 422 on its field.
pub(crate) fn plan_error(error: PlanError) -> ApiError {
    let field = match &error {
        PlanError::Transition(t) => {
            return ApiError::Conflict {
                code: "invalid_transition",
                detail: format!("{t}; current status: {}.", t.from),
            };
        }
        PlanError::NoSuchActivity => return ApiError::NotFound { resource: "activity" },
        PlanError::Rule(
            PlanRuleError::EndsBeforeStart
            | PlanRuleError::TooLong { .. }
            | PlanRuleError::PastParticipationLimit { .. },
        ) => "valid_to",
        PlanError::Rule(PlanRuleError::ActivityEndsBeforeStart | PlanRuleError::ActivityOutsidePlan { .. }) => {
            "ends_on"
        }
        PlanError::Rule(PlanRuleError::Hours) => "hours_per_week",
        PlanError::NoActivities => "activities",
        PlanError::ReasonRequired => "reason",
        PlanError::FollowUpStatus => "status",
        PlanError::DiscontinuedReasonRequired => "discontinued_reason",
    };
    let mut errors = FieldErrors::default();
    errors.add(field, "rule", error.to_string());
    ApiError::Validation(errors.into_vec())
}

pub(crate) fn plan_response(
    plan: &ActivityPlan,
    participant: &Participant,
    today: NaiveDate,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(plan.version)))
        .json(PlanResponse::new(plan, participant, today))
}

/// The plan and its participant if the caller may `action` it; 404 otherwise.
pub(crate) fn load_scoped(
    conn: &mut DbConnection,
    id: Uuid,
    scope: &domain::access::ListScope,
) -> Result<(ActivityPlan, Participant), ApiError> {
    let plan = PlanRepo::get(conn, id).map_err(|e| ApiError::from(e).for_resource("activity plan"))?;
    let participant = ParticipantRepo::get(conn, plan.participant_id, scope)
        .map_err(|e| ApiError::from(e).for_resource("activity plan"))?;
    Ok((plan, participant))
}

/// What a change does: the action the caller needs the right for, and the event it records.
pub(crate) struct Step {
    pub action: domain::access::Action,
    pub event: &'static str,
}

type AfterSave =
    Box<dyn FnOnce(&mut DbConnection, &ActivityPlan, &Participant, &ActingContext) -> Result<(), ApiError> + Send>;

/// Applies `decide` to the plan at the `If-Match` version and stores it, then runs `after` in
/// the same transaction (e.g. superseding the plan a revision replaces).
pub(crate) async fn change_plan<F>(
    caller: &Authenticated,
    raw_id: &str,
    if_match: IfMatch,
    step: Step,
    state: &AppState,
    decide: F,
    after: Option<AfterSave>,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(ActivityPlan, &Participant) -> Result<ActivityPlan, ApiError> + Send + 'static,
{
    let today = caller.today();
    let scope = scope_for(&caller.0, step.action)?;
    let id = plan_id(raw_id)?;
    let event_type = step.event;
    let acting = caller.acting();
    let (saved, participant) = crate::write_request::change(state, caller, move |conn| {
        let (plan, participant) = load_scoped(conn, id, &scope)?;
        if plan.version != if_match.0 {
            return Err(ApiError::PreconditionFailed {
                current_version: plan.version,
            });
        }
        let changed = decide(plan.clone(), &participant)?;
        let saved = PlanRepo::save(conn, &acting, &plan, &changed, &participant, event_type)?;
        if let Some(after) = after {
            after(conn, &saved, &participant, &acting)?;
        }
        Ok((saved, participant))
    })
    .await?;
    Ok(plan_response(
        &saved,
        &participant,
        today,
        actix_web::http::StatusCode::OK,
    ))
}

/// Cancels the participant's open plans; called when the participant exits.
pub(crate) fn cancel_open_plans(
    conn: &mut DbConnection,
    acting: &ActingContext,
    participant: &Participant,
    today: NaiveDate,
) -> Result<(), ApiError> {
    for plan in PlanRepo::for_participant(conn, participant.id)?
        .into_iter()
        .filter(|p| p.status_on(today).is_open())
    {
        let cancelled = plan.clone().cancel().map_err(plan_error)?;
        PlanRepo::save(conn, acting, &plan, &cancelled, participant, "activity_plan.cancelled")?;
    }
    Ok(())
}
