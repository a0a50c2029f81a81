//! Database rows and their mapping to domain types. Rows never leave this crate as rows.

pub mod participant;
pub mod reference;
