//! The contract endpoints: terms, capacity and history.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use domain::access::{Action, ResourceScope};
use domain::claim::{ClaimTrigger, RemunerationModel};
use domain::provider::{overlapping_af_programmes, AfProgramme, Contract, ProcurementForm, ProviderStatus};
use domain::shared::{clean_text, Code};
use persistence::repos::{ContractRepo, ProviderRepo};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use super::dto::{
    CapacityResponse, ContractList, ContractResponse, CreateContractRequest, ResultStepDto, UpdateContractRequest,
};
use super::handlers::{status, visible_provider};
use super::manages;
use crate::auth::{authorize, Authenticated};
use crate::concurrency::{etag, IfMatch};
use crate::http::history;
use crate::http::history::HistoryList;
use crate::http::limits;
use crate::http::paging::{path_id, Page};
use crate::http::valid::{Valid, ValidQuery};
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::contracts::{self, ContractChanges};
use crate::ops::history::HistoryOf;
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

const REFERENCE_MAX: usize = crate::http::limits::REFERENCE_MAX as usize;
const MAX_CODES: usize = crate::http::limits::CODES_MAX as usize;

fn codes(errors: &mut FieldErrors, field: &str, raw: Vec<String>) -> Vec<Code> {
    if raw.len() > MAX_CODES {
        errors.add(field, "too_many", format!("at most {MAX_CODES} codes"));
    }
    raw.iter()
        .enumerate()
        .filter_map(|(i, r)| errors.check(&format!("{field}[{i}]"), "invalid_format", Code::parse(r)))
        .collect()
}

fn steps(errors: &mut FieldErrors, raw: Vec<ResultStepDto>) -> Vec<(ClaimTrigger, u64)> {
    raw.into_iter()
        .enumerate()
        .filter_map(|(i, step)| {
            let trigger = errors.check(
                &format!("result_steps[{i}].trigger"),
                "invalid_value",
                ClaimTrigger::parse(&step.trigger)
                    .filter(|t| ClaimTrigger::RESULT_STEPS.contains(t))
                    .ok_or("use employment_or_studies_started, employment_sustained_3_months or employment_sustained_6_months"),
            )?;
            Some((trigger, step.amount_ore))
        })
        .collect()
}

fn procurement_form(errors: &mut FieldErrors, raw: &str) -> Option<ProcurementForm> {
    errors.check(
        "procurement_form",
        "invalid_value",
        ProcurementForm::parse(raw).ok_or_else(|| format!("use one of {}", ProcurementForm::codes())),
    )
}

/// The contract's terms against the rules and the reference data; 422 listing every problem.
/// The AF programmes the contract's terms duplicate (flagged, not refused).
fn contract_response(contract: &Contract, overlapping: &[AfProgramme]) -> ContractResponse {
    ContractResponse::new(contract, &overlapping.iter().collect::<Vec<_>>())
}

impl CreateContractRequest {
    /// The contract the request describes, checked for shape.
    fn parse(self, provider_id: Uuid) -> Result<Contract, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let reference = errors.check(
            "reference",
            "invalid_format",
            clean_text(&body.reference, REFERENCE_MAX),
        );
        let form = procurement_form(&mut errors, &body.procurement_form);
        let activity_types = codes(&mut errors, "activity_types", body.activity_types);
        let target_groups = codes(&mut errors, "target_groups", body.target_groups);
        let job_centres = codes(&mut errors, "job_centres", body.job_centres);
        let result_steps = steps(&mut errors, body.result_steps);
        let contract_status = match body.status {
            Some(raw) => status(&mut errors, &raw),
            None => Some(ProviderStatus::Active),
        };
        let contract = errors.finish(|| {
            Some(Contract {
                id: Uuid::now_v7(),
                provider_id,
                reference: reference?,
                procurement_form: form?,
                valid_from: body.valid_from,
                valid_to: body.valid_to,
                activity_types,
                target_groups,
                job_centres,
                capacity: body.capacity,
                remuneration: RemunerationModel {
                    start_fee_ore: body.start_fee_ore,
                    steps: result_steps,
                },
                status: contract_status?,
                version: 1,
            })
        })?;
        Ok(contract)
    }
}

/// Register a contract
///
/// By the purchaser, for the provider in the path. A contract whose activity type and target
/// group duplicate an Arbetsförmedlingen programme is accepted but flagged
/// (`overlaps_af_programme`). Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("provider_id" = String, Path, description = "The provider's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = CreateContractRequest,
    responses(
        (status = 201, description = "The contract.", body = ContractResponse,
            headers(("ETag" = String, description = "The contract's version"), ("Location" = String, description = "The contract's URL"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/providers/{provider_id}/contracts")]
pub async fn create_contract(
    caller: Authenticated,
    path: web::Path<String>,
    key: IdempotencyKey,
    body: Valid<CreateContractRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    authorize(&caller.0, Action::ManageProviders, &ResourceScope::default())?;
    let provider_id = path_id(&path, "provider")?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let contract = body.into_inner().parse(provider_id)?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let (saved, overlapping) = contracts::add(conn, &ctx, contract)?;
        idempotency::created(
            &contract_response(&saved, &overlapping),
            Some(etag(saved.version)),
            Some(format!("/v1/contracts/{}", saved.id)),
        )
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub cursor: Option<String>,
}

/// List a provider's contracts
///
/// Active ones for everyone signed in; every status for the purchaser and the provider itself.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("provider_id" = String, Path, description = "The provider's id"), ContractQuery),
    responses(
        (status = 200, description = "A page of contracts.", body = ContractList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/providers/{provider_id}/contracts")]
pub async fn list_contracts(
    caller: Authenticated,
    path: web::Path<String>,
    query: ValidQuery<ContractQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<ContractList>, ApiError> {
    let provider = visible_provider(&caller, &path, &state).await?;
    let query = query.into_inner();
    let page = Page::parse(query.limit, query.cursor)?;
    let sees_all = manages(&caller.0) || caller.0.provider().is_some_and(|p| p.uuid() == provider.id);
    let (contracts, items) = state
        .db(move |conn| {
            let contracts = ContractRepo::for_provider(conn, provider.id, page.after, page.limit)?;
            let programmes = ProviderRepo::af_programmes(conn)?;
            let items = contracts
                .iter()
                .filter(|c| sees_all || c.status == ProviderStatus::Active)
                .map(|c| {
                    ContractResponse::new(
                        c,
                        &overlapping_af_programmes(&c.activity_types, &c.target_groups, &programmes),
                    )
                })
                .collect::<Vec<_>>();
            Ok((contracts, items))
        })
        .await?;
    Ok(web::Json(ContractList {
        items,
        next_cursor: page.next_cursor(&contracts, |c| c.id),
    }))
}

/// A contract the caller may see, with its provider's status.
async fn visible_contract(
    caller: &Authenticated,
    raw_id: &str,
    state: &AppState,
) -> Result<(Contract, ProviderStatus), ApiError> {
    authorize(&caller.0, Action::ReadProviders, &ResourceScope::default())?;
    let id = path_id(raw_id, "contract")?;
    let (contract, provider) = state
        .db(move |conn| {
            let contract = ContractRepo::get(conn, id)?;
            let provider = ProviderRepo::get(conn, contract.provider_id)?;
            Ok((contract, provider))
        })
        .await
        .map_err(|e| e.for_resource("contract"))?;
    let own = manages(&caller.0) || caller.0.provider().is_some_and(|p| p.uuid() == provider.id);
    if !own && (contract.status != ProviderStatus::Active || provider.status != ProviderStatus::Active) {
        return Err(ApiError::NotFound { resource: "contract" });
    }
    Ok((contract, provider.status))
}

/// Get a contract
///
/// A contract with its terms: activity types, target groups, job centres, capacity and remuneration
/// steps. No personal data.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("contract_id" = String, Path, description = "The contract's id")),
    responses(
        (status = 200, description = "The contract.", body = ContractResponse,
            headers(("ETag" = String, description = "The contract's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/contracts/{contract_id}")]
pub async fn get_contract(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (contract, _) = visible_contract(&caller, &path, &state).await?;
    let version = contract.version;
    let response = state
        .db(move |conn| Ok(contract_response(&contract, &contracts::af_overlap(conn, &contract)?)))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(response))
}

impl UpdateContractRequest {
    /// The changes the request names, checked for shape.
    fn parse(self) -> Result<ContractChanges, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let reference = body
            .reference
            .map(|r| errors.check("reference", "invalid_format", clean_text(&r, REFERENCE_MAX)));
        let form = body.procurement_form.map(|f| procurement_form(&mut errors, &f));
        let activity_types = body.activity_types.map(|c| codes(&mut errors, "activity_types", c));
        let target_groups = body.target_groups.map(|c| codes(&mut errors, "target_groups", c));
        let job_centres = body.job_centres.map(|c| codes(&mut errors, "job_centres", c));
        let result_steps = body.result_steps.map(|s| steps(&mut errors, s));
        let new_status = body.status.map(|s| status(&mut errors, &s));
        let changes = errors.finish(|| {
            Some(ContractChanges {
                reference: reference.flatten(),
                procurement_form: form.flatten(),
                valid_from: body.valid_from,
                valid_to: body.valid_to,
                activity_types,
                target_groups,
                job_centres,
                capacity: body.capacity,
                start_fee_ore: body.start_fee_ore,
                result_steps,
                status: new_status.flatten(),
            })
        })?;
        Ok(changes)
    }
}

/// Change a contract
///
/// By the purchaser. Only the fields sent change; lists replace the whole list. The terms are
/// checked again as a whole. Lowering the capacity below the places in use stops new referrals
/// but ends none. Requires `If-Match`.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("contract_id" = String, Path, description = "The contract's id"), crate::http::docs::IfMatchHeader),
    request_body = UpdateContractRequest,
    responses(
        (status = 200, description = "The changed contract.", body = ContractResponse,
            headers(("ETag" = String, description = "The contract's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[patch("/contracts/{contract_id}")]
pub async fn update_contract(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<UpdateContractRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    authorize(&caller.0, Action::ManageProviders, &ResourceScope::default())?;
    let id = path_id(&path, "contract")?;
    let changes = body.into_inner().parse()?;
    let ctx = caller.context();
    let (saved, overlapping) = crate::write_request::change(&state, &caller, move |conn| {
        Ok(contracts::change(conn, &ctx, (id, if_match.0), changes)?)
    })
    .await?;
    let response = contract_response(&saved, &overlapping);
    Ok(HttpResponse::build(StatusCode::OK)
        .insert_header((header::ETAG, etag(saved.version)))
        .json(response))
}

/// Places used and free
///
/// A pre-flight check before a referral: capacity, places in use (referrals sent and not yet
/// expired, accepted or in progress) and free. No personal data.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("contract_id" = String, Path, description = "The contract's id")),
    responses(
        (status = 200, description = "The contract's capacity now.", body = CapacityResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/contracts/{contract_id}/capacity")]
pub async fn contract_capacity(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<CapacityResponse>, ApiError> {
    let (contract, provider_status) = visible_contract(&caller, &path, &state).await?;
    let today = caller.today();
    let id = contract.id;
    let usage = state
        .db(move |conn| Ok(ContractRepo::usage(conn, &[id], today)?))
        .await?;
    let used = usage.get(&id).map(|u| u.places_used).unwrap_or(0);
    Ok(web::Json(CapacityResponse {
        contract_id: id.to_string(),
        capacity: contract.capacity,
        places_used: used,
        places_free: contract.capacity.saturating_sub(used),
        accepting_referrals: provider_status == ProviderStatus::Active && contract.is_active_on(today),
    }))
}

/// Field-level history of a contract
///
/// Every change to the contract's terms, field by field, with who made it and when.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("contract_id" = String, Path, description = "The contract's id")),
    responses(
        (status = 200, description = "The changes, oldest first.", body = HistoryList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/contracts/{contract_id}/history")]
pub async fn contract_history(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<HistoryList>, ApiError> {
    let of = HistoryOf::Contract(path_id(&path, "contract")?);
    history::respond(&state, &caller, Action::ManageProviders, of).await
}
