//! Typed ids: a referral's id cannot be passed where a participant's is meant. Each wraps the
//! UUID (v7, so ids sort by creation) that the store and the wire use.
//!
//! TODO(#12): the operations layer takes these; the domain structs (`Participant.id`,
//! `Referral.provider_id`, …) and the repositories still hold bare `Uuid`s.

use std::fmt;

use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct $name(Uuid);

            impl $name {
                /// A new id, ordered after every earlier one.
                pub fn generate() -> Self {
                    Self(Uuid::now_v7())
                }

                pub fn uuid(self) -> Uuid {
                    self.0
                }

                /// The id in its text form; `None` for anything but a UUID.
                pub fn parse(raw: &str) -> Option<Self> {
                    Uuid::parse_str(raw).ok().map(Self)
                }
            }

            impl From<Uuid> for $name {
                fn from(uuid: Uuid) -> Self {
                    Self(uuid)
                }
            }

            impl From<$name> for Uuid {
                fn from(id: $name) -> Self {
                    id.0
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    self.0.fmt(f)
                }
            }
        )*
    };
}

typed_id! {
    /// A person referred to a job centre.
    ParticipantId;
    /// An activity plan.
    PlanId;
    /// An activity of a plan.
    ActivityId;
    /// A referral to a provider.
    ReferralId;
    /// A provider (anordnare).
    ProviderId;
    /// A contract with a provider.
    ContractId;
    /// A payment claim.
    ClaimId;
    /// A consent to share information.
    ConsentId;
    /// An interruption of participation.
    InterruptionId;
    /// A webhook subscription.
    SubscriptionId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_keep_creation_order() {
        let first = ReferralId::generate();
        let second = ReferralId::generate();
        assert!(first < second);
        assert_eq!(ReferralId::parse(&first.to_string()), Some(first));
        assert_eq!(ReferralId::parse("not-a-uuid"), None);
        assert_eq!(Uuid::from(first), first.uuid());
    }
}
