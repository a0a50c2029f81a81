//! Wire types of activity plans.

use chrono::{DateTime, NaiveDate, Utc};
use domain::activity_plan::{follow_up_overdue, full_time_warning, weekly_hours, Activity, ActivityPlan};
use domain::participant::Participant;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::http::limits;
use crate::ops::plans::INTRODUCTION_GROUP;

pub fn is_introduction<'a>(mut groups: impl Iterator<Item = &'a str>) -> bool {
    groups.any(|g| g == INTRODUCTION_GROUP)
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanRequest {
    #[schema(example = "2026-12-01")]
    pub valid_from: NaiveDate,
    /// At most 6 months after `valid_from` (the same day is allowed) and within the 18 months.
    #[schema(example = "2027-05-31")]
    pub valid_to: NaiveDate,
    /// The long-term employment goal.
    #[schema(example = "Permanent job in warehouse logistics", min_length = 1, max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub goal: String,
    /// SSYK 2012 occupation code of the goal.
    #[schema(example = "9332", pattern = r"^[0-9]{1,4}$")]
    pub goal_ssyk: Option<String>,
    /// The participant's own wishes.
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub wishes: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlanRequest {
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub goal: Option<String>,
    #[schema(pattern = r"^[0-9]{1,4}$")]
    pub goal_ssyk: Option<String>,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub wishes: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ActivityRequest {
    /// A code from `/v1/activity-types`.
    #[schema(example = "work_training", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub activity_type: String,
    #[schema(example = "Work training at the city's depot", min_length = 1, max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub description: String,
    /// `own_regime`, `arbetsformedlingen` or `external`.
    #[schema(value_type = crate::codes::ActivityProviderKindCode, example = "own_regime")]
    pub provider_kind: String,
    #[schema(example = "2026-12-01")]
    pub starts_on: NaiveDate,
    #[schema(example = "2027-02-28")]
    pub ends_on: NaiveDate,
    #[schema(example = 30, minimum = 1, maximum = 40)]
    #[serde(deserialize_with = "crate::http::numbers::whole_number")]
    #[validate(range(min = 1, max = 40))]
    pub hours_per_week: u32,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub expected_result: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReturnPlanRequest {
    /// Why the district returns the plan.
    #[schema(
        example = "Too few hours for a participant with introduction benefit",
        min_length = 1,
        max_length = 2000
    )]
    #[validate(length(max = limits::TEXT_MAX))]
    pub reason: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ActivityFollowUpRequest {
    #[schema(example = "Completed; offered a summer job", min_length = 1, max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub result: String,
    #[schema(example = "2027-03-01")]
    pub followed_up_on: NaiveDate,
    /// `completed` or `discontinued`.
    #[schema(value_type = crate::codes::ActivityFollowUpCode, example = "completed")]
    pub status: String,
    /// Required when discontinued (e.g. no results).
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub discontinued_reason: Option<String>,
    /// The activity that replaces a discontinued one.
    pub replaced_by: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityResponse {
    pub id: String,
    #[schema(example = "work_training")]
    pub activity_type: String,
    pub description: String,
    #[schema(value_type = crate::codes::ActivityProviderKindCode)]
    pub provider_kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours_per_week: u32,
    pub expected_result: Option<String>,
    /// `planned`, `ongoing`, `completed` or `discontinued`.
    #[schema(value_type = crate::codes::ActivityStatusCode)]
    pub status: String,
    pub follow_up_result: Option<String>,
    pub followed_up_on: Option<NaiveDate>,
    /// Past its end without a follow-up.
    pub follow_up_overdue: bool,
    pub discontinued_reason: Option<String>,
    pub replaced_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    pub id: String,
    /// `approved` or `returned`.
    #[schema(value_type = crate::codes::PlanDecisionCode)]
    pub decision: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
    pub reason: Option<String>,
    /// The plan version the decision concerned.
    pub plan_version: i32,
    /// SHA-256 of the plan content the decision concerned.
    pub content_hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeeklyHoursResponse {
    pub week_starting: NaiveDate,
    pub hours: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanResponse {
    pub id: String,
    pub participant_id: String,
    /// 1, 2, 3 … per participant; a revision gets the next number.
    pub plan_number: i32,
    pub version: i32,
    /// `draft`, `submitted`, `approved`, `returned`, `superseded`, `completed` or `cancelled`.
    #[schema(value_type = crate::codes::PlanStatusCode, example = "draft")]
    pub status: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// When the plan is to be reviewed (omprövning): its end.
    pub review_due_on: NaiveDate,
    pub goal: String,
    pub goal_ssyk: Option<String>,
    pub wishes: Option<String>,
    pub revision_of: Option<String>,
    pub activities: Vec<ActivityResponse>,
    pub weekly_hours: Vec<WeeklyHoursResponse>,
    /// Weeks an introduction participant is planned below 40 hours (full-day planning).
    pub full_time_warning_weeks: Vec<NaiveDate>,
    pub decisions: Vec<DecisionResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanList {
    pub items: Vec<PlanResponse>,
    /// Pass as `cursor` for the next page; null on the last page (always null for one
    /// participant's plans).
    pub next_cursor: Option<String>,
}

fn activity_response(a: &Activity, today: NaiveDate) -> ActivityResponse {
    ActivityResponse {
        id: a.id.to_string(),
        activity_type: a.activity_type.to_string(),
        description: a.description.clone(),
        provider_kind: a.provider_kind.as_str().into(),
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        hours_per_week: a.hours_per_week,
        expected_result: a.expected_result.clone(),
        status: a.status.as_str().into(),
        follow_up_result: a.follow_up_result.clone(),
        followed_up_on: a.followed_up_on,
        follow_up_overdue: follow_up_overdue(a, today),
        discontinued_reason: a.discontinued_reason.clone(),
        replaced_by: a.replaced_by.map(|r| r.to_string()),
    }
}

impl PlanResponse {
    pub fn new(plan: &ActivityPlan, participant: &Participant, today: NaiveDate) -> Self {
        Self::with_groups(
            plan,
            is_introduction(participant.current.target_groups.iter().map(|g| g.as_str())),
            today,
        )
    }

    /// `introduction`: the participant has introduction benefit and is planned full days.
    pub fn with_groups(plan: &ActivityPlan, introduction: bool, today: NaiveDate) -> Self {
        let weeks = weekly_hours(&plan.activities, plan.valid_from, plan.valid_to);
        Self {
            id: plan.id.to_string(),
            participant_id: plan.participant_id.to_string(),
            plan_number: plan.number,
            version: plan.version,
            status: plan.status_on(today).to_string(),
            valid_from: plan.valid_from,
            valid_to: plan.valid_to,
            review_due_on: plan.valid_to,
            goal: plan.goal.clone(),
            goal_ssyk: plan.goal_ssyk.clone(),
            wishes: plan.wishes.clone(),
            revision_of: plan.revision_of.map(|r| r.to_string()),
            activities: plan.activities.iter().map(|a| activity_response(a, today)).collect(),
            full_time_warning_weeks: full_time_warning(introduction, &weeks),
            weekly_hours: weeks
                .iter()
                .map(|w| WeeklyHoursResponse {
                    week_starting: w.week_starting,
                    hours: w.hours,
                })
                .collect(),
            decisions: plan
                .decisions
                .iter()
                .map(|d| DecisionResponse {
                    id: d.id.to_string(),
                    decision: d.kind.as_str().into(),
                    decided_by: d.decided_by.clone(),
                    decided_at: d.decided_at.and_utc(),
                    reason: d.reason.clone(),
                    plan_version: d.plan_version,
                    content_hash: d.content_hash.clone(),
                })
                .collect(),
        }
    }
}
