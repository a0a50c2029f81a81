//! The case journal: dated, signed notes, never edited or deleted; a correction shows beside
//! the note it corrects.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::access::Action;
use domain::journal::JournalEntry;
use domain::shared::clean_text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::{participant_id, scope_for};
use crate::auth::Authenticated;
use crate::http::limits;
use crate::http::valid::Valid;
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::journal::{self, NewNote};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

/// A note for the journal.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct JournalNoteRequest {
    /// The day the note is about: within the participation, never in the future; today when
    /// not given.
    #[schema(example = "2026-12-02")]
    pub entry_date: Option<NaiveDate>,
    /// The note. Line breaks are kept.
    #[schema(
        example = "Samtal om praktikplats i lager. Amina vill börja i januari.",
        min_length = 1,
        max_length = 10000
    )]
    #[validate(length(max = limits::JOURNAL_TEXT_MAX))]
    pub text: String,
    /// Read only by the coaches and managers of your job centre; only they may set it. A
    /// correction of a confidential note must be confidential too.
    #[serde(default, deserialize_with = "crate::http::wire::null_as_default")]
    #[schema(value_type = Option<bool>, example = false)]
    pub confidential: bool,
}

impl JournalNoteRequest {
    fn parse(self) -> Result<NewNote, ApiError> {
        let mut errors = FieldErrors::default();
        let body = errors.check(
            "text",
            "invalid_format",
            clean_text(&self.text, limits::JOURNAL_TEXT_MAX as usize),
        );
        Ok(errors.finish(|| {
            Some(NewNote {
                entry_date: self.entry_date,
                body: body?,
                confidential: self.confidential,
            })
        })?)
    }
}

/// A signed note; `corrects` names the note a correction corrects.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalEntryResponse {
    pub id: String,
    pub period_id: String,
    pub corrects: Option<String>,
    pub entry_date: NaiveDate,
    pub text: String,
    pub confidential: bool,
    /// Who wrote it (the token's subject), in which role and office.
    #[schema(example = "coach-anna")]
    pub written_by: String,
    #[schema(example = "coach")]
    pub written_role: String,
    pub written_jobbtorg_id: Option<String>,
    pub written_district_id: Option<String>,
    pub written_at: DateTime<Utc>,
}

impl From<&JournalEntry> for JournalEntryResponse {
    fn from(e: &JournalEntry) -> Self {
        Self {
            id: e.id.to_string(),
            period_id: e.period_id.to_string(),
            corrects: e.corrects.map(|c| c.to_string()),
            entry_date: e.entry_date,
            text: e.body.clone(),
            confidential: e.confidential,
            written_by: e.author.subject.clone(),
            written_role: e.author.role.as_str().to_owned(),
            written_jobbtorg_id: e.author.jobbtorg.as_ref().map(ToString::to_string),
            written_district_id: e.author.district.as_ref().map(ToString::to_string),
            written_at: e.written_at.and_utc(),
        }
    }
}

/// A note with its corrections, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalNote {
    #[serde(flatten)]
    pub entry: JournalEntryResponse,
    pub corrections: Vec<JournalEntryResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalList {
    pub items: Vec<JournalNote>,
}

/// Write a note in the case journal
///
/// By the participant's coach or a manager of the job centre serving them, or an officer of
/// the home district. The note is signed with your token's subject, role and office and can
/// never be changed; put a mistake right with a correction.
#[utoipa::path(
    tag = "journal",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = JournalNoteRequest,
    responses(
        (status = 201, description = "The note, written.", body = JournalEntryResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/{participant_id}/journal")]
pub async fn write_journal_entry(
    caller: Authenticated,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: Valid<JournalNoteRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::UpdateParticipant)?;
    let id = participant_id(&path)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let note = body.into_inner().parse()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let entry = journal::write(conn, &ctx, &scope, id, note)?;
        let location = format!("/v1/participants/{}/journal", entry.participant_id);
        idempotency::created(&JournalEntryResponse::from(&entry), None, Some(location))
    })
    .await
}

/// Correct a journal note
///
/// Adds a correction beside the note; the note itself stays as written. Only the office that
/// wrote the note corrects it (403 otherwise); a note you may not read is not found.
#[utoipa::path(
    tag = "journal",
    security(("bearer" = [])),
    params(("entry_id" = String, Path, description = "The note's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = JournalNoteRequest,
    responses(
        (status = 201, description = "The correction, written.", body = JournalEntryResponse),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/journal-entries/{entry_id}/corrections")]
pub async fn correct_journal_entry(
    caller: Authenticated,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: Valid<JournalNoteRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope_for(&caller.0, Action::UpdateParticipant)?;
    let entry = Uuid::parse_str(&path).map_err(|_| ApiError::NotFound {
        resource: "journal_entry",
    })?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let note = body.into_inner().parse()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let correction = journal::correct(conn, &ctx, &scope, entry, note)?;
        let location = format!("/v1/participants/{}/journal", correction.participant_id);
        idempotency::created(&JournalEntryResponse::from(&correction), None, Some(location))
    })
    .await
}

/// Read the case journal
///
/// The notes of the participant's periods whose journal your office holds (an earlier period's
/// only through a handover), each with its corrections; a confidential note only at the job
/// centre that wrote it. The read is in the access log.
#[utoipa::path(
    tag = "journal",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The notes, oldest first.", body = JournalList),
        (status = 403, response = crate::http::docs::ForbiddenResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/journal")]
pub async fn read_journal(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<JournalList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = participant_id(&path)?;
    let notes = state
        .read(&caller, move |conn, ctx| Ok(journal::read(conn, ctx, &scope, id)?))
        .await?;
    Ok(web::Json(JournalList {
        items: notes
            .iter()
            .map(|(entry, corrections)| JournalNote {
                entry: entry.into(),
                corrections: corrections.iter().map(JournalEntryResponse::from).collect(),
            })
            .collect(),
    }))
}
