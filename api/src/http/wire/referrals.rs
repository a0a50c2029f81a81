//! Request and response bodies of referrals and progress reports.

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{sees_identity, Actor, Identity, IdentityField};
use domain::referral::{LegalBasis, ProgressLine, Referral, ANSWER_WITHIN_WORKING_DAYS};
use domain::shared::{add_working_days, Code};
use persistence::repos::referral::{ParticipantCard, ProgressReport};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::http::employment::EmploymentDto;
use crate::http::limits;

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateReferralRequest {
    #[schema(example = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11", max_length = 36)]
    #[validate(length(max = limits::UUID_LEN))]
    pub participant_id: String,
    /// An activity of the participant's approved plan. Leave out to refer a pre-plan activity
    /// (`mapping`, `guidance`, `coaching`, `job_search`) with `activity_type` and dates instead.
    #[schema(example = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e13", max_length = 36)]
    #[validate(length(max = limits::UUID_LEN))]
    pub activity_id: Option<String>,
    #[schema(example = "mapping", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub activity_type: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// True when the participant chose `provider_id`; false (or absent) lets the neutral
    /// default allocation pick among eligible contracts.
    #[serde(default, deserialize_with = "crate::http::wire::null_as_default")]
    #[schema(value_type = Option<bool>)]
    pub chosen_by_participant: bool,
    /// The provider the participant chose; only with `chosen_by_participant`.
    #[schema(max_length = 36)]
    #[validate(length(max = limits::UUID_LEN))]
    pub provider_id: Option<String>,
    /// The legal basis: a consent of the participant to this provider ...
    #[schema(max_length = 36)]
    #[validate(length(max = limits::UUID_LEN))]
    pub consent_id: Option<String>,
    /// ... or the statute relied on. Exactly one of the two.
    #[schema(example = "SoL 4 kap. 4 §", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub statutory_basis: Option<String>,
    /// What the provider needs to know about the assignment; no health or benefit details.
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub note: Option<String>,
    /// Another job centre whose contract or own-regime activity delivers (the 2007 decision:
    /// a job centre may use another's services when that is best for the person). The contract
    /// must cover that centre; your job centre keeps the case. Leave out to deliver at home.
    #[schema(example = "sydost", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub delivering_jobbtorg_id: Option<String>,
    /// Why the other centre's service is best for the person: required with
    /// `delivering_jobbtorg_id` naming another centre, refused otherwise. Shared with whoever
    /// delivers, like `note`.
    #[schema(example = "Evening SFI class; she works mornings", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub cross_centre_reason: Option<String>,
}

/// The participant as a referral shows them: no identity number, no address, no
/// social-assistance details. A protected identity appears under its pseudonym, without
/// phone or email, to everyone but its own coach and home district (`domain::access::sees_identity`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralParticipant {
    pub id: String,
    /// The name, or the pseudonym for a protected identity.
    #[schema(example = "Amina Hassan")]
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[schema(example = "P-2F9E11AB")]
    pub pseudonym: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_needs: Option<String>,
}

impl ReferralParticipant {
    pub fn for_viewer(card: &ParticipantCard, viewer: &Actor) -> Self {
        let Ok(home_district) = Code::parse(&card.home_district) else {
            return Self::pseudonymous(card);
        };
        let identity = Identity {
            protected: card.protected_identity,
            coach: card.coach.as_deref(),
            home_district: &home_district,
        };
        if !sees_identity(viewer, &identity, IdentityField::Name) {
            return Self::pseudonymous(card);
        }
        Self {
            id: card.id.clone(),
            display_name: format!("{} {}", card.first_name, card.last_name),
            first_name: Some(card.first_name.clone()),
            last_name: Some(card.last_name.clone()),
            pseudonym: card.pseudonym.clone(),
            phone: card.phone.clone(),
            email: card.email.clone(),
            language_needs: card.language_needs.clone(),
        }
    }

    fn pseudonymous(card: &ParticipantCard) -> Self {
        Self {
            id: card.id.clone(),
            display_name: card.pseudonym.clone(),
            first_name: None,
            last_name: None,
            pseudonym: card.pseudonym.clone(),
            phone: None,
            email: None,
            language_needs: card.language_needs.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ReferredActivity)]
pub struct ReferredActivityDto {
    pub plan_id: Option<String>,
    pub activity_id: Option<String>,
    #[schema(example = "work_training")]
    pub activity_type: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LegalBasis)]
pub struct LegalBasisDto {
    /// `consent` or `statutory`.
    #[schema(value_type = crate::codes::LegalBasisKindCode, example = "consent")]
    pub kind: String,
    pub consent_id: Option<String>,
    pub statutory_basis: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ReferralOutcome)]
pub struct OutcomeDto {
    /// A code of `/v1/exit-outcomes`.
    #[schema(example = "employment")]
    pub outcome: String,
    pub employment: Option<EmploymentDto>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralResponse {
    pub id: String,
    /// `sent`, `accepted`, `declined`, `cancelled`, `expired`, `in_progress`, `completed` or
    /// `interrupted`. `expired` is computed: sent and unanswered after 5 working days.
    #[schema(value_type = crate::codes::ReferralStatusCode, example = "sent")]
    pub status: String,
    pub version: i32,
    pub participant: ReferralParticipant,
    /// The job centre holding the case.
    #[schema(example = "jarva")]
    pub jobbtorg_id: String,
    /// The job centre delivering: another one for a referral to its services, else the same.
    #[schema(example = "sydost")]
    pub delivering_jobbtorg_id: String,
    /// Why another job centre's service was judged best; only when it delivers.
    pub cross_centre_reason: Option<String>,
    pub activity: ReferredActivityDto,
    pub provider_id: String,
    pub contract_id: String,
    pub chosen_by_participant: bool,
    /// Why the neutral default allocation picked this contract.
    pub allocation_reason: Option<String>,
    pub legal_basis: LegalBasisDto,
    pub note: Option<String>,
    /// The coach who sent it (user id).
    pub referred_by: String,
    pub sent_on: NaiveDate,
    /// The last day to accept or decline before it expires.
    pub answer_by: NaiveDate,
    /// `no_capacity`, `not_eligible`, `participant_unreachable` or `other`.
    #[schema(value_type = Option<crate::codes::DeclineReasonCode>)]
    pub decline_reason: Option<String>,
    pub decline_note: Option<String>,
    pub cancel_reason: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub interrupt_reason: Option<String>,
    pub outcome: Option<OutcomeDto>,
}

impl ReferralResponse {
    pub fn new(referral: &Referral, card: &ParticipantCard, viewer: &Actor, today: NaiveDate) -> Self {
        let legal_basis = match &referral.legal_basis {
            LegalBasis::Consent(id) => LegalBasisDto {
                kind: "consent".into(),
                consent_id: Some(id.to_string()),
                statutory_basis: None,
            },
            LegalBasis::Statutory(text) => LegalBasisDto {
                kind: "statutory".into(),
                consent_id: None,
                statutory_basis: Some(text.clone()),
            },
        };
        let activity = &referral.activity;
        Self {
            id: referral.id.to_string(),
            status: referral.status_on(today).to_string(),
            version: referral.version,
            participant: ReferralParticipant::for_viewer(card, viewer),
            jobbtorg_id: referral.jobbtorg.to_string(),
            delivering_jobbtorg_id: referral.delivering_jobbtorg().to_string(),
            cross_centre_reason: referral.cross_centre.as_ref().map(|c| c.reason.clone()),
            activity: ReferredActivityDto {
                plan_id: activity.plan_id.map(|id| id.to_string()),
                activity_id: activity.activity_id.map(|id| id.to_string()),
                activity_type: activity.activity_type.to_string(),
                starts_on: activity.starts_on,
                ends_on: activity.ends_on,
            },
            provider_id: referral.provider_id.to_string(),
            contract_id: referral.contract_id.to_string(),
            chosen_by_participant: referral.chosen_by_participant,
            allocation_reason: referral.allocation_reason.clone(),
            legal_basis,
            note: referral.note.clone(),
            referred_by: referral.referred_by.clone(),
            sent_on: referral.sent_on,
            answer_by: add_working_days(referral.sent_on, ANSWER_WITHIN_WORKING_DAYS),
            decline_reason: referral.decline.as_ref().map(|(r, _)| r.to_string()),
            decline_note: referral.decline.as_ref().and_then(|(_, n)| n.clone()),
            cancel_reason: referral.cancel_reason.clone(),
            started_on: referral.started_on,
            ended_on: referral.ended_on,
            interrupt_reason: referral.interrupt_reason.clone(),
            outcome: referral.outcome.as_ref().map(|o| OutcomeDto {
                outcome: o.outcome().as_str().to_owned(),
                employment: o.employment().map(EmploymentDto::from),
                reason: o.reason().map(str::to_owned),
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralList {
    pub items: Vec<ReferralResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DeclineRequest {
    /// `no_capacity`, `not_eligible`, `participant_unreachable` or `other` (needs a note).
    #[schema(value_type = crate::codes::DeclineReasonCode, example = "no_capacity")]
    pub reason: String,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    #[schema(example = "The participant moved to another programme.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub reason: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    #[schema(example = "2026-11-24")]
    pub started_on: NaiveDate,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct InterruptRequest {
    pub interrupted_on: NaiveDate,
    #[schema(example = "The participant stopped attending.", max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub reason: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    pub completed_on: NaiveDate,
    /// A code of `/v1/exit-outcomes`, with the details it requires (as for an exit).
    #[schema(example = "employment", max_length = 64, pattern = r"^[a-z0-9_-]{1,64}$")]
    #[validate(length(max = limits::CODE_MAX))]
    pub outcome: String,
    #[validate(nested)]
    pub employment: Option<EmploymentDto>,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProgressLineRequest {
    /// The day, or the Monday of the week, the line covers.
    #[schema(example = "2026-11-24")]
    pub date: NaiveDate,
    #[schema(example = 6.0, minimum = 0, maximum = 168)]
    #[validate(range(min = 0.0, max = limits::HOURS_MAX))]
    pub attended_hours: f64,
    #[schema(example = 0.0, minimum = 0, maximum = 168)]
    #[validate(range(min = 0.0, max = limits::HOURS_MAX))]
    pub absent_hours: f64,
    #[schema(example = "sick", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub absence_reason: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProgressReportRequest {
    /// `day` or `week`: what each line covers.
    #[schema(value_type = crate::codes::GranularityCode, example = "day")]
    pub granularity: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    #[schema(max_items = 400)]
    #[validate(length(max = limits::LINES_MAX), nested)]
    pub lines: Vec<ProgressLineRequest>,
    #[schema(max_length = 2000)]
    #[validate(length(max = limits::TEXT_MAX))]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressLineResponse {
    /// Each line has its own id, so one line can be questioned without the rest.
    pub id: String,
    pub date: NaiveDate,
    pub attended_hours: f64,
    pub absent_hours: f64,
    pub absence_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressReportResponse {
    pub id: String,
    pub referral_id: String,
    #[schema(value_type = crate::codes::GranularityCode, example = "day")]
    pub granularity: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub comment: Option<String>,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
    pub lines: Vec<ProgressLineResponse>,
    pub attended_hours_total: f64,
    pub absent_hours_total: f64,
}

fn hours(minutes: u32) -> f64 {
    f64::from(minutes) / 60.0
}

impl From<&ProgressReport> for ProgressReportResponse {
    fn from(report: &ProgressReport) -> Self {
        let total = |f: fn(&ProgressLine) -> u32| hours(report.lines.iter().map(|(_, l)| f(l)).sum());
        Self {
            id: report.id.to_string(),
            referral_id: report.referral_id.to_string(),
            granularity: report.granularity.to_string(),
            period_from: report.period_from,
            period_to: report.period_to,
            comment: report.comment.clone(),
            reported_by: report.reported_by.clone(),
            reported_at: report.reported_at.and_utc(),
            lines: report
                .lines
                .iter()
                .map(|(id, line)| ProgressLineResponse {
                    id: id.to_string(),
                    date: line.on,
                    attended_hours: hours(line.attended_minutes),
                    absent_hours: hours(line.absent_minutes),
                    absence_reason: line.absence_reason.clone(),
                })
                .collect(),
            attended_hours_total: total(|l| l.attended_minutes),
            absent_hours_total: total(|l| l.absent_minutes),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressReportList {
    pub items: Vec<ProgressReportResponse>,
}
