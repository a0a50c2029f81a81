//! Who is asking (the `Actor` a token becomes) and what they may do (the access policy).

mod actor;
mod case_file;
mod policy;

pub use actor::{Actor, ActorError, IntegrationScope, ProviderRef, Role};
pub use case_file::{sees_name, CaseFile, CaseRecord, Handover, PeriodOwner};
pub use policy::{can, list_scope, Action, ListScope, ResourceScope};
