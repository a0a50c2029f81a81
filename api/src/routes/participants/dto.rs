//! Wire types of the participant resource and how a participant is shown to a given caller.

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{sees_identity, Actor, Identity, IdentityField};
use domain::participant::{FollowUp, Interruption, Participant};
use persistence::repos::participant::ParticipantSummary;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::http::employment::EmploymentDto;
use crate::http::limits;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(as = Address)]
pub struct AddressDto {
    #[schema(example = "Rinkebytorget 1", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub street: Option<String>,
    #[schema(example = "163 73", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub postal_code: Option<String>,
    #[schema(example = "Spånga", max_length = 200)]
    #[validate(length(max = limits::CONTACT_MAX))]
    pub city: Option<String>,
}

impl From<&domain::participant::Address> for AddressDto {
    fn from(a: &domain::participant::Address) -> Self {
        AddressDto {
            street: a.street.clone(),
            postal_code: a.postal_code.clone(),
            city: a.city.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterruptionResponse {
    pub id: String,
    #[schema(value_type = crate::codes::InterruptionReasonCode, example = "sickness")]
    pub reason: String,
    pub started_on: NaiveDate,
    /// The first day back; null while interrupted.
    pub ended_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl From<&Interruption> for InterruptionResponse {
    fn from(i: &Interruption) -> Self {
        Self {
            id: i.id.to_string(),
            reason: i.reason.as_str().into(),
            started_on: i.started_on,
            ended_on: i.ended_on,
            note: i.note.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpResponse {
    pub id: String,
    #[schema(example = 2)]
    pub months: u32,
    pub followed_up_on: NaiveDate,
    pub self_supporting: bool,
    pub employment: Option<EmploymentDto>,
}

impl From<&FollowUp> for FollowUpResponse {
    fn from(f: &FollowUp) -> Self {
        Self {
            id: f.id.to_string(),
            months: f.months,
            followed_up_on: f.followed_up_on,
            self_supporting: f.self_supporting,
            employment: f.employment.as_ref().map(EmploymentDto::from),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpDueResponse {
    #[schema(example = 8)]
    pub months: u32,
    /// Exit date plus `months` months.
    pub due_on: NaiveDate,
    /// The first day the follow-up may be recorded: 7 days before `due_on`. Before it, a
    /// follow-up is refused with 409 `follow_up_not_due`.
    pub opens_on: NaiveDate,
    pub recorded: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExitResponse {
    pub exited_on: NaiveDate,
    #[schema(example = "employment")]
    pub outcome: String,
    pub employment: Option<EmploymentDto>,
    pub reason: Option<String>,
}

/// A participant: the person and the current participation period, with what is derived on
/// every read. For a protected identity the name and identity number are shown only to the
/// assigned coach and the home district's officers, and the address to no one.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantResponse {
    #[schema(example = "0193f7d2-6c1e-7a51-9a0b-1f6f0c2f9e11")]
    pub id: String,
    pub version: i32,
    /// The name, or the pseudonym where the name may not be shown.
    #[schema(example = "Amina Hassan")]
    pub display_name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[schema(example = "P-2F9E11AB")]
    pub pseudonym: String,
    /// `YYYYMMDD-NNNN`; null where the name is withheld.
    #[schema(example = "19811218-9876")]
    pub personal_identity_number: Option<String>,
    pub birth_date: NaiveDate,
    #[schema(example = 44)]
    pub age: u32,
    pub youth_16_24: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Never returned for a protected identity.
    pub address: Option<AddressDto>,
    pub language_needs: Option<String>,
    pub protected_identity: bool,
    /// `referred`, `enrolled`, `interrupted` or `exited`.
    #[schema(value_type = crate::codes::ParticipantStatusCode, example = "enrolled")]
    pub status: String,
    #[schema(example = "rinkeby-kista")]
    pub home_district_id: String,
    #[schema(example = "jarva")]
    pub jobbtorg_id: String,
    #[schema(example = json!(["social_assistance_unemployed"]))]
    pub target_groups: Vec<String>,
    pub referral_reason: String,
    pub requested_start: NaiveDate,
    pub referred_on: NaiveDate,
    pub enrolled_on: Option<NaiveDate>,
    /// The coach's user id.
    pub coach_id: Option<String>,
    pub af_registered_on: Option<NaiveDate>,
    /// Enrolment + 5 working days.
    pub plan_due_on: Option<NaiveDate>,
    pub plan_overdue: bool,
    pub participation_days_used: u32,
    /// Of 548 (18 months); interrupted days do not count.
    pub participation_days_left: u32,
    pub interruptions: Vec<InterruptionResponse>,
    pub exit: Option<ExitResponse>,
    pub follow_ups: Vec<FollowUpResponse>,
    pub follow_ups_due: Vec<FollowUpDueResponse>,
    /// Earlier participation periods of the same person.
    pub earlier_periods: usize,
}

/// A row of the participant list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantListItem {
    pub id: String,
    pub version: i32,
    /// The name, or the pseudonym for a protected identity unless you are their coach or
    /// district officer.
    pub display_name: String,
    pub pseudonym: String,
    pub protected_identity: bool,
    pub status: String,
    pub home_district_id: String,
    pub jobbtorg_id: String,
    pub coach_id: Option<String>,
    pub target_groups: Vec<String>,
    pub enrolled_on: Option<NaiveDate>,
    pub plan_due_on: Option<NaiveDate>,
    pub plan_overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantList {
    pub items: Vec<ParticipantListItem>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl ParticipantResponse {
    pub fn for_viewer(p: &Participant, viewer: &Actor, today: NaiveDate) -> Self {
        let derived = p.derive(today);
        let current = &p.current;
        let identity = p.identity();
        let named = sees_identity(viewer, &identity, IdentityField::Name);
        let exit = current.exit.as_ref();
        Self {
            id: p.id.to_string(),
            version: p.version,
            display_name: if named {
                format!("{} {}", p.first_name, p.last_name)
            } else {
                p.pseudonym.clone()
            },
            first_name: named.then(|| p.first_name.clone()),
            last_name: named.then(|| p.last_name.clone()),
            pseudonym: p.pseudonym.clone(),
            personal_identity_number: sees_identity(viewer, &identity, IdentityField::IdentityNumber)
                .then(|| p.personnummer.to_string()),
            birth_date: p.birth_date,
            age: derived.age,
            youth_16_24: derived.youth_16_24,
            phone: p.contact.phone.clone(),
            email: p.contact.email.clone(),
            address: sees_identity(viewer, &identity, IdentityField::Address).then(|| AddressDto::from(&p.address)),
            language_needs: p.language_needs.clone(),
            protected_identity: p.protected_identity,
            status: current.status.to_string(),
            home_district_id: current.district.to_string(),
            jobbtorg_id: current.jobbtorg.to_string(),
            target_groups: current.target_groups.iter().map(ToString::to_string).collect(),
            referral_reason: current.referral_reason.clone(),
            requested_start: current.requested_start,
            referred_on: current.referred_on,
            enrolled_on: current.enrolled_on,
            coach_id: current.coach.clone(),
            af_registered_on: current.af_registered_on,
            plan_due_on: current.plan_due_on,
            plan_overdue: derived.plan_overdue,
            participation_days_used: derived.participation_days_used,
            participation_days_left: derived.participation_days_left,
            interruptions: p
                .interruptions
                .iter()
                .filter(|i| i.period_id == current.id)
                .map(InterruptionResponse::from)
                .collect(),
            exit: exit.map(|e| ExitResponse {
                exited_on: e.on,
                outcome: e.record.outcome().as_str().into(),
                employment: e.record.employment().map(EmploymentDto::from),
                reason: e.record.reason().map(str::to_owned),
            }),
            follow_ups: p
                .follow_ups
                .iter()
                .filter(|f| f.period_id == current.id)
                .map(FollowUpResponse::from)
                .collect(),
            follow_ups_due: derived
                .follow_ups_due
                .iter()
                .map(|f| FollowUpDueResponse {
                    months: f.months,
                    due_on: f.due_on,
                    opens_on: f.opens_on,
                    recorded: f.recorded,
                })
                .collect(),
            earlier_periods: p.earlier.len(),
        }
    }
}

impl ParticipantListItem {
    pub fn for_viewer(s: &ParticipantSummary, viewer: &Actor, today: NaiveDate) -> Self {
        let identity = Identity {
            protected: s.protected_identity,
            coach: s.period.coach.as_deref(),
            home_district: &s.period.district,
        };
        let named = sees_identity(viewer, &identity, IdentityField::Name);
        Self {
            id: s.id.to_string(),
            version: s.version,
            display_name: if named {
                format!("{} {}", s.first_name, s.last_name)
            } else {
                s.pseudonym.clone()
            },
            pseudonym: s.pseudonym.clone(),
            protected_identity: s.protected_identity,
            status: s.period.status.to_string(),
            home_district_id: s.period.district.to_string(),
            jobbtorg_id: s.period.jobbtorg.to_string(),
            coach_id: s.period.coach.clone(),
            target_groups: s.period.target_groups.iter().map(ToString::to_string).collect(),
            enrolled_on: s.period.enrolled_on,
            plan_due_on: s.period.plan_due_on,
            plan_overdue: domain::participant::is_plan_overdue(&s.period, today),
        }
    }
}

/// A field that may be sent as a value, sent as null (clear it), or left out (keep it).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogEntry {
    pub occurred_at: DateTime<Utc>,
    pub actor_id: String,
    pub actor_role: String,
    #[schema(example = "participant.read")]
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub request_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogList {
    pub items: Vec<AccessLogEntry>,
}
