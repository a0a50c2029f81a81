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
    /// Bumped on every change; the ETag clients send back in `If-Match`.
    pub version: i32,
}

/// A district to add, e.g. after the city reorganises its districts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDistrict {
    pub code: Code,
    pub name: ReferenceName,
    pub job_centre_code: Code,
}

/// A change to a district: a new name, or another job centre serving it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DistrictChanges {
    pub name: Option<ReferenceName>,
    pub job_centre_code: Option<Code>,
}

impl DistrictChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.job_centre_code.is_none()
    }
}

/// A display name of reference data: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a name is 1-100 characters without control characters")]
pub struct InvalidName;

impl ReferenceName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, InvalidName> {
        let trimmed = raw.trim();
        let chars = trimmed.chars().count();
        if chars == 0 || chars > Self::MAX_CHARS || trimmed.chars().any(char::is_control) {
            return Err(InvalidName);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
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
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            ReferenceName::parse("  Hägersten-Älvsjö ").map(|n| n.as_str().to_owned()),
            Ok("Hägersten-Älvsjö".into())
        );
        assert!(ReferenceName::parse(&"å".repeat(ReferenceName::MAX_CHARS)).is_ok());
        for bad in ["", "   ", "a\nb", &"å".repeat(ReferenceName::MAX_CHARS + 1)] {
            assert_eq!(ReferenceName::parse(bad), Err(InvalidName), "{bad:?}");
        }
    }

    #[test]
    fn phases_round_trip_through_numbers() {
        for phase in [Phase::One, Phase::Two] {
            assert_eq!(Phase::from_number(phase.number()), Some(phase));
        }
        assert_eq!(Phase::from_number(3), None);
    }
}
