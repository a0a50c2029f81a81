//! Providers and their contracts: which contracts may take a referral, and the neutral default
//! allocation when the participant chooses no provider. The persistence and API of providers,
//! contracts and referrals are issue 6; these are its rules.

mod eligibility;

pub use eligibility::{eligibility, neutral_allocation, Allocation, ContractTerms, Ineligible, ReferralNeed};
