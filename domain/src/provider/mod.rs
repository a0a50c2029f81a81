//! Providers and their contracts: what a contract covers and pays, which contracts may take a
//! referral, and the neutral default allocation when the participant chooses no provider.

mod eligibility;
mod model;

pub use eligibility::{
    eligibility, neutral_allocation, over_capacity, Allocation, ContractTerms, Ineligible, ReferralNeed,
};
pub use model::{
    overlapping_af_programmes, AfProgramme, Contract, ContractError, OrganisationKind, ProcurementForm, Provider,
    ProviderContact, ProviderStatus,
};
