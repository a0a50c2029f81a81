//! Repositories: the only place that runs queries. Each method takes a connection so callers
//! decide the transaction.

pub mod reference;

pub use reference::ReferenceRepo;
