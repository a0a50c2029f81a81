//! Step-wise, result-based remuneration: which payment claims a referral has earned, never the
//! same step twice, and the claim's own status. Persistence and API are issue 6.

use std::fmt;

/// What earns a payment under a contract's remuneration model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClaimTrigger {
    /// The referral started.
    StartFee,
    /// The participant left for work or studies.
    EmploymentOrStudiesStarted,
    /// Still employed and self-supporting at a follow-up at least 3 months after exit.
    EmploymentSustained3Months,
    /// The same at least 6 months after exit.
    EmploymentSustained6Months,
}

impl ClaimTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimTrigger::StartFee => "start_fee",
            ClaimTrigger::EmploymentOrStudiesStarted => "employment_or_studies_started",
            ClaimTrigger::EmploymentSustained3Months => "employment_sustained_3_months",
            ClaimTrigger::EmploymentSustained6Months => "employment_sustained_6_months",
        }
    }

    pub const ALL: [ClaimTrigger; 4] = [
        ClaimTrigger::StartFee,
        ClaimTrigger::EmploymentOrStudiesStarted,
        ClaimTrigger::EmploymentSustained3Months,
        ClaimTrigger::EmploymentSustained6Months,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    /// The triggers a contract lists as result steps (the start fee has its own field).
    pub const RESULT_STEPS: [ClaimTrigger; 3] = [
        ClaimTrigger::EmploymentOrStudiesStarted,
        ClaimTrigger::EmploymentSustained3Months,
        ClaimTrigger::EmploymentSustained6Months,
    ];
}

impl fmt::Display for ClaimTrigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A contract's remuneration model: a start fee and result steps, amounts in öre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemunerationModel {
    pub start_fee_ore: u64,
    pub steps: Vec<(ClaimTrigger, u64)>,
}

/// What is known about the referral and the participant's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimEvidence {
    pub referral_started: bool,
    /// The outcome reported was employment or studies.
    pub left_for_work_or_studies: bool,
    /// Follow-ups after exit: (months after exit, employed and self-supporting).
    pub follow_ups: Vec<(u32, bool)>,
}

impl ClaimEvidence {
    fn sustained_for(&self, months: u32) -> bool {
        self.follow_ups.iter().any(|(at, employed)| *at >= months && *employed)
    }

    fn supports(&self, trigger: ClaimTrigger) -> bool {
        match trigger {
            ClaimTrigger::StartFee => self.referral_started,
            ClaimTrigger::EmploymentOrStudiesStarted => self.left_for_work_or_studies,
            ClaimTrigger::EmploymentSustained3Months => self.sustained_for(3),
            ClaimTrigger::EmploymentSustained6Months => self.sustained_for(6),
        }
    }
}

/// The claims now due: every trigger of the model the evidence supports that has not been
/// claimed before, with its amount. Claiming twice for one step is impossible by construction.
pub fn claims_due(
    model: &RemunerationModel,
    evidence: &ClaimEvidence,
    already_claimed: &[ClaimTrigger],
) -> Vec<(ClaimTrigger, u64)> {
    let start = (model.start_fee_ore > 0).then_some((ClaimTrigger::StartFee, model.start_fee_ore));
    start
        .into_iter()
        .chain(model.steps.iter().copied())
        .filter(|(trigger, _)| evidence.supports(*trigger) && !already_claimed.contains(trigger))
        .fold(Vec::new(), |mut due: Vec<(ClaimTrigger, u64)>, step| {
            if !due.iter().any(|(t, _)| *t == step.0) {
                due.push(step);
            }
            due
        })
}

/// `pending -> approved | rejected`, `approved -> paid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimStatus {
    Pending,
    Approved,
    Rejected,
    Paid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimAction {
    Approve,
    Reject,
    MarkPaid,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action:?} a claim that is {from:?}")]
pub struct ClaimTransitionError {
    pub from: ClaimStatus,
    pub action: ClaimAction,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 4] = [
        ClaimStatus::Pending,
        ClaimStatus::Approved,
        ClaimStatus::Rejected,
        ClaimStatus::Paid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "pending",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Paid => "paid",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn apply(self, action: ClaimAction) -> Result<ClaimStatus, ClaimTransitionError> {
        match (self, action) {
            (ClaimStatus::Pending, ClaimAction::Approve) => Ok(ClaimStatus::Approved),
            (ClaimStatus::Pending, ClaimAction::Reject) => Ok(ClaimStatus::Rejected),
            (ClaimStatus::Approved, ClaimAction::MarkPaid) => Ok(ClaimStatus::Paid),
            _ => Err(ClaimTransitionError { from: self, action }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimTrigger as T;

    fn model() -> RemunerationModel {
        RemunerationModel {
            start_fee_ore: 500_000,
            steps: vec![
                (T::EmploymentOrStudiesStarted, 1_500_000),
                (T::EmploymentSustained3Months, 1_000_000),
                (T::EmploymentSustained6Months, 1_000_000),
            ],
        }
    }

    #[test]
    fn a_start_earns_the_start_fee_once() {
        let started = ClaimEvidence {
            referral_started: true,
            ..ClaimEvidence::default()
        };
        assert_eq!(claims_due(&model(), &started, &[]), vec![(T::StartFee, 500_000)]);
        assert_eq!(claims_due(&model(), &started, &[T::StartFee]), vec![], "never twice");
        assert_eq!(claims_due(&model(), &ClaimEvidence::default(), &[]), vec![]);
    }

    #[test]
    fn results_earn_their_steps_and_sustained_steps_need_the_follow_up() {
        let mut evidence = ClaimEvidence {
            referral_started: true,
            left_for_work_or_studies: true,
            follow_ups: vec![],
        };
        assert_eq!(
            claims_due(&model(), &evidence, &[T::StartFee]),
            vec![(T::EmploymentOrStudiesStarted, 1_500_000)]
        );
        evidence.follow_ups.push((2, true));
        assert_eq!(
            claims_due(&model(), &evidence, &[T::StartFee, T::EmploymentOrStudiesStarted]),
            vec![],
            "2 months sustain nothing"
        );
        evidence.follow_ups.push((8, true));
        assert_eq!(
            claims_due(&model(), &evidence, &[T::StartFee, T::EmploymentOrStudiesStarted]),
            vec![
                (T::EmploymentSustained3Months, 1_000_000),
                (T::EmploymentSustained6Months, 1_000_000)
            ]
        );
        let not_employed = ClaimEvidence {
            follow_ups: vec![(8, false)],
            ..evidence.clone()
        };
        assert_eq!(
            claims_due(&model(), &not_employed, &[T::StartFee, T::EmploymentOrStudiesStarted]),
            vec![]
        );
    }

    #[test]
    fn a_step_listed_twice_in_a_model_is_still_claimed_once() {
        let doubled = RemunerationModel {
            start_fee_ore: 0,
            steps: vec![(T::EmploymentOrStudiesStarted, 1), (T::EmploymentOrStudiesStarted, 2)],
        };
        let evidence = ClaimEvidence {
            left_for_work_or_studies: true,
            ..ClaimEvidence::default()
        };
        assert_eq!(
            claims_due(&doubled, &evidence, &[]),
            vec![(T::EmploymentOrStudiesStarted, 1)]
        );
    }

    #[test]
    fn claim_status_transitions() {
        assert_eq!(
            ClaimStatus::Pending.apply(ClaimAction::Approve),
            Ok(ClaimStatus::Approved)
        );
        assert_eq!(
            ClaimStatus::Pending.apply(ClaimAction::Reject),
            Ok(ClaimStatus::Rejected)
        );
        assert_eq!(
            ClaimStatus::Approved.apply(ClaimAction::MarkPaid),
            Ok(ClaimStatus::Paid)
        );
        for (from, action) in [
            (ClaimStatus::Pending, ClaimAction::MarkPaid),
            (ClaimStatus::Rejected, ClaimAction::Approve),
            (ClaimStatus::Paid, ClaimAction::Reject),
            (ClaimStatus::Approved, ClaimAction::Approve),
        ] {
            assert_eq!(from.apply(action), Err(ClaimTransitionError { from, action }));
        }
    }
}
