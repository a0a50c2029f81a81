//! Jobbtorg's business rules as plain types and pure functions. No IO, no framework.

pub mod absence;
pub mod access;
pub mod activity_plan;
pub mod claim;
pub mod ids;
pub mod journal;
pub mod labels;
pub mod participant;
pub mod provider;
pub mod reference;
pub mod referral;
pub mod report;
pub mod retention;
pub mod shared;
pub mod tasks;
pub mod transfer;
pub mod webhook;
