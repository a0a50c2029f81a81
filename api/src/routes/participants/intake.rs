//! Intake referrals from the home district, and lookup by identity number (never in a URL).

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use domain::access::{Action, ListScope};
use domain::participant::{Address, Contact};
use domain::shared::{clean_text, Code, Personnummer};
use persistence::repos::ParticipantRepo;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::dto::AddressDto;
use super::{participant_response, scope_for, ParticipantResponse};
use crate::auth::Authenticated;
use crate::concurrency::etag;
use crate::http::limits;
use crate::http::text::{optional_text, TEXT_MAX};
use crate::http::valid::Valid;
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::intake::{self, Intake};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

pub(super) const NAME_MAX: usize = crate::http::limits::NAME_MAX as usize;
pub(super) const CONTACT_MAX: usize = crate::http::limits::CONTACT_MAX as usize;

/// An intake referral: the district found that the person belongs to a target group.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateParticipantRequest {
    /// Personnummer or samordningsnummer, 10 or 12 digits, with or without `-`/`+`.
    #[schema(example = "19811218-9876", max_length = 13)]
    #[validate(length(max = limits::IDENTITY_NUMBER_MAX))]
    pub personal_identity_number: String,
    #[schema(example = "Amina", min_length = 1, max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub first_name: String,
    #[schema(example = "Hassan", min_length = 1, max_length = 100)]
    #[validate(length(max = limits::NAME_MAX))]
    pub last_name: String,
    #[schema(example = "070-123 45 67", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub phone: Option<String>,
    #[schema(example = "amina@example.org", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub email: Option<String>,
    #[validate(nested)]
    pub address: Option<AddressDto>,
    /// E.g. interpreter needed, languages spoken.
    #[schema(example = "Somali interpreter", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub language_needs: Option<String>,
    /// Skyddad identitet: name shown only to the coach and district, address never returned.
    #[serde(default, deserialize_with = "crate::http::wire::null_as_default")]
    #[schema(value_type = Option<bool>)]
    pub protected_identity: bool,
    /// The home district; must be the referring officer's own.
    #[schema(example = "rinkeby-kista", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub home_district_id: String,
    /// Target groups from `/v1/target-groups`; `youth_16_24` is derived, never sent.
    #[schema(example = json!(["social_assistance_unemployed"]), max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub target_groups: Vec<String>,
    #[schema(
        example = "Unemployed for 14 months, receives social assistance.",
        min_length = 1,
        max_length = 2000
    )]
    #[validate(length(max = limits::TEXT_MAX))]
    pub referral_reason: String,
    #[schema(example = "2026-11-30")]
    pub requested_start: NaiveDate,
    /// The date of the district's decision to refer: today (Stockholm) when left out, at most
    /// 30 days back, never in the future. Arrival, interruptions and exit may not precede it.
    #[schema(example = "2026-11-27")]
    pub referred_on: Option<NaiveDate>,
}

/// Find a participant by identity number.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct SearchParticipantsRequest {
    #[schema(example = "19811218-9876", max_length = 13)]
    #[validate(length(max = limits::IDENTITY_NUMBER_MAX))]
    pub personal_identity_number: String,
}

impl CreateParticipantRequest {
    fn parse(self, today: NaiveDate) -> Result<Intake, ApiError> {
        let mut errors = FieldErrors::default();
        let personnummer = errors.check(
            "personal_identity_number",
            "invalid",
            Personnummer::parse(&self.personal_identity_number, today),
        );
        let first_name = errors.check("first_name", "invalid_format", clean_text(&self.first_name, NAME_MAX));
        let last_name = errors.check("last_name", "invalid_format", clean_text(&self.last_name, NAME_MAX));
        let phone = optional_text(&mut errors, "phone", self.phone, CONTACT_MAX);
        let email = optional_text(&mut errors, "email", self.email, CONTACT_MAX);
        if email.as_deref().is_some_and(|e| !e.contains('@')) {
            errors.add("email", "invalid_format", "an e-mail address has an @");
        }
        let address = self.address.map(|a| Address {
            street: optional_text(&mut errors, "address.street", a.street, CONTACT_MAX),
            postal_code: optional_text(&mut errors, "address.postal_code", a.postal_code, CONTACT_MAX),
            city: optional_text(&mut errors, "address.city", a.city, CONTACT_MAX),
        });
        let language_needs = optional_text(&mut errors, "language_needs", self.language_needs, TEXT_MAX);
        let district = errors.check(
            "home_district_id",
            "invalid_format",
            Code::parse(&self.home_district_id),
        );
        let target_groups: Vec<Option<Code>> = self
            .target_groups
            .iter()
            .enumerate()
            .map(|(i, g)| errors.check(&format!("target_groups[{i}]"), "invalid_format", Code::parse(g)))
            .collect();
        let referral_reason = errors.check(
            "referral_reason",
            "invalid_format",
            clean_text(&self.referral_reason, TEXT_MAX),
        );
        Ok(errors.finish(|| {
            Some(Intake {
                personnummer: personnummer?,
                first_name: first_name?,
                last_name: last_name?,
                contact: Contact { phone, email },
                address: address.unwrap_or_default(),
                language_needs,
                protected_identity: self.protected_identity,
                district: district?,
                target_groups: target_groups.into_iter().collect::<Option<Vec<_>>>()?,
                referral_reason: referral_reason?,
                requested_start: self.requested_start,
                referred_on: self.referred_on,
            })
        })?)
    }
}

/// Refer a person (intake)
///
/// By a district officer for their own district. The job centre is the one serving the
/// district. A person already known gets a new participation period on the same participant;
/// one with an open period is 409 naming the existing participant.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(crate::http::docs::IdempotencyKeyHeader),
    request_body = CreateParticipantRequest,
    responses(
        (status = 201, description = "The participant, referred.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's version"), ("Location" = String, description = "The participant's URL"))),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants")]
pub async fn create_participant(
    caller: Authenticated,
    key: IdempotencyKey,
    body: Valid<CreateParticipantRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::CreateParticipant)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let today = caller.today();
    let intake = body.into_inner().parse(today)?;
    if scope != ListScope::District(intake.district.clone()) {
        return Err(ApiError::Forbidden);
    }
    let (ctx, phase) = (caller.context(), state.config.target_group_phase);
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let participant = intake::refer(conn, &ctx, intake, phase)?;
        idempotency::created(
            &ParticipantResponse::for_viewer(&participant, &ctx.actor, ctx.today()),
            Some(etag(participant.version)),
            Some(format!("/v1/participants/{}", participant.id)),
        )
    })
    .await
}

/// Find a participant by identity number
///
/// The identity number travels in the body, never in a URL. 404 when no participant you may
/// see has it. The lookup is recorded in the participant's access log.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    request_body = SearchParticipantsRequest,
    responses(
        (status = 200, description = "The participant.", body = ParticipantResponse,
            headers(("ETag" = String, description = "The participant's version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/search")]
pub async fn search_participants(
    caller: Authenticated,
    body: Valid<SearchParticipantsRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let today = caller.today();
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let mut errors = FieldErrors::default();
    let personnummer = errors.check(
        "personal_identity_number",
        "invalid",
        Personnummer::parse(&body.personal_identity_number, today),
    );
    let personnummer = errors.finish(|| personnummer)?;
    let acting = caller.acting();
    let participant = crate::write_request::change(&state, &caller, move |conn| {
        let id = ParticipantRepo::id_by_personnummer(conn, &personnummer)?.ok_or(ApiError::NotFound {
            resource: "participant",
        })?;
        let participant = ParticipantRepo::get(conn, id, &scope)?;
        ParticipantRepo::audit_read(conn, &acting, "participant.search", &[id])?;
        Ok(participant)
    })
    .await
    .map_err(|e| e.for_resource("participant"))?;
    Ok(participant_response(&participant, &caller, StatusCode::OK))
}
