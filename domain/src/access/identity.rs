//! Who sees what of a person's identity: the one rule, applied alike by the participant, its
//! lists, its history, the export and the referral card.
//!
//! A protected identity (skyddad identitet) is named only to the assigned coach and the home
//! district's officers; everyone else (other staff, lists, providers, a job centre delivering
//! a service, machine clients) sees the pseudonym, and no one sees its address, which is kept
//! for the record and handed over in person. No address ever leaves for a provider: the
//! referral card has none.

use super::actor::{Actor, Role};
use crate::shared::Code;

/// What the rule needs to know of the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity<'a> {
    pub protected: bool,
    /// The current period's coach.
    pub coach: Option<&'a str>,
    pub home_district: &'a Code,
}

/// The identifying fields the rule decides; everything else follows the case-file rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityField {
    /// First and last name (else the pseudonym).
    Name,
    IdentityNumber,
    /// Street, postal code and city.
    Address,
}

impl IdentityField {
    /// The identity field a field of the participant's history is about.
    pub fn of_participant_field(field: &str) -> Option<Self> {
        match field {
            "first_name" | "last_name" => Some(IdentityField::Name),
            "personal_identity_number" => Some(IdentityField::IdentityNumber),
            "street_address" | "postal_code" | "city" => Some(IdentityField::Address),
            _ => None,
        }
    }
}

/// Whether `viewer` (someone already allowed to read the record) sees `field` of the person.
pub fn sees_identity(viewer: &Actor, person: &Identity<'_>, field: IdentityField) -> bool {
    match field {
        IdentityField::Address => !person.protected && viewer.role() != Role::ProviderStaff,
        IdentityField::Name | IdentityField::IdentityNumber => {
            !person.protected
                || person.coach == Some(viewer.subject())
                || (viewer.role() == Role::DistrictOfficer && viewer.district() == Some(person.home_district))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::ProviderRef;

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn actor(role: Role, subject: &str) -> Actor {
        let (centre, district, provider) = match role {
            Role::Coach | Role::JobbtorgManager => (Some(code("sydost")), None, None),
            Role::DistrictOfficer => (None, Some(code(subject)), None),
            Role::ProviderStaff => (None, None, Some(ProviderRef::new(uuid::Uuid::from_u128(1)))),
            _ => (None, None, None),
        };
        Actor::new(subject, role, centre, district, provider, vec![]).unwrap()
    }

    #[test]
    fn a_protected_identity_is_named_to_the_own_coach_and_the_home_district_only() {
        use IdentityField::*;
        let home = code("farsta");
        let protected = Identity {
            protected: true,
            coach: Some("coach-sara"),
            home_district: &home,
        };
        let open = Identity {
            protected: false,
            ..protected
        };
        let own_coach = actor(Role::Coach, "coach-sara");
        let other_coach = actor(Role::Coach, "coach-bo");
        let manager = actor(Role::JobbtorgManager, "manager");
        let home_officer = actor(Role::DistrictOfficer, "farsta");
        let other_officer = actor(Role::DistrictOfficer, "skarpnack");
        let provider = actor(Role::ProviderStaff, "staff");
        for (viewer, named) in [
            (&own_coach, true),
            (&home_officer, true),
            (&other_coach, false),
            (&manager, false),
            (&other_officer, false),
            (&provider, false),
        ] {
            assert_eq!(sees_identity(viewer, &protected, Name), named, "{}", viewer.subject());
            assert_eq!(sees_identity(viewer, &protected, IdentityNumber), named);
            assert!(!sees_identity(viewer, &protected, Address), "never the address");
            assert!(sees_identity(viewer, &open, Name));
        }
        assert!(sees_identity(&other_coach, &open, Address));
        assert!(
            !sees_identity(&provider, &open, Address),
            "no address leaves for a provider"
        );
    }

    #[test]
    fn history_fields_map_to_what_they_identify() {
        assert_eq!(
            IdentityField::of_participant_field("last_name"),
            Some(IdentityField::Name)
        );
        assert_eq!(
            IdentityField::of_participant_field("city"),
            Some(IdentityField::Address)
        );
        assert_eq!(IdentityField::of_participant_field("phone"), None);
        assert_eq!(IdentityField::of_participant_field("status"), None);
    }
}
