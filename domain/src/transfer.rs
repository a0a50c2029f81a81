//! Moving to another home district: the coach or the current district asks, an officer of the
//! new district accepts or rejects. On acceptance the participation continues at the job
//! centre serving the new district (the 548 days keep counting); see
//! [`crate::participant::Participant::transfer`].

use chrono::{Days, NaiveDate};

use crate::shared::Code;

/// A move may be dated up to this many days back (the move happened before it was recorded).
pub const TRANSFER_BACKDATE_DAYS: u64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferStatus {
    Requested,
    Accepted,
    Rejected,
}

impl TransferStatus {
    pub const ALL: [TransferStatus; 3] = [
        TransferStatus::Requested,
        TransferStatus::Accepted,
        TransferStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::Requested => "requested",
            TransferStatus::Accepted => "accepted",
            TransferStatus::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error("the participant already belongs to {0}")]
    SameDistrict(Code),
    #[error("a move may be dated at most {TRANSFER_BACKDATE_DAYS} days back (from {earliest})")]
    TooOld { earliest: NaiveDate },
    #[error("the move may not be dated before the intake ({0})")]
    BeforeIntake(NaiveDate),
    #[error("the transfer is {0}, not requested")]
    NotOpen(&'static str),
}

/// Checks a request to move from `current` to `to` on `moves_on`, made on `today` for a
/// participation referred on `referred_on`.
pub fn check_request(
    current: &Code,
    to: &Code,
    moves_on: NaiveDate,
    referred_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), TransferError> {
    if current == to {
        return Err(TransferError::SameDistrict(to.clone()));
    }
    let earliest = today
        .checked_sub_days(Days::new(TRANSFER_BACKDATE_DAYS))
        .unwrap_or(today);
    if moves_on < earliest {
        return Err(TransferError::TooOld { earliest });
    }
    if moves_on < referred_on {
        return Err(TransferError::BeforeIntake(referred_on));
    }
    Ok(())
}

/// The status after an answer: only a requested transfer is answered.
pub fn answer(status: TransferStatus, accept: bool) -> Result<TransferStatus, TransferError> {
    match status {
        TransferStatus::Requested if accept => Ok(TransferStatus::Accepted),
        TransferStatus::Requested => Ok(TransferStatus::Rejected),
        other => Err(TransferError::NotOpen(other.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn a_move_goes_somewhere_else_and_is_dated_after_the_intake_and_not_long_ago() {
        let (from, to) = (code("rinkeby-kista"), code("farsta"));
        assert_eq!(check_request(&from, &to, day(12, 1), day(10, 1), day(12, 3)), Ok(()));
        assert_eq!(check_request(&from, &to, day(12, 20), day(10, 1), day(12, 3)), Ok(()));
        assert_eq!(
            check_request(&from, &from, day(12, 1), day(10, 1), day(12, 3)),
            Err(TransferError::SameDistrict(from.clone()))
        );
        assert_eq!(
            check_request(&from, &to, day(11, 2), day(10, 1), day(12, 3)),
            Err(TransferError::TooOld { earliest: day(11, 3) })
        );
        assert_eq!(
            check_request(&from, &to, day(11, 20), day(11, 25), day(12, 3)),
            Err(TransferError::BeforeIntake(day(11, 25)))
        );
    }

    #[test]
    fn only_a_requested_transfer_is_answered() {
        assert_eq!(answer(TransferStatus::Requested, true), Ok(TransferStatus::Accepted));
        assert_eq!(answer(TransferStatus::Requested, false), Ok(TransferStatus::Rejected));
        assert_eq!(
            answer(TransferStatus::Accepted, false),
            Err(TransferError::NotOpen("accepted"))
        );
    }

    #[test]
    fn after_a_move_the_548_days_keep_counting_and_the_plan_goes_to_the_new_district() {
        use crate::participant::fixtures::{day as date, referred_on};
        let enrolled = referred_on(date(2026, 6, 1))
            .enrol(date(2026, 6, 1), "coach-anna".into(), date(2026, 6, 1))
            .unwrap();
        let mut approved = enrolled;
        approved.current.plan_approved_on = Some(date(2026, 6, 5));
        let today = date(2026, 12, 1);
        let before = approved.derive(today).participation_days_used;
        let moved = approved
            .transfer(code("farsta"), code("sydost"), Some("coach-sara".into()), today)
            .unwrap();
        assert_eq!(moved.current.district, code("farsta"));
        assert_eq!(moved.current.jobbtorg, code("sydost"));
        assert_eq!(moved.current.coach.as_deref(), Some("coach-sara"));
        assert_eq!(moved.derive(today).participation_days_used, before);
        assert_eq!(moved.current.plan_approved_on, None);
        // Tuesday 1 December + 5 working days.
        assert_eq!(moved.current.plan_due_on, Some(date(2026, 12, 8)));
    }
}
