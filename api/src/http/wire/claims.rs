//! The payment claim on the wire, shared by the claims routes and the participant export.

use chrono::{DateTime, NaiveDate, Utc};
use persistence::repos::claim::Claim;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimResponse {
    pub id: String,
    pub referral_id: String,
    pub contract_id: String,
    pub provider_id: String,
    /// `start_fee`, `employment_or_studies_started`, `employment_sustained_3_months` or
    /// `employment_sustained_6_months`.
    #[schema(value_type = crate::codes::ClaimTriggerCode, example = "start_fee")]
    pub trigger: String,
    #[schema(example = 500_000)]
    pub amount_ore: u64,
    /// `pending`, `approved`, `rejected` or `paid`.
    #[schema(value_type = crate::codes::ClaimStatusCode, example = "pending")]
    pub status: String,
    /// The contract terms the amount was computed from, as they were then.
    #[schema(value_type = Object)]
    pub terms_snapshot: Value,
    /// What the claim rests on: the referral's dates and outcome, the follow-ups.
    #[schema(value_type = Object)]
    pub evidence: Value,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

impl From<&Claim> for ClaimResponse {
    fn from(c: &Claim) -> Self {
        Self {
            id: c.id.to_string(),
            referral_id: c.referral_id.to_string(),
            contract_id: c.contract_id.to_string(),
            provider_id: c.provider_id.to_string(),
            trigger: c.trigger.to_string(),
            amount_ore: c.amount_ore,
            status: c.status.as_str().to_owned(),
            terms_snapshot: serde_json::from_str(&c.terms_snapshot).unwrap_or(Value::Null),
            evidence: serde_json::from_str(&c.evidence).unwrap_or(Value::Null),
            decided_by: c.decided_by.clone(),
            decided_at: c.decided_at.map(|d| d.and_utc()),
            reject_reason: c.reject_reason.clone(),
            paid_on: c.paid_on,
            created_at: c.created_at.and_utc(),
            version: c.version,
        }
    }
}
