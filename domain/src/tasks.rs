//! The work queue (#15): what is due for a participant, derived from the data and never stored
//! by hand. These are the participant's own items: the plan deadline, the follow-ups at 2 and 8
//! months, and the end of the 548 days. The items of plans, referrals, claims and absences
//! come with those resources.
// TODO(#15): GET /v1/tasks over these, with the plan, referral, claim and absence items.

use chrono::{Days, NaiveDate};

use crate::participant::{Participant, ParticipantStatus};

/// An item is listed from this many days before the 548 days run out.
pub const PARTICIPATION_ENDING_NOTICE_DAYS: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskKind {
    /// Enrolled without an approved plan: due 5 working days after enrolment.
    PlanDue,
    /// A follow-up at 2 or 8 months after exit, open for recording and not yet recorded.
    FollowUpDue,
    /// 30 days or fewer left of the 548.
    ParticipationEnding,
}

impl TaskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::PlanDue => "plan_due",
            TaskKind::FollowUpDue => "follow_up_due",
            TaskKind::ParticipationEnding => "participation_ending",
        }
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
}

impl Task {
    fn new(kind: TaskKind, due_on: NaiveDate, today: NaiveDate, months: Option<u32>) -> Self {
        Task {
            kind,
            due_on,
            overdue: today > due_on,
            months,
        }
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
}
