//! The purchaser's register of providers.

use domain::ids::ProviderId;
use domain::provider::{OrganisationKind, Provider, ProviderContact, ProviderStatus};
use persistence::repos::ProviderRepo;
use persistence::DbConnection;

use super::{at_version, Context, OpError};

/// A provider at the version the client based its change on.
pub type ProviderAt = (ProviderId, i32);

/// Registers a provider; one per organisationsnummer.
pub fn register(conn: &mut DbConnection, ctx: &Context, provider: Provider) -> Result<Provider, OpError> {
    if ProviderRepo::id_by_org_number(conn, &provider.org_number)?.is_some() {
        return Err(OpError::Conflict {
            code: "org_number_taken",
            detail: format!(
                "A provider with organisationsnummer {} is registered.",
                provider.org_number
            ),
        });
    }
    Ok(ProviderRepo::insert(conn, &ctx.acting(), &provider)?)
}

/// What a change names; an absent field is kept.
#[derive(Debug, Clone, Default)]
pub struct ProviderChanges {
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub status: Option<ProviderStatus>,
    pub contacts: Option<Vec<ProviderContact>>,
}

pub fn change(
    conn: &mut DbConnection,
    ctx: &Context,
    (id, expected): ProviderAt,
    changes: ProviderChanges,
) -> Result<Provider, OpError> {
    let before = ProviderRepo::get(conn, id.uuid()).map_err(|e| OpError::from(e).for_resource("provider"))?;
    let before = at_version(before, expected)?;
    let mut after = before.clone();
    after.name = changes.name.unwrap_or(after.name);
    after.kind = changes.kind.unwrap_or(after.kind);
    after.status = changes.status.unwrap_or(after.status);
    after.contacts = changes.contacts.unwrap_or(after.contacts);
    Ok(ProviderRepo::save(conn, &ctx.acting(), &before, &after)?)
}
