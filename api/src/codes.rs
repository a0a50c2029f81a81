//! The OpenAPI schemas of the string codes the API speaks, as named enums built from the domain's
//! own lists, so a generated client gets a type per code set and the spec cannot drift from the
//! rules. Fields stay `String` in the DTOs (a bad code is a 422 naming the field, not a 400 from
//! the JSON parser); `#[schema(value_type = …)]` points them here.

use domain::absence::AbsenceReason;
use domain::access::CaseRecord;
use domain::activity_plan::{ActivityStatus, PlanStatus, ProviderKind};
use domain::claim::{ClaimStatus, ClaimTrigger};
use domain::participant::{EmploymentExtent, EmploymentForm, InterruptionReason, ParticipantStatus, RecipientKind};
use domain::provider::{OrganisationKind, ProcurementForm, ProviderStatus};
use domain::referral::{DeclineReason, Granularity, ReferralStatus};
use domain::report::GroupBy;
use domain::tasks::TaskKind;
use domain::transfer::TransferStatus;
use domain::webhook::DeliveryStatus;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

fn string_enum(description: &str, codes: Vec<&'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(codes))
        .into()
}

macro_rules! code_schema {
    ($(#[doc = $doc:literal])+ $name:ident => $codes:expr) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                string_enum(concat!($($doc),+).trim(), $codes)
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

fn codes<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|c| as_str(*c)).collect()
}

code_schema! {
    /// A kind of record in a participant's case file, as a handover names it.
    CaseRecordCode => codes(&CaseRecord::ALL, CaseRecord::as_str)
}
code_schema! {
    /// Where a participation stands.
    ParticipantStatusCode => codes(&ParticipantStatus::ALL, ParticipantStatus::as_str)
}
code_schema! {
    /// Why a participation is interrupted.
    InterruptionReasonCode => codes(&InterruptionReason::ALL, InterruptionReason::as_str)
}
code_schema! {
    /// The form of an employment.
    EmploymentFormCode => codes(&EmploymentForm::ALL, EmploymentForm::as_str)
}
code_schema! {
    /// The extent of an employment.
    EmploymentExtentCode => codes(&EmploymentExtent::ALL, EmploymentExtent::as_str)
}
code_schema! {
    /// Who a consent lets the participant's data go to.
    RecipientKindCode => codes(&RecipientKind::ALL, RecipientKind::as_str)
}
code_schema! {
    /// Where an activity plan stands.
    PlanStatusCode => codes(&PlanStatus::ALL, PlanStatus::as_str)
}
code_schema! {
    /// Where an activity of a plan stands.
    ActivityStatusCode => codes(&ActivityStatus::ALL, ActivityStatus::as_str)
}
code_schema! {
    /// How an ended activity went.
    ActivityFollowUpCode => vec![ActivityStatus::Completed.as_str(), ActivityStatus::Discontinued.as_str()]
}
code_schema! {
    /// Who runs an activity.
    ActivityProviderKindCode => codes(&ProviderKind::ALL, ProviderKind::as_str)
}
code_schema! {
    /// The home district's decision on a plan.
    PlanDecisionCode => vec!["approved", "returned"]
}
code_schema! {
    /// Where a referral stands; `expired` is computed (sent, unanswered after 5 working days).
    ReferralStatusCode => codes(&ReferralStatus::ALL, ReferralStatus::as_str)
}
code_schema! {
    /// Why a provider declines a referral.
    DeclineReasonCode => codes(DeclineReason::ALL, DeclineReason::as_str)
}
code_schema! {
    /// What each line of a progress report covers.
    GranularityCode => codes(Granularity::ALL, Granularity::as_str)
}
code_schema! {
    /// What sharing the participant's data with the provider rests on.
    LegalBasisKindCode => vec!["consent", "statutory"]
}
code_schema! {
    /// Where a payment claim stands.
    ClaimStatusCode => codes(&ClaimStatus::ALL, ClaimStatus::as_str)
}
code_schema! {
    /// The step of the remuneration model a claim is for.
    ClaimTriggerCode => codes(&ClaimTrigger::ALL, ClaimTrigger::as_str)
}
code_schema! {
    /// A result step a contract pays for (the start fee has its own field).
    ResultStepTriggerCode => codes(&ClaimTrigger::ALL, ClaimTrigger::as_str)
        .into_iter()
        .filter(|c| *c != ClaimTrigger::StartFee.as_str())
        .collect()
}
code_schema! {
    /// The kind of organisation a provider is.
    OrganisationKindCode => codes(OrganisationKind::ALL, OrganisationKind::as_str)
}
code_schema! {
    /// Whether a provider or contract is in use.
    RegisterStatusCode => codes(ProviderStatus::ALL, ProviderStatus::as_str)
}
code_schema! {
    /// How a contract was procured.
    ProcurementFormCode => codes(ProcurementForm::ALL, ProcurementForm::as_str)
}
code_schema! {
    /// What the key figures are broken down by.
    KeyFigureGrouping => codes(GroupBy::ALL, GroupBy::as_str)
}
code_schema! {
    /// Where a webhook delivery stands.
    WebhookDeliveryStatus => codes(DeliveryStatus::ALL, DeliveryStatus::as_str)
}
code_schema! {
    /// Why a participant was absent, late or left early.
    AbsenceReasonCode => codes(&AbsenceReason::ALL, AbsenceReason::as_str)
}
code_schema! {
    /// A kind of item in the work queue.
    TaskKindCode => codes(&TaskKind::ALL, TaskKind::as_str)
}
code_schema! {
    /// Where a move to another district stands.
    TransferStatusCode => codes(&TransferStatus::ALL, TransferStatus::as_str)
}
