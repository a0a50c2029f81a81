//! The work queue: what is due for the caller, derived from the data.

use actix_web::{get, web};
use chrono::NaiveDate;
use domain::access::{sees_identity, Identity, IdentityField};
use domain::shared::Code;
use domain::tasks::TaskKind;
use persistence::repos::referral::ParticipantCard;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::Authenticated;
use crate::http::limits;
use crate::http::valid::ValidQuery;
use crate::ops::tasks::{self, TaskFilter, TaskItem};
use crate::problem::ApiError;
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_tasks);
}

/// The number of items answered when `limit` is not given.
pub(crate) const DEFAULT_TASKS: i64 = 100;

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// Only items of this kind (the counts still cover every kind).
    #[param(value_type = Option<crate::codes::TaskKindCode>, example = "plan_due")]
    pub kind: Option<String>,
    /// Only items due before this day.
    #[param(example = "2026-12-31")]
    pub due_before: Option<NaiveDate>,
    /// Another coach's items (a coach sees their own by default; a manager the centre's).
    #[param(example = "coach-anna")]
    #[validate(length(min = 1, max = limits::NAME_MAX), custom(function = "crate::http::text::clean_filter_text"))]
    pub coach_id: Option<String>,
    #[param(example = "jarva", pattern = r"^[a-z0-9_-]{1,64}$")]
    pub jobbtorg_id: Option<String>,
    #[param(example = "rinkeby-kista", pattern = r"^[a-z0-9_-]{1,64}$")]
    pub district_id: Option<String>,
    /// At most this many items (default 100).
    #[param(minimum = 1, maximum = 200, example = 100)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
}

impl TaskQuery {
    fn into_filter(self) -> Result<(TaskFilter, usize), ApiError> {
        let code = |raw: Option<String>, name: &str| {
            raw.map(|r| Code::parse(&r).map_err(|_| ApiError::InvalidQuery(format!("{name} is not a valid id"))))
                .transpose()
        };
        let kind = self
            .kind
            .map(|k| TaskKind::parse(&k).ok_or_else(|| ApiError::InvalidQuery(format!("unknown kind {k:?}"))))
            .transpose()?;
        let filter = TaskFilter {
            kind,
            due_before: self.due_before,
            coach: self.coach_id,
            jobbtorg: code(self.jobbtorg_id, "jobbtorg_id")?,
            district: code(self.district_id, "district_id")?,
        };
        let limit = self.limit.unwrap_or(DEFAULT_TASKS).clamp(1, limits::PAGE_MAX);
        Ok((filter, usize::try_from(limit).unwrap_or(1)))
    }
}

/// Who an item is about: the name where the caller may see it, else the pseudonym.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskParticipant {
    pub id: String,
    #[schema(example = "Amina Hassan")]
    pub display_name: String,
    #[schema(example = "P-7Q2K")]
    pub pseudonym: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskResponse {
    #[schema(value_type = crate::codes::TaskKindCode, example = "plan_due")]
    pub kind: String,
    pub due_on: NaiveDate,
    /// `due_on` has passed.
    pub overdue: bool,
    pub participant: Option<TaskParticipant>,
    /// The resource to act on, e.g. `/v1/participants/{id}`.
    #[schema(example = "/v1/participants/0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e21")]
    pub resource: String,
    #[schema(example = "participant")]
    pub resource_type: String,
    /// For a follow-up: 2 or 8.
    pub months: Option<u32>,
    /// For an activity: which one of the plan.
    pub activity_id: Option<String>,
    pub coach_id: Option<String>,
    pub jobbtorg_id: Option<String>,
    pub district_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskCount {
    #[schema(value_type = crate::codes::TaskKindCode)]
    pub kind: String,
    pub count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    /// By due date, the most urgent first.
    pub items: Vec<TaskResponse>,
    /// Items per kind after every filter but `kind`.
    pub counts: Vec<TaskCount>,
    /// Items after every filter, before `limit`.
    pub total: usize,
}

fn participant(item: &TaskItem, cards: &[ParticipantCard], caller: &Authenticated) -> Option<TaskParticipant> {
    let id = item.participant_id?.to_string();
    let card = cards.iter().find(|c| c.id == id)?;
    let home = Code::parse(&card.home_district).ok();
    let named = item.named
        && home.as_ref().is_some_and(|home_district| {
            let identity = Identity {
                protected: card.protected_identity,
                coach: card.coach.as_deref(),
                home_district,
            };
            sees_identity(&caller.0, &identity, IdentityField::Name)
        });
    Some(TaskParticipant {
        id,
        display_name: if named {
            format!("{} {}", card.first_name, card.last_name)
        } else {
            card.pseudonym.clone()
        },
        pseudonym: card.pseudonym.clone(),
    })
}

fn response(item: &TaskItem, cards: &[ParticipantCard], caller: &Authenticated) -> TaskResponse {
    let (kind, id) = item.resource;
    let path = match kind {
        "participant" => "participants",
        "activity_plan" => "activity-plans",
        "referral" => "referrals",
        "claim" => "claims",
        "transfer" => "transfers",
        _ => "absences",
    };
    let resource = match (kind, item.participant_id) {
        ("absence", Some(participant)) => format!("/v1/participants/{participant}/absences"),
        _ => format!("/v1/{path}/{id}"),
    };
    TaskResponse {
        kind: item.task.kind.as_str().to_owned(),
        due_on: item.task.due_on,
        overdue: item.task.overdue,
        participant: participant(item, cards, caller),
        resource,
        resource_type: kind.to_owned(),
        months: item.task.months,
        activity_id: item.task.activity_id.map(|a| a.to_string()),
        coach_id: item.coach.clone(),
        jobbtorg_id: item.jobbtorg.as_ref().map(ToString::to_string),
        district_id: item.district.as_ref().map(ToString::to_string),
    }
}

/// The work queue
///
/// What is due for you, derived from the data: for a coach their participants' plan deadlines,
/// plan reviews, activities past their end without a follow-up, referrals near expiry,
/// follow-ups and the last 30 of the 548 days (a manager: the whole centre's); for a district
/// officer plans waiting for a decision, absence reports not yet seen and moves to answer; for
/// a provider referrals to answer; for the purchaser claims to decide. Each item is scoped like
/// the resource it points to; a person is named where you may see the name.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = [])),
    params(TaskQuery),
    responses(
        (status = 200, description = "The items due.", body = TaskList),
        (status = 400, response = crate::http::docs::BadRequestResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
    )
)]
#[get("/tasks")]
pub async fn list_tasks(
    caller: Authenticated,
    query: ValidQuery<TaskQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<TaskList>, ApiError> {
    let (filter, limit) = query.into_inner().into_filter()?;
    let found = state
        .read(&caller, move |conn, ctx| Ok(tasks::list(conn, ctx, &filter)?))
        .await?;
    Ok(web::Json(TaskList {
        total: found.items.len(),
        items: found
            .items
            .iter()
            .take(limit)
            .map(|item| response(item, &found.cards, &caller))
            .collect(),
        counts: found
            .counts
            .iter()
            .map(|(kind, count)| TaskCount {
                kind: kind.as_str().to_owned(),
                count: *count,
            })
            .collect(),
    }))
}
