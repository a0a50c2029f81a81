//! Activity plans: drawn up with the participant, approved or returned by the home district as a
//! recorded decision bound to the exact version it saw, revised, reviewed after at most 6 months.

mod drafting;
mod plan;
mod rules;
mod status;

pub use drafting::{may_draft_new_plan, may_revise, DraftRefusal};
pub use plan::{ActivityFollowUp, ActivityPlan, Decision, DecisionKind, PlanChanges, PlanError};
pub use rules::{
    check_activity_dates, check_plan_period, follow_up_overdue, full_time_warning, weekly_hours, Activity,
    ActivityStatus, PlanRuleError, ProviderKind, WeeklyHours, FULL_TIME_HOURS, MAX_PLAN_MONTHS,
};
pub use status::{PlanAction, PlanStatus, PlanTransitionError};
