//! Request and response bodies of providers and contracts.

use chrono::NaiveDate;
use domain::provider::{AfProgramme, Contract, Provider, ProviderContact};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::http::limits;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(as = Contact)]
pub struct ContactDto {
    #[schema(example = "Kundtjänst", max_length = 200)]
    #[validate(length(max = limits::PROVIDER_NAME_MAX))]
    pub name: String,
    #[schema(example = "Referral desk", max_length = 200)]
    #[validate(length(max = limits::PROVIDER_NAME_MAX))]
    pub role: Option<String>,
    #[schema(example = "remiss@example.se", max_length = 200)]
    #[validate(length(max = limits::PROVIDER_NAME_MAX))]
    pub email: Option<String>,
    #[schema(example = "08-123 456 00", max_length = 40)]
    #[validate(length(max = limits::PHONE_MAX))]
    pub phone: Option<String>,
}

impl From<&ProviderContact> for ContactDto {
    fn from(c: &ProviderContact) -> Self {
        Self {
            name: c.name.clone(),
            role: c.role.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
        }
    }
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateProviderRequest {
    /// Organisationsnummer, `NNNNNN-NNNN`; the check digit is verified. Unique.
    #[schema(example = "556677-8899", max_length = 13)]
    #[validate(length(max = limits::IDENTITY_NUMBER_MAX))]
    pub org_number: String,
    #[schema(example = "Arbetsvägen AB", max_length = 200)]
    #[validate(length(max = limits::PROVIDER_NAME_MAX))]
    pub name: String,
    /// `lou`, `lov`, `own_regime`, `iop`, `nonprofit`, `staffing_agency`, `education` or `public_agency`.
    #[schema(value_type = crate::codes::OrganisationKindCode, example = "lou")]
    pub kind: String,
    #[serde(default, deserialize_with = "crate::http::wire::null_as_default")]
    #[schema(value_type = Option<Vec<ContactDto>>, max_items = 20)]
    #[validate(length(max = limits::CONTACTS_MAX), nested)]
    pub contacts: Vec<ContactDto>,
    /// `active` (default), `suspended` or `ended`.
    #[schema(value_type = Option<crate::codes::RegisterStatusCode>, example = "active")]
    pub status: Option<String>,
}

/// Only the fields sent change; `contacts` replaces the whole list.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateProviderRequest {
    #[schema(example = "Arbetsvägen Stockholm AB", max_length = 200)]
    #[validate(length(max = limits::PROVIDER_NAME_MAX))]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::codes::OrganisationKindCode>, example = "lov")]
    pub kind: Option<String>,
    #[schema(max_items = 20)]
    #[validate(length(max = limits::CONTACTS_MAX), nested)]
    pub contacts: Option<Vec<ContactDto>>,
    #[schema(value_type = Option<crate::codes::RegisterStatusCode>, example = "suspended")]
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderResponse {
    #[schema(example = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11")]
    pub id: String,
    #[schema(example = "556677-8899")]
    pub org_number: String,
    #[schema(example = "Arbetsvägen AB")]
    pub name: String,
    #[schema(value_type = crate::codes::OrganisationKindCode, example = "lou")]
    pub kind: String,
    #[schema(value_type = crate::codes::RegisterStatusCode, example = "active")]
    pub status: String,
    /// Contact persons: shown to the purchaser and to the provider's own staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<ContactDto>>,
    pub version: i32,
}

impl ProviderResponse {
    pub fn new(provider: &Provider, with_contacts: bool) -> Self {
        Self {
            id: provider.id.to_string(),
            org_number: provider.org_number.to_string(),
            name: provider.name.clone(),
            kind: provider.kind.to_string(),
            status: provider.status.to_string(),
            contacts: with_contacts.then(|| provider.contacts.iter().map(ContactDto::from).collect()),
            version: provider.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderList {
    pub items: Vec<ProviderResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(as = ResultStep)]
pub struct ResultStepDto {
    /// `employment_or_studies_started`, `employment_sustained_3_months` or `employment_sustained_6_months`.
    #[schema(value_type = crate::codes::ResultStepTriggerCode, example = "employment_or_studies_started")]
    pub trigger: String,
    /// The payment for the step, in öre.
    #[schema(example = 1_500_000, minimum = 1, maximum = 10_000_000_000_u64)]
    #[serde(deserialize_with = "crate::http::numbers::whole_u64")]
    #[validate(range(min = 1, max = 10_000_000_000_u64))]
    pub amount_ore: u64,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateContractRequest {
    /// The purchaser's reference, unique; also orders ties in the default allocation.
    #[schema(example = "LOU-2026-014", max_length = 100)]
    #[validate(length(max = limits::REFERENCE_MAX))]
    pub reference: String,
    /// `lou_framework`, `lou_direct`, `lov`, `iop`, `grant` or `own_regime`.
    #[schema(value_type = crate::codes::ProcurementFormCode, example = "lou_framework")]
    pub procurement_form: String,
    #[schema(example = "2026-01-01")]
    pub valid_from: NaiveDate,
    #[schema(example = "2027-12-31")]
    pub valid_to: NaiveDate,
    /// Codes of `/v1/activity-types`.
    #[schema(example = json!(["work_training", "job_matching"]), max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub activity_types: Vec<String>,
    /// Codes of `/v1/target-groups`.
    #[schema(example = json!(["social_assistance_unemployed"]), max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub target_groups: Vec<String>,
    /// Codes of `/v1/jobbtorg`: the job centres whose participants it serves.
    #[schema(example = json!(["jarva", "vasterort"]), max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub job_centres: Vec<String>,
    /// Participants at once.
    #[schema(example = 25, minimum = 1, maximum = 100_000)]
    #[serde(deserialize_with = "crate::http::numbers::whole_number")]
    #[validate(range(min = 1, max = 100_000))]
    pub capacity: u32,
    /// Paid when a referral starts, in öre.
    #[schema(example = 500_000, maximum = 10_000_000_000_u64)]
    #[serde(deserialize_with = "crate::http::numbers::whole_u64")]
    #[validate(range(max = 10_000_000_000_u64))]
    pub start_fee_ore: u64,
    #[serde(default, deserialize_with = "crate::http::wire::null_as_default")]
    #[schema(value_type = Option<Vec<ResultStepDto>>, max_items = 50)]
    #[validate(length(max = limits::CODES_MAX), nested)]
    pub result_steps: Vec<ResultStepDto>,
    /// `active` (default), `suspended` or `ended`.
    #[schema(value_type = Option<crate::codes::RegisterStatusCode>, example = "active")]
    pub status: Option<String>,
}

/// Only the fields sent change; lists replace the whole list.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateContractRequest {
    #[schema(max_length = 100)]
    #[validate(length(max = limits::REFERENCE_MAX))]
    pub reference: Option<String>,
    #[schema(value_type = Option<crate::codes::ProcurementFormCode>)]
    pub procurement_form: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    #[schema(max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub activity_types: Option<Vec<String>>,
    #[schema(max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub target_groups: Option<Vec<String>>,
    #[schema(max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub job_centres: Option<Vec<String>>,
    #[schema(minimum = 1, maximum = 100_000)]
    #[serde(default, deserialize_with = "crate::http::numbers::optional_whole_number")]
    #[validate(range(min = 1, max = 100_000))]
    pub capacity: Option<u32>,
    #[schema(maximum = 10_000_000_000_u64)]
    #[serde(default, deserialize_with = "crate::http::numbers::optional_whole_u64")]
    #[validate(range(max = 10_000_000_000_u64))]
    pub start_fee_ore: Option<u64>,
    #[schema(max_items = 50)]
    #[validate(length(max = limits::CODES_MAX), nested)]
    pub result_steps: Option<Vec<ResultStepDto>>,
    #[schema(value_type = Option<crate::codes::RegisterStatusCode>, example = "suspended")]
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AfProgramme)]
pub struct AfProgrammeDto {
    #[schema(example = "af_rusta_och_matcha")]
    pub code: String,
    #[schema(example = "Rusta och matcha")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Remuneration)]
pub struct RemunerationDto {
    #[schema(example = 500_000)]
    pub start_fee_ore: u64,
    pub result_steps: Vec<ResultStepDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractResponse {
    #[schema(example = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e12")]
    pub id: String,
    pub provider_id: String,
    #[schema(example = "LOU-2026-014")]
    pub reference: String,
    #[schema(value_type = crate::codes::ProcurementFormCode, example = "lou_framework")]
    pub procurement_form: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub activity_types: Vec<String>,
    pub target_groups: Vec<String>,
    pub job_centres: Vec<String>,
    #[schema(example = 25)]
    pub capacity: u32,
    pub remuneration: RemunerationDto,
    #[schema(value_type = crate::codes::RegisterStatusCode, example = "active")]
    pub status: String,
    /// Allowed, but the city should not procure what Arbetsförmedlingen already offers.
    pub overlaps_af_programme: bool,
    pub overlapping_af_programmes: Vec<AfProgrammeDto>,
    pub version: i32,
}

impl ContractResponse {
    pub fn new(contract: &Contract, overlapping: &[&AfProgramme]) -> Self {
        let codes = |c: &[domain::shared::Code]| c.iter().map(ToString::to_string).collect();
        Self {
            id: contract.id.to_string(),
            provider_id: contract.provider_id.to_string(),
            reference: contract.reference.clone(),
            procurement_form: contract.procurement_form.to_string(),
            valid_from: contract.valid_from,
            valid_to: contract.valid_to,
            activity_types: codes(&contract.activity_types),
            target_groups: codes(&contract.target_groups),
            job_centres: codes(&contract.job_centres),
            capacity: contract.capacity,
            remuneration: RemunerationDto {
                start_fee_ore: contract.remuneration.start_fee_ore,
                result_steps: contract
                    .remuneration
                    .steps
                    .iter()
                    .map(|(trigger, amount)| ResultStepDto {
                        trigger: trigger.to_string(),
                        amount_ore: *amount,
                    })
                    .collect(),
            },
            status: contract.status.to_string(),
            overlaps_af_programme: !overlapping.is_empty(),
            overlapping_af_programmes: overlapping
                .iter()
                .map(|p| AfProgrammeDto {
                    code: p.code.to_string(),
                    name: p.name.clone(),
                })
                .collect(),
            version: contract.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractList {
    pub items: Vec<ContractResponse>,
    pub next_cursor: Option<String>,
}

/// Places used and free now; no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityResponse {
    pub contract_id: String,
    #[schema(example = 25)]
    pub capacity: u32,
    /// Referrals sent (not expired), accepted or in progress.
    #[schema(example = 21)]
    pub places_used: u32,
    #[schema(example = 4)]
    pub places_free: u32,
    /// Whether the contract and its provider take referrals today.
    pub accepting_referrals: bool,
}
