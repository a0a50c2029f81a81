//! Repositories: the only place that runs queries. Each method takes a connection so callers
//! decide the transaction.

pub mod absence;
pub mod activity_plan;
pub mod case_file;
pub mod case_journal;
pub mod participant;
mod participant_json;
pub mod participant_records;
pub mod reference;

pub use absence::AbsenceRepo;
pub use activity_plan::PlanRepo;
pub use case_file::CaseFileRepo;
pub use case_journal::JournalRepo;
pub use participant::ParticipantRepo;
pub use reference::ReferenceRepo;
pub mod claim;
pub mod contract;
pub mod key_figures;
pub mod provider;
pub mod referral;
pub mod retention;
pub mod transfer;
pub mod webhook;

pub use claim::ClaimRepo;
pub use contract::ContractRepo;
pub use key_figures::KeyFigureRepo;
pub use provider::ProviderRepo;
pub use referral::ReferralRepo;
pub use transfer::TransferRepo;
pub use webhook::WebhookRepo;
