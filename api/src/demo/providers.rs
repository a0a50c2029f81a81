//! The demo's providers, each with one contract over every job centre, registered and
//! contracted by the purchaser through the operations layer.

use chrono::{Months, NaiveDate};
use domain::claim::{ClaimTrigger, RemunerationModel};
use domain::provider::{Contract, OrganisationKind, ProcurementForm, Provider, ProviderContact, ProviderStatus};
use domain::shared::{luhn_check_digit, Code, OrgNumber};
use persistence::DbConnection;
use uuid::Uuid;

use super::Clock;
use crate::ops::{self, OpError};

/// A demo provider: who, under which procurement, for which activity types and target groups.
struct Offer {
    name: &'static str,
    kind: OrganisationKind,
    form: ProcurementForm,
    activity_types: &'static [&'static str],
    target_groups: &'static [&'static str],
    capacity: u32,
}

const OFFERS: [Offer; 4] = [
    Offer {
        name: "Arbetsvägen AB",
        kind: OrganisationKind::Lou,
        form: ProcurementForm::LouFramework,
        activity_types: &["work_training", "internship"],
        target_groups: &[
            "social_assistance_unemployed",
            "social_assistance_new_applicant",
            "youth_16_24",
        ],
        capacity: 60,
    },
    Offer {
        name: "Framtidsstegen ekonomisk förening",
        kind: OrganisationKind::Lov,
        form: ProcurementForm::Lov,
        activity_types: &["job_matching", "preparatory", "work_training"],
        target_groups: &[
            "social_assistance_unemployed",
            "social_assistance_new_applicant",
            "refugee_introduction",
            "sfi_student",
            "youth_16_24",
        ],
        capacity: 60,
    },
    Offer {
        name: "Yrkesakademin Stockholm",
        kind: OrganisationKind::Education,
        form: ProcurementForm::LouDirect,
        activity_types: &["short_vocational_course", "validation", "sfi_with_internship"],
        target_groups: &["sfi_student", "refugee_introduction", "social_assistance_unemployed"],
        capacity: 40,
    },
    Offer {
        name: "Stadsmissionens Arbetsträning",
        kind: OrganisationKind::Iop,
        form: ProcurementForm::Iop,
        activity_types: &["work_training", "internship"],
        target_groups: &["social_assistance_unemployed", "refugee_introduction", "sfi_student"],
        capacity: 30,
    },
];

/// A registered demo provider and the activity types its contract covers.
pub struct DemoProvider {
    pub id: Uuid,
    pub name: &'static str,
    pub activity_types: &'static [&'static str],
    pub target_groups: &'static [&'static str],
}

/// The first demo organisationsnummer: its presence tells that the demo is loaded.
pub fn marker() -> Result<OrgNumber, OpError> {
    org_number(0)
}

/// How many providers the demo registers.
pub const COUNT: usize = OFFERS.len();

/// The name of the `n`th demo provider.
pub fn name(n: usize) -> &'static str {
    OFFERS.get(n).map_or("", |offer| offer.name)
}

/// The `n`th demo provider's organisationsnummer (Luhn-valid, made up).
pub fn org_number(n: usize) -> Result<OrgNumber, OpError> {
    let nine = format!("802{:03}{:03}", 481 + n, 100 + n * 7);
    let raw = format!("{}-{}{}", &nine[..6], &nine[6..], luhn_check_digit(&nine));
    OrgNumber::parse(&raw).map_err(|e| OpError::Internal(format!("demo organisationsnummer {raw}: {e}")))
}

fn codes(raw: &[&str]) -> Result<Vec<Code>, OpError> {
    raw.iter()
        .map(|c| Code::parse(c).map_err(|e| OpError::Internal(format!("demo code {c}: {e}"))))
        .collect()
}

/// Registers the providers and their contracts, valid from two years back to two years on.
pub fn register(conn: &mut DbConnection, clock: &Clock, centres: &[Code]) -> Result<Vec<DemoProvider>, OpError> {
    let start = clock.today.checked_sub_months(Months::new(24)).unwrap_or(clock.today);
    let ctx = clock.at(start, clock.purchaser()?);
    let mut registered = Vec::new();
    for (n, offer) in OFFERS.iter().enumerate() {
        let provider = ops::providers::register(
            conn,
            &ctx,
            Provider {
                id: Uuid::now_v7(),
                org_number: org_number(n)?,
                name: offer.name.to_owned(),
                kind: offer.kind,
                contacts: vec![ProviderContact {
                    name: "Remissmottagningen".to_owned(),
                    role: Some("Tar emot remisser".to_owned()),
                    email: Some(format!("remiss{n}@example.se")),
                    phone: Some(format!("08-555 010 {:02}", n)),
                }],
                status: ProviderStatus::Active,
                version: 1,
            },
        )?;
        ops::contracts::add(conn, &ctx, contract(n, offer, provider.id, start, centres)?)?;
        registered.push(DemoProvider {
            id: provider.id,
            name: offer.name,
            activity_types: offer.activity_types,
            target_groups: offer.target_groups,
        });
    }
    Ok(registered)
}

fn contract(
    n: usize,
    offer: &Offer,
    provider_id: Uuid,
    start: NaiveDate,
    centres: &[Code],
) -> Result<Contract, OpError> {
    Ok(Contract {
        id: Uuid::now_v7(),
        provider_id,
        reference: format!("DEMO-{}-{:02}", start.format("%Y"), n + 1),
        procurement_form: offer.form,
        valid_from: start,
        valid_to: start.checked_add_months(Months::new(48)).unwrap_or(start),
        activity_types: codes(offer.activity_types)?,
        target_groups: codes(offer.target_groups)?,
        job_centres: centres.to_vec(),
        capacity: offer.capacity,
        remuneration: RemunerationModel {
            start_fee_ore: 500_000,
            steps: vec![
                (ClaimTrigger::EmploymentOrStudiesStarted, 1_500_000),
                (ClaimTrigger::EmploymentSustained3Months, 1_000_000),
                (ClaimTrigger::EmploymentSustained6Months, 1_000_000),
            ],
        },
        status: ProviderStatus::Active,
        version: 1,
    })
}
