//! Providers and their contracts, written with history, audit and event in the caller's
//! transaction. No personal data of participants lives here.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::participant::changed_fields;
use domain::provider::{AfProgramme, OrganisationKind, Provider, ProviderContact, ProviderStatus};
use domain::shared::OrgNumber;
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::{corrupt, stored_uuid};
use crate::rows::reference::stored_code;
use crate::schema::{af_programme_target_groups, af_programmes, provider_contacts, providers};
use crate::versioned::{self, VersionedRow};

pub const PROVIDER: &str = "provider";

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = providers)]
struct ProviderRow {
    id: String,
    org_number: String,
    name: String,
    kind: String,
    status: String,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = provider_contacts)]
struct ContactRow {
    id: String,
    provider_id: String,
    position: i32,
    name: String,
    role: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

fn row(provider: &Provider, created_at: NaiveDateTime, now: NaiveDateTime) -> ProviderRow {
    ProviderRow {
        id: provider.id.to_string(),
        org_number: provider.org_number.to_string(),
        name: provider.name.clone(),
        kind: provider.kind.to_string(),
        status: provider.status.to_string(),
        version: provider.version,
        created_at,
        updated_at: now,
    }
}

/// Filters of the provider list.
#[derive(Debug, Clone, Default)]
pub struct ProviderFilter {
    pub status: Option<ProviderStatus>,
    pub kind: Option<OrganisationKind>,
}

pub struct ProviderRepo;

impl ProviderRepo {
    pub fn get(conn: &mut DbConnection, id: Uuid) -> Result<Provider, RepoError> {
        let found: ProviderRow = providers::table
            .find(id.to_string())
            .select(ProviderRow::as_select())
            .first(conn)?;
        assemble(conn, vec![found])?.pop().ok_or(RepoError::NotFound)
    }

    pub fn id_by_org_number(conn: &mut DbConnection, org_number: &OrgNumber) -> Result<Option<Uuid>, RepoError> {
        let id: Option<String> = providers::table
            .filter(providers::org_number.eq(org_number.as_str()))
            .select(providers::id)
            .first(conn)
            .optional()?;
        id.as_deref().map(stored_uuid).transpose()
    }

    /// Providers ordered by id, after `after`.
    pub fn list(
        conn: &mut DbConnection,
        filter: &ProviderFilter,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Provider>, RepoError> {
        let mut query = providers::table
            .select(ProviderRow::as_select())
            .order(providers::id)
            .limit(limit)
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(providers::id.gt(after.to_string()));
        }
        if let Some(status) = filter.status {
            query = query.filter(providers::status.eq(status.as_str()));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(providers::kind.eq(kind.as_str()));
        }
        let rows = query.load(conn)?;
        assemble(conn, rows)
    }

    pub fn insert(conn: &mut DbConnection, acting: &ActingContext, provider: &Provider) -> Result<Provider, RepoError> {
        diesel::insert_into(providers::table)
            .values(row(provider, acting.now, acting.now))
            .execute(conn)?;
        write_contacts(conn, provider)?;
        let before: Vec<(&'static str, Option<String>)> = provider
            .snapshot()
            .into_iter()
            .map(|(field, _)| (field, None))
            .collect();
        record(conn, acting, &before, provider, "provider.registered")?;
        Self::get(conn, provider.id)
    }

    /// Stores `after` over `before` at `before`'s version.
    pub fn save(
        conn: &mut DbConnection,
        acting: &ActingContext,
        before: &Provider,
        after: &Provider,
    ) -> Result<Provider, RepoError> {
        let mut next = after.clone();
        next.version = versioned::advance(conn, VersionedRow::Provider(&before.id.to_string()), before.version)?;
        let created_at: NaiveDateTime = providers::table
            .find(before.id.to_string())
            .select(providers::created_at)
            .first(conn)?;
        diesel::update(providers::table.find(before.id.to_string()))
            .set(row(&next, created_at, acting.now))
            .execute(conn)?;
        diesel::delete(provider_contacts::table.filter(provider_contacts::provider_id.eq(before.id.to_string())))
            .execute(conn)?;
        write_contacts(conn, &next)?;
        record(conn, acting, &before.snapshot(), &next, "provider.updated")?;
        Self::get(conn, before.id)
    }

    /// Which of these providers are active, in one query.
    pub fn active_among(conn: &mut DbConnection, ids: &[Uuid]) -> Result<Vec<Uuid>, RepoError> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let active: Vec<String> = providers::table
            .filter(providers::id.eq_any(ids))
            .filter(providers::status.eq(ProviderStatus::Active.as_str()))
            .select(providers::id)
            .load(conn)?;
        active.iter().map(|id| stored_uuid(id)).collect()
    }

    /// Arbetsförmedlingen's programmes, to flag contracts that duplicate one.
    pub fn af_programmes(conn: &mut DbConnection) -> Result<Vec<AfProgramme>, RepoError> {
        let programmes: Vec<(String, String, String)> = af_programmes::table
            .order(af_programmes::sort_order)
            .select((af_programmes::code, af_programmes::name, af_programmes::activity_type))
            .load(conn)?;
        let groups: Vec<(String, String)> = af_programme_target_groups::table
            .order((
                af_programme_target_groups::programme_code,
                af_programme_target_groups::target_group_code,
            ))
            .select((
                af_programme_target_groups::programme_code,
                af_programme_target_groups::target_group_code,
            ))
            .load(conn)?;
        programmes
            .into_iter()
            .map(|(code, name, activity_type)| {
                Ok(AfProgramme {
                    target_groups: groups
                        .iter()
                        .filter(|(programme, _)| *programme == code)
                        .map(|(_, group)| stored_code(group))
                        .collect::<Result<_, _>>()?,
                    code: stored_code(&code)?,
                    name,
                    activity_type: stored_code(&activity_type)?,
                })
            })
            .collect()
    }
}

fn write_contacts(conn: &mut DbConnection, provider: &Provider) -> Result<(), RepoError> {
    for (position, contact) in provider.contacts.iter().enumerate() {
        diesel::insert_into(provider_contacts::table)
            .values(ContactRow {
                id: Uuid::now_v7().to_string(),
                provider_id: provider.id.to_string(),
                position: i32::try_from(position).unwrap_or(i32::MAX),
                name: contact.name.clone(),
                role: contact.role.clone(),
                email: contact.email.clone(),
                phone: contact.phone.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}

fn assemble(conn: &mut DbConnection, rows: Vec<ProviderRow>) -> Result<Vec<Provider>, RepoError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let contacts: Vec<ContactRow> = provider_contacts::table
        .filter(provider_contacts::provider_id.eq_any(ids))
        .order((provider_contacts::provider_id, provider_contacts::position))
        .select(ContactRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok(Provider {
                id: stored_uuid(&r.id)?,
                org_number: OrgNumber::parse(&r.org_number).map_err(|_| corrupt("org number", &r.org_number))?,
                name: r.name,
                kind: OrganisationKind::parse(&r.kind).ok_or_else(|| corrupt("provider kind", &r.kind))?,
                contacts: contacts
                    .iter()
                    .filter(|c| c.provider_id == r.id)
                    .map(|c| ProviderContact {
                        name: c.name.clone(),
                        role: c.role.clone(),
                        email: c.email.clone(),
                        phone: c.phone.clone(),
                    })
                    .collect(),
                status: ProviderStatus::parse(&r.status).ok_or_else(|| corrupt("provider status", &r.status))?,
                version: r.version,
            })
        })
        .collect()
}

fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    before: &[(&'static str, Option<String>)],
    provider: &Provider,
    event_type: &str,
) -> Result<(), RepoError> {
    let id = provider.id.to_string();
    let change = Change {
        event_type,
        resource_type: PROVIDER,
        resource_id: &id,
        resource_version: provider.version,
        participant_id: None,
        scope: EventScope {
            provider: Some(id.clone()),
            ..EventScope::default()
        },
    };
    journal::record(conn, acting, change, &changed_fields(before, &provider.snapshot()))
}
