//! The provider endpoints.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use domain::access::{Action, ResourceScope};
use domain::provider::{OrganisationKind, Provider, ProviderContact, ProviderStatus};
use domain::shared::{clean_text, OrgNumber};
use persistence::repos::provider::ProviderFilter;
use persistence::repos::ProviderRepo;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use super::dto::{ContactDto, CreateProviderRequest, ProviderList, ProviderResponse, UpdateProviderRequest};
use super::{manages, provider_response, sees_contacts};
use crate::auth::{authorize, Authenticated};
use crate::concurrency::{etag, IfMatch};
use crate::http::history;
use crate::http::history::HistoryList;
use crate::http::limits;
use crate::http::paging::{path_id, query_enum, Page};
use crate::http::valid::{Valid, ValidQuery};
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::history::HistoryOf;
use crate::ops::providers::{self, ProviderChanges};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

const NAME_MAX: usize = crate::http::limits::PROVIDER_NAME_MAX as usize;
const MAX_CONTACTS: usize = crate::http::limits::CONTACTS_MAX as usize;

fn text(errors: &mut FieldErrors, field: &str, value: Option<String>, max: usize) -> Option<String> {
    value
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| errors.check(field, "invalid_format", clean_text(&v, max)))
}

fn contacts(errors: &mut FieldErrors, dtos: Vec<ContactDto>) -> Vec<ProviderContact> {
    if dtos.len() > MAX_CONTACTS {
        errors.add("contacts", "too_many", format!("at most {MAX_CONTACTS} contacts"));
    }
    dtos.into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let name = errors.check(
                &format!("contacts[{i}].name"),
                "invalid_format",
                clean_text(&c.name, NAME_MAX),
            );
            let role = text(errors, &format!("contacts[{i}].role"), c.role, NAME_MAX);
            let email = text(errors, &format!("contacts[{i}].email"), c.email, NAME_MAX);
            let phone = text(errors, &format!("contacts[{i}].phone"), c.phone, 40);
            Some(ProviderContact {
                name: name?,
                role,
                email,
                phone,
            })
        })
        .collect()
}

fn kind(errors: &mut FieldErrors, raw: &str) -> Option<OrganisationKind> {
    errors.check(
        "kind",
        "invalid_value",
        OrganisationKind::parse(raw).ok_or_else(|| format!("use one of {}", OrganisationKind::codes())),
    )
}

pub(super) fn status(errors: &mut FieldErrors, raw: &str) -> Option<ProviderStatus> {
    errors.check(
        "status",
        "invalid_value",
        ProviderStatus::parse(raw).ok_or_else(|| format!("use one of {}", ProviderStatus::codes())),
    )
}

impl CreateProviderRequest {
    /// The provider the request describes, checked for shape.
    fn parse(self) -> Result<Provider, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let org_number = errors.check("org_number", "invalid_format", OrgNumber::parse(&body.org_number));
        let name = errors.check("name", "invalid_format", clean_text(&body.name, NAME_MAX));
        let kind = kind(&mut errors, &body.kind);
        let status = match body.status {
            Some(raw) => status(&mut errors, &raw),
            None => Some(ProviderStatus::Active),
        };
        let contacts = contacts(&mut errors, body.contacts);
        let provider = errors.finish(|| {
            Some(Provider {
                id: Uuid::now_v7(),
                org_number: org_number?,
                name: name?,
                kind: kind?,
                contacts,
                status: status?,
                version: 1,
            })
        })?;
        Ok(provider)
    }
}

/// Register a provider
///
/// By the purchaser (`contract_manager`) or an admin. The organisationsnummer's check digit is
/// verified and it must be new (409 `org_number_taken`). Own-regime units are providers too.
/// Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(crate::http::docs::IdempotencyKeyHeader),
    request_body = CreateProviderRequest,
    responses(
        (status = 201, description = "The provider.", body = ProviderResponse,
            headers(("ETag" = String, description = "The provider's version"), ("Location" = String, description = "The provider's URL"))),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/providers")]
pub async fn create_provider(
    caller: Authenticated,
    key: IdempotencyKey,
    body: Valid<CreateProviderRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    authorize(&caller.0, Action::ManageProviders, &ResourceScope::default())?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let provider = body.into_inner().parse()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let saved = providers::register(conn, &ctx, provider)?;
        idempotency::created(
            &ProviderResponse::new(&saved, sees_contacts(&ctx.actor, &saved)),
            Some(etag(saved.version)),
            Some(format!("/v1/providers/{}", saved.id)),
        )
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProviderQuery {
    /// `active`, `suspended` or `ended`; callers other than the purchaser see active ones only.
    #[param(value_type = Option<crate::codes::RegisterStatusCode>, example = "active")]
    pub status: Option<String>,
    #[param(value_type = Option<crate::codes::OrganisationKindCode>, example = "lou")]
    pub kind: Option<String>,
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub cursor: Option<String>,
}

/// List providers
///
/// Everyone signed in may list active providers, for neutral information about the choice; the
/// purchaser sees every status and the contact persons.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(ProviderQuery),
    responses((status = 200, description = "A page of providers.", body = ProviderList))
)]
#[get("/providers")]
pub async fn list_providers(
    caller: Authenticated,
    query: ValidQuery<ProviderQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<ProviderList>, ApiError> {
    authorize(&caller.0, Action::ReadProviders, &ResourceScope::default())?;
    let query = query.into_inner();
    let page = Page::parse(query.limit, query.cursor)?;
    let mut filter = ProviderFilter {
        status: query_enum(query.status, "status", ProviderStatus::parse, &ProviderStatus::codes())?,
        kind: query_enum(query.kind, "kind", OrganisationKind::parse, &OrganisationKind::codes())?,
    };
    if !manages(&caller.0) {
        if filter.status.is_some_and(|s| s != ProviderStatus::Active) {
            return Ok(web::Json(ProviderList {
                items: vec![],
                next_cursor: None,
            }));
        }
        filter.status = Some(ProviderStatus::Active);
    }
    let providers = state
        .db(move |conn| Ok(ProviderRepo::list(conn, &filter, page.after, page.limit)?))
        .await?;
    let next_cursor = page.next_cursor(&providers, |p| p.id);
    let items = providers
        .iter()
        .map(|p| ProviderResponse::new(p, sees_contacts(&caller.0, p)))
        .collect();
    Ok(web::Json(ProviderList { items, next_cursor }))
}

/// A provider the caller may see: any for the purchaser and the provider's own staff, active
/// ones for everyone else.
pub(super) async fn visible_provider(
    caller: &Authenticated,
    raw_id: &str,
    state: &AppState,
) -> Result<Provider, ApiError> {
    authorize(&caller.0, Action::ReadProviders, &ResourceScope::default())?;
    let id = path_id(raw_id, "provider")?;
    let provider = state
        .db(move |conn| Ok(ProviderRepo::get(conn, id)?))
        .await
        .map_err(|e| e.for_resource("provider"))?;
    if provider.status != ProviderStatus::Active && !sees_contacts(&caller.0, &provider) {
        return Err(ApiError::NotFound { resource: "provider" });
    }
    Ok(provider)
}

/// Get a provider
///
/// A provider with its organisation number, kind, contacts and status. No personal data.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("provider_id" = String, Path, description = "The provider's id")),
    responses(
        (status = 200, description = "The provider.", body = ProviderResponse,
            headers(("ETag" = String, description = "The provider's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/providers/{provider_id}")]
pub async fn get_provider(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let provider = visible_provider(&caller, &path, &state).await?;
    Ok(provider_response(&caller.0, &provider, StatusCode::OK))
}

impl UpdateProviderRequest {
    /// The changes the request names, checked for shape.
    fn parse(self) -> Result<ProviderChanges, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let name = body
            .name
            .map(|n| errors.check("name", "invalid_format", clean_text(&n, NAME_MAX)));
        let kind = body.kind.map(|k| kind(&mut errors, &k));
        let new_status = body.status.map(|s| status(&mut errors, &s));
        let contacts = body.contacts.map(|c| contacts(&mut errors, c));
        let changes = errors.finish(|| {
            Some(ProviderChanges {
                name: name.flatten(),
                kind: kind.flatten(),
                status: new_status.flatten(),
                contacts,
            })
        })?;
        Ok(changes)
    }
}

/// Change a provider
///
/// By the purchaser. Only the fields sent change; the organisationsnummer does not. Suspending
/// or ending a provider stops new referrals to it. Requires `If-Match`.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("provider_id" = String, Path, description = "The provider's id"), crate::http::docs::IfMatchHeader),
    request_body = UpdateProviderRequest,
    responses(
        (status = 200, description = "The changed provider.", body = ProviderResponse,
            headers(("ETag" = String, description = "The provider's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[patch("/providers/{provider_id}")]
pub async fn update_provider(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<UpdateProviderRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    authorize(&caller.0, Action::ManageProviders, &ResourceScope::default())?;
    let id = path_id(&path, "provider")?;
    let changes = body.into_inner().parse()?;
    let ctx = caller.context();
    let saved = crate::write_request::change(&state, &caller, move |conn| {
        Ok(providers::change(conn, &ctx, (id, if_match.0), changes)?)
    })
    .await?;
    Ok(provider_response(&caller.0, &saved, StatusCode::OK))
}

/// Field-level history of a provider
///
/// Every change to the provider, field by field, with who made it and when.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("provider_id" = String, Path, description = "The provider's id")),
    responses(
        (status = 200, description = "The changes, oldest first.", body = HistoryList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/providers/{provider_id}/history")]
pub async fn provider_history(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<HistoryList>, ApiError> {
    let of = HistoryOf::Provider(path_id(&path, "provider")?);
    history::respond(&state, &caller, Action::ManageProviders, of).await
}
