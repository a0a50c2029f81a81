//! The employment a person started and the coded outcome, as the exit, the follow-ups and a
//! provider completing a referral report them.

use domain::participant::{
    validate_ssyk, EmploymentDetails, EmploymentExtent, EmploymentForm, ExitOutcome, ExitRecord,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::http::text::{optional_text, TEXT_MAX};
use crate::problem::FieldErrors;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(as = Employment)]
pub struct EmploymentDto {
    /// `permanent`, `fixed_term` or `hourly`.
    #[schema(value_type = crate::codes::EmploymentFormCode, example = "permanent")]
    pub employment_form: String,
    /// `full_time` or `part_time`.
    #[schema(value_type = crate::codes::EmploymentExtentCode, example = "full_time")]
    pub extent: String,
    pub wage_subsidy: bool,
    /// SSYK 2012 occupation code, 1-4 digits.
    #[schema(example = "5120", pattern = r"^[0-9]{1,4}$")]
    pub ssyk: Option<String>,
}

impl From<&EmploymentDetails> for EmploymentDto {
    fn from(e: &EmploymentDetails) -> Self {
        Self {
            employment_form: e.form.as_str().into(),
            extent: e.extent.as_str().into(),
            wage_subsidy: e.wage_subsidy,
            ssyk: e.ssyk.clone(),
        }
    }
}

pub fn employment(errors: &mut FieldErrors, prefix: &str, dto: Option<EmploymentDto>) -> Option<EmploymentDetails> {
    let dto = dto?;
    let form = errors.check(
        &format!("{prefix}.employment_form"),
        "invalid_value",
        EmploymentForm::parse(&dto.employment_form).ok_or("use permanent, fixed_term or hourly"),
    );
    let extent = errors.check(
        &format!("{prefix}.extent"),
        "invalid_value",
        EmploymentExtent::parse(&dto.extent).ok_or("use full_time or part_time"),
    );
    if let Err(e) = validate_ssyk(dto.ssyk.as_deref()) {
        errors.add(&format!("{prefix}.ssyk"), "invalid_format", e.to_string());
    }
    Some(EmploymentDetails {
        form: form?,
        extent: extent?,
        wage_subsidy: dto.wage_subsidy,
        ssyk: dto.ssyk,
    })
}

/// A coded outcome with exactly the details it needs: employment details with `employment`, a
/// reason with `other`. Used by the exit and by a provider completing a referral.
pub fn outcome_record(
    errors: &mut FieldErrors,
    outcome: &str,
    details: Option<EmploymentDto>,
    reason: Option<String>,
) -> Option<ExitRecord> {
    let outcome = errors.check(
        "outcome",
        "unknown",
        ExitOutcome::parse(outcome).ok_or("not a code of /v1/exit-outcomes"),
    );
    let details = employment(errors, "employment", details);
    let reason = optional_text(errors, "reason", reason, TEXT_MAX);
    let field = if outcome == Some(ExitOutcome::Other) {
        "reason"
    } else {
        "employment"
    };
    errors.check(field, "required", ExitRecord::new(outcome?, details, reason))
}
