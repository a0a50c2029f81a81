//! Providers (anordnare), their contracts and what a contract pays: the purchaser's records.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::claim::{ClaimTrigger, RemunerationModel};
use crate::code_enum;
use crate::shared::{Code, OrgNumber};

code_enum! {
    /// What kind of organisation delivers: procured, in a choice system, partnership, own regime.
    pub enum OrganisationKind {
        Lou = "lou",
        Lov = "lov",
        OwnRegime = "own_regime",
        Iop = "iop",
        Nonprofit = "nonprofit",
        StaffingAgency = "staffing_agency",
        Education = "education",
        PublicAgency = "public_agency",
    }
}

code_enum! {
    /// Whether a provider or contract takes referrals: only `active` ones do.
    pub enum ProviderStatus {
        Active = "active",
        Suspended = "suspended",
        Ended = "ended",
    }
}

code_enum! {
    /// How the contract was procured or agreed.
    pub enum ProcurementForm {
        LouFramework = "lou_framework",
        LouDirect = "lou_direct",
        Lov = "lov",
        Iop = "iop",
        Grant = "grant",
        OwnRegime = "own_regime",
    }
}

/// A contact person or function at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderContact {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub id: Uuid,
    pub org_number: OrgNumber,
    pub name: String,
    pub kind: OrganisationKind,
    pub contacts: Vec<ProviderContact>,
    pub status: ProviderStatus,
    pub version: i32,
}

impl Provider {
    pub fn snapshot(&self) -> Vec<(&'static str, Option<String>)> {
        let contacts = self
            .contacts
            .iter()
            .map(|c| {
                format!(
                    "{} ({}) {} {}",
                    c.name,
                    c.role.as_deref().unwrap_or("-"),
                    c.email.as_deref().unwrap_or("-"),
                    c.phone.as_deref().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>();
        vec![
            ("org_number", Some(self.org_number.to_string())),
            ("name", Some(self.name.clone())),
            ("kind", Some(self.kind.to_string())),
            ("contacts", Some(contacts.join("; "))),
            ("status", Some(self.status.to_string())),
        ]
    }
}

/// A provider's contract: what, for whom, where, how many at once, when, and how it pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: Uuid,
    pub provider_id: Uuid,
    /// The purchaser's reference, unique; also the stable order of the default allocation.
    pub reference: String,
    pub procurement_form: ProcurementForm,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub activity_types: Vec<Code>,
    pub target_groups: Vec<Code>,
    pub job_centres: Vec<Code>,
    /// Participants at once.
    pub capacity: u32,
    pub remuneration: RemunerationModel,
    pub status: ProviderStatus,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    #[error("valid_to is before valid_from")]
    EndsBeforeStart,
    #[error("capacity is at least 1 participant")]
    NoCapacity,
    #[error("{field} lists at least one code")]
    Empty { field: &'static str },
    #[error("{field} lists {code} twice")]
    Duplicate { field: &'static str, code: String },
    #[error("result step {0} is listed twice")]
    StepTwice(ClaimTrigger),
    #[error("a result step pays more than 0 öre")]
    ZeroStep,
    #[error("an amount is at most {MAX_AMOUNT_ORE} öre")]
    AmountTooLarge { field: &'static str },
    #[error("capacity is at most {MAX_CAPACITY} participants")]
    CapacityTooLarge,
}

/// Sanity bounds: 100 million kronor for one payment, 100 000 places for one contract.
pub const MAX_AMOUNT_ORE: u64 = 10_000_000_000;
pub const MAX_CAPACITY: u32 = 100_000;

impl ContractError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            ContractError::EndsBeforeStart => "valid_to",
            ContractError::NoCapacity | ContractError::CapacityTooLarge => "capacity",
            ContractError::AmountTooLarge { field } => field,
            ContractError::Empty { field } | ContractError::Duplicate { field, .. } => field,
            ContractError::StepTwice(_) | ContractError::ZeroStep => "result_steps",
        }
    }
}

fn distinct(field: &'static str, codes: &[Code]) -> Result<(), ContractError> {
    if codes.is_empty() {
        return Err(ContractError::Empty { field });
    }
    for (i, code) in codes.iter().enumerate() {
        if codes[..i].contains(code) {
            return Err(ContractError::Duplicate {
                field,
                code: code.to_string(),
            });
        }
    }
    Ok(())
}

impl Contract {
    /// Every rule a contract's terms must meet; all broken ones, not just the first.
    pub fn check(&self) -> Vec<ContractError> {
        let mut errors = Vec::new();
        if self.valid_to < self.valid_from {
            errors.push(ContractError::EndsBeforeStart);
        }
        if self.capacity == 0 {
            errors.push(ContractError::NoCapacity);
        }
        if self.capacity > MAX_CAPACITY {
            errors.push(ContractError::CapacityTooLarge);
        }
        if self.remuneration.start_fee_ore > MAX_AMOUNT_ORE {
            errors.push(ContractError::AmountTooLarge { field: "start_fee_ore" });
        }
        for (field, codes) in [
            ("activity_types", &self.activity_types),
            ("target_groups", &self.target_groups),
            ("job_centres", &self.job_centres),
        ] {
            if let Err(e) = distinct(field, codes) {
                errors.push(e);
            }
        }
        let steps = &self.remuneration.steps;
        if let Some((trigger, _)) = steps
            .iter()
            .enumerate()
            .find(|(i, (t, _))| steps[..*i].iter().any(|(u, _)| u == t))
            .map(|(_, step)| *step)
        {
            errors.push(ContractError::StepTwice(trigger));
        }
        if steps.iter().any(|(_, amount)| *amount == 0) {
            errors.push(ContractError::ZeroStep);
        }
        if steps.iter().any(|(_, amount)| *amount > MAX_AMOUNT_ORE) {
            errors.push(ContractError::AmountTooLarge { field: "result_steps" });
        }
        errors
    }

    pub fn snapshot(&self) -> Vec<(&'static str, Option<String>)> {
        let join = |codes: &[Code]| codes.iter().map(Code::to_string).collect::<Vec<_>>().join(",");
        let steps = self
            .remuneration
            .steps
            .iter()
            .map(|(t, amount)| format!("{t}:{amount}"))
            .collect::<Vec<_>>()
            .join(",");
        vec![
            ("reference", Some(self.reference.clone())),
            ("procurement_form", Some(self.procurement_form.to_string())),
            ("valid_from", Some(self.valid_from.to_string())),
            ("valid_to", Some(self.valid_to.to_string())),
            ("activity_types", Some(join(&self.activity_types))),
            ("target_groups", Some(join(&self.target_groups))),
            ("job_centres", Some(join(&self.job_centres))),
            ("capacity", Some(self.capacity.to_string())),
            ("start_fee_ore", Some(self.remuneration.start_fee_ore.to_string())),
            ("result_steps", Some(steps)),
            ("status", Some(self.status.to_string())),
        ]
    }

    /// Active on `date`: status active and the date inside the period.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.status == ProviderStatus::Active && self.valid_from <= date && date <= self.valid_to
    }
}

/// One of Arbetsförmedlingen's own programmes, as reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfProgramme {
    pub code: Code,
    pub name: String,
    pub activity_type: Code,
    pub target_groups: Vec<Code>,
}

/// The AF programmes a contract duplicates: same activity type for a shared target group. The
/// 2019 report asks the city not to procure what the state already offers; such a contract is
/// allowed but flagged.
pub fn overlapping_af_programmes<'a>(
    activity_types: &[Code],
    target_groups: &[Code],
    programmes: &'a [AfProgramme],
) -> Vec<&'a AfProgramme> {
    programmes
        .iter()
        .filter(|p| {
            activity_types.contains(&p.activity_type) && p.target_groups.iter().any(|g| target_groups.contains(g))
        })
        .collect()
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

    fn contract() -> Contract {
        Contract {
            id: Uuid::from_u128(1),
            provider_id: Uuid::from_u128(2),
            reference: "LOU-2026-01".into(),
            procurement_form: ProcurementForm::LouFramework,
            valid_from: day(2026, 1, 1),
            valid_to: day(2027, 12, 31),
            activity_types: vec![code("work_training")],
            target_groups: vec![code("social_assistance_unemployed")],
            job_centres: vec![code("jarva")],
            capacity: 10,
            remuneration: RemunerationModel {
                start_fee_ore: 500_000,
                steps: vec![(ClaimTrigger::EmploymentOrStudiesStarted, 1_500_000)],
            },
            status: ProviderStatus::Active,
            version: 1,
        }
    }

    #[test]
    fn a_sound_contract_passes() {
        assert_eq!(contract().check(), vec![]);
    }

    #[test]
    fn every_broken_term_is_named() {
        let mut c = contract();
        c.valid_to = day(2025, 12, 31);
        c.capacity = 0;
        c.target_groups = vec![];
        c.job_centres = vec![code("jarva"), code("jarva")];
        c.remuneration.steps.push((ClaimTrigger::EmploymentOrStudiesStarted, 0));
        let errors = c.check();
        assert_eq!(
            errors,
            vec![
                ContractError::EndsBeforeStart,
                ContractError::NoCapacity,
                ContractError::Empty { field: "target_groups" },
                ContractError::Duplicate {
                    field: "job_centres",
                    code: "jarva".into()
                },
                ContractError::StepTwice(ClaimTrigger::EmploymentOrStudiesStarted),
                ContractError::ZeroStep,
            ]
        );
        assert_eq!(
            errors.iter().map(ContractError::field).collect::<Vec<_>>(),
            [
                "valid_to",
                "capacity",
                "target_groups",
                "job_centres",
                "result_steps",
                "result_steps"
            ]
        );
    }

    #[test]
    fn amounts_and_capacity_are_bounded() {
        let mut c = contract();
        c.capacity = MAX_CAPACITY + 1;
        c.remuneration.start_fee_ore = MAX_AMOUNT_ORE + 1;
        c.remuneration.steps[0].1 = MAX_AMOUNT_ORE + 1;
        assert_eq!(
            c.check(),
            vec![
                ContractError::CapacityTooLarge,
                ContractError::AmountTooLarge { field: "start_fee_ore" },
                ContractError::AmountTooLarge { field: "result_steps" },
            ]
        );
        c.capacity = MAX_CAPACITY;
        c.remuneration.start_fee_ore = MAX_AMOUNT_ORE;
        c.remuneration.steps[0].1 = MAX_AMOUNT_ORE;
        assert_eq!(c.check(), vec![]);
    }

    #[test]
    fn activity_follows_status_and_period() {
        let mut c = contract();
        assert!(c.is_active_on(day(2026, 1, 1)));
        assert!(!c.is_active_on(day(2028, 1, 1)));
        c.status = ProviderStatus::Suspended;
        assert!(!c.is_active_on(day(2026, 6, 1)));
    }

    #[test]
    fn an_af_programme_overlaps_on_activity_type_and_a_shared_group() {
        let programmes = [
            AfProgramme {
                code: code("af_rusta_och_matcha"),
                name: "Rusta och matcha".into(),
                activity_type: code("job_matching"),
                target_groups: vec![code("social_assistance_unemployed"), code("refugee_introduction")],
            },
            AfProgramme {
                code: code("af_validering"),
                name: "Validering".into(),
                activity_type: code("validation"),
                target_groups: vec![code("refugee_introduction")],
            },
        ];
        let found = overlapping_af_programmes(
            &[code("job_matching"), code("validation")],
            &[code("social_assistance_unemployed")],
            &programmes,
        );
        assert_eq!(
            found.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(),
            ["af_rusta_och_matcha"]
        );
        assert!(
            overlapping_af_programmes(&[code("work_training")], &[code("refugee_introduction")], &programmes)
                .is_empty()
        );
    }
}
