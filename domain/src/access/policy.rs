//! The access policy: a pure function from (actor, action, the resource's scope) to yes or no,
//! and the scope a list query must be limited to. Handlers ask; repositories filter in SQL.

use super::actor::{Actor, IntegrationScope, ProviderRef, Role};
use crate::shared::Code;

/// Everything the API lets a caller do, one variant per kind of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read job centres, districts, target groups, activity types, exit outcomes.
    ReadReferenceData,
    /// Add or change reference data, e.g. which job centre serves a district.
    ManageReferenceData,
    /// Read the change feed.
    ReadEvents,
    /// Refer a person from the home district (intake).
    CreateParticipant,
    /// Read a participant's data, history, access log and export.
    ReadParticipant,
    /// Change the person's own data (names, contact, protected identity) and consents.
    UpdateParticipant,
    /// Enrol, assign a coach, interrupt, resume, exit, record follow-ups and the mapping.
    ManageParticipation,
    /// Record the Arbetsförmedlingen registration date.
    RecordAfRegistration,
    /// Approve or return an activity plan: the home district's authority.
    DecidePlan,
    /// Read providers, contracts and free capacity (no personal data).
    ReadProviders,
    /// Register and change providers and contracts: the purchaser's role.
    ManageProviders,
    /// Send a referral to a provider, or cancel it.
    SendReferral,
    /// Read referrals and what they share about the participant.
    ReadReferral,
    /// Answer a referral and take its steps: the provider's side of the loop.
    AnswerReferral,
    /// Report progress on a referral: its provider, and for a referral delivered at another
    /// job centre also that centre's staff.
    ReportOnReferral,
    /// Read payment claims.
    ReadClaims,
    /// Approve, reject and mark claims paid.
    DecideClaims,
    /// Read the key figures (aggregates only, small cells suppressed).
    ReadKeyFigures,
    /// Subscribe to webhook notifications of the events feed.
    ManageWebhooks,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::ReadReferenceData,
        Action::ManageReferenceData,
        Action::ReadEvents,
        Action::CreateParticipant,
        Action::ReadParticipant,
        Action::UpdateParticipant,
        Action::ManageParticipation,
        Action::RecordAfRegistration,
        Action::DecidePlan,
        Action::ReadProviders,
        Action::ManageProviders,
        Action::SendReferral,
        Action::ReadReferral,
        Action::AnswerReferral,
        Action::ReportOnReferral,
        Action::ReadClaims,
        Action::DecideClaims,
        Action::ReadKeyFigures,
        Action::ManageWebhooks,
    ];
}

/// Where a resource belongs: the job centre, district and provider it concerns, and for a
/// referral delivered at another job centre, that centre.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceScope {
    pub jobbtorg: Option<Code>,
    pub district: Option<Code>,
    pub provider: Option<ProviderRef>,
    pub delivered_at: Option<Code>,
}

/// The rows a list may contain for an actor; repositories turn this into a WHERE clause so rows
/// outside it are never loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListScope {
    Everything,
    Jobbtorg(Code),
    /// The job centre's own rows and the referrals other centres' cases send to it.
    JobbtorgWithDeliveries(Code),
    /// Only the referrals other centres' cases send to this job centre.
    DeliveredAt(Code),
    District(Code),
    Provider(ProviderRef),
    /// Rows that concern some provider (the purchaser's view).
    AnyProvider,
}

impl ListScope {
    /// Whether a resource with this scope falls inside the list scope.
    pub fn contains(&self, scope: &ResourceScope) -> bool {
        match self {
            ListScope::Everything => true,
            ListScope::Jobbtorg(code) => scope.jobbtorg.as_ref() == Some(code),
            ListScope::JobbtorgWithDeliveries(code) => {
                scope.jobbtorg.as_ref() == Some(code) || scope.delivered_at.as_ref() == Some(code)
            }
            ListScope::DeliveredAt(code) => scope.delivered_at.as_ref() == Some(code),
            ListScope::District(code) => scope.district.as_ref() == Some(code),
            ListScope::Provider(provider) => scope.provider.as_ref() == Some(provider),
            ListScope::AnyProvider => scope.provider.is_some(),
        }
    }
}

/// The list scope of an actor for an action, or `None` when the actor may not do it at all.
pub fn list_scope(actor: &Actor, action: Action) -> Option<ListScope> {
    let own_centre = || actor.jobbtorg().cloned().map(ListScope::Jobbtorg);
    let own_district = || actor.district().cloned().map(ListScope::District);
    let at_centre = matches!(actor.role(), Role::Coach | Role::JobbtorgManager);
    match action {
        // The district holds the authority: only its officers refer, and only their residents.
        Action::CreateParticipant => (actor.role() == Role::DistrictOfficer).then(own_district).flatten(),
        // Case data stays with the job centre serving the person and the home district; providers
        // reach participants only through referrals, analysts never.
        Action::ReadParticipant | Action::UpdateParticipant => match actor.role() {
            Role::Coach | Role::JobbtorgManager => own_centre(),
            Role::DistrictOfficer => own_district(),
            _ => None,
        },
        Action::ManageParticipation => at_centre.then(own_centre).flatten(),
        // The district keeps every authority decision; the job centre has none.
        Action::DecidePlan => (actor.role() == Role::DistrictOfficer).then(own_district).flatten(),
        Action::RecordAfRegistration => match actor.role() {
            Role::Coach | Role::JobbtorgManager => own_centre(),
            Role::Integration => actor
                .has_scope(IntegrationScope::ParticipantsAfStatus)
                .then_some(ListScope::Everything),
            _ => None,
        },
        Action::ReadReferenceData => Some(ListScope::Everything),
        // A machine client does exactly what its scopes name and nothing more.
        Action::ReadProviders => (actor.role() != Role::Integration).then_some(ListScope::Everything),
        // The purchaser keeps providers and their terms; the provider role never does.
        Action::ManageProviders => {
            matches!(actor.role(), Role::ContractManager | Role::Admin).then_some(ListScope::Everything)
        }
        Action::SendReferral => at_centre.then(own_centre).flatten(),
        // A provider sees only referrals to itself; the purchaser sees claims, not referrals. A
        // job centre also sees what it delivers for another centre's case (minimum data, as a
        // provider does: the referral shows no more of the person than its card).
        Action::ReadReferral => match actor.role() {
            Role::Coach | Role::JobbtorgManager => actor.jobbtorg().cloned().map(ListScope::JobbtorgWithDeliveries),
            Role::DistrictOfficer => own_district(),
            Role::ProviderStaff => actor.provider().cloned().map(ListScope::Provider),
            _ => None,
        },
        Action::AnswerReferral => (actor.role() == Role::ProviderStaff)
            .then(|| actor.provider().cloned().map(ListScope::Provider))
            .flatten(),
        // The centre delivering for another's case follows the person there and reports; the
        // answer and the steps stay with the provider.
        Action::ReportOnReferral => match actor.role() {
            Role::ProviderStaff => actor.provider().cloned().map(ListScope::Provider),
            Role::Coach | Role::JobbtorgManager => actor.jobbtorg().cloned().map(ListScope::DeliveredAt),
            _ => None,
        },
        Action::ReadClaims => match actor.role() {
            Role::ContractManager => Some(ListScope::AnyProvider),
            Role::ProviderStaff => actor.provider().cloned().map(ListScope::Provider),
            _ => None,
        },
        Action::DecideClaims => (actor.role() == Role::ContractManager).then_some(ListScope::AnyProvider),
        // The city follows every job centre; a manager follows their own.
        Action::ReadKeyFigures => match actor.role() {
            Role::Analyst | Role::ContractManager => Some(ListScope::Everything),
            Role::JobbtorgManager => own_centre(),
            _ => None,
        },
        // A push of the whole feed: only for those who may read the whole feed.
        Action::ManageWebhooks => match actor.role() {
            Role::Admin => Some(ListScope::Everything),
            Role::Integration => actor
                .has_scope(IntegrationScope::EventsRead)
                .then_some(ListScope::Everything),
            _ => None,
        },
        Action::ManageReferenceData => (actor.role() == Role::Admin).then_some(ListScope::Everything),
        Action::ReadEvents => match actor.role() {
            Role::Admin => Some(ListScope::Everything),
            Role::Integration => actor
                .has_scope(IntegrationScope::EventsRead)
                .then_some(ListScope::Everything),
            Role::Coach | Role::JobbtorgManager => actor.jobbtorg().cloned().map(ListScope::Jobbtorg),
            Role::DistrictOfficer => actor.district().cloned().map(ListScope::District),
            Role::ProviderStaff => actor.provider().cloned().map(ListScope::Provider),
            Role::ContractManager => Some(ListScope::AnyProvider),
            Role::Analyst => None,
        },
    }
}

/// May `actor` do `action` on a resource with this scope?
pub fn can(actor: &Actor, action: Action, scope: &ResourceScope) -> bool {
    list_scope(actor, action).is_some_and(|allowed| allowed.contains(scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn provider(n: u128) -> ProviderRef {
        ProviderRef::new(uuid::Uuid::from_u128(n))
    }

    fn actor(role: Role) -> Actor {
        let (jobbtorg, district, provider_id, scopes) = match role {
            Role::Coach | Role::JobbtorgManager => (Some(code("jarva")), None, None, vec![]),
            Role::DistrictOfficer => (None, Some(code("rinkeby-kista")), None, vec![]),
            Role::ProviderStaff => (None, None, Some(provider(1)), vec![]),
            Role::Integration => (None, None, None, vec![IntegrationScope::EventsRead]),
            _ => (None, None, None, vec![]),
        };
        Actor::new("subject", role, jobbtorg, district, provider_id, scopes).unwrap()
    }

    /// A resource at Järva, from Rinkeby-Kista, concerning provider 1.
    fn own_scope() -> ResourceScope {
        ResourceScope {
            jobbtorg: Some(code("jarva")),
            district: Some(code("rinkeby-kista")),
            provider: Some(provider(1)),
            delivered_at: None,
        }
    }

    /// A resource at Sydost, from Farsta, concerning provider 2.
    fn other_scope() -> ResourceScope {
        ResourceScope {
            jobbtorg: Some(code("sydost")),
            district: Some(code("farsta")),
            provider: Some(provider(2)),
            delivered_at: None,
        }
    }

    /// The whole table: for every role and action, may it act on its own scope and on another's?
    #[test]
    fn policy_table() {
        use Action::*;
        use Role::*;
        let table: [(Role, Action, bool, bool); 152] = [
            (DistrictOfficer, ReadReferenceData, true, true),
            (DistrictOfficer, ManageReferenceData, false, false),
            (DistrictOfficer, ReadEvents, true, false),
            (Coach, ReadReferenceData, true, true),
            (Coach, ManageReferenceData, false, false),
            (Coach, ReadEvents, true, false),
            (JobbtorgManager, ReadReferenceData, true, true),
            (JobbtorgManager, ManageReferenceData, false, false),
            (JobbtorgManager, ReadEvents, true, false),
            (ProviderStaff, ReadReferenceData, true, true),
            (ProviderStaff, ManageReferenceData, false, false),
            (ProviderStaff, ReadEvents, true, false),
            (ContractManager, ReadReferenceData, true, true),
            (ContractManager, ManageReferenceData, false, false),
            (ContractManager, ReadEvents, true, true),
            (Analyst, ReadReferenceData, true, true),
            (Analyst, ManageReferenceData, false, false),
            (Analyst, ReadEvents, false, false),
            (Integration, ReadReferenceData, true, true),
            (Integration, ManageReferenceData, false, false),
            (Integration, ReadEvents, true, true),
            (Admin, ReadReferenceData, true, true),
            (Admin, ManageReferenceData, true, true),
            (Admin, ReadEvents, true, true),
            (DistrictOfficer, CreateParticipant, true, false),
            (DistrictOfficer, ReadParticipant, true, false),
            (DistrictOfficer, UpdateParticipant, true, false),
            (DistrictOfficer, ManageParticipation, false, false),
            (DistrictOfficer, RecordAfRegistration, false, false),
            (Coach, CreateParticipant, false, false),
            (Coach, ReadParticipant, true, false),
            (Coach, UpdateParticipant, true, false),
            (Coach, ManageParticipation, true, false),
            (Coach, RecordAfRegistration, true, false),
            (JobbtorgManager, CreateParticipant, false, false),
            (JobbtorgManager, ReadParticipant, true, false),
            (JobbtorgManager, UpdateParticipant, true, false),
            (JobbtorgManager, ManageParticipation, true, false),
            (JobbtorgManager, RecordAfRegistration, true, false),
            (ProviderStaff, CreateParticipant, false, false),
            (ProviderStaff, ReadParticipant, false, false),
            (ProviderStaff, UpdateParticipant, false, false),
            (ProviderStaff, ManageParticipation, false, false),
            (ProviderStaff, RecordAfRegistration, false, false),
            (ContractManager, CreateParticipant, false, false),
            (ContractManager, ReadParticipant, false, false),
            (ContractManager, UpdateParticipant, false, false),
            (ContractManager, ManageParticipation, false, false),
            (ContractManager, RecordAfRegistration, false, false),
            (Analyst, CreateParticipant, false, false),
            (Analyst, ReadParticipant, false, false),
            (Analyst, UpdateParticipant, false, false),
            (Analyst, ManageParticipation, false, false),
            (Analyst, RecordAfRegistration, false, false),
            (Integration, CreateParticipant, false, false),
            (Integration, ReadParticipant, false, false),
            (Integration, UpdateParticipant, false, false),
            (Integration, ManageParticipation, false, false),
            (Integration, RecordAfRegistration, false, false),
            (Admin, CreateParticipant, false, false),
            (Admin, ReadParticipant, false, false),
            (Admin, UpdateParticipant, false, false),
            (Admin, ManageParticipation, false, false),
            (Admin, RecordAfRegistration, false, false),
            (DistrictOfficer, DecidePlan, true, false),
            (Coach, DecidePlan, false, false),
            (JobbtorgManager, DecidePlan, false, false),
            (ProviderStaff, DecidePlan, false, false),
            (ContractManager, DecidePlan, false, false),
            (Analyst, DecidePlan, false, false),
            (Integration, DecidePlan, false, false),
            (Admin, DecidePlan, false, false),
            (DistrictOfficer, ReadProviders, true, true),
            (Coach, ReadProviders, true, true),
            (JobbtorgManager, ReadProviders, true, true),
            (ProviderStaff, ReadProviders, true, true),
            (ContractManager, ReadProviders, true, true),
            (Analyst, ReadProviders, true, true),
            (Integration, ReadProviders, false, false),
            (Admin, ReadProviders, true, true),
            (DistrictOfficer, ManageProviders, false, false),
            (Coach, ManageProviders, false, false),
            (JobbtorgManager, ManageProviders, false, false),
            (ProviderStaff, ManageProviders, false, false),
            (ContractManager, ManageProviders, true, true),
            (Analyst, ManageProviders, false, false),
            (Integration, ManageProviders, false, false),
            (Admin, ManageProviders, true, true),
            (DistrictOfficer, SendReferral, false, false),
            (Coach, SendReferral, true, false),
            (JobbtorgManager, SendReferral, true, false),
            (ProviderStaff, SendReferral, false, false),
            (ContractManager, SendReferral, false, false),
            (Analyst, SendReferral, false, false),
            (Integration, SendReferral, false, false),
            (Admin, SendReferral, false, false),
            (DistrictOfficer, ReadReferral, true, false),
            (Coach, ReadReferral, true, false),
            (JobbtorgManager, ReadReferral, true, false),
            (ProviderStaff, ReadReferral, true, false),
            (ContractManager, ReadReferral, false, false),
            (Analyst, ReadReferral, false, false),
            (Integration, ReadReferral, false, false),
            (Admin, ReadReferral, false, false),
            (DistrictOfficer, AnswerReferral, false, false),
            (Coach, AnswerReferral, false, false),
            (JobbtorgManager, AnswerReferral, false, false),
            (ProviderStaff, AnswerReferral, true, false),
            (ContractManager, AnswerReferral, false, false),
            (Analyst, AnswerReferral, false, false),
            (Integration, AnswerReferral, false, false),
            (Admin, AnswerReferral, false, false),
            // The own-scope resource is not delivered elsewhere: see the delivery test below.
            (DistrictOfficer, ReportOnReferral, false, false),
            (Coach, ReportOnReferral, false, false),
            (JobbtorgManager, ReportOnReferral, false, false),
            (ProviderStaff, ReportOnReferral, true, false),
            (ContractManager, ReportOnReferral, false, false),
            (Analyst, ReportOnReferral, false, false),
            (Integration, ReportOnReferral, false, false),
            (Admin, ReportOnReferral, false, false),
            (DistrictOfficer, ReadClaims, false, false),
            (Coach, ReadClaims, false, false),
            (JobbtorgManager, ReadClaims, false, false),
            (ProviderStaff, ReadClaims, true, false),
            (ContractManager, ReadClaims, true, true),
            (Analyst, ReadClaims, false, false),
            (Integration, ReadClaims, false, false),
            (Admin, ReadClaims, false, false),
            (DistrictOfficer, DecideClaims, false, false),
            (Coach, DecideClaims, false, false),
            (JobbtorgManager, DecideClaims, false, false),
            (ProviderStaff, DecideClaims, false, false),
            (ContractManager, DecideClaims, true, true),
            (Analyst, DecideClaims, false, false),
            (Integration, DecideClaims, false, false),
            (Admin, DecideClaims, false, false),
            (DistrictOfficer, ReadKeyFigures, false, false),
            (Coach, ReadKeyFigures, false, false),
            (JobbtorgManager, ReadKeyFigures, true, false),
            (ProviderStaff, ReadKeyFigures, false, false),
            (ContractManager, ReadKeyFigures, true, true),
            (Analyst, ReadKeyFigures, true, true),
            (Integration, ReadKeyFigures, false, false),
            (Admin, ReadKeyFigures, false, false),
            (DistrictOfficer, ManageWebhooks, false, false),
            (Coach, ManageWebhooks, false, false),
            (JobbtorgManager, ManageWebhooks, false, false),
            (ProviderStaff, ManageWebhooks, false, false),
            (ContractManager, ManageWebhooks, false, false),
            (Analyst, ManageWebhooks, false, false),
            (Integration, ManageWebhooks, true, true),
            (Admin, ManageWebhooks, true, true),
        ];
        for role in Role::ALL {
            for action in Action::ALL {
                assert!(
                    table.iter().any(|(r, a, _, _)| *r == role && *a == action),
                    "table lacks {role} {action:?}"
                );
            }
        }
        for (role, action, on_own, on_other) in table {
            let actor = actor(role);
            assert_eq!(
                can(&actor, action, &own_scope()),
                on_own,
                "{role} {action:?} on own scope"
            );
            assert_eq!(
                can(&actor, action, &other_scope()),
                on_other,
                "{role} {action:?} on another scope"
            );
        }
    }

    #[test]
    fn a_centre_delivering_for_another_reads_and_reports_but_keeps_no_case() {
        // A referral of Sydost's case, delivered at Järva.
        let delivered_here = ResourceScope {
            delivered_at: Some(code("jarva")),
            ..other_scope()
        };
        let coach = actor(Role::Coach);
        assert!(can(&coach, Action::ReadReferral, &delivered_here));
        assert!(can(&coach, Action::ReportOnReferral, &delivered_here));
        assert!(
            !can(&coach, Action::SendReferral, &delivered_here),
            "cancelling is the case's"
        );
        assert!(!can(&coach, Action::AnswerReferral, &delivered_here));
        assert!(!can(&coach, Action::ReadParticipant, &delivered_here));
        let elsewhere = ResourceScope {
            delivered_at: Some(code("vasterort")),
            ..other_scope()
        };
        assert!(!can(&coach, Action::ReadReferral, &elsewhere));
        assert!(!can(&coach, Action::ReportOnReferral, &elsewhere));
        // The provider of the referral still reports on it.
        let provider_two = Actor::new("p2", Role::ProviderStaff, None, None, Some(provider(2)), vec![]).unwrap();
        assert!(can(&provider_two, Action::ReportOnReferral, &delivered_here));
    }

    #[test]
    fn an_integration_client_records_af_registration_only_with_its_scope() {
        let with_scope = Actor::new(
            "af",
            Role::Integration,
            None,
            None,
            None,
            vec![IntegrationScope::ParticipantsAfStatus],
        )
        .unwrap();
        assert!(can(&with_scope, Action::RecordAfRegistration, &other_scope()));
        assert!(!can(&with_scope, Action::ReadParticipant, &other_scope()));
        assert!(!can(&with_scope, Action::ReadEvents, &other_scope()));
    }

    #[test]
    fn an_integration_client_without_the_events_scope_reads_no_events() {
        let client = Actor::new("af", Role::Integration, None, None, None, vec![]).unwrap();
        assert_eq!(list_scope(&client, Action::ReadEvents), None);
        assert!(!can(&client, Action::ReadEvents, &own_scope()));
    }

    #[test]
    fn list_scopes_follow_the_actor() {
        assert_eq!(
            list_scope(&actor(Role::Coach), Action::ReadEvents),
            Some(ListScope::Jobbtorg(code("jarva")))
        );
        assert_eq!(
            list_scope(&actor(Role::DistrictOfficer), Action::ReadEvents),
            Some(ListScope::District(code("rinkeby-kista")))
        );
        assert_eq!(
            list_scope(&actor(Role::ProviderStaff), Action::ReadEvents),
            Some(ListScope::Provider(provider(1)))
        );
        assert!(!ListScope::AnyProvider.contains(&ResourceScope::default()));
    }
}
