//! The plan endpoints. Each change needs `If-Match` with the plan's ETag.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use domain::access::Action;
use domain::activity_plan::{Activity, ActivityFollowUp, ActivityStatus, PlanChanges, PlanStatus, ProviderKind};
use domain::participant::validate_ssyk;
use domain::shared::{clean_text, Code};
use persistence::repos::{ParticipantRepo, PlanRepo};
use uuid::Uuid;
use validator::Validate;

use super::change_plan;
use super::dto::{
    ActivityFollowUpRequest, ActivityRequest, CreatePlanRequest, PlanList, PlanResponse, ReturnPlanRequest,
    UpdatePlanRequest,
};
use crate::auth::Authenticated;
use crate::concurrency::{etag, IfMatch};
use crate::http::history;
use crate::http::limits;
use crate::http::paging::{query_enum, Page};
use crate::http::scope_for;
use crate::http::valid::{Valid, ValidQuery};
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::history::HistoryOf;
use crate::ops::plans::{self, NewPlan};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;
use domain::ids::ActivityId;
use persistence::repos::activity_plan::PlanFilter;

use crate::http::text::TEXT_MAX;

fn optional(errors: &mut FieldErrors, field: &str, value: Option<String>) -> Option<String> {
    value.and_then(|v| {
        if v.trim().is_empty() {
            None
        } else {
            errors.check(field, "invalid_format", clean_text(&v, TEXT_MAX))
        }
    })
}

fn ssyk(errors: &mut FieldErrors, value: Option<String>) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty());
    if let Err(e) = validate_ssyk(value.as_deref()) {
        errors.add("goal_ssyk", "invalid_format", e.to_string());
    }
    value
}

fn parse_activity(body: ActivityRequest, id: Uuid) -> Result<Activity, ApiError> {
    let mut errors = FieldErrors::default();
    let activity_type = errors.check("activity_type", "invalid_format", Code::parse(&body.activity_type));
    let description = errors.check("description", "invalid_format", clean_text(&body.description, TEXT_MAX));
    let provider_kind = errors.check(
        "provider_kind",
        "invalid_value",
        ProviderKind::parse(&body.provider_kind).ok_or("use own_regime, arbetsformedlingen or external"),
    );
    let expected_result = optional(&mut errors, "expected_result", body.expected_result);
    Ok(errors.finish(|| {
        Some(Activity {
            id,
            activity_type: activity_type?,
            description: description?,
            provider_kind: provider_kind?,
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            hours_per_week: body.hours_per_week,
            expected_result,
            status: ActivityStatus::Planned,
            follow_up_result: None,
            followed_up_on: None,
            discontinued_reason: None,
            replaced_by: None,
        })
    })?)
}

impl CreatePlanRequest {
    /// The draft the request describes, checked for shape.
    fn parse(self) -> Result<NewPlan, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let goal = errors.check("goal", "invalid_format", clean_text(&body.goal, TEXT_MAX));
        let goal_ssyk = ssyk(&mut errors, body.goal_ssyk);
        let wishes = optional(&mut errors, "wishes", body.wishes);
        let new = errors.finish(|| {
            Some(NewPlan {
                valid_from: body.valid_from,
                valid_to: body.valid_to,
                goal: goal?,
                goal_ssyk,
                wishes,
            })
        })?;
        Ok(new)
    }
}

/// Draw up a new activity plan
///
/// By the coach, for an enrolled participant without an open plan (revise an approved plan
/// instead). Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = CreatePlanRequest,
    responses(
        (status = 201, description = "The draft plan.", body = PlanResponse,
            headers(("ETag" = String, description = "The plan's version"), ("Location" = String, description = "The plan's URL"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/{participant_id}/activity-plans")]
pub async fn create_plan(
    caller: Authenticated,
    path: web::Path<String>,
    key: IdempotencyKey,
    body: Valid<CreatePlanRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let _today = caller.today();
    let scope = scope_for(&caller.0, Action::ManageParticipation)?;
    let participant_id = crate::http::paging::path_id(&path, "participant")?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let new = body.into_inner().parse()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let (plan, participant) = plans::draft(conn, &ctx, &scope, participant_id, new)?;
        idempotency::created(
            &PlanResponse::new(&plan, &participant, ctx.today()),
            Some(etag(plan.version)),
            Some(format!("/v1/activity-plans/{}", plan.id)),
        )
    })
    .await
}

/// List a participant's plans
///
/// Every version, newest first.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The plans.", body = PlanList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/activity-plans")]
pub async fn list_participant_plans(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<PlanList>, ApiError> {
    let today = caller.today();
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let participant_id = crate::http::paging::path_id(&path, "participant")?;
    let (participant, plans) = state
        .read(&caller, move |conn, ctx| {
            let participant = ParticipantRepo::get(conn, participant_id, &scope)?;
            ParticipantRepo::audit_read(conn, &ctx.acting(), "activity_plan.list", &[participant_id])?;
            Ok((participant, PlanRepo::for_participant(conn, participant_id)?))
        })
        .await
        .map_err(|e| e.for_resource("participant"))?;
    Ok(web::Json(PlanList {
        items: plans
            .iter()
            .map(|p| PlanResponse::new(p, &participant, today))
            .collect(),
        next_cursor: None,
    }))
}

/// Get an activity plan
///
/// With weekly hours, the full-day warning for introduction participants, activities whose
/// follow-up is overdue, and the decisions.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan.", body = PlanResponse, headers(("ETag" = String, description = "The plan's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/activity-plans/{plan_id}")]
pub async fn get_plan(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = super::plan_id(&path)?;
    let plan = state
        .read(&caller, move |conn, ctx| {
            Ok(plans::read(conn, ctx, &scope, id, "activity_plan.read")?)
        })
        .await?;
    Ok(super::plan_response(&plan, caller.today(), StatusCode::OK))
}

impl UpdatePlanRequest {
    /// The changes the request names, checked for shape.
    fn parse(self) -> Result<PlanChanges, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let goal = body
            .goal
            .map(|g| errors.check("goal", "invalid_format", clean_text(&g, TEXT_MAX)));
        let goal_ssyk = body.goal_ssyk.map(|s| ssyk(&mut errors, Some(s)));
        let wishes = body.wishes.map(|w| optional(&mut errors, "wishes", Some(w)));
        let changes = errors.finish(|| {
            Some(PlanChanges {
                valid_from: body.valid_from,
                valid_to: body.valid_to,
                goal: goal.map(|g| g.ok_or(())).transpose().ok()?,
                goal_ssyk,
                wishes,
            })
        })?;
        Ok(changes)
    }
}

/// Change a draft or returned plan
///
/// The coach changes the goal, wishes or validity of a plan that is a draft or was returned by the
/// district; `If-Match` names the version seen. An approved plan is changed through a revision
/// (`POST .../revise`).
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The plan's id"), crate::http::docs::IfMatchHeader),
    request_body = UpdatePlanRequest,
    responses(
        (status = 200, description = "The changed plan.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[patch("/activity-plans/{plan_id}")]
pub async fn update_plan(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<UpdatePlanRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let changes = body.into_inner().parse()?;
    change_plan(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        move |conn, ctx, scope, at| plans::edit(conn, ctx, scope, at, changes),
    )
    .await
}

/// Add an activity to a draft or returned plan
///
/// Adds one time-bound activity (type from `/v1/activity-types`, provider kind, dates within the
/// plan, hours per week) to a draft or returned plan; `If-Match` names the plan's version. Answers
/// the whole plan.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The plan's id"), crate::http::docs::IfMatchHeader),
    request_body = ActivityRequest,
    responses(
        (status = 200, description = "The plan with the activity.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/activity-plans/{plan_id}/activities")]
pub async fn add_activity(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<ActivityRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let activity = parse_activity(body.into_inner(), Uuid::now_v7())?;
    change_plan(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        move |conn, ctx, scope, at| plans::add_activity(conn, ctx, scope, at, activity),
    )
    .await
}

/// Change an activity of a draft or returned plan
///
/// Changes an activity of a draft or returned plan; fields left out are kept. `If-Match` names the
/// plan's version. Answers the whole plan.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(
        ("plan_id" = String, Path, description = "The plan's id"),
        ("activity_id" = String, Path, description = "The activity's id"),
        crate::http::docs::IfMatchHeader,
    ),
    request_body = ActivityRequest,
    responses(
        (status = 200, description = "The plan with the changed activity.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[patch("/activity-plans/{plan_id}/activities/{activity_id}")]
pub async fn update_activity(
    caller: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Valid<ActivityRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (raw_plan, raw_activity) = path.into_inner();
    let activity_id = Uuid::parse_str(&raw_activity).map_err(|_| ApiError::NotFound { resource: "activity" })?;
    let activity = parse_activity(body.into_inner(), activity_id)?;
    change_plan(
        &caller,
        &state,
        Action::ManageParticipation,
        (&raw_plan, if_match),
        move |conn, ctx, scope, at| plans::replace_activity(conn, ctx, scope, at, activity),
    )
    .await
}

/// Remove an activity from a draft or returned plan
///
/// Removes an activity from a draft or returned plan; `If-Match` names the plan's version. Answers
/// the whole plan.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(
        ("plan_id" = String, Path, description = "The plan's id"),
        ("activity_id" = String, Path, description = "The activity's id"),
        crate::http::docs::IfMatchHeader,
    ),
    responses(
        (status = 200, description = "The plan without the activity.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 400, response = crate::http::docs::BadRequestResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[delete("/activity-plans/{plan_id}/activities/{activity_id}")]
pub async fn remove_activity(
    caller: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (raw_plan, raw_activity) = path.into_inner();
    let activity_id = ActivityId::parse(&raw_activity).ok_or(ApiError::NotFound { resource: "activity" })?;
    change_plan(
        &caller,
        &state,
        Action::ManageParticipation,
        (&raw_plan, if_match),
        move |conn, ctx, scope, at| plans::remove_activity(conn, ctx, scope, at, activity_id),
    )
    .await
}

/// Submit the plan to the home district
///
/// 409 unless draft or returned; 422 without activities.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The plan's id"), crate::http::docs::IfMatchHeader),
    responses(
        (status = 200, description = "The submitted plan.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 400, response = crate::http::docs::BadRequestResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/activity-plans/{plan_id}/submit")]
pub async fn submit_plan(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    change_plan(
        &caller,
        &state,
        Action::ManageParticipation,
        (&path, if_match),
        plans::submit,
    )
    .await
}

/// Approve the plan (home district)
///
/// Only an officer of the participant's home district. The decision is recorded with the plan
/// version and a hash of its content; a stale `If-Match` fails with 412, so nothing is approved
/// that the officer did not see. Approving a revision supersedes the plan it replaces.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The plan's id"), crate::http::docs::IfMatchHeader),
    responses(
        (status = 200, description = "The approved plan.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 400, response = crate::http::docs::BadRequestResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/activity-plans/{plan_id}/approve")]
pub async fn approve_plan(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    change_plan(&caller, &state, Action::DecidePlan, (&path, if_match), plans::approve).await
}

/// Return the plan (home district)
///
/// With a reason; recorded like an approval. The coach edits and resubmits.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The plan's id"), crate::http::docs::IfMatchHeader),
    request_body = ReturnPlanRequest,
    responses(
        (status = 200, description = "The returned plan.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/activity-plans/{plan_id}/return")]
pub async fn return_plan(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<ReturnPlanRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let reason = errors.check("reason", "invalid_format", clean_text(&body.reason, TEXT_MAX));
    let reason = errors.finish(|| reason)?;
    change_plan(
        &caller,
        &state,
        Action::DecidePlan,
        (&path, if_match),
        move |conn, ctx, scope, at| plans::send_back(conn, ctx, scope, at, reason),
    )
    .await
}

/// Revise an approved plan
///
/// Copies it into a new draft with the next plan number; the approved plan stays in force until
/// the revision is approved, then it is superseded. Responds with the new draft.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The approved plan's id"), crate::http::docs::IfMatchHeader),
    responses(
        (status = 201, description = "The new draft.", body = PlanResponse,
            headers(("ETag" = String, description = "The draft's version"), ("Location" = String, description = "The draft's URL"))),
        (status = 400, response = crate::http::docs::BadRequestResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/activity-plans/{plan_id}/revise")]
pub async fn revise_plan(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::ManageParticipation)?;
    let at = (super::plan_id(&path)?, if_match.0);
    let ctx = caller.context();
    let draft =
        crate::write_request::change(&state, &caller, move |conn| Ok(plans::revise(conn, &ctx, &scope, at)?)).await?;
    let mut response = super::plan_response(&draft, caller.today(), StatusCode::CREATED);
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/activity-plans/{}", draft.0.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

impl ActivityFollowUpRequest {
    /// The follow-up the request describes, checked for shape; it may not be dated after `today`.
    fn parse(self, today: chrono::NaiveDate) -> Result<ActivityFollowUp, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let result = errors.check("result", "invalid_format", clean_text(&body.result, TEXT_MAX));
        let status = errors.check(
            "status",
            "invalid_value",
            ActivityStatus::parse(&body.status).ok_or("use completed or discontinued"),
        );
        let discontinued_reason = optional(&mut errors, "discontinued_reason", body.discontinued_reason);
        if body.followed_up_on > today {
            errors.add("followed_up_on", "in_future", "may not be in the future");
        }
        let follow_up = errors.finish(|| {
            Some(ActivityFollowUp {
                result: result?,
                on: body.followed_up_on,
                status: status?,
                discontinued_reason,
                replaced_by: body.replaced_by,
            })
        })?;
        Ok(follow_up)
    }
}

/// Follow up an activity
///
/// The result when the activity ends: `completed`, or `discontinued` with the reason and
/// what replaces it. Required before an activity counts as completed.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(
        ("plan_id" = String, Path, description = "The plan's id"),
        ("activity_id" = String, Path, description = "The activity's id"),
        crate::http::docs::IfMatchHeader,
    ),
    request_body = ActivityFollowUpRequest,
    responses(
        (status = 200, description = "The plan with the follow-up.", body = PlanResponse, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/activity-plans/{plan_id}/activities/{activity_id}/follow-up")]
pub async fn follow_up_activity(
    caller: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Valid<ActivityFollowUpRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (raw_plan, raw_activity) = path.into_inner();
    let activity_id = ActivityId::parse(&raw_activity).ok_or(ApiError::NotFound { resource: "activity" })?;
    let follow_up = body.into_inner().parse(caller.today())?;
    change_plan(
        &caller,
        &state,
        Action::ManageParticipation,
        (&raw_plan, if_match),
        move |conn, ctx, scope, at| plans::follow_up_activity(conn, ctx, scope, at, activity_id, follow_up),
    )
    .await
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// `draft`, `submitted`, `approved`, `returned`, `superseded`, `completed` or `cancelled`.
    #[param(value_type = Option<crate::codes::PlanStatusCode>, example = "approved")]
    pub status: Option<String>,
    /// Plans due for review (omprövning) on or before this date: their `valid_to`.
    #[param(example = "2027-01-31")]
    pub review_due_before: Option<chrono::NaiveDate>,
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub cursor: Option<String>,
}

/// List activity plans
///
/// The plans of the current participations you may see (a coach or manager: their job centre;
/// a district officer: their district), e.g. `?status=approved&review_due_before=…` for the plans
/// due for review, or `?status=submitted` for a district's decisions to make.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(PlanQuery),
    responses((status = 200, description = "A page of plans.", body = PlanList))
)]
#[get("/activity-plans")]
pub async fn list_plans(
    caller: Authenticated,
    query: ValidQuery<PlanQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<PlanList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let query = query.into_inner();
    let page = Page::parse(query.limit, query.cursor)?;
    let filter = PlanFilter {
        status: query_enum(
            query.status,
            "status",
            PlanStatus::parse,
            "draft, submitted, approved, returned, superseded, completed, cancelled",
        )?,
        review_due_on_or_before: query.review_due_before,
    };
    let (plans, introduction) = state
        .read(&caller, move |conn, ctx| {
            Ok(plans::list(conn, ctx, &scope, &filter, page)?)
        })
        .await?;
    let items = plans
        .iter()
        .map(|p| PlanResponse::with_groups(p, introduction.contains(&p.period_id), caller.today()))
        .collect();
    Ok(web::Json(PlanList {
        items,
        next_cursor: page.next_cursor(&plans, |p| p.id),
    }))
}

/// Field-level history of a plan
///
/// Every change to the plan, field by field, with who made it and when; fields the caller may not
/// read are left out. The read is recorded in the participant's access log.
#[utoipa::path(
    tag = "activity-plans",
    security(("bearer" = [])),
    params(("plan_id" = String, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The changes, oldest first.", body = crate::http::history::HistoryList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/activity-plans/{plan_id}/history")]
pub async fn plan_history(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<crate::http::history::HistoryList>, ApiError> {
    let of = HistoryOf::Plan(super::plan_id(&path)?);
    history::respond(&state, &caller, Action::ReadParticipant, of).await
}
