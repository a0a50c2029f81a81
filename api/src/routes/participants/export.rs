//! The export (right of access), the access log and the handovers of a participant's case file.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{sees_identity, Action, CaseRecord, IdentityField};
use domain::shared::clean_text;
use persistence::audit::AccessLogRow;
use persistence::repos::case_file::HandoverRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::absences::AbsenceResponse;
use super::dto::{AccessLogEntry, AccessLogList, AddressDto, FollowUpResponse, InterruptionResponse};
use super::journal::{JournalEntryResponse, JournalNote};
use super::records::{AssessmentDto, ConsentResponse};
use super::transfers::TransferResponse;
use super::{participant_id, scope_for, ParticipantResponse};
use crate::auth::Authenticated;
use crate::http::history::HistoryEntry;
use crate::http::limits;
use crate::http::text::TEXT_MAX;
use crate::http::valid::Valid;
use crate::http::wire::claims::ClaimResponse;
use crate::http::wire::plans::PlanResponse;
use crate::http::wire::referrals::{ProgressReportResponse, ReferralResponse};
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::case_file::{self, NewHandover};
use crate::ops::export::{self, Export};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;
use persistence::tx;

/// One participation period: its dates and coded outcome, shared with every later period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportPeriod {
    pub id: String,
    pub current: bool,
    #[schema(value_type = crate::codes::ParticipantStatusCode, example = "exited")]
    pub status: String,
    pub jobbtorg_id: String,
    pub district_id: String,
    pub target_groups: Vec<String>,
    pub referred_on: NaiveDate,
    pub enrolled_on: Option<NaiveDate>,
    pub exited_on: Option<NaiveDate>,
    #[schema(example = "employment")]
    pub exit_outcome: Option<String>,
    /// The district's reason for the referral; only to the offices that made the period.
    pub referral_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportAssessment {
    pub period_id: String,
    #[serde(flatten)]
    pub assessment: AssessmentDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportConsent {
    pub period_id: String,
    #[serde(flatten)]
    pub consent: ConsentResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportReferral {
    pub referral: ReferralResponse,
    pub progress_reports: Vec<ProgressReportResponse>,
    pub claims: Vec<ClaimResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportHistoryEntry {
    #[schema(example = "activity_plan")]
    pub resource_type: String,
    pub resource_id: String,
    #[serde(flatten)]
    pub change: HistoryEntry,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportEvent {
    pub id: String,
    #[schema(example = "participant.enrolled")]
    pub event_type: String,
    pub resource_type: String,
    pub resource_id: String,
    pub resource_version: i32,
    pub occurred_at: DateTime<Utc>,
}

/// Records of a period that this export does not show: held by another office (ask it), or
/// not for the caller's role (the mapping is not the district's).
#[derive(Debug, Serialize, ToSchema)]
pub struct WithheldRecords {
    pub period_id: String,
    pub jobbtorg_id: String,
    pub district_id: String,
    #[schema(value_type = Vec<crate::codes::CaseRecordCode>)]
    pub records: Vec<String>,
}

/// A recorded handover of an earlier period's records to the current one.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverResponse {
    pub id: String,
    pub from_period_id: String,
    pub to_period_id: String,
    #[schema(value_type = Vec<crate::codes::CaseRecordCode>, example = json!(["mapping", "plans"]))]
    pub records: Vec<String>,
    pub legal_basis: String,
    pub consent_id: Option<String>,
    pub recorded_by: String,
    pub recorded_role: String,
    pub recorded_at: DateTime<Utc>,
}

impl From<&HandoverRecord> for HandoverResponse {
    fn from(h: &HandoverRecord) -> Self {
        Self {
            id: h.id.to_string(),
            from_period_id: h.grant.from.to_string(),
            to_period_id: h.grant.to.to_string(),
            records: h.grant.records.iter().map(|r| r.as_str().to_owned()).collect(),
            legal_basis: h.legal_basis.clone(),
            consent_id: h.consent_id.map(|c| c.to_string()),
            recorded_by: h.recorded_by.clone(),
            recorded_role: h.recorded_role.clone(),
            recorded_at: h.recorded_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverList {
    pub items: Vec<HandoverResponse>,
}

/// Everything held about the person (the GDPR right of access) as the caller's office holds
/// it, in one document. Each section applies the same visibility rule as its own resource.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantExport {
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    pub participant: ParticipantResponse,
    /// The address as stored; never exported for a protected identity (hand it over in person).
    pub address: Option<AddressDto>,
    /// Every participation period, oldest first.
    pub periods: Vec<ExportPeriod>,
    /// Interruptions of every period; an earlier period's note only where its office or a
    /// handover allows.
    pub interruptions: Vec<InterruptionResponse>,
    pub follow_ups: Vec<FollowUpResponse>,
    /// The mapping of each period the caller may read.
    pub assessments: Vec<ExportAssessment>,
    pub activity_plans: Vec<PlanResponse>,
    /// Referrals with their progress reports and payment claims.
    pub referrals: Vec<ExportReferral>,
    pub consents: Vec<ExportConsent>,
    pub handovers: Vec<HandoverResponse>,
    /// Field-level history of every resource about the person.
    pub history: Vec<ExportHistoryEntry>,
    pub access_log: Vec<AccessLogEntry>,
    /// The change-feed events about the person.
    pub events: Vec<ExportEvent>,
    /// The case journal's notes with their corrections (a confidential note only at the job
    /// centre that wrote it).
    pub journal: Vec<JournalNote>,
    pub absences: Vec<AbsenceResponse>,
    /// Moves between districts.
    pub transfers: Vec<TransferResponse>,
    pub withheld: Vec<WithheldRecords>,
}

pub(super) fn access_entries(rows: Vec<AccessLogRow>) -> Vec<AccessLogEntry> {
    rows.into_iter()
        .map(|r| AccessLogEntry {
            occurred_at: r.occurred_at.and_utc(),
            actor_id: r.actor_subject,
            actor_role: r.actor_role,
            action: r.action,
            resource_type: r.resource_type,
            resource_id: r.resource_id,
            request_id: r.request_id,
        })
        .collect()
}

fn periods(export: &Export, caller: &Authenticated) -> Vec<ExportPeriod> {
    let p = &export.participant;
    let owner = |id| export.file.periods.iter().find(|o| o.period_id == id);
    p.earlier
        .iter()
        .chain(std::iter::once(&p.current))
        .map(|period| ExportPeriod {
            id: period.id.to_string(),
            current: period.id == p.current.id,
            status: period.status.to_string(),
            jobbtorg_id: period.jobbtorg.to_string(),
            district_id: period.district.to_string(),
            target_groups: period.target_groups.iter().map(|g| g.to_string()).collect(),
            referred_on: period.referred_on,
            enrolled_on: period.enrolled_on,
            exited_on: period.exit.as_ref().map(|e| e.on),
            exit_outcome: period.exit.as_ref().map(|e| e.record.outcome().as_str().to_owned()),
            referral_reason: owner(period.id)
                .is_some_and(|o| o.made_by_office_of(&caller.0))
                .then(|| period.referral_reason.clone()),
        })
        .collect()
}

impl ParticipantExport {
    fn new(export: Export, caller: &Authenticated) -> Self {
        let today = caller.today();
        let p = &export.participant;
        let notes_visible = |period: Uuid| export.file.sees(&caller.0, CaseRecord::InterruptionNotes, period);
        ParticipantExport {
            exported_at: caller.now(),
            exported_by: caller.0.subject().to_owned(),
            participant: ParticipantResponse::for_viewer(p, &caller.0, today),
            address: sees_identity(&caller.0, &p.identity(), IdentityField::Address)
                .then(|| AddressDto::from(&p.address)),
            periods: periods(&export, caller),
            interruptions: p
                .interruptions
                .iter()
                .map(|i| {
                    let mut shown = InterruptionResponse::from(i);
                    if !notes_visible(i.period_id) {
                        shown.note = None;
                    }
                    shown
                })
                .collect(),
            follow_ups: p.follow_ups.iter().map(FollowUpResponse::from).collect(),
            assessments: export
                .assessments
                .iter()
                .map(|(period, a)| ExportAssessment {
                    period_id: period.to_string(),
                    assessment: AssessmentDto::from(a.clone()),
                })
                .collect(),
            activity_plans: export
                .plans
                .iter()
                .map(|plan| PlanResponse::new(plan, p, today))
                .collect(),
            referrals: export
                .card
                .as_ref()
                .map(|card| {
                    export
                        .referrals
                        .iter()
                        .map(|r| ExportReferral {
                            referral: ReferralResponse::new(&r.referral, card, &caller.0, today),
                            progress_reports: r.reports.iter().map(ProgressReportResponse::from).collect(),
                            claims: r.claims.iter().map(ClaimResponse::from).collect(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            consents: export
                .consents
                .iter()
                .map(|(period, c)| ExportConsent {
                    period_id: period.to_string(),
                    consent: ConsentResponse::new(c, today),
                })
                .collect(),
            handovers: export.handovers.iter().map(HandoverResponse::from).collect(),
            history: export
                .history
                .into_iter()
                .map(|h| ExportHistoryEntry {
                    resource_type: h.resource_type,
                    resource_id: h.resource_id,
                    change: crate::http::history::history_entries(vec![h.row]).remove(0),
                })
                .collect(),
            access_log: access_entries(export.access_log),
            events: export
                .events
                .into_iter()
                .map(|e| ExportEvent {
                    id: e.id,
                    event_type: e.event_type,
                    resource_type: e.resource_type,
                    resource_id: e.resource_id,
                    resource_version: e.resource_version,
                    occurred_at: e.occurred_at.and_utc(),
                })
                .collect(),
            journal: domain::journal::with_corrections(export.journal)
                .iter()
                .map(|(entry, corrections)| JournalNote {
                    entry: entry.into(),
                    corrections: corrections.iter().map(JournalEntryResponse::from).collect(),
                })
                .collect(),
            absences: export.absences.iter().map(AbsenceResponse::from).collect(),
            transfers: export.transfers.iter().map(TransferResponse::from).collect(),
            withheld: export
                .withheld
                .iter()
                .map(|(period, records)| WithheldRecords {
                    period_id: period.period_id.to_string(),
                    jobbtorg_id: period.jobbtorg.to_string(),
                    district_id: period.district.to_string(),
                    records: records.iter().map(|r| r.as_str().to_owned()).collect(),
                })
                .collect(),
        }
    }
}

/// Export everything held about a participant
///
/// One JSON document for the person's right of access: the person, every period's dates and
/// outcomes, interruptions, follow-ups, the mapping, activity plans with activities and
/// decisions, referrals with progress reports and claims, consents, handovers, the field
/// history, the access log and the change-feed events, each as the caller's office holds it.
/// What another office holds is listed under `withheld`.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The export.", body = ParticipantExport),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/export")]
pub async fn export_participant(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<ParticipantExport>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = participant_id(&path)?;
    // Its own access record is written first, in its own transaction (not through the
    // group-committing writer), so the export holds the read that made it; the events
    // committed before it are given their feed positions first.
    let ctx = caller.context();
    let gathered = state
        .db(move |conn| {
            persistence::events::sequence(conn)?;
            Ok(tx::write(conn, |conn| export::gather(conn, &ctx, &scope, id))?)
        })
        .await?;
    Ok(web::Json(ParticipantExport::new(gathered, &caller)))
}

/// Access log of a participant
///
/// Every read and change of the participant's data: who, in which role, what, when; an
/// earlier period's entries only to the office that made it or through a handover, and every
/// handover to both offices.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The accesses, oldest first.", body = AccessLogList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/access-log")]
pub async fn participant_access_log(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<AccessLogList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = participant_id(&path)?;
    // As the export: the log shown holds this read of it.
    let ctx = caller.context();
    let rows = state
        .db(move |conn| {
            Ok(tx::write(conn, |conn| {
                case_file::read_access_log(conn, &ctx, &scope, id)
            })?)
        })
        .await?;
    Ok(web::Json(AccessLogList {
        items: access_entries(rows),
    }))
}

/// Share records of an earlier period with the current one.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    /// The earlier period, made by your job centre (`periods[].id` of the export).
    #[schema(example = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e21", max_length = 36)]
    #[validate(length(max = limits::UUID_LEN))]
    pub from_period_id: String,
    /// What to share.
    #[schema(value_type = Vec<crate::codes::CaseRecordCode>, example = json!(["mapping", "plans"]), min_items = 1, max_items = 8)]
    #[validate(length(min = 1, max = 8))]
    pub records: Vec<String>,
    /// The legal basis (e.g. the participant's consent, or a provision of OSL).
    #[schema(example = "Samtycke från deltagaren 2026-12-01", min_length = 1, max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub legal_basis: String,
    /// The participant's consent the handover rests on, when it does.
    #[schema(max_length = 36)]
    #[validate(length(max = limits::UUID_LEN))]
    pub consent_id: Option<String>,
}

impl HandoverRequest {
    fn parse(self) -> Result<NewHandover, ApiError> {
        let mut errors = FieldErrors::default();
        let from_period = errors.check(
            "from_period_id",
            "invalid_format",
            Uuid::parse_str(&self.from_period_id),
        );
        let records: Vec<Option<CaseRecord>> = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                errors.check(
                    &format!("records[{i}]"),
                    "unknown",
                    CaseRecord::parse(r).ok_or("not a kind of case record"),
                )
            })
            .collect();
        let legal_basis = errors.check("legal_basis", "invalid_format", clean_text(&self.legal_basis, TEXT_MAX));
        let consent_id = self
            .consent_id
            .as_deref()
            .map(|c| errors.check("consent_id", "invalid_format", Uuid::parse_str(c)));
        Ok(errors.finish(|| {
            let mut records = records.into_iter().collect::<Option<Vec<_>>>()?;
            records.sort();
            records.dedup();
            Some(NewHandover {
                from_period: from_period?,
                records,
                legal_basis: legal_basis?,
                consent_id: consent_id.flatten(),
            })
        })?)
    }
}

/// Hand over an earlier period's records
///
/// By a coach or manager of the job centre that made the earlier period: the records it names
/// become readable by the current period's job centre and district, and the handover is in
/// both offices' access logs. 404 when your office made no period of this participant.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id"), crate::http::docs::IdempotencyKeyHeader),
    request_body = HandoverRequest,
    responses(
        (status = 201, description = "The handover, recorded.", body = HandoverResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/participants/{participant_id}/handovers")]
pub async fn hand_over(
    caller: Authenticated,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: Valid<HandoverRequest>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    scope_for(&caller.0, Action::ManageParticipation)?;
    let id = participant_id(&path)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let new = body.into_inner().parse()?;
    let ctx = caller.context();
    crate::write_request::create(&state, &caller, key, fingerprint, move |conn| {
        let (handover, participant) = case_file::hand_over(conn, &ctx, id, new)?;
        idempotency::created(
            &HandoverResponse::from(&handover),
            None,
            Some(format!("/v1/participants/{}/handovers", participant.id)),
        )
    })
    .await
}

/// Handovers of a participant's records
///
/// Those your office gave or received.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("participant_id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The handovers, oldest first.", body = HandoverList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/participants/{participant_id}/handovers")]
pub async fn list_handovers(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<HandoverList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadParticipant)?;
    let id = participant_id(&path)?;
    let items = state
        .read(&caller, move |conn, ctx| {
            Ok(case_file::read_handovers(conn, ctx, &scope, id)?)
        })
        .await?;
    Ok(web::Json(HandoverList {
        items: items.iter().map(HandoverResponse::from).collect(),
    }))
}
