//! Contracts: terms, coverage and remuneration, and how many places and default allocations
//! each has in use, for eligibility and capacity.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::claim::{ClaimTrigger, RemunerationModel};
use domain::participant::changed_fields;
use domain::provider::{Contract, ProcurementForm, ProviderStatus};
use domain::referral::ReferralStatus;
use domain::shared::Code;
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::{corrupt, stored_uuid};
use crate::rows::reference::stored_code;
use crate::schema::{contract_coverage, contract_result_steps, contracts, referrals};
use crate::versioned::{self, VersionedRow};

pub const CONTRACT: &str = "contract";

const ACTIVITY_TYPE: &str = "activity_type";
const TARGET_GROUP: &str = "target_group";
const JOB_CENTRE: &str = "job_centre";

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contracts)]
struct ContractRow {
    id: String,
    provider_id: String,
    reference: String,
    procurement_form: String,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    capacity: i32,
    start_fee_ore: i64,
    status: String,
    overlaps_af_programme: bool,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn row(contract: &Contract, overlaps_af_programme: bool, created_at: NaiveDateTime, now: NaiveDateTime) -> ContractRow {
    ContractRow {
        id: contract.id.to_string(),
        provider_id: contract.provider_id.to_string(),
        reference: contract.reference.clone(),
        procurement_form: contract.procurement_form.to_string(),
        valid_from: contract.valid_from,
        valid_to: contract.valid_to,
        capacity: i32::try_from(contract.capacity).unwrap_or(i32::MAX),
        start_fee_ore: i64::try_from(contract.remuneration.start_fee_ore).unwrap_or(i64::MAX),
        status: contract.status.to_string(),
        overlaps_af_programme,
        version: contract.version,
        created_at,
        updated_at: now,
    }
}

/// Places a contract has in use now: referrals sent and not yet expired, accepted or running.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContractUse {
    pub places_used: u32,
    pub default_allocations: u32,
}

pub struct ContractRepo;

impl ContractRepo {
    pub fn get(conn: &mut DbConnection, id: Uuid) -> Result<Contract, RepoError> {
        let found: ContractRow = contracts::table
            .find(id.to_string())
            .select(ContractRow::as_select())
            .first(conn)?;
        assemble(conn, vec![found])?.pop().ok_or(RepoError::NotFound)
    }

    pub fn id_by_reference(conn: &mut DbConnection, reference: &str) -> Result<Option<Uuid>, RepoError> {
        let id: Option<String> = contracts::table
            .filter(contracts::reference.eq(reference))
            .select(contracts::id)
            .first(conn)
            .optional()?;
        id.as_deref().map(stored_uuid).transpose()
    }

    /// The provider's contracts ordered by id, after `after`.
    pub fn for_provider(
        conn: &mut DbConnection,
        provider_id: Uuid,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Contract>, RepoError> {
        let mut query = contracts::table
            .filter(contracts::provider_id.eq(provider_id.to_string()))
            .select(ContractRow::as_select())
            .order(contracts::id)
            .limit(limit)
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(contracts::id.gt(after.to_string()));
        }
        let rows = query.load(conn)?;
        assemble(conn, rows)
    }

    /// Every contract covering `activity_type`, the candidates of a referral, in reference order.
    pub fn covering(conn: &mut DbConnection, activity_type: &Code) -> Result<Vec<Contract>, RepoError> {
        let ids = contract_coverage::table
            .filter(contract_coverage::dimension.eq(ACTIVITY_TYPE))
            .filter(contract_coverage::code.eq(activity_type.as_str()))
            .select(contract_coverage::contract_id);
        let rows: Vec<ContractRow> = contracts::table
            .filter(contracts::id.eq_any(ids))
            .order(contracts::reference)
            .select(ContractRow::as_select())
            .load(conn)?;
        assemble(conn, rows)
    }

    /// Places in use and default allocations so far, per contract.
    /// The places of one contract in use now, those taken in this transaction included.
    pub fn places_used(conn: &mut DbConnection, id: Uuid, today: NaiveDate) -> Result<u32, RepoError> {
        let count: i64 = referrals::table
            .filter(holds_a_place(today))
            .filter(referrals::contract_id.eq(id.to_string()))
            .count()
            .get_result(conn)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    pub fn usage(
        conn: &mut DbConnection,
        ids: &[Uuid],
        today: NaiveDate,
    ) -> Result<HashMap<Uuid, ContractUse>, RepoError> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let running: Vec<(String, i64)> = referrals::table
            .filter(holds_a_place(today))
            .filter(referrals::contract_id.eq_any(ids.clone()))
            .group_by(referrals::contract_id)
            .select((referrals::contract_id, diesel::dsl::count_star()))
            .load(conn)?;
        let allocated: Vec<(String, i64)> = referrals::table
            .filter(referrals::contract_id.eq_any(ids))
            .filter(referrals::chosen_by_participant.eq(false))
            .group_by(referrals::contract_id)
            .select((referrals::contract_id, diesel::dsl::count_star()))
            .load(conn)?;
        let mut usage: HashMap<Uuid, ContractUse> = HashMap::new();
        for (id, count) in running {
            usage.entry(stored_uuid(&id)?).or_default().places_used = u32::try_from(count).unwrap_or(u32::MAX);
        }
        for (id, count) in allocated {
            usage.entry(stored_uuid(&id)?).or_default().default_allocations = u32::try_from(count).unwrap_or(u32::MAX);
        }
        Ok(usage)
    }

    pub fn insert(
        conn: &mut DbConnection,
        acting: &ActingContext,
        contract: &Contract,
        overlaps_af_programme: bool,
    ) -> Result<Contract, RepoError> {
        diesel::insert_into(contracts::table)
            .values(row(contract, overlaps_af_programme, acting.now, acting.now))
            .execute(conn)?;
        write_parts(conn, contract)?;
        let before: Vec<(&'static str, Option<String>)> = contract
            .snapshot()
            .into_iter()
            .map(|(field, _)| (field, None))
            .collect();
        record(conn, acting, &before, contract, "contract.registered")?;
        Self::get(conn, contract.id)
    }

    pub fn save(
        conn: &mut DbConnection,
        acting: &ActingContext,
        before: &Contract,
        after: &Contract,
        overlaps_af_programme: bool,
    ) -> Result<Contract, RepoError> {
        let mut next = after.clone();
        next.version = versioned::advance(conn, VersionedRow::Contract(&before.id.to_string()), before.version)?;
        let created_at: NaiveDateTime = contracts::table
            .find(before.id.to_string())
            .select(contracts::created_at)
            .first(conn)?;
        diesel::update(contracts::table.find(before.id.to_string()))
            .set(row(&next, overlaps_af_programme, created_at, acting.now))
            .execute(conn)?;
        let id = before.id.to_string();
        diesel::delete(contract_coverage::table.filter(contract_coverage::contract_id.eq(&id))).execute(conn)?;
        diesel::delete(contract_result_steps::table.filter(contract_result_steps::contract_id.eq(&id)))
            .execute(conn)?;
        write_parts(conn, &next)?;
        record(conn, acting, &before.snapshot(), &next, "contract.updated")?;
        Self::get(conn, before.id)
    }
}

fn write_parts(conn: &mut DbConnection, contract: &Contract) -> Result<(), RepoError> {
    let id = contract.id.to_string();
    for (dimension, codes) in [
        (ACTIVITY_TYPE, &contract.activity_types),
        (TARGET_GROUP, &contract.target_groups),
        (JOB_CENTRE, &contract.job_centres),
    ] {
        for (position, code) in codes.iter().enumerate() {
            diesel::insert_into(contract_coverage::table)
                .values((
                    contract_coverage::contract_id.eq(&id),
                    contract_coverage::dimension.eq(dimension),
                    contract_coverage::code.eq(code.as_str()),
                    contract_coverage::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
                ))
                .execute(conn)?;
        }
    }
    for (position, (trigger, amount)) in contract.remuneration.steps.iter().enumerate() {
        diesel::insert_into(contract_result_steps::table)
            .values((
                contract_result_steps::contract_id.eq(&id),
                contract_result_steps::claim_trigger.eq(trigger.as_str()),
                contract_result_steps::amount_ore.eq(i64::try_from(*amount).unwrap_or(i64::MAX)),
                contract_result_steps::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn assemble(conn: &mut DbConnection, rows: Vec<ContractRow>) -> Result<Vec<Contract>, RepoError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let coverage: Vec<(String, String, String)> = contract_coverage::table
        .filter(contract_coverage::contract_id.eq_any(ids.clone()))
        .order((contract_coverage::contract_id, contract_coverage::position))
        .select((
            contract_coverage::contract_id,
            contract_coverage::dimension,
            contract_coverage::code,
        ))
        .load(conn)?;
    let steps: Vec<(String, String, i64)> = contract_result_steps::table
        .filter(contract_result_steps::contract_id.eq_any(ids))
        .order((contract_result_steps::contract_id, contract_result_steps::position))
        .select((
            contract_result_steps::contract_id,
            contract_result_steps::claim_trigger,
            contract_result_steps::amount_ore,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            let codes = |dimension: &str| -> Result<Vec<Code>, RepoError> {
                coverage
                    .iter()
                    .filter(|(id, d, _)| *id == r.id && d == dimension)
                    .map(|(_, _, code)| stored_code(code))
                    .collect()
            };
            let result_steps = steps
                .iter()
                .filter(|(id, _, _)| *id == r.id)
                .map(|(_, trigger, amount)| {
                    Ok((
                        ClaimTrigger::parse(trigger).ok_or_else(|| corrupt("claim trigger", trigger))?,
                        u64::try_from(*amount).map_err(|_| corrupt("amount", &amount.to_string()))?,
                    ))
                })
                .collect::<Result<Vec<_>, RepoError>>()?;
            Ok(Contract {
                id: stored_uuid(&r.id)?,
                provider_id: stored_uuid(&r.provider_id)?,
                activity_types: codes(ACTIVITY_TYPE)?,
                target_groups: codes(TARGET_GROUP)?,
                job_centres: codes(JOB_CENTRE)?,
                procurement_form: ProcurementForm::parse(&r.procurement_form)
                    .ok_or_else(|| corrupt("procurement form", &r.procurement_form))?,
                reference: r.reference,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                capacity: u32::try_from(r.capacity).map_err(|_| corrupt("capacity", &r.capacity.to_string()))?,
                remuneration: RemunerationModel {
                    start_fee_ore: u64::try_from(r.start_fee_ore)
                        .map_err(|_| corrupt("start fee", &r.start_fee_ore.to_string()))?,
                    steps: result_steps,
                },
                status: ProviderStatus::parse(&r.status).ok_or_else(|| corrupt("contract status", &r.status))?,
                version: r.version,
            })
        })
        .collect()
}

fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    before: &[(&'static str, Option<String>)],
    contract: &Contract,
    event_type: &str,
) -> Result<(), RepoError> {
    let id = contract.id.to_string();
    let change = Change {
        event_type,
        resource_type: CONTRACT,
        resource_id: &id,
        resource_version: contract.version,
        participant_id: None,
        scope: EventScope {
            provider: Some(contract.provider_id.to_string()),
            ..EventScope::default()
        },
    };
    journal::record(conn, acting, change, &changed_fields(before, &contract.snapshot()))
}

type Backend = <DbConnection as diesel::Connection>::Backend;

/// Whether a referral holds a place: unexpired sent ones, accepted and running.
fn holds_a_place(
    today: NaiveDate,
) -> Box<dyn BoxableExpression<referrals::table, Backend, SqlType = diesel::sql_types::Bool>> {
    let earliest_open = ReferralStatus::earliest_unexpired_sent_on(today)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    Box::new(
        referrals::status
            .eq_any([ReferralStatus::Accepted.as_str(), ReferralStatus::InProgress.as_str()])
            .or(referrals::status
                .eq(ReferralStatus::Sent.as_str())
                .and(referrals::created_at.ge(earliest_open))),
    )
}
