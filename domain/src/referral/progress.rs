//! Progress reports: attendance line by line, per day or per week, so that one line can be
//! questioned without the rest.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::code_enum;

code_enum! {
    /// Whether each line covers a day or a week (starting on its Monday).
    pub enum Granularity {
        Day = "day",
        Week = "week",
    }
}

/// One line: a day, or the week starting on a Monday; attendance in minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressLine {
    pub on: NaiveDate,
    pub attended_minutes: u32,
    pub absent_minutes: u32,
    pub absence_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    #[error("a report has between 1 and {max} lines")]
    LineCount { max: usize },
    #[error("the line's date is outside the reported period")]
    OutsidePeriod,
    #[error("a weekly line is dated on the Monday of its week")]
    NotAMonday,
    #[error("the period already has a line for this date")]
    Duplicate,
    #[error("attended and absent time exceed the {0} hours the line covers")]
    TooManyHours(u32),
}

pub const MAX_LINES: usize = 400;

/// Every broken line, by its index in the report.
pub fn check_lines(
    granularity: Granularity,
    from: NaiveDate,
    to: NaiveDate,
    lines: &[ProgressLine],
) -> Result<(), Vec<(Option<usize>, ProgressError)>> {
    if lines.is_empty() || lines.len() > MAX_LINES {
        return Err(vec![(None, ProgressError::LineCount { max: MAX_LINES })]);
    }
    let hours = match granularity {
        Granularity::Day => 24,
        Granularity::Week => 7 * 24,
    };
    let mut errors = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let first_day = line.on;
        let last_day = match granularity {
            Granularity::Day => line.on,
            Granularity::Week => line.on + chrono::Days::new(6),
        };
        if granularity == Granularity::Week && line.on.weekday() != Weekday::Mon {
            errors.push((Some(i), ProgressError::NotAMonday));
        }
        // A week line may straddle the period's edges; it must at least touch the period.
        let inside = match granularity {
            Granularity::Day => from <= first_day && last_day <= to,
            Granularity::Week => first_day <= to && last_day >= from,
        };
        if !inside {
            errors.push((Some(i), ProgressError::OutsidePeriod));
        }
        if lines[..i].iter().any(|earlier| earlier.on == line.on) {
            errors.push((Some(i), ProgressError::Duplicate));
        }
        if line.attended_minutes.saturating_add(line.absent_minutes) > hours * 60 {
            errors.push((Some(i), ProgressError::TooManyHours(hours)));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The days a line dated `on` covers.
fn days(granularity: Granularity, on: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let length = match granularity {
        Granularity::Day => 1,
        Granularity::Week => 7,
    };
    (0..length).map(move |offset| on + chrono::Days::new(offset))
}

/// The indexes of the lines that cover a day an earlier report already covers: a day is
/// reported once, whether by a daily or a weekly line.
pub fn already_reported(
    granularity: Granularity,
    lines: &[ProgressLine],
    earlier: &[(Granularity, NaiveDate)],
) -> Vec<usize> {
    let reported: Vec<NaiveDate> = earlier.iter().flat_map(|(g, on)| days(*g, *on)).collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| days(granularity, line.on).any(|d| reported.contains(&d)))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn line(on: NaiveDate, attended: u32, absent: u32) -> ProgressLine {
        ProgressLine {
            on,
            attended_minutes: attended,
            absent_minutes: absent,
            absence_reason: None,
        }
    }

    #[test]
    fn daily_lines_inside_the_period_pass() {
        let lines = [line(day(23), 360, 0), line(day(24), 180, 180)];
        assert_eq!(check_lines(Granularity::Day, day(23), day(27), &lines), Ok(()));
    }

    #[test]
    fn each_broken_line_is_named_by_index() {
        let lines = [
            line(day(23), 360, 0),
            line(day(23), 60, 0),
            line(day(30), 60, 0),
            line(day(25), 1400, 100),
        ];
        assert_eq!(
            check_lines(Granularity::Day, day(23), day(27), &lines),
            Err(vec![
                (Some(1), ProgressError::Duplicate),
                (Some(2), ProgressError::OutsidePeriod),
                (Some(3), ProgressError::TooManyHours(24)),
            ])
        );
        assert_eq!(
            check_lines(Granularity::Day, day(23), day(27), &[]),
            Err(vec![(None, ProgressError::LineCount { max: MAX_LINES })])
        );
    }

    #[test]
    fn a_day_is_reported_once_across_reports_and_granularities() {
        let earlier = [(Granularity::Week, day(23)), (Granularity::Day, day(30))];
        let lines = [line(day(27), 60, 0), line(day(22), 60, 0), line(day(30), 60, 0)];
        assert_eq!(already_reported(Granularity::Day, &lines, &earlier), vec![0, 2]);
        let week = [line(day(30), 60, 0)];
        assert_eq!(already_reported(Granularity::Week, &week, &earlier), vec![0]);
        assert_eq!(
            already_reported(Granularity::Week, &week, &earlier[..1]),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn weekly_lines_start_on_a_monday_and_touch_the_period() {
        // 2026-11-23 is a Monday.
        assert_eq!(
            check_lines(Granularity::Week, day(25), day(30), &[line(day(23), 1200, 0)]),
            Ok(())
        );
        assert_eq!(
            check_lines(Granularity::Week, day(23), day(30), &[line(day(24), 60, 0)]),
            Err(vec![(Some(0), ProgressError::NotAMonday)])
        );
        assert_eq!(
            check_lines(Granularity::Week, day(23), day(27), &[line(day(16), 60, 0)]),
            Err(vec![(Some(0), ProgressError::OutsidePeriod)])
        );
    }
}
