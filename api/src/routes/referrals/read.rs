//! Reading referrals: a scoped list, one referral, its history. Every read is audited.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use domain::access::Action;
use domain::referral::ReferralStatus;
use persistence::repos::referral::ReferralFilter;
use persistence::repos::ReferralRepo;
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

use super::dto::{ReferralList, ReferralResponse};
use super::referral_response;
use crate::auth::Authenticated;
use crate::http::history;
use crate::http::history::HistoryList;
use crate::http::limits;
use crate::http::paging::{path_id, query_enum, query_uuid, Page};
use crate::http::scope_for;
use crate::http::valid::ValidQuery;
use crate::ops::history::HistoryOf;
use crate::ops::referrals::{self, card_of};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// A referral status; `expired` and `sent` follow the computed expiry.
    #[param(value_type = Option<crate::codes::ReferralStatusCode>, example = "sent")]
    pub status: Option<String>,
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub participant_id: Option<String>,
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub provider_id: Option<String>,
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub contract_id: Option<String>,
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub cursor: Option<String>,
}

/// List referrals
///
/// Only those you may see: a coach or manager their job centre's and those other centres'
/// cases send to their centre's services, a district officer their district's, a provider's
/// staff those sent to their provider. Keyset-paginated.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(ReferralQuery),
    responses((status = 200, description = "A page of referrals.", body = ReferralList))
)]
#[get("/referrals")]
pub async fn list_referrals(
    caller: Authenticated,
    query: ValidQuery<ReferralQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<ReferralList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadReferral)?;
    let query = query.into_inner();
    let page = Page::parse(query.limit, query.cursor)?;
    let filter = ReferralFilter {
        status: query_enum(query.status, "status", ReferralStatus::parse, "a referral status")?,
        participant_id: query_uuid(query.participant_id, "participant_id")?,
        provider_id: query_uuid(query.provider_id, "provider_id")?,
        contract_id: query_uuid(query.contract_id, "contract_id")?,
    };
    let listed = state
        .read(&caller, move |conn, ctx| {
            Ok(referrals::list(conn, ctx, &scope, &filter, page)?)
        })
        .await?;
    let items = listed
        .iter()
        .map(|(referral, card)| ReferralResponse::new(referral, card, &caller.0, caller.today()))
        .collect();
    Ok(web::Json(ReferralList {
        items,
        next_cursor: page.next_cursor(&listed, |(r, _)| r.id),
    }))
}

/// Get a referral
///
/// 404 when it does not exist or is outside your reach (another provider's referral).
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral.", body = ReferralResponse,
            headers(("ETag" = String, description = "The referral's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/referrals/{referral_id}")]
pub async fn get_referral(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let today = caller.today();
    let scope = scope_for(&caller.0, Action::ReadReferral)?;
    let id = path_id(&path, "referral")?;
    let (referral, card) = state
        .read(&caller, move |conn, ctx| {
            let referral = ReferralRepo::get(conn, id, &scope, ctx.today())?;
            ReferralRepo::audit_read(conn, &ctx.acting(), &[&referral])?;
            let card = card_of(conn, &referral)?;
            Ok((referral, card))
        })
        .await
        .map_err(|e| e.for_resource("referral"))?;
    Ok(referral_response(&referral, &card, &caller, today, StatusCode::OK))
}

/// Field-level history of a referral
///
/// Every change to the referral, field by field, with who made it and when; a provider reads the
/// history of its own referrals within its view.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The changes, oldest first.", body = HistoryList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/referrals/{referral_id}/history")]
pub async fn referral_history(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<HistoryList>, ApiError> {
    let of = HistoryOf::Referral(path_id(&path, "referral")?);
    history::respond(&state, &caller, Action::ReadReferral, of).await
}
