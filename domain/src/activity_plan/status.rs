use std::fmt;

/// `draft -> submitted -> approved | returned`, `returned -> submitted`,
/// `approved -> superseded | completed | cancelled`; drafts and returned plans can be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
    Superseded,
    Completed,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanAction {
    Edit,
    Submit,
    Approve,
    Return,
    Revise,
    Supersede,
    Complete,
    Cancel,
    FollowUpActivity,
    /// After a move to another district, the approved plan goes to the new district's decision.
    Reconsider,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a plan that is {from}")]
pub struct PlanTransitionError {
    pub from: PlanStatus,
    pub action: PlanAction,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 7] = [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::Approved,
        PlanStatus::Returned,
        PlanStatus::Superseded,
        PlanStatus::Completed,
        PlanStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Approved => "approved",
            PlanStatus::Returned => "returned",
            PlanStatus::Superseded => "superseded",
            PlanStatus::Completed => "completed",
            PlanStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Not yet decided for good: a participant's exit cancels such plans.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            PlanStatus::Draft | PlanStatus::Submitted | PlanStatus::Returned | PlanStatus::Approved
        )
    }

    /// The status after `action`; editing and following up leave it unchanged.
    pub fn apply(self, action: PlanAction) -> Result<PlanStatus, PlanTransitionError> {
        use PlanAction as A;
        use PlanStatus as S;
        let next = match (self, action) {
            (S::Draft | S::Returned, A::Edit) => self,
            (S::Draft | S::Returned, A::Submit) => S::Submitted,
            (S::Submitted, A::Approve) => S::Approved,
            (S::Submitted, A::Return) => S::Returned,
            (S::Approved, A::Revise) => S::Approved,
            (S::Approved, A::Supersede) => S::Superseded,
            (S::Approved, A::Complete) => S::Completed,
            (S::Approved, A::FollowUpActivity) => S::Approved,
            (S::Approved, A::Reconsider) => S::Submitted,
            (S::Draft | S::Submitted | S::Returned | S::Approved, A::Cancel) => S::Cancelled,
            _ => return Err(PlanTransitionError { from: self, action }),
        };
        Ok(next)
    }
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for PlanAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PlanAction::Edit => "edit",
            PlanAction::Submit => "submit",
            PlanAction::Approve => "approve",
            PlanAction::Return => "return",
            PlanAction::Revise => "revise",
            PlanAction::Supersede => "supersede",
            PlanAction::Complete => "complete",
            PlanAction::Cancel => "cancel",
            PlanAction::FollowUpActivity => "follow up an activity of",
            PlanAction::Reconsider => "send for a new decision",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlanAction as A;
    use PlanStatus as S;

    const ACTIONS: [PlanAction; 10] = [
        A::Edit,
        A::Submit,
        A::Approve,
        A::Return,
        A::Revise,
        A::Supersede,
        A::Complete,
        A::Cancel,
        A::FollowUpActivity,
        A::Reconsider,
    ];

    #[test]
    fn transition_table() {
        let legal = [
            (S::Draft, A::Edit, S::Draft),
            (S::Draft, A::Submit, S::Submitted),
            (S::Draft, A::Cancel, S::Cancelled),
            (S::Returned, A::Edit, S::Returned),
            (S::Returned, A::Submit, S::Submitted),
            (S::Returned, A::Cancel, S::Cancelled),
            (S::Submitted, A::Approve, S::Approved),
            (S::Submitted, A::Return, S::Returned),
            (S::Submitted, A::Cancel, S::Cancelled),
            (S::Approved, A::Revise, S::Approved),
            (S::Approved, A::Supersede, S::Superseded),
            (S::Approved, A::Complete, S::Completed),
            (S::Approved, A::Cancel, S::Cancelled),
            (S::Approved, A::FollowUpActivity, S::Approved),
            (S::Approved, A::Reconsider, S::Submitted),
        ];
        for from in S::ALL {
            for action in ACTIONS {
                let expected = legal
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(from.apply(action), Ok(to), "{from} {action}"),
                    None => assert_eq!(
                        from.apply(action),
                        Err(PlanTransitionError { from, action }),
                        "{from} {action}"
                    ),
                }
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for status in S::ALL {
            assert_eq!(S::parse(status.as_str()), Some(status));
        }
    }
}
