//! The plan aggregate and what can happen to it, as pure functions.

use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;

use super::rules::{check_activity_dates, check_plan_period, Activity, ActivityStatus, PlanRuleError};
use super::status::{PlanAction, PlanStatus, PlanTransitionError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionKind {
    Approved,
    Returned,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Approved => "approved",
            DecisionKind::Returned => "returned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [DecisionKind::Approved, DecisionKind::Returned]
            .into_iter()
            .find(|d| d.as_str() == raw)
    }
}

/// The district's decision, bound to the exact version and content it concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: Uuid,
    pub kind: DecisionKind,
    pub decided_by: String,
    pub decided_at: NaiveDateTime,
    pub reason: Option<String>,
    pub plan_version: i32,
    pub content_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityPlan {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub period_id: Uuid,
    /// 1 for the first plan of a participant, then 2, 3 … for each new plan or revision.
    pub number: i32,
    pub status: PlanStatus,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// The long-term employment goal.
    pub goal: String,
    pub goal_ssyk: Option<String>,
    /// The participant's own wishes.
    pub wishes: Option<String>,
    /// The approved plan this one revises.
    pub revision_of: Option<Uuid>,
    pub version: i32,
    pub activities: Vec<Activity>,
    pub decisions: Vec<Decision>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// 409.
    #[error(transparent)]
    Transition(#[from] PlanTransitionError),
    /// 422 on a field.
    #[error(transparent)]
    Rule(#[from] PlanRuleError),
    /// 422: a plan is submitted with at least one activity.
    #[error("a plan needs at least one activity before it is submitted")]
    NoActivities,
    /// 404.
    #[error("the plan has no such activity")]
    NoSuchActivity,
    /// 422.
    #[error("a return needs a reason")]
    ReasonRequired,
    /// 422.
    #[error("a follow-up ends the activity as completed or discontinued")]
    FollowUpStatus,
    /// 422.
    #[error("a discontinued activity records why")]
    DiscontinuedReasonRequired,
}

/// Changes to a draft or returned plan; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanChanges {
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub goal: Option<String>,
    pub goal_ssyk: Option<Option<String>>,
    pub wishes: Option<Option<String>>,
}

/// The end of a finished activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFollowUp {
    pub result: String,
    pub on: NaiveDate,
    pub status: ActivityStatus,
    pub discontinued_reason: Option<String>,
    pub replaced_by: Option<Uuid>,
}

impl ActivityPlan {
    fn transition(&mut self, action: PlanAction) -> Result<(), PlanError> {
        self.status = self.status.apply(action)?;
        Ok(())
    }

    fn check_all(&self, last_participation_day: NaiveDate) -> Result<(), PlanError> {
        check_plan_period(self.valid_from, self.valid_to, last_participation_day)?;
        for a in &self.activities {
            check_activity_dates(a.starts_on, a.ends_on, a.hours_per_week, self.valid_from, self.valid_to)?;
        }
        Ok(())
    }

    /// A new draft; `last_participation_day` is the last day of the participant's 548.
    pub fn draft(mut self, last_participation_day: NaiveDate) -> Result<Self, PlanError> {
        self.status = PlanStatus::Draft;
        self.check_all(last_participation_day)?;
        Ok(self)
    }

    pub fn edit(mut self, changes: PlanChanges, last_participation_day: NaiveDate) -> Result<Self, PlanError> {
        self.transition(PlanAction::Edit)?;
        let PlanChanges {
            valid_from,
            valid_to,
            goal,
            goal_ssyk,
            wishes,
        } = changes;
        self.valid_from = valid_from.unwrap_or(self.valid_from);
        self.valid_to = valid_to.unwrap_or(self.valid_to);
        self.goal = goal.unwrap_or(self.goal);
        self.goal_ssyk = goal_ssyk.unwrap_or(self.goal_ssyk);
        self.wishes = wishes.unwrap_or(self.wishes);
        self.check_all(last_participation_day)?;
        Ok(self)
    }

    pub fn add_activity(mut self, activity: Activity) -> Result<Self, PlanError> {
        self.transition(PlanAction::Edit)?;
        check_activity_dates(
            activity.starts_on,
            activity.ends_on,
            activity.hours_per_week,
            self.valid_from,
            self.valid_to,
        )?;
        self.activities.push(activity);
        Ok(self)
    }

    pub fn replace_activity(mut self, activity: Activity) -> Result<Self, PlanError> {
        self.transition(PlanAction::Edit)?;
        check_activity_dates(
            activity.starts_on,
            activity.ends_on,
            activity.hours_per_week,
            self.valid_from,
            self.valid_to,
        )?;
        let slot = self
            .activities
            .iter_mut()
            .find(|a| a.id == activity.id)
            .ok_or(PlanError::NoSuchActivity)?;
        *slot = activity;
        Ok(self)
    }

    pub fn remove_activity(mut self, id: Uuid) -> Result<Self, PlanError> {
        self.transition(PlanAction::Edit)?;
        let before = self.activities.len();
        self.activities.retain(|a| a.id != id);
        if self.activities.len() == before {
            return Err(PlanError::NoSuchActivity);
        }
        Ok(self)
    }

    pub fn submit(mut self) -> Result<Self, PlanError> {
        self.transition(PlanAction::Submit)?;
        if self.activities.is_empty() {
            return Err(PlanError::NoActivities);
        }
        Ok(self)
    }

    /// The district's decision on the submitted plan; `decision.plan_version` and
    /// `content_hash` must be those of this plan as read.
    pub fn decide(mut self, decision: Decision) -> Result<Self, PlanError> {
        let action = match decision.kind {
            DecisionKind::Approved => PlanAction::Approve,
            DecisionKind::Returned => PlanAction::Return,
        };
        self.transition(action)?;
        if decision.kind == DecisionKind::Returned && decision.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(PlanError::ReasonRequired);
        }
        self.decisions.push(decision);
        Ok(self)
    }

    /// A new draft copying this approved plan; this one stays in force until the copy is approved.
    pub fn revise(&self, id: Uuid, number: i32, new_activity_id: impl Fn() -> Uuid) -> Result<ActivityPlan, PlanError> {
        self.status.apply(PlanAction::Revise)?;
        Ok(ActivityPlan {
            id,
            number,
            status: PlanStatus::Draft,
            revision_of: Some(self.id),
            version: 1,
            activities: self
                .activities
                .iter()
                .map(|a| Activity {
                    id: new_activity_id(),
                    ..a.clone()
                })
                .collect(),
            decisions: Vec::new(),
            ..self.clone()
        })
    }

    /// After a move to another district: the approved plan goes to the new district's decision.
    pub fn reconsider(mut self) -> Result<Self, PlanError> {
        self.transition(PlanAction::Reconsider)?;
        Ok(self)
    }

    pub fn supersede(mut self) -> Result<Self, PlanError> {
        self.transition(PlanAction::Supersede)?;
        Ok(self)
    }

    pub fn cancel(mut self) -> Result<Self, PlanError> {
        self.transition(PlanAction::Cancel)?;
        Ok(self)
    }

    /// Follows up an activity of an approved plan; required before it counts as completed.
    pub fn follow_up_activity(mut self, id: Uuid, follow_up: ActivityFollowUp) -> Result<Self, PlanError> {
        self.transition(PlanAction::FollowUpActivity)?;
        if !matches!(
            follow_up.status,
            ActivityStatus::Completed | ActivityStatus::Discontinued
        ) {
            return Err(PlanError::FollowUpStatus);
        }
        if follow_up.status == ActivityStatus::Discontinued && follow_up.discontinued_reason.is_none() {
            return Err(PlanError::DiscontinuedReasonRequired);
        }
        let activity = self
            .activities
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or(PlanError::NoSuchActivity)?;
        activity.status = follow_up.status;
        activity.follow_up_result = Some(follow_up.result);
        activity.followed_up_on = Some(follow_up.on);
        activity.discontinued_reason = follow_up.discontinued_reason;
        activity.replaced_by = follow_up.replaced_by;
        Ok(self)
    }

    /// A provider started the activity (its referral started): planned becomes ongoing.
    pub fn start_activity(mut self, id: Uuid) -> Result<Self, PlanError> {
        self.transition(PlanAction::FollowUpActivity)?;
        let activity = self
            .activities
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or(PlanError::NoSuchActivity)?;
        if activity.status == ActivityStatus::Planned {
            activity.status = ActivityStatus::Ongoing;
        }
        Ok(self)
    }

    /// The status as of `today`: an approved plan past its end is completed (computed on read, so
    /// no sweeper is needed; the stored status stays `approved`).
    pub fn status_on(&self, today: NaiveDate) -> PlanStatus {
        if self.status == PlanStatus::Approved && self.valid_to < today {
            PlanStatus::Completed
        } else {
            self.status
        }
    }

    /// What a decision is about, as text; its hash binds the decision to this content.
    pub fn canonical_content(&self) -> String {
        let mut lines = vec![
            format!("plan {} v{}", self.id, self.version),
            format!("period {} {}", self.valid_from, self.valid_to),
            format!("goal {} {}", self.goal, self.goal_ssyk.as_deref().unwrap_or("-")),
            format!("wishes {}", self.wishes.as_deref().unwrap_or("-")),
        ];
        for a in &self.activities {
            lines.push(format!(
                "activity {} {} {} {} {} {} {}h {}",
                a.id,
                a.activity_type,
                a.provider_kind.as_str(),
                a.starts_on,
                a.ends_on,
                a.description,
                a.hours_per_week,
                a.expected_result.as_deref().unwrap_or("-")
            ));
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity_plan::ProviderKind;
    use crate::shared::Code;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn plan() -> ActivityPlan {
        ActivityPlan {
            id: Uuid::from_u128(1),
            participant_id: Uuid::from_u128(2),
            period_id: Uuid::from_u128(3),
            number: 1,
            status: PlanStatus::Draft,
            valid_from: day(2026, 12, 1),
            valid_to: day(2027, 5, 31),
            goal: "Warehouse work".into(),
            goal_ssyk: Some("9332".into()),
            wishes: None,
            revision_of: None,
            version: 1,
            activities: vec![],
            decisions: vec![],
        }
    }

    fn activity(id: u128) -> Activity {
        Activity {
            id: Uuid::from_u128(id),
            activity_type: Code::parse("work_training").unwrap(),
            description: "Work training at the depot".into(),
            provider_kind: ProviderKind::OwnRegime,
            starts_on: day(2026, 12, 1),
            ends_on: day(2027, 2, 28),
            hours_per_week: 30,
            expected_result: None,
            status: ActivityStatus::Planned,
            follow_up_result: None,
            followed_up_on: None,
            discontinued_reason: None,
            replaced_by: None,
        }
    }

    fn decision(kind: DecisionKind, reason: Option<&str>) -> Decision {
        Decision {
            id: Uuid::from_u128(9),
            kind,
            decided_by: "officer".into(),
            decided_at: day(2026, 12, 2).and_hms_opt(9, 0, 0).unwrap(),
            reason: reason.map(str::to_owned),
            plan_version: 3,
            content_hash: "h".into(),
        }
    }

    #[test]
    fn draft_submit_return_resubmit_approve_revise() {
        let p = plan().add_activity(activity(10)).unwrap().submit().unwrap();
        assert_eq!(p.status, PlanStatus::Submitted);
        assert!(
            matches!(p.clone().add_activity(activity(11)), Err(PlanError::Transition(_))),
            "submitted plans are not edited"
        );
        assert_eq!(
            p.clone().decide(decision(DecisionKind::Returned, None)),
            Err(PlanError::ReasonRequired)
        );
        let returned = p.decide(decision(DecisionKind::Returned, Some("More hours"))).unwrap();
        assert_eq!(returned.status, PlanStatus::Returned);
        let approved = returned
            .add_activity(activity(11))
            .unwrap()
            .submit()
            .unwrap()
            .decide(decision(DecisionKind::Approved, None))
            .unwrap();
        assert_eq!((approved.status, approved.decisions.len()), (PlanStatus::Approved, 2));
        let revision = approved.revise(Uuid::from_u128(20), 2, Uuid::now_v7).unwrap();
        assert_eq!(
            (revision.status, revision.revision_of, revision.activities.len()),
            (PlanStatus::Draft, Some(approved.id), 2)
        );
        assert!(revision.decisions.is_empty());
        assert_eq!(approved.supersede().unwrap().status, PlanStatus::Superseded);
    }

    #[test]
    fn a_started_referral_makes_the_activity_ongoing_only_in_an_approved_plan() {
        let draft = plan().add_activity(activity(10)).unwrap();
        assert!(matches!(
            draft.clone().start_activity(Uuid::from_u128(10)),
            Err(PlanError::Transition(_))
        ));
        let approved = draft
            .submit()
            .unwrap()
            .decide(decision(DecisionKind::Approved, None))
            .unwrap();
        let started = approved.clone().start_activity(Uuid::from_u128(10)).unwrap();
        assert_eq!(started.activities[0].status, ActivityStatus::Ongoing);
        assert_eq!(started.status, PlanStatus::Approved);
        assert_eq!(
            approved.start_activity(Uuid::from_u128(11)),
            Err(PlanError::NoSuchActivity)
        );
    }

    #[test]
    fn an_approved_plan_past_its_end_reads_as_completed() {
        let approved = plan()
            .add_activity(activity(10))
            .unwrap()
            .submit()
            .unwrap()
            .decide(decision(DecisionKind::Approved, None))
            .unwrap();
        assert_eq!(approved.status_on(day(2027, 5, 31)), PlanStatus::Approved);
        assert_eq!(approved.status_on(day(2027, 6, 1)), PlanStatus::Completed);
        assert_eq!(
            plan().status_on(day(2030, 1, 1)),
            PlanStatus::Draft,
            "only approved plans complete"
        );
    }

    #[test]
    fn a_plan_without_activities_is_not_submitted() {
        assert_eq!(plan().submit(), Err(PlanError::NoActivities));
    }

    #[test]
    fn edits_keep_activities_inside_the_plan() {
        let p = plan().add_activity(activity(10)).unwrap();
        let shorter = PlanChanges {
            valid_to: Some(day(2027, 1, 31)),
            ..PlanChanges::default()
        };
        assert!(matches!(
            p.edit(shorter, day(2028, 1, 1)),
            Err(PlanError::Rule(PlanRuleError::ActivityOutsidePlan { .. }))
        ));
    }

    #[test]
    fn activity_follow_up_completes_or_discontinues_with_a_reason() {
        let approved = plan()
            .add_activity(activity(10))
            .unwrap()
            .submit()
            .unwrap()
            .decide(decision(DecisionKind::Approved, None))
            .unwrap();
        let follow_up = |status, reason: Option<&str>| ActivityFollowUp {
            result: "Done".into(),
            on: day(2027, 3, 1),
            status,
            discontinued_reason: reason.map(str::to_owned),
            replaced_by: None,
        };
        assert_eq!(
            approved
                .clone()
                .follow_up_activity(Uuid::from_u128(10), follow_up(ActivityStatus::Discontinued, None)),
            Err(PlanError::DiscontinuedReasonRequired)
        );
        assert_eq!(
            approved
                .clone()
                .follow_up_activity(Uuid::from_u128(10), follow_up(ActivityStatus::Ongoing, None)),
            Err(PlanError::FollowUpStatus)
        );
        let done = approved
            .follow_up_activity(Uuid::from_u128(10), follow_up(ActivityStatus::Completed, None))
            .unwrap();
        assert_eq!(done.activities[0].status, ActivityStatus::Completed);
        assert_eq!(done.activities[0].followed_up_on, Some(day(2027, 3, 1)));
    }

    #[test]
    fn the_canonical_content_changes_with_the_plan() {
        let a = plan().add_activity(activity(10)).unwrap();
        let mut b = a.clone();
        b.activities[0].hours_per_week = 31;
        assert_ne!(a.canonical_content(), b.canonical_content());
    }
}
