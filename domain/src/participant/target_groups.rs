//! Which target groups an intake may name: known, enabled by the configured phase, never the
//! derived youth group, and the youth group added from the date of birth.

use chrono::NaiveDate;

use crate::reference::{Phase, TargetGroup};
use crate::shared::{age_on, Code};

pub const YOUTH_GROUP: &str = "youth_16_24";
/// A person under this age is not a participant.
pub const MIN_AGE: u32 = 16;
const YOUTH_MAX_AGE: u32 = 24;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetGroupError {
    #[error("the person is {age} years old; participants are at least {MIN_AGE}")]
    UnderAge { age: u32 },
    #[error("{0} is derived from the date of birth and may not be sent")]
    Derived(String),
    #[error("{0} is not a target group")]
    Unknown(String),
    #[error("{0} is not enabled on this server")]
    NotEnabled(String),
    #[error("name at least one target group")]
    Empty,
}

/// The target groups of an intake: the requested ones checked against the catalogue and the
/// enabled phase, plus `youth_16_24` when the person is 16 to 24 on `intake_date`.
pub fn intake_target_groups(
    requested: &[Code],
    birth_date: NaiveDate,
    intake_date: NaiveDate,
    catalogue: &[TargetGroup],
    enabled_phase: Phase,
) -> Result<Vec<Code>, Vec<TargetGroupError>> {
    let age = age_on(birth_date, intake_date);
    let mut errors = Vec::new();
    if age < MIN_AGE {
        errors.push(TargetGroupError::UnderAge { age });
    }
    let mut groups: Vec<Code> = Vec::new();
    for code in requested {
        match catalogue.iter().find(|g| &g.code == code) {
            None => errors.push(TargetGroupError::Unknown(code.to_string())),
            Some(group) if group.derived => errors.push(TargetGroupError::Derived(code.to_string())),
            Some(group) if !group.is_enabled(enabled_phase) => {
                errors.push(TargetGroupError::NotEnabled(code.to_string()))
            }
            Some(_) if groups.contains(code) => {}
            Some(_) => groups.push(code.clone()),
        }
    }
    if (MIN_AGE..=YOUTH_MAX_AGE).contains(&age) {
        if let Ok(youth) = Code::parse(YOUTH_GROUP) {
            groups.push(youth);
        }
    }
    if groups.is_empty() && errors.is_empty() {
        errors.push(TargetGroupError::Empty);
    }
    if errors.is_empty() {
        Ok(groups)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn catalogue() -> Vec<TargetGroup> {
        let group = |c: &str, phase, derived| TargetGroup {
            code: code(c),
            name: c.into(),
            description: String::new(),
            phase,
            derived,
        };
        vec![
            group("social_assistance_unemployed", Phase::One, false),
            group("sfi_student", Phase::One, false),
            group(YOUTH_GROUP, Phase::One, true),
            group("disability_support", Phase::Two, false),
        ]
    }

    const INTAKE: (i32, u32, u32) = (2026, 11, 23);

    fn groups(requested: &[&str], born: NaiveDate, phase: Phase) -> Result<Vec<String>, Vec<TargetGroupError>> {
        let requested: Vec<Code> = requested.iter().map(|r| code(r)).collect();
        intake_target_groups(&requested, born, day(INTAKE.0, INTAKE.1, INTAKE.2), &catalogue(), phase)
            .map(|codes| codes.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn an_adult_keeps_the_requested_groups() {
        assert_eq!(
            groups(&["sfi_student"], day(1980, 1, 1), Phase::One),
            Ok(vec!["sfi_student".into()])
        );
    }

    #[test]
    fn youth_is_added_from_16_through_24() {
        assert_eq!(
            groups(&["social_assistance_unemployed"], day(2010, 11, 23), Phase::One),
            Ok(vec!["social_assistance_unemployed".into(), YOUTH_GROUP.into()]),
            "16 today"
        );
        assert_eq!(
            groups(&[], day(2001, 11, 24), Phase::One),
            Ok(vec![YOUTH_GROUP.into()]),
            "24 until tomorrow"
        );
        assert_eq!(
            groups(&["sfi_student"], day(2001, 11, 23), Phase::One),
            Ok(vec!["sfi_student".into()]),
            "25 today"
        );
    }

    #[test]
    fn under_16_is_refused() {
        assert_eq!(
            groups(&["sfi_student"], day(2010, 11, 24), Phase::One),
            Err(vec![TargetGroupError::UnderAge { age: 15 }])
        );
    }

    #[test]
    fn youth_may_not_be_typed_in() {
        assert_eq!(
            groups(&[YOUTH_GROUP], day(2005, 1, 1), Phase::One),
            Err(vec![TargetGroupError::Derived(YOUTH_GROUP.into())])
        );
    }

    #[test]
    fn phase_two_groups_need_phase_two() {
        assert_eq!(
            groups(&["disability_support"], day(1980, 1, 1), Phase::One),
            Err(vec![TargetGroupError::NotEnabled("disability_support".into())])
        );
        assert_eq!(
            groups(&["disability_support"], day(1980, 1, 1), Phase::Two),
            Ok(vec!["disability_support".into()])
        );
    }

    #[test]
    fn unknown_and_empty_are_refused_and_duplicates_collapse() {
        assert_eq!(
            groups(&["astronauts"], day(1980, 1, 1), Phase::One),
            Err(vec![TargetGroupError::Unknown("astronauts".into())])
        );
        assert_eq!(
            groups(&[], day(1980, 1, 1), Phase::One),
            Err(vec![TargetGroupError::Empty])
        );
        assert_eq!(
            groups(&["sfi_student", "sfi_student"], day(1980, 1, 1), Phase::One),
            Ok(vec!["sfi_student".into()])
        );
    }
}
