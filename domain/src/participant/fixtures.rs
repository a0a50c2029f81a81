//! A participant for the unit tests of the rules built on it.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Address, Contact, Participant, ParticipantStatus, Period};
use crate::shared::{Code, Personnummer};

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Anna Berg, adult, referred by Rinkeby-Kista to Järva on `on`.
pub(crate) fn referred_on(on: NaiveDate) -> Participant {
    Participant {
        id: Uuid::from_u128(9),
        personnummer: Personnummer::parse("198112189876", on).unwrap(),
        first_name: "Anna".into(),
        last_name: "Berg".into(),
        birth_date: day(1981, 12, 18),
        contact: Contact::default(),
        address: Address::default(),
        language_needs: None,
        protected_identity: false,
        pseudonym: "P-1".into(),
        version: 1,
        current: Period {
            id: Uuid::from_u128(1),
            status: ParticipantStatus::Referred,
            district: Code::parse("rinkeby-kista").unwrap(),
            jobbtorg: Code::parse("jarva").unwrap(),
            target_groups: vec![Code::parse("sfi_student").unwrap()],
            referral_reason: "r".into(),
            requested_start: on,
            referred_on: on,
            enrolled_on: None,
            coach: None,
            plan_due_on: None,
            plan_approved_on: None,
            af_registered_on: None,
            exit: None,
        },
        earlier: vec![],
        interruptions: vec![],
        follow_ups: vec![],
    }
}
