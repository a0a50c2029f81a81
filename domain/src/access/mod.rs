//! Who is asking (the `Actor` a token becomes) and what they may do (the access policy).

mod actor;
mod policy;

pub use actor::{Actor, ActorError, IntegrationScope, ProviderRef, Role};
pub use policy::{can, list_scope, Action, ListScope, ResourceScope};
