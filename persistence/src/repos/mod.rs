//! Repositories: the only place that runs queries. Each method takes a connection so callers
//! decide the transaction.

pub mod activity_plan;
pub mod case_file;
pub mod participant;
mod participant_json;
pub mod participant_records;
pub mod reference;

pub use activity_plan::PlanRepo;
pub use case_file::CaseFileRepo;
pub use participant::ParticipantRepo;
pub use reference::ReferenceRepo;
pub mod claim;
pub mod contract;
pub mod key_figures;
pub mod provider;
pub mod referral;
pub mod webhook;

pub use claim::ClaimRepo;
pub use contract::ContractRepo;
pub use key_figures::KeyFigureRepo;
pub use provider::ProviderRepo;
pub use referral::ReferralRepo;
pub use webhook::WebhookRepo;
