//! Absence and deviation reports: the provider's staff (on a referral) or the coach (for an
//! own-regime activity) report that the person was away, late or left early. The home
//! district judges what that means for försörjningsstöd, so every report reaches it and is
//! marked seen there. A report is made on the day, or later with a reason for the delay.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AbsenceReason {
    Sick,
    ChildSick,
    NoShow,
    Late,
    LeftEarly,
    Other,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 6] = [
        AbsenceReason::Sick,
        AbsenceReason::ChildSick,
        AbsenceReason::NoShow,
        AbsenceReason::Late,
        AbsenceReason::LeftEarly,
        AbsenceReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AbsenceReason::Sick => "sick",
            AbsenceReason::ChildSick => "child_sick",
            AbsenceReason::NoShow => "no_show",
            AbsenceReason::Late => "late",
            AbsenceReason::LeftEarly => "left_early",
            AbsenceReason::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// The part of the day the person was away: the whole day, or from one time to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsenceSpan {
    WholeDay,
    Hours { from: NaiveTime, to: NaiveTime },
}

impl AbsenceSpan {
    /// The span of a report's `from`/`to`: both or neither.
    pub fn new(from: Option<NaiveTime>, to: Option<NaiveTime>) -> Result<Self, AbsenceError> {
        match (from, to) {
            (None, None) => Ok(AbsenceSpan::WholeDay),
            (Some(from), Some(to)) if from < to => Ok(AbsenceSpan::Hours { from, to }),
            (Some(_), Some(_)) => Err(AbsenceError::SpanOutOfOrder),
            _ => Err(AbsenceError::SpanHalfGiven),
        }
    }

    /// The share of a day of participation it takes, for the attendance figures: a whole day
    /// counts one; hours count against an 8-hour day, at most one.
    pub fn day_share(self) -> f64 {
        match self {
            AbsenceSpan::WholeDay => 1.0,
            AbsenceSpan::Hours { from, to } => ((to - from).num_minutes() as f64 / 480.0).min(1.0),
        }
    }
}

/// An absence as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceReport {
    pub absent_on: NaiveDate,
    pub span: AbsenceSpan,
    pub reason: AbsenceReason,
    /// Free text, allowed for every reason; required for `other`.
    pub note: Option<String>,
    /// Why the report comes after the day; required then.
    pub late_reason: Option<String>,
}

/// A stored report: what was reported, by whom, on which referral (none for an own-regime
/// activity), and whether the home district has seen it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub period_id: Uuid,
    pub referral_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub report: AbsenceReport,
    pub reported_by: String,
    pub reported_role: String,
    pub reported_at: NaiveDateTime,
    pub seen: Option<Seen>,
    pub version: i32,
}

/// Who at the home district marked a report seen, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub by: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AbsenceError {
    #[error("an absence may not be reported for a day in the future")]
    InFuture,
    #[error("an absence reported after the day needs late_reason")]
    LateWithoutReason,
    #[error("the day lies outside the activity ({starts_on} to {ends_on})")]
    OutsideActivity { starts_on: NaiveDate, ends_on: NaiveDate },
    #[error("the reason other needs a note")]
    OtherWithoutNote,
    #[error("from must come before to")]
    SpanOutOfOrder,
    #[error("give both from and to, or neither for the whole day")]
    SpanHalfGiven,
}

impl AbsenceError {
    /// The request field the error is about.
    pub fn field(self) -> &'static str {
        match self {
            AbsenceError::InFuture | AbsenceError::OutsideActivity { .. } => "absent_on",
            AbsenceError::LateWithoutReason => "late_reason",
            AbsenceError::OtherWithoutNote => "note",
            AbsenceError::SpanOutOfOrder | AbsenceError::SpanHalfGiven => "to",
        }
    }
}

/// Checks a report made on `today` for an activity running from `starts_on` to `ends_on`.
pub fn check_report(
    report: &AbsenceReport,
    (starts_on, ends_on): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Result<(), AbsenceError> {
    if report.absent_on > today {
        return Err(AbsenceError::InFuture);
    }
    if report.absent_on < starts_on || report.absent_on > ends_on {
        return Err(AbsenceError::OutsideActivity { starts_on, ends_on });
    }
    if report.absent_on < today && report.late_reason.is_none() {
        return Err(AbsenceError::LateWithoutReason);
    }
    if report.reason == AbsenceReason::Other && report.note.is_none() {
        return Err(AbsenceError::OtherWithoutNote);
    }
    Ok(())
}

/// The attendance share of `planned_days` days of participation of which `absent_days`
/// (whole days and shares of days) were reported absent; `None` with nothing planned.
pub fn attendance_share(planned_days: u32, absent_days: f64) -> Option<f64> {
    (planned_days > 0).then(|| (1.0 - absent_days / f64::from(planned_days)).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn time(h: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, 0, 0).unwrap()
    }

    fn report(on: NaiveDate, reason: AbsenceReason) -> AbsenceReport {
        AbsenceReport {
            absent_on: on,
            span: AbsenceSpan::WholeDay,
            reason,
            note: None,
            late_reason: None,
        }
    }

    /// An activity from 2 to 27 November.
    fn activity() -> (NaiveDate, NaiveDate) {
        (day(2), day(27))
    }

    #[test]
    fn every_reason_has_a_code_that_parses_back() {
        for reason in AbsenceReason::ALL {
            assert_eq!(AbsenceReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(AbsenceReason::parse("holiday"), None);
    }

    #[test]
    fn a_report_on_the_day_needs_no_reason_for_being_late() {
        assert_eq!(
            check_report(&report(day(10), AbsenceReason::Sick), activity(), day(10)),
            Ok(())
        );
    }

    #[test]
    fn a_later_report_needs_a_reason_for_the_delay() {
        let mut late = report(day(9), AbsenceReason::NoShow);
        assert_eq!(
            check_report(&late, activity(), day(10)),
            Err(AbsenceError::LateWithoutReason)
        );
        late.late_reason = Some("Personalen var sjuk.".into());
        assert_eq!(check_report(&late, activity(), day(10)), Ok(()));
    }

    #[test]
    fn no_report_for_the_future_or_outside_the_activity() {
        assert_eq!(
            check_report(&report(day(11), AbsenceReason::Sick), activity(), day(10)),
            Err(AbsenceError::InFuture)
        );
        let mut before = report(day(1), AbsenceReason::Sick);
        before.late_reason = Some("x".into());
        assert!(matches!(
            check_report(&before, activity(), day(10)),
            Err(AbsenceError::OutsideActivity { .. })
        ));
    }

    #[test]
    fn other_needs_a_note_and_every_reason_may_have_one() {
        assert_eq!(
            check_report(&report(day(10), AbsenceReason::Other), activity(), day(10)),
            Err(AbsenceError::OtherWithoutNote)
        );
        for reason in AbsenceReason::ALL {
            let mut with_note = report(day(10), reason);
            with_note.note = Some("Ringde på morgonen.".into());
            assert_eq!(check_report(&with_note, activity(), day(10)), Ok(()));
        }
    }

    #[test]
    fn a_span_is_a_whole_day_or_an_ordered_pair_of_times() {
        assert_eq!(AbsenceSpan::new(None, None), Ok(AbsenceSpan::WholeDay));
        assert_eq!(
            AbsenceSpan::new(Some(time(9)), Some(time(11))),
            Ok(AbsenceSpan::Hours {
                from: time(9),
                to: time(11)
            })
        );
        assert_eq!(
            AbsenceSpan::new(Some(time(11)), Some(time(9))),
            Err(AbsenceError::SpanOutOfOrder)
        );
        assert_eq!(AbsenceSpan::new(Some(time(9)), None), Err(AbsenceError::SpanHalfGiven));
        assert_eq!(
            AbsenceSpan::new(Some(time(9)), Some(time(13))).unwrap().day_share(),
            0.5
        );
    }

    #[test]
    fn attendance_is_the_share_of_planned_days_not_reported_absent() {
        assert_eq!(attendance_share(20, 2.0), Some(0.9));
        assert_eq!(attendance_share(0, 0.0), None);
        assert_eq!(attendance_share(2, 5.0), Some(0.0));
    }
}
