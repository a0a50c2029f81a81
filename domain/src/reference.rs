//! Reference data (DESIGN.md section 1): seeded, identified by stable codes.

use crate::shared::Code;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobCentre {
    pub code: Code,
    pub name: String,
    pub located_in: String,
    /// The districts this job centre serves, in reference order.
    pub district_codes: Vec<Code>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    pub code: Code,
    pub name: String,
    pub job_centre_code: Code,
    pub job_centre_name: String,
}

/// Target groups come in phases; phase 2 is switched on by configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    One,
    Two,
}

impl Phase {
    pub fn from_number(n: i32) -> Option<Self> {
        match n {
            1 => Some(Phase::One),
            2 => Some(Phase::Two),
            _ => None,
        }
    }

    pub fn number(self) -> i32 {
        match self {
            Phase::One => 1,
            Phase::Two => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroup {
    pub code: Code,
    pub name: String,
    pub description: String,
    pub phase: Phase,
    /// Derived from other facts (age at intake) and never typed in.
    pub derived: bool,
}

impl TargetGroup {
    /// A group may be used at intake when its phase has been switched on.
    pub fn is_enabled(&self, enabled_phase: Phase) -> bool {
        self.phase <= enabled_phase
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityType {
    pub code: Code,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitOutcome {
    pub code: Code,
    pub name: String,
    pub description: String,
    pub requires_employment_details: bool,
    pub requires_reason: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(phase: Phase) -> TargetGroup {
        TargetGroup {
            code: Code::parse("g").unwrap(),
            name: "G".into(),
            description: String::new(),
            phase,
            derived: false,
        }
    }

    #[test]
    fn phase_two_groups_need_phase_two_switched_on() {
        assert!(group(Phase::One).is_enabled(Phase::One));
        assert!(group(Phase::One).is_enabled(Phase::Two));
        assert!(!group(Phase::Two).is_enabled(Phase::One));
        assert!(group(Phase::Two).is_enabled(Phase::Two));
    }

    #[test]
    fn phases_round_trip_through_numbers() {
        for phase in [Phase::One, Phase::Two] {
            assert_eq!(Phase::from_number(phase.number()), Some(phase));
        }
        assert_eq!(Phase::from_number(3), None);
    }
}
