//! The plan's rules: at most 6 months, activities inside the plan, hours per week, full-day
//! planning for introduction participants, the 18-month cap, follow-up of ended activities.

use chrono::{Datelike, Days, Months, NaiveDate};
use uuid::Uuid;

use crate::shared::Code;

/// A plan covers at most this many months before it is reviewed (omprövning).
pub const MAX_PLAN_MONTHS: u32 = 6;
/// Full-day planning (heldag) for participants with introduction benefit.
pub const FULL_TIME_HOURS: u32 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    OwnRegime,
    Arbetsformedlingen,
    External,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 3] = [
        ProviderKind::OwnRegime,
        ProviderKind::Arbetsformedlingen,
        ProviderKind::External,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::OwnRegime => "own_regime",
            ProviderKind::Arbetsformedlingen => "arbetsformedlingen",
            ProviderKind::External => "external",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// `planned -> ongoing -> completed | discontinued`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityStatus {
    Planned,
    Ongoing,
    Completed,
    Discontinued,
}

impl ActivityStatus {
    pub const ALL: [ActivityStatus; 4] = [
        ActivityStatus::Planned,
        ActivityStatus::Ongoing,
        ActivityStatus::Completed,
        ActivityStatus::Discontinued,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityStatus::Planned => "planned",
            ActivityStatus::Ongoing => "ongoing",
            ActivityStatus::Completed => "completed",
            ActivityStatus::Discontinued => "discontinued",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: Uuid,
    pub activity_type: Code,
    pub description: String,
    pub provider_kind: ProviderKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours_per_week: u32,
    pub expected_result: Option<String>,
    pub status: ActivityStatus,
    pub follow_up_result: Option<String>,
    pub followed_up_on: Option<NaiveDate>,
    /// Why it was discontinued (e.g. no results) and what replaces it.
    pub discontinued_reason: Option<String>,
    pub replaced_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanRuleError {
    #[error("valid_to may not be before valid_from")]
    EndsBeforeStart,
    #[error("a plan covers at most {MAX_PLAN_MONTHS} months: valid_to may be at most {latest}")]
    TooLong { latest: NaiveDate },
    #[error("the plan may not run past the participant's 18 months: valid_to may be at most {latest}")]
    PastParticipationLimit { latest: NaiveDate },
    #[error("an activity ends before it starts")]
    ActivityEndsBeforeStart,
    #[error("an activity must lie inside the plan ({valid_from} to {valid_to})")]
    ActivityOutsidePlan { valid_from: NaiveDate, valid_to: NaiveDate },
    #[error("hours per week are 1 to {FULL_TIME_HOURS}")]
    Hours,
}

/// `valid_to - valid_from` at most 6 months (the same day six months on is allowed), and not
/// past `last_participation_day`.
pub fn check_plan_period(
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    last_participation_day: NaiveDate,
) -> Result<(), PlanRuleError> {
    if valid_to < valid_from {
        return Err(PlanRuleError::EndsBeforeStart);
    }
    let latest = valid_from
        .checked_add_months(Months::new(MAX_PLAN_MONTHS))
        .unwrap_or(valid_from);
    if valid_to > latest {
        return Err(PlanRuleError::TooLong { latest });
    }
    if valid_to > last_participation_day {
        return Err(PlanRuleError::PastParticipationLimit {
            latest: last_participation_day,
        });
    }
    Ok(())
}

/// An activity starts and ends inside the plan period, edges included.
pub fn check_activity_dates(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    hours_per_week: u32,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
) -> Result<(), PlanRuleError> {
    if ends_on < starts_on {
        return Err(PlanRuleError::ActivityEndsBeforeStart);
    }
    if starts_on < valid_from || ends_on > valid_to {
        return Err(PlanRuleError::ActivityOutsidePlan { valid_from, valid_to });
    }
    if hours_per_week == 0 || hours_per_week > FULL_TIME_HOURS {
        return Err(PlanRuleError::Hours);
    }
    Ok(())
}

/// Planned hours in one ISO week (the Monday it starts on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyHours {
    pub week_starting: NaiveDate,
    pub hours: u32,
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// Hours per week over the plan period: each activity counts fully in every week it touches.
/// Discontinued activities no longer count.
pub fn weekly_hours(activities: &[Activity], valid_from: NaiveDate, valid_to: NaiveDate) -> Vec<WeeklyHours> {
    let mut weeks = Vec::new();
    let mut monday = monday_of(valid_from);
    while monday <= valid_to {
        let sunday = monday + Days::new(6);
        let hours = activities
            .iter()
            .filter(|a| a.status != ActivityStatus::Discontinued && a.starts_on <= sunday && a.ends_on >= monday)
            .map(|a| a.hours_per_week)
            .sum();
        weeks.push(WeeklyHours {
            week_starting: monday,
            hours,
        });
        monday = monday + Days::new(7);
    }
    weeks
}

/// The weeks an introduction participant is planned below full time (heldag); empty otherwise.
pub fn full_time_warning(is_introduction_participant: bool, weeks: &[WeeklyHours]) -> Vec<NaiveDate> {
    if !is_introduction_participant {
        return Vec::new();
    }
    weeks
        .iter()
        .filter(|w| w.hours < FULL_TIME_HOURS)
        .map(|w| w.week_starting)
        .collect()
}

/// An activity past its end without a follow-up.
pub fn follow_up_overdue(activity: &Activity, today: NaiveDate) -> bool {
    activity.ends_on < today && activity.followed_up_on.is_none() && activity.status != ActivityStatus::Discontinued
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn activity(starts_on: NaiveDate, ends_on: NaiveDate, hours: u32) -> Activity {
        Activity {
            id: Uuid::nil(),
            activity_type: Code::parse("work_training").unwrap(),
            description: "d".into(),
            provider_kind: ProviderKind::OwnRegime,
            starts_on,
            ends_on,
            hours_per_week: hours,
            expected_result: None,
            status: ActivityStatus::Planned,
            follow_up_result: None,
            followed_up_on: None,
            discontinued_reason: None,
            replaced_by: None,
        }
    }

    const FAR: (i32, u32, u32) = (2030, 1, 1);

    fn far() -> NaiveDate {
        day(FAR.0, FAR.1, FAR.2)
    }

    #[test]
    fn six_months_to_the_same_day_and_not_a_day_more() {
        assert_eq!(check_plan_period(day(2026, 11, 23), day(2027, 5, 23), far()), Ok(()));
        assert_eq!(
            check_plan_period(day(2026, 11, 23), day(2027, 5, 24), far()),
            Err(PlanRuleError::TooLong {
                latest: day(2027, 5, 23)
            })
        );
        // Month ends clamp: 31 August + 6 months is 28 February.
        assert_eq!(check_plan_period(day(2026, 8, 31), day(2027, 2, 28), far()), Ok(()));
        assert!(check_plan_period(day(2026, 8, 31), day(2027, 3, 1), far()).is_err());
        assert_eq!(
            check_plan_period(day(2026, 11, 23), day(2026, 11, 22), far()),
            Err(PlanRuleError::EndsBeforeStart)
        );
    }

    #[test]
    fn a_plan_may_not_pass_the_eighteen_month_limit() {
        let last_day = day(2027, 1, 31);
        assert_eq!(check_plan_period(day(2026, 11, 23), last_day, last_day), Ok(()));
        assert_eq!(
            check_plan_period(day(2026, 11, 23), day(2027, 2, 1), last_day),
            Err(PlanRuleError::PastParticipationLimit { latest: last_day })
        );
    }

    #[test]
    fn activities_at_the_edges_are_inside() {
        let (from, to) = (day(2026, 12, 1), day(2027, 5, 31));
        assert_eq!(check_activity_dates(from, to, 20, from, to), Ok(()));
        assert!(matches!(
            check_activity_dates(day(2026, 11, 30), to, 20, from, to),
            Err(PlanRuleError::ActivityOutsidePlan { .. })
        ));
        assert!(matches!(
            check_activity_dates(from, day(2027, 6, 1), 20, from, to),
            Err(PlanRuleError::ActivityOutsidePlan { .. })
        ));
        assert_eq!(
            check_activity_dates(to, from, 20, from, to),
            Err(PlanRuleError::ActivityEndsBeforeStart)
        );
        assert_eq!(check_activity_dates(from, to, 0, from, to), Err(PlanRuleError::Hours));
        assert_eq!(check_activity_dates(from, to, 41, from, to), Err(PlanRuleError::Hours));
    }

    #[test]
    fn hours_are_summed_per_week_and_introduction_participants_are_warned_below_full_time() {
        // Monday 30 November to Sunday 13 December 2026: two weeks.
        let from = day(2026, 11, 30);
        let to = day(2026, 12, 13);
        let sfi = activity(from, to, 15);
        let training = activity(day(2026, 12, 7), to, 25);
        let weeks = weekly_hours(&[sfi, training], from, to);
        assert_eq!(
            weeks,
            vec![
                WeeklyHours {
                    week_starting: from,
                    hours: 15
                },
                WeeklyHours {
                    week_starting: day(2026, 12, 7),
                    hours: 40
                }
            ]
        );
        assert_eq!(full_time_warning(true, &weeks), vec![from]);
        assert_eq!(full_time_warning(false, &weeks), Vec::<NaiveDate>::new());
    }

    #[test]
    fn an_ended_activity_without_follow_up_is_flagged() {
        let mut a = activity(day(2026, 11, 1), day(2026, 11, 20), 10);
        assert!(follow_up_overdue(&a, day(2026, 11, 23)));
        assert!(!follow_up_overdue(&a, day(2026, 11, 20)));
        a.followed_up_on = Some(day(2026, 11, 21));
        assert!(!follow_up_overdue(&a, day(2026, 11, 23)));
    }
}
