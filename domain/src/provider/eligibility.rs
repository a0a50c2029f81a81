use chrono::NaiveDate;
use uuid::Uuid;

use crate::shared::Code;

/// What a contract covers, with its current use, as the eligibility rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractTerms {
    pub id: Uuid,
    /// A stable public order for ties (the contract reference).
    pub reference: String,
    pub provider_active: bool,
    pub contract_active: bool,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub activity_types: Vec<Code>,
    pub target_groups: Vec<Code>,
    pub job_centres: Vec<Code>,
    /// Participants at once.
    pub capacity: u32,
    pub places_used: u32,
    /// Referrals allocated to this contract by default allocation so far in the period.
    pub default_allocations: u32,
}

/// What a referral needs from a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralNeed {
    pub activity_type: Code,
    pub target_groups: Vec<Code>,
    pub jobbtorg: Code,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Why a contract cannot take a referral; all reasons are reported, not just the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error("the provider is not active")]
    ProviderInactive,
    #[error("the contract is not active")]
    ContractInactive,
    #[error("the contract does not cover the activity's dates")]
    OutsidePeriod,
    #[error("the contract does not cover the activity type")]
    ActivityType,
    #[error("the contract covers none of the participant's target groups")]
    TargetGroup,
    #[error("the contract does not cover the participant's job centre")]
    JobCentre,
    #[error("the contract has no free place")]
    NoCapacity,
}

/// Whether a contract holds more referrals than it has places: the check after a referral was
/// written, when `places_held` counts it too (before, a full contract is `NoCapacity`).
pub fn over_capacity(places_held: u32, capacity: u32) -> bool {
    places_held > capacity
}

/// Every reason `contract` cannot take `need`; empty when it can.
pub fn eligibility(contract: &ContractTerms, need: &ReferralNeed) -> Vec<Ineligible> {
    let checks = [
        (!contract.provider_active, Ineligible::ProviderInactive),
        (!contract.contract_active, Ineligible::ContractInactive),
        (
            need.starts_on < contract.valid_from || need.ends_on > contract.valid_to,
            Ineligible::OutsidePeriod,
        ),
        (
            !contract.activity_types.contains(&need.activity_type),
            Ineligible::ActivityType,
        ),
        (
            !need.target_groups.iter().any(|g| contract.target_groups.contains(g)),
            Ineligible::TargetGroup,
        ),
        (!contract.job_centres.contains(&need.jobbtorg), Ineligible::JobCentre),
        // One more would put it over.
        (
            over_capacity(contract.places_used.saturating_add(1), contract.capacity),
            Ineligible::NoCapacity,
        ),
    ];
    checks
        .into_iter()
        .filter(|(failed, _)| *failed)
        .map(|(_, reason)| reason)
        .collect()
}

/// The outcome of the neutral default allocation, with the reason it is recorded with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub contract: Uuid,
    pub reason: String,
}

/// The neutral default allocation (the participant chose no provider): among eligible contracts,
/// the one with the fewest default allocations so far in the period; ties go to the lowest
/// contract reference, then id. Deterministic and auditable. `Err` lists every candidate with
/// why it failed.
pub fn neutral_allocation(
    contracts: &[ContractTerms],
    need: &ReferralNeed,
) -> Result<Allocation, Vec<(Uuid, Vec<Ineligible>)>> {
    let (eligible, ineligible): (Vec<&ContractTerms>, Vec<&ContractTerms>) =
        contracts.iter().partition(|c| eligibility(c, need).is_empty());
    let chosen = eligible
        .iter()
        .min_by(|a, b| (a.default_allocations, &a.reference, a.id).cmp(&(b.default_allocations, &b.reference, b.id)));
    match chosen {
        Some(contract) => Ok(Allocation {
            contract: contract.id,
            reason: format!(
                "default allocation: {} of {} eligible contracts; fewest allocations so far ({}), ties by reference",
                contract.reference,
                eligible.len(),
                contract.default_allocations
            ),
        }),
        None => Err(ineligible.iter().map(|c| (c.id, eligibility(c, need))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contract_is_over_capacity_only_past_its_last_place() {
        assert!(!over_capacity(9, 10));
        assert!(!over_capacity(10, 10), "the last place may be taken");
        assert!(over_capacity(11, 10));
    }

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn contract(n: u128, reference: &str, allocations: u32) -> ContractTerms {
        ContractTerms {
            id: Uuid::from_u128(n),
            reference: reference.into(),
            provider_active: true,
            contract_active: true,
            valid_from: day(2026, 1, 1),
            valid_to: day(2027, 12, 31),
            activity_types: vec![code("work_training"), code("job_matching")],
            target_groups: vec![code("social_assistance_unemployed")],
            job_centres: vec![code("jarva"), code("vasterort")],
            capacity: 10,
            places_used: 3,
            default_allocations: allocations,
        }
    }

    fn need() -> ReferralNeed {
        ReferralNeed {
            activity_type: code("work_training"),
            target_groups: vec![code("social_assistance_unemployed"), code("youth_16_24")],
            jobbtorg: code("jarva"),
            starts_on: day(2026, 12, 1),
            ends_on: day(2027, 2, 28),
        }
    }

    #[test]
    fn each_failing_reason_is_named() {
        assert_eq!(eligibility(&contract(1, "A", 0), &need()), Vec::<Ineligible>::new());
        type Breaker = fn(&mut ContractTerms);
        let cases: [(Breaker, Ineligible); 7] = [
            (|c| c.provider_active = false, Ineligible::ProviderInactive),
            (|c| c.contract_active = false, Ineligible::ContractInactive),
            (|c| c.valid_to = day(2027, 1, 31), Ineligible::OutsidePeriod),
            (|c| c.activity_types = vec![code("guidance")], Ineligible::ActivityType),
            (|c| c.target_groups = vec![code("sfi_student")], Ineligible::TargetGroup),
            (|c| c.job_centres = vec![code("sydost")], Ineligible::JobCentre),
            (|c| c.places_used = 10, Ineligible::NoCapacity),
        ];
        for (break_it, reason) in cases {
            let mut c = contract(1, "A", 0);
            break_it(&mut c);
            assert_eq!(eligibility(&c, &need()), vec![reason]);
        }
        let mut everything_wrong = contract(1, "A", 0);
        everything_wrong.provider_active = false;
        everything_wrong.places_used = 10;
        assert_eq!(
            eligibility(&everything_wrong, &need()),
            vec![Ineligible::ProviderInactive, Ineligible::NoCapacity]
        );
    }

    #[test]
    fn allocation_spreads_evenly_and_deterministically() {
        let mut contracts = vec![
            contract(1, "LOU-2026-B", 0),
            contract(2, "LOU-2026-A", 0),
            contract(3, "LOU-2026-C", 0),
        ];
        let mut picks = Vec::new();
        for _ in 0..6 {
            let allocation = neutral_allocation(&contracts, &need()).unwrap();
            picks.push(allocation.contract.as_u128());
            if let Some(c) = contracts.iter_mut().find(|c| c.id == allocation.contract) {
                c.default_allocations += 1;
            }
        }
        assert_eq!(picks, [2, 1, 3, 2, 1, 3], "by fewest allocations, ties by reference");
        assert!(contracts.iter().all(|c| c.default_allocations == 2));
    }

    #[test]
    fn a_full_contract_passes_to_the_next_and_none_left_lists_why() {
        let mut full = contract(1, "A", 0);
        full.places_used = 10;
        let open = contract(2, "B", 5);
        assert_eq!(
            neutral_allocation(&[full.clone(), open], &need()).map(|a| a.contract.as_u128()),
            Ok(2)
        );
        let mut elsewhere = contract(3, "C", 0);
        elsewhere.job_centres = vec![code("sydost")];
        assert_eq!(
            neutral_allocation(&[full, elsewhere], &need()),
            Err(vec![
                (Uuid::from_u128(1), vec![Ineligible::NoCapacity]),
                (Uuid::from_u128(3), vec![Ineligible::JobCentre])
            ])
        );
    }
}
