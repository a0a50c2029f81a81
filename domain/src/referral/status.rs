use std::fmt;

use chrono::NaiveDate;

use crate::shared::add_working_days;

/// A referral not answered within this many working days reads as expired.
pub const ANSWER_WITHIN_WORKING_DAYS: u32 = 5;

/// `sent -> accepted | declined | cancelled | expired`, `accepted -> in_progress -> completed |
/// interrupted`; the coach may also cancel an accepted referral before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralStatus {
    Sent,
    Accepted,
    Declined,
    Cancelled,
    Expired,
    InProgress,
    Completed,
    Interrupted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralAction {
    Accept,
    Decline,
    Cancel,
    Start,
    ReportProgress,
    Interrupt,
    Complete,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action:?} a referral that is {from}")]
pub struct ReferralTransitionError {
    pub from: ReferralStatus,
    pub action: ReferralAction,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 8] = [
        ReferralStatus::Sent,
        ReferralStatus::Accepted,
        ReferralStatus::Declined,
        ReferralStatus::Cancelled,
        ReferralStatus::Expired,
        ReferralStatus::InProgress,
        ReferralStatus::Completed,
        ReferralStatus::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Sent => "sent",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Declined => "declined",
            ReferralStatus::Cancelled => "cancelled",
            ReferralStatus::Expired => "expired",
            ReferralStatus::InProgress => "in_progress",
            ReferralStatus::Completed => "completed",
            ReferralStatus::Interrupted => "interrupted",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// A sent referral still unanswered after 5 working days reads as expired (computed on read,
    /// so there is no sweeper to miss).
    pub fn on(self, sent_on: NaiveDate, today: NaiveDate) -> ReferralStatus {
        if self == ReferralStatus::Sent && today > add_working_days(sent_on, ANSWER_WITHIN_WORKING_DAYS) {
            ReferralStatus::Expired
        } else {
            self
        }
    }

    /// The earliest sending date whose referral still reads as `sent` (not expired) on `today`;
    /// lets a query count open referrals without loading them.
    pub fn earliest_unexpired_sent_on(today: NaiveDate) -> NaiveDate {
        let mut day = today;
        while let Some(before) = day.pred_opt() {
            if add_working_days(before, ANSWER_WITHIN_WORKING_DAYS) < today {
                break;
            }
            day = before;
        }
        day
    }

    pub fn apply(self, action: ReferralAction) -> Result<ReferralStatus, ReferralTransitionError> {
        use ReferralAction as A;
        use ReferralStatus as S;
        let next = match (self, action) {
            (S::Sent, A::Accept) => S::Accepted,
            (S::Sent, A::Decline) => S::Declined,
            (S::Sent | S::Accepted, A::Cancel) => S::Cancelled,
            (S::Accepted, A::Start) => S::InProgress,
            (S::InProgress, A::ReportProgress) => S::InProgress,
            (S::InProgress, A::Interrupt) => S::Interrupted,
            (S::InProgress, A::Complete) => S::Completed,
            _ => return Err(ReferralTransitionError { from: self, action }),
        };
        Ok(next)
    }
}

impl fmt::Display for ReferralStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralAction as A;
    use ReferralStatus as S;

    const ACTIONS: [ReferralAction; 7] = [
        A::Accept,
        A::Decline,
        A::Cancel,
        A::Start,
        A::ReportProgress,
        A::Interrupt,
        A::Complete,
    ];

    #[test]
    fn transition_table() {
        let legal = [
            (S::Sent, A::Accept, S::Accepted),
            (S::Sent, A::Decline, S::Declined),
            (S::Sent, A::Cancel, S::Cancelled),
            (S::Accepted, A::Cancel, S::Cancelled),
            (S::Accepted, A::Start, S::InProgress),
            (S::InProgress, A::ReportProgress, S::InProgress),
            (S::InProgress, A::Interrupt, S::Interrupted),
            (S::InProgress, A::Complete, S::Completed),
        ];
        for from in S::ALL {
            for action in ACTIONS {
                let expected = legal
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(from.apply(action), Ok(to), "{from} {action:?}"),
                    None => assert_eq!(
                        from.apply(action),
                        Err(ReferralTransitionError { from, action }),
                        "{from} {action:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn the_earliest_unexpired_sending_date_agrees_with_expiry() {
        let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for offset in 0..60 {
            let today = start + chrono::Days::new(offset);
            let earliest = S::earliest_unexpired_sent_on(today);
            assert_eq!(S::Sent.on(earliest, today), S::Sent, "{today}");
            assert_eq!(S::Sent.on(earliest.pred_opt().unwrap(), today), S::Expired, "{today}");
        }
    }

    #[test]
    fn an_unanswered_referral_expires_after_five_working_days() {
        let sent = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(); // Monday
        let deadline = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(S::Sent.on(sent, deadline), S::Sent);
        assert_eq!(S::Sent.on(sent, deadline.succ_opt().unwrap()), S::Expired);
        assert_eq!(
            S::Accepted.on(sent, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            S::Accepted
        );
    }
}
