//! One district, and the admin's changes to the district → job centre mapping (it is data, not
//! code: the city reorganises its districts from time to time).

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use domain::access::{Action, ResourceScope};
use domain::reference::{DistrictChanges, NewDistrict, ReferenceName};
use domain::shared::Code;
use persistence::repos::ReferenceRepo;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::DistrictResponse;
use crate::auth::{authorize, Authenticated};
use crate::concurrency::{etag, IfMatch};
use crate::http::limits;
use crate::http::valid::Valid;
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::districts;
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

/// A district to add.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateDistrictRequest {
    /// Stable code: lower-case letters, digits, `-` and `_`.
    #[schema(example = "hagersten-alvsjo", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub id: String,
    #[schema(
        example = "Hägersten-Älvsjö",
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*\S[^\x00-\x1F\x7F-\x9F]*$"
    )]
    #[validate(length(max = limits::NAME_MAX))]
    pub name: String,
    /// The job centre that will serve the district (see `GET /v1/jobbtorg`).
    #[schema(example = "sydvast", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub jobbtorg_id: String,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateDistrictRequest {
    #[schema(
        example = "Rinkeby-Kista",
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*\S[^\x00-\x1F\x7F-\x9F]*$"
    )]
    #[validate(length(max = limits::NAME_MAX))]
    pub name: Option<String>,
    /// Move the district to another job centre (see `GET /v1/jobbtorg`).
    #[schema(example = "vasterort", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub jobbtorg_id: Option<String>,
}

impl CreateDistrictRequest {
    fn into_command(self) -> Result<NewDistrict, ApiError> {
        let mut errors = FieldErrors::default();
        let code = errors.check("id", "invalid_format", Code::parse(&self.id));
        let name = errors.check("name", "invalid_format", ReferenceName::parse(&self.name));
        let job_centre_code = errors.check("jobbtorg_id", "invalid_format", Code::parse(&self.jobbtorg_id));
        Ok(errors.finish(|| {
            Some(NewDistrict {
                code: code?,
                name: name?,
                job_centre_code: job_centre_code?,
            })
        })?)
    }
}

impl UpdateDistrictRequest {
    fn into_changes(self) -> Result<DistrictChanges, ApiError> {
        let mut errors = FieldErrors::default();
        let name = self
            .name
            .map(|n| errors.check("name", "invalid_format", ReferenceName::parse(&n)));
        let job_centre = self
            .jobbtorg_id
            .map(|j| errors.check("jobbtorg_id", "invalid_format", Code::parse(&j)));
        if name.is_none() && job_centre.is_none() {
            errors.add("", "empty_change", "send at least one of name, jobbtorg_id");
        }
        Ok(errors.finish(|| {
            Some(DistrictChanges {
                name: name.flatten(),
                job_centre_code: job_centre.flatten(),
            })
        })?)
    }
}

fn district_code(raw: &str) -> Result<Code, ApiError> {
    Code::parse(raw).map_err(|_| ApiError::NotFound { resource: "district" })
}

fn district_location(code: &Code) -> String {
    format!("/v1/districts/{code}")
}

/// Get a district
///
/// With the job centre that serves it; the `ETag` is what `PATCH` needs in `If-Match`.
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    params(("district_id" = String, Path, description = "The district's code", example = "rinkeby-kista")),
    responses(
        (status = 200, description = "The district.", body = DistrictResponse,
            headers(("ETag" = String, description = "The district's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/districts/{district_id}")]
pub async fn get_district(
    _caller: Authenticated,
    district_id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let code = district_code(&district_id)?;
    let district = state
        .db(move |conn| Ok(ReferenceRepo::district(conn, &code)?))
        .await
        .map_err(|e| e.for_resource("district"))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(district.version)))
        .json(DistrictResponse::from(district)))
}

/// Add a district (admin)
///
/// Accepts `Idempotency-Key`: a retry with the same key and body returns the first response.
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    params(crate::http::docs::IdempotencyKeyHeader),
    request_body = CreateDistrictRequest,
    responses(
        (status = 201, description = "The district was added.", body = DistrictResponse,
            headers(("ETag" = String, description = "The district's version"), ("Location" = String, description = "The district's URL"))),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/districts")]
pub async fn create_district(
    caller: Authenticated,
    key: IdempotencyKey,
    body: Valid<CreateDistrictRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    authorize(&caller.0, Action::ManageReferenceData, &ResourceScope::default())?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let command = body.into_inner().into_command()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let district = districts::create(conn, &ctx, &command)?;
        let location = district_location(&district.code);
        idempotency::created(
            &DistrictResponse::from(district.clone()),
            Some(etag(district.version)),
            Some(location),
        )
    })
    .await
}

/// Change a district (admin)
///
/// Rename it or move it to another job centre. Requires `If-Match` with the ETag last read.
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    params(
        ("district_id" = String, Path, description = "The district's code", example = "rinkeby-kista"),
        crate::http::docs::IfMatchHeader,
    ),
    request_body = UpdateDistrictRequest,
    responses(
        (status = 200, description = "The changed district.", body = DistrictResponse,
            headers(("ETag" = String, description = "The district's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[patch("/districts/{district_id}")]
pub async fn update_district(
    caller: Authenticated,
    district_id: web::Path<String>,
    if_match: IfMatch,
    body: Valid<UpdateDistrictRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    authorize(&caller.0, Action::ManageReferenceData, &ResourceScope::default())?;
    let code = district_code(&district_id)?;
    let changes = body.into_inner().into_changes()?;
    let ctx = caller.context();
    let district = crate::write_request::change(&state, &caller, move |conn| {
        Ok(districts::change(conn, &ctx, (&code, if_match.0), &changes)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(district.version)))
        .json(DistrictResponse::from(district)))
}
