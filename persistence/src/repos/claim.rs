//! Payment claims. The unique key on (referral, trigger) is the last guard against claiming a
//! step twice; `insert_due` skips steps already claimed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::access::ListScope;
use domain::claim::{ClaimStatus, ClaimTrigger};
use domain::participant::changed_fields;
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::{corrupt, stored_uuid};
use crate::schema::claims;
use crate::versioned::{self, VersionedRow};

pub const CLAIM: &str = "claim";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub contract_id: Uuid,
    pub provider_id: Uuid,
    pub trigger: ClaimTrigger,
    pub amount_ore: u64,
    pub status: ClaimStatus,
    /// The contract terms the amount was computed from, as JSON text.
    pub terms_snapshot: String,
    /// What the claim rests on, as JSON text.
    pub evidence: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reject_reason: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = claims, treat_none_as_null = true)]
struct ClaimRow {
    id: String,
    referral_id: String,
    contract_id: String,
    provider_id: String,
    claim_trigger: String,
    amount_ore: i64,
    status: String,
    terms_snapshot: String,
    evidence: String,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
    reject_reason: Option<String>,
    paid_on: Option<NaiveDate>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn row(c: &Claim, now: NaiveDateTime) -> ClaimRow {
    ClaimRow {
        id: c.id.to_string(),
        referral_id: c.referral_id.to_string(),
        contract_id: c.contract_id.to_string(),
        provider_id: c.provider_id.to_string(),
        claim_trigger: c.trigger.as_str().to_owned(),
        amount_ore: i64::try_from(c.amount_ore).unwrap_or(i64::MAX),
        status: c.status.as_str().to_owned(),
        terms_snapshot: c.terms_snapshot.clone(),
        evidence: c.evidence.clone(),
        decided_by: c.decided_by.clone(),
        decided_at: c.decided_at,
        reject_reason: c.reject_reason.clone(),
        paid_on: c.paid_on,
        version: c.version,
        created_at: c.created_at,
        updated_at: now,
    }
}

impl ClaimRow {
    fn into_domain(self) -> Result<Claim, RepoError> {
        Ok(Claim {
            id: stored_uuid(&self.id)?,
            referral_id: stored_uuid(&self.referral_id)?,
            contract_id: stored_uuid(&self.contract_id)?,
            provider_id: stored_uuid(&self.provider_id)?,
            trigger: ClaimTrigger::parse(&self.claim_trigger)
                .ok_or_else(|| corrupt("claim trigger", &self.claim_trigger))?,
            amount_ore: u64::try_from(self.amount_ore).map_err(|_| corrupt("amount", &self.amount_ore.to_string()))?,
            status: ClaimStatus::parse(&self.status).ok_or_else(|| corrupt("claim status", &self.status))?,
            terms_snapshot: self.terms_snapshot,
            evidence: self.evidence,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            reject_reason: self.reject_reason,
            paid_on: self.paid_on,
            version: self.version,
            created_at: self.created_at,
        })
    }
}

impl Claim {
    fn snapshot(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("status", Some(self.status.as_str().to_owned())),
            ("amount_ore", Some(self.amount_ore.to_string())),
            ("reject_reason", self.reject_reason.clone()),
            ("paid_on", self.paid_on.map(|d| d.to_string())),
        ]
    }
}

/// Filters of the claim list.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub status: Option<ClaimStatus>,
    pub provider_id: Option<Uuid>,
    pub contract_id: Option<Uuid>,
    pub referral_id: Option<Uuid>,
}

type BoxedClaims = claims::BoxedQuery<'static, <DbConnection as diesel::Connection>::Backend>;

fn scoped(scope: &ListScope) -> BoxedClaims {
    let query = claims::table.into_boxed();
    match scope {
        ListScope::Everything | ListScope::AnyProvider => query,
        ListScope::Provider(provider) => query.filter(claims::provider_id.eq(provider.uuid().to_string())),
        // Claims concern providers, not job centres or districts.
        ListScope::Jobbtorg(_)
        | ListScope::JobbtorgWithDeliveries(_)
        | ListScope::DeliveredAt(_)
        | ListScope::District(_) => query.filter(claims::id.eq("")),
    }
}

pub struct ClaimRepo;

impl ClaimRepo {
    pub fn get(conn: &mut DbConnection, id: Uuid, scope: &ListScope) -> Result<Claim, RepoError> {
        let found: ClaimRow = scoped(scope)
            .filter(claims::id.eq(id.to_string()))
            .select(ClaimRow::as_select())
            .first(conn)?;
        found.into_domain()
    }

    pub fn list(
        conn: &mut DbConnection,
        scope: &ListScope,
        filter: &ClaimFilter,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Claim>, RepoError> {
        let mut query = scoped(scope)
            .select(ClaimRow::as_select())
            .order(claims::id)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(claims::id.gt(after.to_string()));
        }
        if let Some(status) = filter.status {
            query = query.filter(claims::status.eq(status.as_str()));
        }
        if let Some(id) = filter.provider_id {
            query = query.filter(claims::provider_id.eq(id.to_string()));
        }
        if let Some(id) = filter.contract_id {
            query = query.filter(claims::contract_id.eq(id.to_string()));
        }
        if let Some(id) = filter.referral_id {
            query = query.filter(claims::referral_id.eq(id.to_string()));
        }
        let rows: Vec<ClaimRow> = query.load(conn)?;
        rows.into_iter().map(ClaimRow::into_domain).collect()
    }

    /// Every claim of one referral, oldest first (for the export).
    pub fn for_referral(conn: &mut DbConnection, referral_id: Uuid) -> Result<Vec<Claim>, RepoError> {
        let rows: Vec<ClaimRow> = claims::table
            .filter(claims::referral_id.eq(referral_id.to_string()))
            .order(claims::id)
            .select(ClaimRow::as_select())
            .load(conn)?;
        rows.into_iter().map(ClaimRow::into_domain).collect()
    }

    /// The steps already claimed for a referral.
    pub fn claimed_triggers(conn: &mut DbConnection, referral_id: Uuid) -> Result<Vec<ClaimTrigger>, RepoError> {
        let triggers: Vec<String> = claims::table
            .filter(claims::referral_id.eq(referral_id.to_string()))
            .select(claims::claim_trigger)
            .load(conn)?;
        triggers
            .iter()
            .map(|t| ClaimTrigger::parse(t).ok_or_else(|| corrupt("claim trigger", t)))
            .collect()
    }

    /// Stores a new claim with audit and event. `participant_id` scopes the event and audit.
    pub fn insert(
        conn: &mut DbConnection,
        acting: &ActingContext,
        claim: &Claim,
        participant_id: Uuid,
    ) -> Result<(), RepoError> {
        diesel::insert_into(claims::table)
            .values(row(claim, acting.now))
            .execute(conn)?;
        let before: Vec<(&'static str, Option<String>)> =
            claim.snapshot().into_iter().map(|(field, _)| (field, None)).collect();
        record(conn, acting, &before, claim, Some(participant_id), "claim.created")
    }

    pub fn save(
        conn: &mut DbConnection,
        acting: &ActingContext,
        before: &Claim,
        after: &Claim,
        event_type: &str,
    ) -> Result<Claim, RepoError> {
        let mut next = after.clone();
        next.version = versioned::advance(conn, VersionedRow::Claim(&before.id.to_string()), before.version)?;
        diesel::update(claims::table.find(before.id.to_string()))
            .set(row(&next, acting.now))
            .execute(conn)?;
        record(conn, acting, &before.snapshot(), &next, None, event_type)?;
        Self::get(conn, before.id, &ListScope::Everything)
    }
}

fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    before: &[(&'static str, Option<String>)],
    claim: &Claim,
    participant_id: Option<Uuid>,
    event_type: &str,
) -> Result<(), RepoError> {
    let id = claim.id.to_string();
    let participant_id = participant_id.map(|p| p.to_string());
    let change = Change {
        event_type,
        resource_type: CLAIM,
        resource_id: &id,
        resource_version: claim.version,
        participant_id: participant_id.as_deref(),
        scope: EventScope {
            provider: Some(claim.provider_id.to_string()),
            participant: participant_id.clone(),
            ..EventScope::default()
        },
    };
    journal::record(conn, acting, change, &changed_fields(before, &claim.snapshot()))
}
