//! The work queue (#15): what is due, derived from the data and never stored by hand. Each
//! resource's items come from a pure function here: the participant's own (the plan deadline,
//! the follow-ups at 2 and 8 months, the end of the 548 days), the plan's (the district's
//! decision, the 6-month review, activities past their end without a follow-up), a referral
//! unanswered near its expiry, a claim waiting for the purchaser, an absence report the home
//! district has not seen, and a move waiting for the new district's answer.

use chrono::{Days, NaiveDate};

use crate::activity_plan::{ActivityPlan, ActivityStatus, PlanStatus};
use crate::participant::{Participant, ParticipantStatus};
use crate::referral::{Referral, ReferralStatus, ANSWER_WITHIN_WORKING_DAYS};
use crate::shared::add_working_days;

/// An item is listed from this many days before the 548 days run out.
pub const PARTICIPATION_ENDING_NOTICE_DAYS: u32 = 30;
/// A plan's review (its end, at most 6 months after its start) is listed this many days before.
pub const PLAN_REVIEW_NOTICE_DAYS: u64 = 30;
/// An activity past its end is followed up within this many working days.
pub const ACTIVITY_FOLLOW_UP_WORKING_DAYS: u32 = 5;
/// An unanswered referral is listed from this many days before it expires.
pub const REFERRAL_EXPIRY_NOTICE_DAYS: u64 = 2;
/// The district decides on a submitted plan (other than the first, which has the period's
/// deadline) within this many working days.
pub const PLAN_DECISION_WORKING_DAYS: u32 = 5;
/// The purchaser decides on a payment claim within this many days.
pub const CLAIM_DECISION_DAYS: u64 = 30;
/// The home district looks at an absence report within this many working days.
pub const ABSENCE_SEEN_WORKING_DAYS: u32 = 1;
/// The new district answers a move within this many working days.
pub const TRANSFER_ANSWER_WORKING_DAYS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskKind {
    /// Enrolled without an approved plan: due 5 working days after enrolment.
    PlanDue,
    /// A follow-up at 2 or 8 months after exit, open for recording and not yet recorded.
    FollowUpDue,
    /// 30 days or fewer left of the 548.
    ParticipationEnding,
    /// A submitted plan waiting for the home district's decision.
    PlanAwaitingDecision,
    /// An approved plan nearing or past its review date.
    PlanReviewDue,
    /// An activity of an approved plan past its end without a follow-up.
    ActivityFollowUpDue,
    /// A referral not yet answered, near its expiry.
    ReferralExpiring,
    /// A payment claim waiting for the purchaser.
    ClaimAwaitingDecision,
    /// An absence report the home district has not yet seen.
    AbsenceUnseen,
    /// A move waiting for the new district's answer.
    TransferAwaitingAnswer,
}

impl TaskKind {
    pub const ALL: [TaskKind; 10] = [
        TaskKind::PlanDue,
        TaskKind::FollowUpDue,
        TaskKind::ParticipationEnding,
        TaskKind::PlanAwaitingDecision,
        TaskKind::PlanReviewDue,
        TaskKind::ActivityFollowUpDue,
        TaskKind::ReferralExpiring,
        TaskKind::ClaimAwaitingDecision,
        TaskKind::AbsenceUnseen,
        TaskKind::TransferAwaitingAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::PlanDue => "plan_due",
            TaskKind::FollowUpDue => "follow_up_due",
            TaskKind::ParticipationEnding => "participation_ending",
            TaskKind::PlanAwaitingDecision => "plan_awaiting_decision",
            TaskKind::PlanReviewDue => "plan_review_due",
            TaskKind::ActivityFollowUpDue => "activity_follow_up_due",
            TaskKind::ReferralExpiring => "referral_expiring",
            TaskKind::ClaimAwaitingDecision => "claim_awaiting_decision",
            TaskKind::AbsenceUnseen => "absence_unseen",
            TaskKind::TransferAwaitingAnswer => "transfer_awaiting_answer",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub kind: TaskKind,
    pub due_on: NaiveDate,
    /// `due_on` has passed.
    pub overdue: bool,
    /// For a follow-up: 2 or 8.
    pub months: Option<u32>,
    /// For a plan's activity: which one.
    pub activity_id: Option<uuid::Uuid>,
}

impl Task {
    fn new(kind: TaskKind, due_on: NaiveDate, today: NaiveDate, months: Option<u32>) -> Self {
        Task {
            kind,
            due_on,
            overdue: today > due_on,
            months,
            activity_id: None,
        }
    }

    /// An item due `due_on` for something that happened (was submitted, reported, asked).
    pub fn due(kind: TaskKind, due_on: NaiveDate, today: NaiveDate) -> Self {
        Self::new(kind, due_on, today, None)
    }
}

/// What is due for the participant on `today`, ordered by due date.
pub fn participant_tasks(participant: &Participant, today: NaiveDate) -> Vec<Task> {
    let period = &participant.current;
    let derived = participant.derive(today);
    let mut tasks = Vec::new();
    let in_participation = matches!(
        period.status,
        ParticipantStatus::Enrolled | ParticipantStatus::Interrupted
    );
    if in_participation && period.plan_approved_on.is_none() {
        if let Some(due_on) = period.plan_due_on {
            tasks.push(Task::new(TaskKind::PlanDue, due_on, today, None));
        }
    }
    // Interrupted days do not count, so the last day moves while interrupted; it is listed
    // from the day the days left fall to the notice.
    if in_participation && derived.participation_days_left <= PARTICIPATION_ENDING_NOTICE_DAYS {
        let last_day = today
            .checked_add_days(Days::new(u64::from(derived.participation_days_left.saturating_sub(1))))
            .unwrap_or(today);
        tasks.push(Task::new(TaskKind::ParticipationEnding, last_day, today, None));
    }
    for due in derived.follow_ups_due {
        if !due.recorded && due.opens_on <= today {
            tasks.push(Task::new(TaskKind::FollowUpDue, due.due_on, today, Some(due.months)));
        }
    }
    tasks.sort_by_key(|t| (t.due_on, t.kind));
    tasks
}

/// What is due of a plan of a participation in progress: the district's decision on a
/// submitted plan (by the period's deadline for its first plan, else 5 working days after
/// submission), the review of an approved plan that nothing newer replaces (listed 30 days
/// before its end), and each activity past its end without a follow-up.
pub fn plan_tasks(
    plan: &ActivityPlan,
    participant: &Participant,
    submitted_on: NaiveDate,
    has_newer_plan: bool,
    today: NaiveDate,
) -> Vec<Task> {
    let period = &participant.current;
    if plan.period_id != period.id
        || !matches!(
            period.status,
            ParticipantStatus::Enrolled | ParticipantStatus::Interrupted
        )
    {
        return Vec::new();
    }
    let mut tasks = Vec::new();
    match plan.status {
        PlanStatus::Submitted => {
            let due_on = match (period.plan_approved_on, period.plan_due_on) {
                (None, Some(deadline)) => deadline,
                _ => add_working_days(submitted_on, PLAN_DECISION_WORKING_DAYS),
            };
            tasks.push(Task::due(TaskKind::PlanAwaitingDecision, due_on, today));
        }
        PlanStatus::Approved => {
            let notice = plan
                .valid_to
                .checked_sub_days(Days::new(PLAN_REVIEW_NOTICE_DAYS))
                .unwrap_or(plan.valid_to);
            if !has_newer_plan && today >= notice {
                tasks.push(Task::due(TaskKind::PlanReviewDue, plan.valid_to, today));
            }
            for activity in &plan.activities {
                let open = matches!(activity.status, ActivityStatus::Planned | ActivityStatus::Ongoing);
                if open && activity.ends_on < today {
                    let mut task = Task::due(
                        TaskKind::ActivityFollowUpDue,
                        add_working_days(activity.ends_on, ACTIVITY_FOLLOW_UP_WORKING_DAYS),
                        today,
                    );
                    task.activity_id = Some(activity.id);
                    tasks.push(task);
                }
            }
        }
        _ => {}
    }
    tasks
}

/// A referral still unanswered is listed from 2 days before it expires until it does.
pub fn referral_task(referral: &Referral, today: NaiveDate) -> Option<Task> {
    if referral.status_on(today) != ReferralStatus::Sent {
        return None;
    }
    let expires_on = add_working_days(referral.sent_on, ANSWER_WITHIN_WORKING_DAYS);
    let notice = expires_on
        .checked_sub_days(Days::new(REFERRAL_EXPIRY_NOTICE_DAYS))
        .unwrap_or(expires_on);
    (today >= notice).then(|| Task::due(TaskKind::ReferralExpiring, expires_on, today))
}

/// A claim waiting for the purchaser, due 30 days after it was raised.
pub fn claim_task(raised_on: NaiveDate, today: NaiveDate) -> Task {
    let due_on = raised_on
        .checked_add_days(Days::new(CLAIM_DECISION_DAYS))
        .unwrap_or(raised_on);
    Task::due(TaskKind::ClaimAwaitingDecision, due_on, today)
}

/// An absence report not seen by the home district, due the working day after it came.
pub fn absence_task(reported_on: NaiveDate, today: NaiveDate) -> Task {
    Task::due(
        TaskKind::AbsenceUnseen,
        add_working_days(reported_on, ABSENCE_SEEN_WORKING_DAYS),
        today,
    )
}

/// A move waiting for the new district, due 5 working days after it was asked.
pub fn transfer_task(requested_on: NaiveDate, today: NaiveDate) -> Task {
    Task::due(
        TaskKind::TransferAwaitingAnswer,
        add_working_days(requested_on, TRANSFER_ANSWER_WORKING_DAYS),
        today,
    )
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::participant::fixtures::{day, referred_on};
    use crate::participant::{ExitOutcome, ExitRecord};

    fn enrolled_on(on: NaiveDate) -> Participant {
        referred_on(on).enrol(on, "coach-anna".into(), on).unwrap()
    }

    fn kinds(tasks: &[Task]) -> Vec<(TaskKind, NaiveDate, bool)> {
        tasks.iter().map(|t| (t.kind, t.due_on, t.overdue)).collect()
    }

    #[test]
    fn a_referred_person_has_nothing_due() {
        assert!(participant_tasks(&referred_on(day(2026, 11, 2)), day(2026, 11, 20)).is_empty());
    }

    #[test]
    fn the_plan_is_due_five_working_days_after_enrolment_and_overdue_after() {
        let p = enrolled_on(day(2026, 11, 2));
        assert_eq!(
            kinds(&participant_tasks(&p, day(2026, 11, 9))),
            vec![(TaskKind::PlanDue, day(2026, 11, 9), false)]
        );
        assert_eq!(
            kinds(&participant_tasks(&p, day(2026, 11, 10))),
            vec![(TaskKind::PlanDue, day(2026, 11, 9), true)]
        );
        let mut approved = p;
        approved.current.plan_approved_on = Some(day(2026, 11, 6));
        assert!(participant_tasks(&approved, day(2026, 11, 10)).is_empty());
    }

    #[test]
    fn the_end_of_the_548_days_is_listed_from_30_days_before() {
        let mut p = enrolled_on(day(2025, 6, 1));
        p.current.plan_approved_on = Some(day(2025, 6, 5));
        let used_518 = day(2025, 6, 1) + Days::new(517);
        assert!(participant_tasks(&p, used_518 - Days::new(1)).is_empty());
        let tasks = participant_tasks(&p, used_518);
        assert_eq!(p.derive(used_518).participation_days_left, 30);
        assert_eq!(
            kinds(&tasks),
            vec![(TaskKind::ParticipationEnding, used_518 + Days::new(29), false)]
        );
    }

    #[test]
    fn each_follow_up_is_listed_once_its_window_opens_until_it_is_recorded() {
        let mut p = enrolled_on(day(2026, 1, 5));
        p.current.plan_approved_on = Some(day(2026, 1, 9));
        let record = ExitRecord::new(ExitOutcome::Studies, None, None).unwrap();
        let p = p.exit(day(2026, 3, 2), record, day(2026, 3, 2)).unwrap();
        // Due 2026-05-02; it may be recorded from a week before.
        assert!(participant_tasks(&p, day(2026, 4, 24)).is_empty());
        assert_eq!(
            kinds(&participant_tasks(&p, day(2026, 4, 25))),
            vec![(TaskKind::FollowUpDue, day(2026, 5, 2), false)]
        );
        assert_eq!(participant_tasks(&p, day(2026, 4, 25))[0].months, Some(2));
        let overdue = participant_tasks(&p, day(2026, 5, 3));
        assert_eq!(kinds(&overdue), vec![(TaskKind::FollowUpDue, day(2026, 5, 2), true)]);
        let done = p
            .record_follow_up(Uuid::from_u128(4), 2, day(2026, 5, 3), true, None, day(2026, 5, 3))
            .unwrap();
        assert!(participant_tasks(&done, day(2026, 5, 3)).is_empty());
        // The 8-month one opens a week before 2026-11-02.
        assert_eq!(
            kinds(&participant_tasks(&done, day(2026, 10, 26))),
            vec![(TaskKind::FollowUpDue, day(2026, 11, 2), false)]
        );
    }

    fn plan_of(p: &Participant, status: PlanStatus, valid_to: NaiveDate, activity_ends: NaiveDate) -> ActivityPlan {
        use crate::activity_plan::{Activity, ProviderKind};
        use crate::shared::Code;
        ActivityPlan {
            id: Uuid::from_u128(50),
            participant_id: p.id,
            period_id: p.current.id,
            number: 1,
            status,
            valid_from: day(2026, 11, 2),
            valid_to,
            goal: "Arbete".into(),
            goal_ssyk: None,
            wishes: None,
            revision_of: None,
            version: 1,
            activities: vec![Activity {
                id: Uuid::from_u128(51),
                activity_type: Code::parse("work_training").unwrap(),
                description: "Praktik".into(),
                provider_kind: ProviderKind::OwnRegime,
                starts_on: day(2026, 11, 2),
                ends_on: activity_ends,
                hours_per_week: 30,
                expected_result: None,
                status: crate::activity_plan::ActivityStatus::Ongoing,
                follow_up_result: None,
                followed_up_on: None,
                discontinued_reason: None,
                replaced_by: None,
            }],
            decisions: Vec::new(),
        }
    }

    #[test]
    fn a_submitted_first_plan_is_due_for_decision_by_the_period_deadline() {
        let p = enrolled_on(day(2026, 11, 2));
        let plan = plan_of(&p, PlanStatus::Submitted, day(2027, 4, 30), day(2026, 12, 31));
        let tasks = plan_tasks(&plan, &p, day(2026, 11, 4), false, day(2026, 11, 5));
        assert_eq!(
            kinds(&tasks),
            vec![(TaskKind::PlanAwaitingDecision, day(2026, 11, 9), false)]
        );
    }

    #[test]
    fn an_activity_past_its_end_without_follow_up_and_a_plan_near_review_are_listed() {
        let mut p = enrolled_on(day(2026, 11, 2));
        p.current.plan_approved_on = Some(day(2026, 11, 4));
        let plan = plan_of(&p, PlanStatus::Approved, day(2026, 12, 20), day(2026, 11, 20));
        // On Friday 20 November the activity ends today: nothing yet; review notice from 20 Nov.
        assert_eq!(
            kinds(&plan_tasks(&plan, &p, day(2026, 11, 4), false, day(2026, 11, 20))),
            vec![(TaskKind::PlanReviewDue, day(2026, 12, 20), false)]
        );
        let tasks = plan_tasks(&plan, &p, day(2026, 11, 4), true, day(2026, 11, 23));
        // Due 5 working days after the end: Friday 27 November.
        assert_eq!(
            kinds(&tasks),
            vec![(TaskKind::ActivityFollowUpDue, day(2026, 11, 27), false)]
        );
        assert_eq!(tasks[0].activity_id, Some(Uuid::from_u128(51)));
    }

    #[test]
    fn nothing_of_a_plan_is_due_once_the_participation_has_ended() {
        let mut p = enrolled_on(day(2026, 11, 2));
        p.current.status = ParticipantStatus::Exited;
        let plan = plan_of(&p, PlanStatus::Submitted, day(2027, 4, 30), day(2026, 12, 31));
        assert!(plan_tasks(&plan, &p, day(2026, 11, 4), false, day(2026, 11, 5)).is_empty());
    }

    #[test]
    fn every_kind_has_a_code_that_parses_back() {
        for kind in TaskKind::ALL {
            assert_eq!(TaskKind::parse(kind.as_str()), Some(kind));
        }
    }
}
