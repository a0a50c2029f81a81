//! The coded exit outcome every participation ends with; never "unknown".

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitOutcome {
    Employment,
    Studies,
    OtherSupport,
    Moved,
    SickOrParentalLeave,
    NoShow,
    DeclinedParticipation,
    Deceased,
    Other,
}

impl ExitOutcome {
    pub const ALL: [ExitOutcome; 9] = [
        ExitOutcome::Employment,
        ExitOutcome::Studies,
        ExitOutcome::OtherSupport,
        ExitOutcome::Moved,
        ExitOutcome::SickOrParentalLeave,
        ExitOutcome::NoShow,
        ExitOutcome::DeclinedParticipation,
        ExitOutcome::Deceased,
        ExitOutcome::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExitOutcome::Employment => "employment",
            ExitOutcome::Studies => "studies",
            ExitOutcome::OtherSupport => "other_support",
            ExitOutcome::Moved => "moved",
            ExitOutcome::SickOrParentalLeave => "sick_or_parental_leave",
            ExitOutcome::NoShow => "no_show",
            ExitOutcome::DeclinedParticipation => "declined_participation",
            ExitOutcome::Deceased => "deceased",
            ExitOutcome::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmploymentForm {
    Permanent,
    FixedTerm,
    Hourly,
}

impl EmploymentForm {
    pub const ALL: [EmploymentForm; 3] = [
        EmploymentForm::Permanent,
        EmploymentForm::FixedTerm,
        EmploymentForm::Hourly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentForm::Permanent => "permanent",
            EmploymentForm::FixedTerm => "fixed_term",
            EmploymentForm::Hourly => "hourly",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmploymentExtent {
    FullTime,
    PartTime,
}

impl EmploymentExtent {
    pub const ALL: [EmploymentExtent; 2] = [EmploymentExtent::FullTime, EmploymentExtent::PartTime];

    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentExtent::FullTime => "full_time",
            EmploymentExtent::PartTime => "part_time",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == raw)
    }
}

/// The kind of employment a work outcome or a follow-up records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentDetails {
    pub form: EmploymentForm,
    pub extent: EmploymentExtent,
    pub wage_subsidy: bool,
    /// SSYK 2012 occupation code: 1 to 4 digits.
    pub ssyk: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExitError {
    #[error("an employment outcome needs employment_form, extent and wage_subsidy")]
    EmploymentDetailsRequired,
    #[error("employment details belong only to the employment outcome")]
    EmploymentDetailsNotAllowed,
    #[error("the outcome other needs a reason")]
    ReasonRequired,
    #[error("an SSYK 2012 code is 1 to 4 digits")]
    InvalidSsyk,
}

/// A valid exit: the outcome with exactly the details it requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitRecord {
    outcome: ExitOutcome,
    employment: Option<EmploymentDetails>,
    reason: Option<String>,
}

impl ExitRecord {
    pub fn new(
        outcome: ExitOutcome,
        employment: Option<EmploymentDetails>,
        reason: Option<String>,
    ) -> Result<Self, ExitError> {
        let reason = reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        match (outcome, &employment) {
            (ExitOutcome::Employment, None) => return Err(ExitError::EmploymentDetailsRequired),
            (ExitOutcome::Employment, Some(details)) => validate_ssyk(details.ssyk.as_deref())?,
            (_, Some(_)) => return Err(ExitError::EmploymentDetailsNotAllowed),
            (_, None) => {}
        }
        if outcome == ExitOutcome::Other && reason.is_none() {
            return Err(ExitError::ReasonRequired);
        }
        Ok(Self {
            outcome,
            employment,
            reason,
        })
    }

    pub fn outcome(&self) -> ExitOutcome {
        self.outcome
    }

    pub fn employment(&self) -> Option<&EmploymentDetails> {
        self.employment.as_ref()
    }

    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

pub fn validate_ssyk(ssyk: Option<&str>) -> Result<(), ExitError> {
    match ssyk {
        Some(code) if code.is_empty() || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) => {
            Err(ExitError::InvalidSsyk)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(ssyk: Option<&str>) -> EmploymentDetails {
        EmploymentDetails {
            form: EmploymentForm::Permanent,
            extent: EmploymentExtent::FullTime,
            wage_subsidy: false,
            ssyk: ssyk.map(str::to_owned),
        }
    }

    #[test]
    fn employment_needs_its_details_and_only_employment_has_them() {
        assert_eq!(
            ExitRecord::new(ExitOutcome::Employment, None, None),
            Err(ExitError::EmploymentDetailsRequired)
        );
        assert!(ExitRecord::new(ExitOutcome::Employment, Some(job(Some("5120"))), None).is_ok());
        assert_eq!(
            ExitRecord::new(ExitOutcome::Employment, Some(job(Some("51200"))), None),
            Err(ExitError::InvalidSsyk)
        );
        assert_eq!(
            ExitRecord::new(ExitOutcome::Employment, Some(job(Some("51a"))), None),
            Err(ExitError::InvalidSsyk)
        );
        assert_eq!(
            ExitRecord::new(ExitOutcome::Studies, Some(job(None)), None),
            Err(ExitError::EmploymentDetailsNotAllowed)
        );
    }

    #[test]
    fn other_needs_a_reason() {
        assert_eq!(
            ExitRecord::new(ExitOutcome::Other, None, None),
            Err(ExitError::ReasonRequired)
        );
        assert_eq!(
            ExitRecord::new(ExitOutcome::Other, None, Some("  ".into())),
            Err(ExitError::ReasonRequired)
        );
        let record = ExitRecord::new(ExitOutcome::Other, None, Some(" moved abroad ".into())).unwrap();
        assert_eq!(record.reason(), Some("moved abroad"));
    }

    #[test]
    fn every_other_outcome_stands_alone() {
        for outcome in ExitOutcome::ALL
            .into_iter()
            .filter(|o| !matches!(o, ExitOutcome::Employment | ExitOutcome::Other))
        {
            assert!(ExitRecord::new(outcome, None, None).is_ok(), "{outcome:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for outcome in ExitOutcome::ALL {
            assert_eq!(ExitOutcome::parse(outcome.as_str()), Some(outcome));
        }
        for form in EmploymentForm::ALL {
            assert_eq!(EmploymentForm::parse(form.as_str()), Some(form));
        }
        for extent in EmploymentExtent::ALL {
            assert_eq!(EmploymentExtent::parse(extent.as_str()), Some(extent));
        }
        assert_eq!(ExitOutcome::parse("unknown"), None);
    }
}
