//! Key figures: how the tallies the database aggregates become the published figures, and which
//! cells are suppressed because they would tell something about fewer than five persons.

mod figures;

pub use figures::{ExitTally, FollowUpTally, GroupTally, KeyFigures, PlanTally, MINUTES_PER_DAY};

use crate::code_enum;

code_enum! {
    /// What the key figures are broken down by.
    pub enum GroupBy {
        TargetGroup = "target_group",
        Jobbtorg = "jobbtorg",
        Provider = "provider",
    }
}

/// A cell that counts or is computed from fewer persons than this is suppressed.
pub const MIN_PERSONS: i64 = 5;

/// The longest period one report may cover, in days (ten years).
pub const MAX_PERIOD_DAYS: i64 = 3_660;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period ends before it starts")]
    EndsBeforeStart,
    #[error("the period may be at most {MAX_PERIOD_DAYS} days")]
    TooLong,
}

/// A report covers `from` to `to`, both included, at most `MAX_PERIOD_DAYS` days apart.
pub fn check_period(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<(), PeriodError> {
    if to < from {
        Err(PeriodError::EndsBeforeStart)
    } else if (to - from).num_days() > MAX_PERIOD_DAYS {
        Err(PeriodError::TooLong)
    } else {
        Ok(())
    }
}

/// One published cell: a value, a suppressed value, or nothing to compute it from (no persons).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure<T> {
    pub value: Option<T>,
    pub suppressed: bool,
}

impl<T> Figure<T> {
    pub fn shown(value: T) -> Self {
        Figure {
            value: Some(value),
            suppressed: false,
        }
    }

    pub fn suppressed() -> Self {
        Figure {
            value: None,
            suppressed: true,
        }
    }

    pub fn empty() -> Self {
        Figure {
            value: None,
            suppressed: false,
        }
    }
}

/// Too few to show: more than none, fewer than `MIN_PERSONS`. Zero is shown; it tells nothing
/// about anyone.
fn too_few(persons: i64) -> bool {
    persons > 0 && persons < MIN_PERSONS
}

/// A count of persons (or of their exits, referrals): 1–4 is suppressed.
pub fn count(persons: i64) -> Figure<i64> {
    if too_few(persons) {
        Figure::suppressed()
    } else {
        Figure::shown(persons)
    }
}

/// `part` of `whole` as a share between 0 and 1 (four decimals). Suppressed when either the
/// part or the whole is 1–4 persons, since the share and the whole would give the part away.
pub fn share(part: i64, whole: i64) -> Figure<f64> {
    if whole == 0 {
        Figure::empty()
    } else if too_few(whole) || too_few(part) {
        Figure::suppressed()
    } else {
        Figure::shown(round(part as f64 / whole as f64, 4))
    }
}

/// A total spread over persons (hours, days, money), two decimals; suppressed under
/// `MIN_PERSONS` persons.
pub fn per_person(total: f64, persons: i64) -> Figure<f64> {
    measured(Some(total / persons.max(1) as f64), persons)
}

/// A value the database computed over `persons` (a median, a mean), two decimals.
pub fn measured(value: Option<f64>, persons: i64) -> Figure<f64> {
    match value {
        _ if persons == 0 => Figure::empty(),
        _ if too_few(persons) => Figure::suppressed(),
        Some(value) => Figure::shown(round(value, 2)),
        None => Figure::empty(),
    }
}

/// The working days an activity running from `started_on` to `ended_on` (open: still running)
/// was planned for within `from`–`to`, up to `today`: the days attendance is measured against.
pub fn activity_working_days(
    started_on: chrono::NaiveDate,
    ended_on: Option<chrono::NaiveDate>,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    today: chrono::NaiveDate,
) -> i64 {
    let first = started_on.max(from);
    let last = ended_on.unwrap_or(to).min(to).min(today);
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .filter(|day| crate::shared::is_working_day(*day))
        .count() as i64
}

/// The attendance share (four decimals) of the persons in activities: planned working days
/// less the days reported absent, suppressed under `MIN_PERSONS` persons.
pub fn attendance(planned_days: i64, absent_days: f64, persons: i64) -> Figure<f64> {
    if too_few(persons) {
        return Figure::suppressed();
    }
    let planned = u32::try_from(planned_days).unwrap_or(u32::MAX);
    crate::absence::attendance_share(planned, absent_days).map_or_else(Figure::empty, |v| Figure::shown(round(v, 4)))
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_one_to_four_are_suppressed_and_zero_is_shown() {
        assert_eq!(count(0), Figure::shown(0));
        for n in 1..=4 {
            assert_eq!(count(n), Figure::suppressed(), "{n}");
        }
        assert_eq!(count(5), Figure::shown(5));
    }

    #[test]
    fn a_share_hides_a_small_part_or_whole() {
        assert_eq!(share(0, 0), Figure::empty());
        assert_eq!(share(0, 4), Figure::suppressed());
        assert_eq!(share(3, 20), Figure::suppressed());
        assert_eq!(share(0, 20), Figure::shown(0.0));
        assert_eq!(share(5, 15), Figure::shown(0.3333));
        assert_eq!(share(20, 20), Figure::shown(1.0));
    }

    #[test]
    fn per_person_figures_need_five_persons() {
        assert_eq!(per_person(100.0, 0), Figure::empty());
        assert_eq!(per_person(100.0, 4), Figure::suppressed());
        assert_eq!(per_person(100.0, 6), Figure::shown(16.67));
        assert_eq!(measured(Some(3.5), 5), Figure::shown(3.5));
        assert_eq!(measured(Some(3.5), 2), Figure::suppressed());
    }

    #[test]
    fn a_period_runs_forwards_and_at_most_ten_years() {
        let day = |raw: &str| chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap();
        assert_eq!(check_period(day("2026-01-01"), day("2026-01-01")), Ok(()));
        assert_eq!(
            check_period(day("2026-01-02"), day("2026-01-01")),
            Err(PeriodError::EndsBeforeStart)
        );
        assert_eq!(check_period(day("2016-01-01"), day("2026-01-01")), Ok(()));
        assert_eq!(
            check_period(day("2000-01-01"), day("2026-01-01")),
            Err(PeriodError::TooLong)
        );
    }

    #[test]
    fn group_by_codes() {
        assert_eq!(GroupBy::parse("jobbtorg"), Some(GroupBy::Jobbtorg));
        assert_eq!(GroupBy::parse("city"), None);
    }

    #[test]
    fn attendance_counts_working_days_in_the_period_up_to_today() {
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // 30 March to 10 April 2026: ten weekdays, less Good Friday and Easter Monday.
        assert_eq!(
            activity_working_days(d(3, 30), Some(d(4, 10)), (d(1, 1), d(6, 30)), d(12, 1)),
            8
        );
        // Cut by the period and by today.
        assert_eq!(activity_working_days(d(3, 30), None, (d(4, 7), d(6, 30)), d(4, 8)), 2);
        assert_eq!(activity_working_days(d(7, 1), None, (d(1, 1), d(6, 30)), d(12, 1)), 0);
        assert_eq!(attendance(8, 2.0, 5), Figure::shown(0.75));
        assert_eq!(attendance(8, 2.0, 4), Figure::suppressed());
        assert_eq!(attendance(0, 0.0, 0), Figure::empty());
    }
}
