use std::fmt;

/// `referred -> enrolled <-> interrupted -> exited`, and `referred -> exited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParticipantStatus {
    Referred,
    Enrolled,
    Interrupted,
    Exited,
}

/// What can happen to a participation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantAction {
    Enrol,
    AssignCoach,
    RegisterAf,
    Interrupt,
    Resume,
    Exit,
    RecordFollowUp,
    /// Move to another home district (and the job centre serving it).
    Transfer,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a participant who is {from}")]
pub struct TransitionError {
    pub from: ParticipantStatus,
    pub action: ParticipantAction,
}

impl ParticipantStatus {
    pub const ALL: [ParticipantStatus; 4] = [
        ParticipantStatus::Referred,
        ParticipantStatus::Enrolled,
        ParticipantStatus::Interrupted,
        ParticipantStatus::Exited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParticipantStatus::Referred => "referred",
            ParticipantStatus::Enrolled => "enrolled",
            ParticipantStatus::Interrupted => "interrupted",
            ParticipantStatus::Exited => "exited",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the period is still open (a new intake must wait until it is exited).
    pub fn is_open(self) -> bool {
        self != ParticipantStatus::Exited
    }

    /// The status after `action`, or why it is not allowed now.
    pub fn apply(self, action: ParticipantAction) -> Result<ParticipantStatus, TransitionError> {
        use ParticipantAction as A;
        use ParticipantStatus as S;
        let next = match (self, action) {
            (S::Referred, A::Enrol) => S::Enrolled,
            (S::Referred | S::Enrolled | S::Interrupted, A::AssignCoach | A::RegisterAf | A::Transfer) => self,
            (S::Enrolled, A::Interrupt) => S::Interrupted,
            (S::Interrupted, A::Resume) => S::Enrolled,
            (S::Referred | S::Enrolled | S::Interrupted, A::Exit) => S::Exited,
            (S::Exited, A::RecordFollowUp) => S::Exited,
            _ => return Err(TransitionError { from: self, action }),
        };
        Ok(next)
    }
}

impl fmt::Display for ParticipantStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ParticipantAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParticipantAction::Enrol => "enrol",
            ParticipantAction::AssignCoach => "assign a coach to",
            ParticipantAction::RegisterAf => "record the Arbetsförmedlingen registration of",
            ParticipantAction::Interrupt => "interrupt",
            ParticipantAction::Resume => "resume",
            ParticipantAction::Exit => "exit",
            ParticipantAction::RecordFollowUp => "record a follow-up of",
            ParticipantAction::Transfer => "move to another district",
        })
    }
}

/// Why participation is interrupted (avbrott); interrupted days do not count towards 18 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterruptionReason {
    Pregnancy,
    ParentalLeave,
    Sickness,
    Other,
}

impl InterruptionReason {
    pub const ALL: [InterruptionReason; 4] = [
        InterruptionReason::Pregnancy,
        InterruptionReason::ParentalLeave,
        InterruptionReason::Sickness,
        InterruptionReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InterruptionReason::Pregnancy => "pregnancy",
            InterruptionReason::ParentalLeave => "parental_leave",
            InterruptionReason::Sickness => "sickness",
            InterruptionReason::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParticipantAction as A;
    use ParticipantStatus as S;

    const ACTIONS: [ParticipantAction; 7] = [
        A::Enrol,
        A::AssignCoach,
        A::RegisterAf,
        A::Interrupt,
        A::Resume,
        A::Exit,
        A::RecordFollowUp,
    ];

    /// Every status × action: the legal ones and where they lead; everything else is refused.
    #[test]
    fn transition_table() {
        let legal = [
            (S::Referred, A::Enrol, S::Enrolled),
            (S::Referred, A::AssignCoach, S::Referred),
            (S::Referred, A::RegisterAf, S::Referred),
            (S::Referred, A::Exit, S::Exited),
            (S::Enrolled, A::AssignCoach, S::Enrolled),
            (S::Enrolled, A::RegisterAf, S::Enrolled),
            (S::Enrolled, A::Interrupt, S::Interrupted),
            (S::Enrolled, A::Exit, S::Exited),
            (S::Interrupted, A::AssignCoach, S::Interrupted),
            (S::Interrupted, A::RegisterAf, S::Interrupted),
            (S::Interrupted, A::Resume, S::Enrolled),
            (S::Interrupted, A::Exit, S::Exited),
            (S::Exited, A::RecordFollowUp, S::Exited),
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
                        Err(TransitionError { from, action }),
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
        for reason in InterruptionReason::ALL {
            assert_eq!(InterruptionReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(InterruptionReason::parse("holiday"), None);
    }

    #[test]
    fn the_error_names_the_current_status() {
        let error = S::Exited.apply(A::Enrol).unwrap_err();
        assert_eq!(error.to_string(), "cannot enrol a participant who is exited");
    }
}
