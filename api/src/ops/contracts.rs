//! Contracts between the city and a provider: coverage, capacity, remuneration. Every code a
//! contract names must be in the reference data; a contract overlapping one of
//! Arbetsförmedlingen's programmes is stored with a warning.

use chrono::NaiveDate;
use domain::claim::ClaimTrigger;
use domain::ids::ContractId;
use domain::provider::{overlapping_af_programmes, AfProgramme, Contract, ProcurementForm, ProviderStatus};
use domain::shared::Code;
use persistence::repos::{ContractRepo, ProviderRepo, ReferenceRepo};
use persistence::DbConnection;

use super::{at_version, Context, FieldErrors, OpError};

/// A contract at the version the client based its change on.
pub type ContractAt = (ContractId, i32);

/// A stored contract and the Arbetsförmedlingen programmes it overlaps.
pub type ContractOf = (Contract, Vec<AfProgramme>);

fn check_terms(conn: &mut DbConnection, contract: &Contract) -> Result<(), OpError> {
    let mut errors = FieldErrors::default();
    for problem in contract.check() {
        errors.add(problem.field(), "rule", problem.to_string());
    }
    let activity_types: Vec<Code> = ReferenceRepo::activity_types(conn)?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let target_groups: Vec<Code> = ReferenceRepo::target_groups(conn)?
        .into_iter()
        .map(|g| g.code)
        .collect();
    let job_centres: Vec<Code> = ReferenceRepo::job_centres(conn)?.into_iter().map(|j| j.code).collect();
    for (field, used, known, source) in [
        (
            "activity_types",
            &contract.activity_types,
            &activity_types,
            "/v1/activity-types",
        ),
        (
            "target_groups",
            &contract.target_groups,
            &target_groups,
            "/v1/target-groups",
        ),
        ("job_centres", &contract.job_centres, &job_centres, "/v1/jobbtorg"),
    ] {
        for (i, code) in used.iter().enumerate() {
            if !known.contains(code) {
                errors.add(&format!("{field}[{i}]"), "unknown", format!("not a code of {source}"));
            }
        }
    }
    errors.finish(|| Some(()))
}

/// The Arbetsförmedlingen programmes the contract overlaps, for the warning it carries.
pub fn af_overlap(conn: &mut DbConnection, contract: &Contract) -> Result<Vec<AfProgramme>, OpError> {
    let programmes = ProviderRepo::af_programmes(conn)?;
    Ok(
        overlapping_af_programmes(&contract.activity_types, &contract.target_groups, &programmes)
            .into_iter()
            .cloned()
            .collect(),
    )
}

fn reference_taken(reference: &str) -> OpError {
    OpError::Conflict {
        code: "reference_taken",
        detail: format!("A contract with reference {reference} is registered."),
    }
}

/// Stores a new contract of its provider; one per reference.
pub fn add(conn: &mut DbConnection, ctx: &Context, contract: Contract) -> Result<ContractOf, OpError> {
    ProviderRepo::get(conn, contract.provider_id).map_err(|e| OpError::from(e).for_resource("provider"))?;
    check_terms(conn, &contract)?;
    if ContractRepo::id_by_reference(conn, &contract.reference)?.is_some() {
        return Err(reference_taken(&contract.reference));
    }
    let overlapping = af_overlap(conn, &contract)?;
    let saved = ContractRepo::insert(conn, &ctx.acting(), &contract, !overlapping.is_empty())?;
    Ok((saved, overlapping))
}

/// What a change names; an absent field is kept.
#[derive(Debug, Clone, Default)]
pub struct ContractChanges {
    pub reference: Option<String>,
    pub procurement_form: Option<ProcurementForm>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub activity_types: Option<Vec<Code>>,
    pub target_groups: Option<Vec<Code>>,
    pub job_centres: Option<Vec<Code>>,
    pub capacity: Option<u32>,
    pub start_fee_ore: Option<u64>,
    pub result_steps: Option<Vec<(ClaimTrigger, u64)>>,
    pub status: Option<ProviderStatus>,
}

pub fn change(
    conn: &mut DbConnection,
    ctx: &Context,
    (id, expected): ContractAt,
    changes: ContractChanges,
) -> Result<ContractOf, OpError> {
    let before = ContractRepo::get(conn, id.uuid()).map_err(|e| OpError::from(e).for_resource("contract"))?;
    let before = at_version(before, expected)?;
    let mut after = before.clone();
    if let Some(reference) = changes.reference {
        if reference != before.reference && ContractRepo::id_by_reference(conn, &reference)?.is_some() {
            return Err(reference_taken(&reference));
        }
        after.reference = reference;
    }
    after.procurement_form = changes.procurement_form.unwrap_or(after.procurement_form);
    after.valid_from = changes.valid_from.unwrap_or(after.valid_from);
    after.valid_to = changes.valid_to.unwrap_or(after.valid_to);
    after.activity_types = changes.activity_types.unwrap_or(after.activity_types);
    after.target_groups = changes.target_groups.unwrap_or(after.target_groups);
    after.job_centres = changes.job_centres.unwrap_or(after.job_centres);
    after.capacity = changes.capacity.unwrap_or(after.capacity);
    after.remuneration.start_fee_ore = changes.start_fee_ore.unwrap_or(after.remuneration.start_fee_ore);
    after.remuneration.steps = changes.result_steps.unwrap_or(after.remuneration.steps);
    after.status = changes.status.unwrap_or(after.status);
    check_terms(conn, &after)?;
    let overlapping = af_overlap(conn, &after)?;
    let saved = ContractRepo::save(conn, &ctx.acting(), &before, &after, !overlapping.is_empty())?;
    Ok((saved, overlapping))
}
