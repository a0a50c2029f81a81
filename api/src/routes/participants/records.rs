//! The mapping (assessment) and consents of a participant.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use domain::access::Action;
use domain::participant::{Assessment, Consent, RecipientKind};
use domain::shared::clean_text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::{participant_id, scope_for};
use crate::auth::Authenticated;
use crate::concurrency::{etag, IfMatch};
use crate::http::limits;
use crate::http::text::{optional_text, TEXT_MAX};
use crate::http::valid::Valid;
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::records;
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;
use domain::ids::ConsentId;

/// The mapping (kartläggning/utredning), started on day one. Every part is optional text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(as = Assessment)]
pub struct AssessmentDto {
    #[schema(example = "Warehouse work 2015-2021.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub work_history: Option<String>,
    #[schema(example = "Upper secondary school, Mogadishu.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub education: Option<String>,
    #[schema(example = "Somali (native), Swedish (SFI C), English (basic).", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub languages: Option<String>,
    #[schema(example = "SFI course C passed 2026-05.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub sfi_test_result: Option<String>,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub guidance_notes: Option<String>,
    /// Other parties involved, e.g. the social-assistance unit, healthcare.
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub parties_involved: Option<String>,
}

impl From<Assessment> for AssessmentDto {
    fn from(a: Assessment) -> Self {
        Self {
            work_history: a.work_history,
            education: a.education,
            languages: a.languages,
            sfi_test_result: a.sfi_test_result,
            guidance_notes: a.guidance_notes,
            parties_involved: a.parties_involved,
        }
    }
}

impl AssessmentDto {
    fn parse(self) -> Result<Assessment, ApiError> {
        let mut errors = FieldErrors::default();
        let assessment = Assessment {
            work_history: optional_text(&mut errors, "work_history", self.work_history, TEXT_MAX),
            education: optional_text(&mut errors, "education", self.education, TEXT_MAX),
            languages: optional_text(&mut errors, "languages", self.languages, TEXT_MAX),
            sfi_test_result: optional_text(&mut errors, "sfi_test_result", self.sfi_test_result, TEXT_MAX),
            guidance_notes: optional_text(&mut errors, "guidance_notes", self.guidance_notes, TEXT_MAX),
            parties_involved: optional_text(&mut errors, "parties_involved", self.parties_involved, TEXT_MAX),
        };
        Ok(errors.finish(|| Some(assessment))?)
    }
}

fn with_etag(status: StatusCode, version: i32, body: &impl Serialize) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

/// Get the mapping
///
/// The `ETag` is the participant's version, which `PUT` needs in `If-Match`.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The mapping.", body = AssessmentDto, headers(("ETag" = String, description = "The participant's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/assessment")]
pub async fn get_assessment(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::ManageParticipation)?;
    let id = participant_id(&path)?;
    let (version, assessment) = state
        .read(&caller, move |conn, ctx| {
            Ok(records::assessment(conn, ctx, &scope, id)?)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, version, &AssessmentDto::from(assessment)))
}

/// Replace the mapping
///
/// By the participant's job centre. Requires `If-Match` with the participant's ETag; the change
/// is kept in the participant's history.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IfMatchHeader),
    request_body = AssessmentDto,
    responses(
        (status = 200, description = "The mapping as saved.", body = AssessmentDto, headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[put("/participants/{participant_id}/assessment")]
pub async fn put_assessment(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<AssessmentDto>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let at = (participant_id(&path)?, if_match);
    let assessment = body.into_inner().parse()?;
    let (participant, saved) = crate::write_request::change_at(
        &state,
        &caller,
        Action::ManageParticipation,
        at,
        move |conn, ctx, scope, at| records::put_assessment(conn, ctx, scope, at, assessment),
    )
    .await?;
    Ok(with_etag(
        StatusCode::OK,
        participant.version,
        &AssessmentDto::from(saved),
    ))
}

/// A consent to share the participant's data.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct GiveConsentRequest {
    /// What may be shared.
    #[schema(
        example = "CV, language level and the activity plan",
        min_length = 1,
        max_length = 2000
    )]
    #[validate(length(max = limits::TEXT_MAX))]
    pub shares: String,
    /// `provider`, `employer`, `public_agency`, `education` or `other`.
    #[schema(value_type = crate::codes::RecipientKindCode, example = "provider")]
    pub recipient_kind: String,
    /// The provider, when `recipient_kind` is `provider`.
    pub recipient_provider_id: Option<Uuid>,
    #[schema(example = "2026-11-23")]
    pub given_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentResponse {
    pub id: String,
    pub shares: String,
    #[schema(value_type = crate::codes::RecipientKindCode)]
    pub recipient_kind: String,
    pub recipient_provider_id: Option<String>,
    pub given_on: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
    /// In force today.
    pub active: bool,
}

impl ConsentResponse {
    pub(super) fn new(c: &Consent, today: NaiveDate) -> Self {
        Self {
            id: c.id.to_string(),
            shares: c.shares.clone(),
            recipient_kind: c.recipient_kind.as_str().into(),
            recipient_provider_id: c.recipient_provider.map(|p| p.to_string()),
            given_on: c.given_on,
            withdrawn_on: c.withdrawn_on,
            active: c.is_active_on(today),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentList {
    pub items: Vec<ConsentResponse>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct WithdrawConsentRequest {
    #[schema(example = "2026-12-01")]
    pub withdrawn_on: NaiveDate,
}

impl GiveConsentRequest {
    /// The consent the request records, checked against the rules of a consent given `today`.
    fn parse(self, today: NaiveDate) -> Result<Consent, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let shares = errors.check("shares", "invalid_format", clean_text(&body.shares, TEXT_MAX));
        let kind = errors.check(
            "recipient_kind",
            "invalid_value",
            RecipientKind::parse(&body.recipient_kind)
                .ok_or("use provider, employer, public_agency, education or other"),
        );
        let (shares, kind) = errors.finish(|| Some((shares?, kind?)))?;
        let consent = Consent::give(
            Uuid::now_v7(),
            shares,
            kind,
            body.recipient_provider_id,
            body.given_on,
            today,
        )
        .map_err(records::consent_error)?;
        Ok(consent)
    }
}

/// Record a consent
///
/// What may be shared, with whom, given when. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = GiveConsentRequest,
    responses(
        (status = 201, description = "The consent.", body = ConsentResponse, headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/{participant_id}/consents")]
pub async fn give_consent(
    caller: Authenticated,
    path: web::Path<String>,
    key: IdempotencyKey,
    body: Valid<GiveConsentRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let today = caller.today();
    let scope = scope_for(&caller.0, Action::UpdateParticipant)?;
    let id = participant_id(&path)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let consent = body.into_inner().parse(today)?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let participant = records::give_consent(conn, &ctx, &scope, id, &consent)?;
        let location = format!("/v1/participants/{id}/consents/{}", consent.id);
        idempotency::created(
            &ConsentResponse::new(&consent, today),
            Some(etag(participant.version)),
            Some(location),
        )
    })
    .await
}

/// List consents
///
/// The participant's consents to share data, in force and withdrawn, with what each shares and with
/// whom; the job centre serving the person reads them.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "All consents, given and withdrawn.", body = ConsentList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/consents")]
pub async fn list_consents(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<ConsentList>, ApiError> {
    let today = caller.today();
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = participant_id(&path)?;
    let consents = state
        .read(&caller, move |conn, ctx| Ok(records::consents(conn, ctx, &scope, id)?))
        .await?;
    Ok(web::Json(ConsentList {
        items: consents.iter().map(|c| ConsentResponse::new(c, today)).collect(),
    }))
}

/// Withdraw a consent
///
/// Requires `If-Match` with the participant's ETag. 409 when already withdrawn.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(
        ("participant_id" = String, Path, description = "The participant's id"),
        ("consent_id" = String, Path, description = "The consent's id"),
        crate::http::docs::IfMatchHeader,
    ),
    request_body = WithdrawConsentRequest,
    responses(
        (status = 200, description = "The withdrawn consent.", body = ConsentResponse, headers(("ETag" = String, description = "The participant's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/participants/{participant_id}/consents/{consent_id}/withdraw")]
pub async fn withdraw_consent(
    caller: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Valid<WithdrawConsentRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, raw_consent) = path.into_inner();
    let at = (participant_id(&raw_id)?, if_match);
    let consent_id = ConsentId::parse(&raw_consent).ok_or(ApiError::NotFound { resource: "consent" })?;
    let withdrawal = (consent_id, body.withdrawn_on);
    let (participant, consent) = crate::write_request::change_at(
        &state,
        &caller,
        Action::UpdateParticipant,
        at,
        move |conn, ctx, scope, at| records::withdraw_consent(conn, ctx, scope, at, withdrawal),
    )
    .await?;
    let today = caller.today();
    Ok(with_etag(
        StatusCode::OK,
        participant.version,
        &ConsentResponse::new(&consent, today),
    ))
}
