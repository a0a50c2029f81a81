//! Who is asking (the `Actor` a token becomes) and what they may do (the access policy).

mod actor;
mod case_file;
mod identity;
mod policy;

pub use actor::{Actor, ActorError, IntegrationScope, ProviderRef, Role};
pub use case_file::{CaseFile, CaseRecord, Handover, PeriodOwner};
pub use identity::{sees_identity, Identity, IdentityField};
pub use policy::{can, list_scope, Action, ListScope, ResourceScope};
