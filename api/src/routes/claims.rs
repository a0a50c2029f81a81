//! Payment claims: raised by the rules of the contract's remuneration model when a referral
//! starts, when a work or studies outcome is reported, and when follow-ups confirm that work
//! lasted; decided and marked paid by the purchaser.

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use domain::access::Action;
use domain::claim::ClaimStatus;
use domain::shared::clean_text;
use persistence::repos::claim::{Claim, ClaimFilter};
use persistence::repos::ClaimRepo;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::Authenticated;
use crate::concurrency::{etag, IfMatch};
use crate::http::limits;
use crate::http::paging::{path_id, query_enum, query_uuid, Page};
use crate::http::scope_for;
use crate::http::valid::{Valid, ValidQuery};
pub use crate::http::wire::claims::ClaimResponse;
use crate::ops::claims::{self, Decision};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_claims)
        .service(get_claim)
        .service(approve_claim)
        .service(reject_claim)
        .service(mark_claim_paid);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimList {
    pub items: Vec<ClaimResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClaimQuery {
    #[param(value_type = Option<crate::codes::ClaimStatusCode>, example = "pending")]
    pub status: Option<String>,
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub provider_id: Option<String>,
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub contract_id: Option<String>,
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub referral_id: Option<String>,
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub cursor: Option<String>,
}

/// List payment claims
///
/// The purchaser sees all; a provider's staff its own. Filter by status, provider, contract
/// or referral.
#[utoipa::path(
    tag = "claims",
    security(("bearer" = [])),
    params(ClaimQuery),
    responses((status = 200, description = "A page of claims.", body = ClaimList))
)]
#[get("/claims")]
pub async fn list_claims(
    caller: Authenticated,
    query: ValidQuery<ClaimQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<ClaimList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadClaims)?;
    let query = query.into_inner();
    let page = Page::parse(query.limit, query.cursor)?;
    let filter = ClaimFilter {
        status: query_enum(
            query.status,
            "status",
            ClaimStatus::parse,
            "pending, approved, rejected, paid",
        )?,
        provider_id: query_uuid(query.provider_id, "provider_id")?,
        contract_id: query_uuid(query.contract_id, "contract_id")?,
        referral_id: query_uuid(query.referral_id, "referral_id")?,
    };
    let claims = state
        .db(move |conn| Ok(ClaimRepo::list(conn, &scope, &filter, page.after, page.limit)?))
        .await?;
    Ok(web::Json(ClaimList {
        items: claims.iter().map(ClaimResponse::from).collect(),
        next_cursor: page.next_cursor(&claims, |c| c.id),
    }))
}

fn claim_response(claim: &Claim) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(claim.version)))
        .json(ClaimResponse::from(claim))
}

/// Get a payment claim
///
/// A payment claim with the contract terms it was computed from and what it rests on; the purchaser
/// sees every claim, a provider its own.
#[utoipa::path(
    tag = "claims",
    security(("bearer" = [])),
    params(("claim_id" = String, Path, description = "The claim's id")),
    responses(
        (status = 200, description = "The claim.", body = ClaimResponse,
            headers(("ETag" = String, description = "The claim's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/claims/{claim_id}")]
pub async fn get_claim(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadClaims)?;
    let id = path_id(&path, "claim")?;
    let claim = state
        .db(move |conn| Ok(ClaimRepo::get(conn, id, &scope)?))
        .await
        .map_err(|e| e.for_resource("claim"))?;
    Ok(claim_response(&claim))
}

/// Applies the purchaser's decision to the claim at the `If-Match` version.
async fn decide(
    caller: &Authenticated,
    state: &AppState,
    (raw_id, if_match): (&str, IfMatch),
    decision: Decision,
) -> Result<HttpResponse, ApiError> {
    let at = (path_id(raw_id, "claim")?, if_match);
    let saved =
        crate::write_request::change_at(state, caller, Action::DecideClaims, at, move |conn, ctx, scope, at| {
            claims::decide(conn, ctx, scope, at, decision)
        })
        .await?;
    Ok(claim_response(&saved))
}

/// Approve a claim
///
/// By the purchaser; `pending` only. Requires `If-Match`.
#[utoipa::path(
    tag = "claims",
    security(("bearer" = [])),
    params(("claim_id" = String, Path, description = "The claim's id"), crate::http::docs::IfMatchHeader),
    responses(
        (status = 200, description = "The approved claim.", body = ClaimResponse,
            headers(("ETag" = String, description = "The claim's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/claims/{claim_id}/approve")]
pub async fn approve_claim(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&caller, &state, (&path, if_match), Decision::Approve).await
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RejectClaimRequest {
    #[schema(example = "The employment started before the referral.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub reason: String,
}

/// Reject a claim
///
/// By the purchaser, with a reason; `pending` only. Requires `If-Match`.
#[utoipa::path(
    tag = "claims",
    security(("bearer" = [])),
    params(("claim_id" = String, Path, description = "The claim's id"), crate::http::docs::IfMatchHeader),
    request_body = RejectClaimRequest,
    responses(
        (status = 200, description = "The rejected claim.", body = ClaimResponse,
            headers(("ETag" = String, description = "The claim's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/claims/{claim_id}/reject")]
pub async fn reject_claim(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<RejectClaimRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let reason = errors.check(
        "reason",
        "invalid_format",
        clean_text(&body.reason, crate::http::text::TEXT_MAX),
    );
    let reason = errors.finish(|| reason)?;
    decide(&caller, &state, (&path, if_match), Decision::Reject { reason }).await
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct MarkPaidRequest {
    #[schema(example = "2026-12-15")]
    pub paid_on: NaiveDate,
}

/// Mark a claim paid
///
/// By the purchaser; `approved` only; the payment date may not be in the future. Requires
/// `If-Match`.
#[utoipa::path(
    tag = "claims",
    security(("bearer" = [])),
    params(("claim_id" = String, Path, description = "The claim's id"), crate::http::docs::IfMatchHeader),
    request_body = MarkPaidRequest,
    responses(
        (status = 200, description = "The paid claim.", body = ClaimResponse,
            headers(("ETag" = String, description = "The claim's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/claims/{claim_id}/mark-paid")]
pub async fn mark_claim_paid(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<MarkPaidRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let decision = Decision::MarkPaid { on: body.paid_on };
    decide(&caller, &state, (&path, if_match), decision).await
}
