//! HTTP pieces shared by the route modules, so that no route module imports another: paging and
//! query parsing, the caller's reach, wire helpers and the shared OpenAPI responses.

pub mod docs;
pub mod employment;
pub mod history;
pub mod limits;
pub mod numbers;
pub mod paging;
pub mod route_table;
pub mod text;
pub mod valid;
pub mod wire;

use domain::access::{list_scope, Action, Actor, ListScope};

use crate::problem::ApiError;

/// The caller's reach for `action`; 403 when the role may not do it at all.
pub fn scope_for(actor: &Actor, action: Action) -> Result<ListScope, ApiError> {
    list_scope(actor, action).ok_or(ApiError::Forbidden)
}
