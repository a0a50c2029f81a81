//! The clocks: the 5-working-day deadline for an approved plan, the 18-month (548-day) cap on
//! participation, and the follow-ups 2 and 8 months after exit.

use chrono::{Days, Months, NaiveDate};

use crate::shared::add_working_days;

/// At most 18 months of participation, counted in days.
pub const MAX_PARTICIPATION_DAYS: u32 = 548;
/// An activity plan is due within this many working days of enrolment.
pub const PLAN_DEADLINE_WORKING_DAYS: u32 = 5;
/// Follow-ups are made this many months after exit.
pub const FOLLOW_UP_MONTHS: [u32; 2] = [2, 8];
/// A follow-up may be recorded this many days before its due date (a call the week before
/// counts), never earlier: it is the check that the person is still self-supporting.
pub const FOLLOW_UP_EARLY_DAYS: u64 = 7;

/// A district may record an intake it decided up to this many days ago (last Friday's decision
/// entered on Monday), never one dated in the future.
pub const INTAKE_BACKDATE_DAYS: u64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IntakeDateError {
    #[error("the district's decision may not be dated in the future")]
    InFuture,
    #[error("the district's decision may be at most {INTAKE_BACKDATE_DAYS} days old (from {earliest})")]
    TooOld { earliest: NaiveDate },
}

/// The intake's date: the district's decision date, today when none is given.
pub fn intake_date(decided_on: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, IntakeDateError> {
    let decided_on = decided_on.unwrap_or(today);
    let earliest = today.checked_sub_days(Days::new(INTAKE_BACKDATE_DAYS)).unwrap_or(today);
    if decided_on > today {
        Err(IntakeDateError::InFuture)
    } else if decided_on < earliest {
        Err(IntakeDateError::TooOld { earliest })
    } else {
        Ok(decided_on)
    }
}

/// Days from `start` up to `end`, both inclusive; an open end runs to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Interval {
    /// Days of this interval on or before `today`, both ends included.
    fn days_until(self, today: NaiveDate) -> i64 {
        let end = self.end.map_or(today, |end| end.min(today));
        (end - self.start).num_days().max(-1) + 1
    }
}

pub fn plan_due_on(enrolled_on: NaiveDate) -> NaiveDate {
    add_working_days(enrolled_on, PLAN_DEADLINE_WORKING_DAYS)
}

/// Enrolled days across all periods, less interrupted days; never negative.
///
/// `periods` run from enrolment to the last day before exit (open while enrolled);
/// `interruptions` from their first day to the last day before resuming (open while interrupted).
pub fn participation_days_used(periods: &[Interval], interruptions: &[Interval], today: NaiveDate) -> u32 {
    let enrolled: i64 = periods.iter().map(|p| p.days_until(today)).sum();
    let interrupted: i64 = interruptions.iter().map(|i| i.days_until(today)).sum();
    u32::try_from((enrolled - interrupted).max(0)).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUpDue {
    pub months: u32,
    pub due_on: NaiveDate,
    /// The first day it may be recorded.
    pub opens_on: NaiveDate,
    pub recorded: bool,
}

/// The day the `months`-month follow-up of an exit on `exited_on` falls due, and the first day
/// it may be recorded; `None` for months that are not a follow-up.
pub fn follow_up_window(exited_on: NaiveDate, months: u32) -> Option<(NaiveDate, NaiveDate)> {
    if !FOLLOW_UP_MONTHS.contains(&months) {
        return None;
    }
    let due_on = exited_on.checked_add_months(Months::new(months))?;
    let opens_on = due_on.checked_sub_days(Days::new(FOLLOW_UP_EARLY_DAYS))?;
    Some((due_on, opens_on))
}

/// Whether a `months`-month follow-up made on `followed_up_on` is one that was due: only such a
/// follow-up may be recorded, and only such a follow-up earns a result payment.
pub fn follow_up_was_due(exited_on: NaiveDate, months: u32, followed_up_on: NaiveDate) -> bool {
    follow_up_window(exited_on, months).is_some_and(|(_, opens_on)| followed_up_on >= opens_on)
}

/// The 2- and 8-month follow-ups of an exit on `exited_on`, and whether each is recorded.
pub fn follow_ups_due(exited_on: NaiveDate, recorded_months: &[u32]) -> Vec<FollowUpDue> {
    FOLLOW_UP_MONTHS
        .iter()
        .filter_map(|&months| {
            let (due_on, opens_on) = follow_up_window(exited_on, months)?;
            Some(FollowUpDue {
                months,
                due_on,
                opens_on,
                recorded: recorded_months.contains(&months),
            })
        })
        .collect()
}

/// The last day of an interval that ended on `next_start` (exclusive end made inclusive).
pub fn day_before(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(1)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn open(start: NaiveDate) -> Interval {
        Interval { start, end: None }
    }

    fn closed(start: NaiveDate, end: NaiveDate) -> Interval {
        Interval { start, end: Some(end) }
    }

    #[test]
    fn the_plan_is_due_five_working_days_after_enrolment() {
        assert_eq!(plan_due_on(day(2026, 11, 23)), day(2026, 11, 30));
        assert_eq!(plan_due_on(day(2026, 12, 21)), day(2026, 12, 30));
    }

    #[test]
    fn an_open_period_counts_up_to_and_including_today() {
        let today = day(2026, 11, 23);
        assert_eq!(participation_days_used(&[open(today)], &[], today), 1);
        assert_eq!(participation_days_used(&[open(day(2026, 11, 1))], &[], today), 23);
        assert_eq!(
            participation_days_used(&[open(day(2026, 12, 1))], &[], today),
            0,
            "not started yet"
        );
    }

    #[test]
    fn interrupted_days_do_not_count() {
        let today = day(2026, 3, 31);
        let period = open(day(2026, 1, 1)); // 90 days to 31 March
        let sick = closed(day(2026, 2, 1), day(2026, 2, 10)); // 10 days
        let parental = open(day(2026, 3, 22)); // 10 days to today
        assert_eq!(participation_days_used(&[period], &[sick, parental], today), 70);
    }

    #[test]
    fn days_add_up_across_periods_with_interruptions() {
        let today = day(2027, 6, 30);
        let first = closed(day(2025, 1, 1), day(2025, 12, 31)); // 365
        let first_break = closed(day(2025, 6, 1), day(2025, 6, 30)); // 30
        let second = open(day(2027, 1, 1)); // 181 days to 30 June 2027
        let second_break = closed(day(2027, 3, 1), day(2027, 3, 31)); // 31
        let used = participation_days_used(&[first, second], &[first_break, second_break], today);
        assert_eq!(used, 365 - 30 + 181 - 31);
        assert_eq!(used, 485);
        assert!(used < MAX_PARTICIPATION_DAYS);
        let later = day(2027, 9, 2);
        assert_eq!(
            participation_days_used(&[first, second], &[first_break, second_break], later),
            549
        );
    }

    #[test]
    fn follow_ups_fall_two_and_eight_months_after_exit() {
        let due = follow_ups_due(day(2026, 8, 31), &[2]);
        assert_eq!(
            due,
            vec![
                FollowUpDue {
                    months: 2,
                    due_on: day(2026, 10, 31),
                    opens_on: day(2026, 10, 24),
                    recorded: true
                },
                FollowUpDue {
                    months: 8,
                    due_on: day(2027, 4, 30),
                    opens_on: day(2027, 4, 23),
                    recorded: false
                },
            ]
        );
    }

    #[test]
    fn a_follow_up_is_due_from_a_week_before_its_date_and_never_on_the_day_of_exit() {
        let exit = day(2026, 8, 31);
        assert!(!follow_up_was_due(exit, 2, exit));
        assert!(!follow_up_was_due(exit, 8, exit));
        assert!(!follow_up_was_due(exit, 2, day(2026, 10, 23)));
        assert!(follow_up_was_due(exit, 2, day(2026, 10, 24)));
        assert!(follow_up_was_due(exit, 2, day(2027, 1, 5)), "late is still a follow-up");
        assert!(!follow_up_was_due(exit, 8, day(2026, 10, 24)));
        assert!(follow_up_was_due(exit, 8, day(2027, 4, 23)));
        assert!(!follow_up_was_due(exit, 3, day(2027, 4, 23)), "no 3-month follow-up");
    }

    #[test]
    fn an_intake_is_dated_by_the_districts_decision_up_to_30_days_back() {
        let today = day(2026, 12, 2);
        assert_eq!(intake_date(None, today), Ok(today));
        assert_eq!(intake_date(Some(day(2026, 11, 27)), today), Ok(day(2026, 11, 27)));
        assert_eq!(intake_date(Some(day(2026, 11, 2)), today), Ok(day(2026, 11, 2)));
        assert_eq!(
            intake_date(Some(day(2026, 11, 1)), today),
            Err(IntakeDateError::TooOld {
                earliest: day(2026, 11, 2)
            })
        );
        assert_eq!(
            intake_date(Some(day(2026, 12, 3)), today),
            Err(IntakeDateError::InFuture)
        );
    }
}
