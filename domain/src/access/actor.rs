use std::fmt;

use crate::shared::Code;

/// The roles of DESIGN.md section 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    DistrictOfficer,
    Coach,
    JobbtorgManager,
    ProviderStaff,
    /// The purchaser role (beställare).
    ContractManager,
    /// Aggregates only; never personal data.
    Analyst,
    /// Machine clients such as Arbetsförmedlingen's, limited by their scopes.
    Integration,
    Admin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::DistrictOfficer,
        Role::Coach,
        Role::JobbtorgManager,
        Role::ProviderStaff,
        Role::ContractManager,
        Role::Analyst,
        Role::Integration,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::DistrictOfficer => "district_officer",
            Role::Coach => "coach",
            Role::JobbtorgManager => "jobbtorg_manager",
            Role::ProviderStaff => "provider_staff",
            Role::ContractManager => "contract_manager",
            Role::Analyst => "analyst",
            Role::Integration => "integration",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == raw)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a machine client may do, as granted in its token's `scope` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegrationScope {
    /// Read the change feed.
    EventsRead,
    /// Record a participant's Arbetsförmedlingen registration.
    ParticipantsAfStatus,
}

impl IntegrationScope {
    pub const ALL: [IntegrationScope; 2] = [IntegrationScope::EventsRead, IntegrationScope::ParticipantsAfStatus];

    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationScope::EventsRead => "events:read",
            IntegrationScope::ParticipantsAfStatus => "participants:af-status",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == raw)
    }
}

/// A provider's id as carried in tokens (a UUID in canonical text form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProviderRef(uuid::Uuid);

impl ProviderRef {
    pub fn new(id: uuid::Uuid) -> Self {
        Self(id)
    }

    pub fn uuid(&self) -> uuid::Uuid {
        self.0
    }
}

impl fmt::Display for ProviderRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An authenticated caller: a subject, a role and the scope that role needs. Built only through
/// [`Actor::new`], so a coach without a job centre cannot exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    subject: String,
    role: Role,
    jobbtorg: Option<Code>,
    district: Option<Code>,
    provider: Option<ProviderRef>,
    scopes: Vec<IntegrationScope>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActorError {
    #[error("the subject is empty")]
    EmptySubject,
    #[error("role {role} needs the {claim} claim")]
    MissingScope { role: Role, claim: &'static str },
    #[error("role {role} may not carry the {claim} claim")]
    UnexpectedScope { role: Role, claim: &'static str },
}

impl Actor {
    pub fn new(
        subject: impl Into<String>,
        role: Role,
        jobbtorg: Option<Code>,
        district: Option<Code>,
        provider: Option<ProviderRef>,
        scopes: Vec<IntegrationScope>,
    ) -> Result<Self, ActorError> {
        let subject = subject.into();
        if subject.trim().is_empty() {
            return Err(ActorError::EmptySubject);
        }
        let needs = |present: bool, claim: &'static str| {
            if present {
                Ok(())
            } else {
                Err(ActorError::MissingScope { role, claim })
            }
        };
        let forbids = |present: bool, claim: &'static str| {
            if present {
                Err(ActorError::UnexpectedScope { role, claim })
            } else {
                Ok(())
            }
        };
        match role {
            Role::Coach | Role::JobbtorgManager => needs(jobbtorg.is_some(), "jobbtorg_id")?,
            Role::DistrictOfficer => needs(district.is_some(), "district_id")?,
            Role::ProviderStaff => needs(provider.is_some(), "provider_id")?,
            Role::ContractManager | Role::Analyst | Role::Integration | Role::Admin => {}
        }
        // A scope claim that the role does not use would silently widen or confuse its reach.
        if !matches!(role, Role::Coach | Role::JobbtorgManager) {
            forbids(jobbtorg.is_some(), "jobbtorg_id")?;
        }
        if role != Role::DistrictOfficer {
            forbids(district.is_some(), "district_id")?;
        }
        if role != Role::ProviderStaff {
            forbids(provider.is_some(), "provider_id")?;
        }
        if role != Role::Integration {
            forbids(!scopes.is_empty(), "scope")?;
        }
        Ok(Self {
            subject,
            role,
            jobbtorg,
            district,
            provider,
            scopes,
        })
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn jobbtorg(&self) -> Option<&Code> {
        self.jobbtorg.as_ref()
    }

    pub fn district(&self) -> Option<&Code> {
        self.district.as_ref()
    }

    pub fn provider(&self) -> Option<&ProviderRef> {
        self.provider.as_ref()
    }

    pub fn has_scope(&self, scope: IntegrationScope) -> bool {
        self.scopes.contains(&scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> Option<Code> {
        Some(Code::parse(raw).unwrap())
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn scoped_roles_need_their_scope() {
        let missing = |role| Actor::new("u", role, None, None, None, vec![]);
        assert_eq!(
            missing(Role::Coach),
            Err(ActorError::MissingScope {
                role: Role::Coach,
                claim: "jobbtorg_id"
            })
        );
        assert_eq!(
            missing(Role::JobbtorgManager),
            Err(ActorError::MissingScope {
                role: Role::JobbtorgManager,
                claim: "jobbtorg_id"
            })
        );
        assert_eq!(
            missing(Role::DistrictOfficer),
            Err(ActorError::MissingScope {
                role: Role::DistrictOfficer,
                claim: "district_id"
            })
        );
        assert_eq!(
            missing(Role::ProviderStaff),
            Err(ActorError::MissingScope {
                role: Role::ProviderStaff,
                claim: "provider_id"
            })
        );
        for role in [Role::ContractManager, Role::Analyst, Role::Integration, Role::Admin] {
            assert!(missing(role).is_ok(), "{role}");
        }
    }

    #[test]
    fn a_scope_the_role_does_not_use_is_rejected() {
        assert_eq!(
            Actor::new("u", Role::Coach, code("jarva"), code("farsta"), None, vec![]),
            Err(ActorError::UnexpectedScope {
                role: Role::Coach,
                claim: "district_id"
            })
        );
        assert_eq!(
            Actor::new("u", Role::Admin, code("jarva"), None, None, vec![]),
            Err(ActorError::UnexpectedScope {
                role: Role::Admin,
                claim: "jobbtorg_id"
            })
        );
        assert_eq!(
            Actor::new(
                "u",
                Role::Coach,
                code("jarva"),
                None,
                None,
                vec![IntegrationScope::EventsRead]
            ),
            Err(ActorError::UnexpectedScope {
                role: Role::Coach,
                claim: "scope"
            })
        );
    }

    #[test]
    fn the_subject_must_not_be_blank() {
        assert_eq!(
            Actor::new(" ", Role::Admin, None, None, None, vec![]),
            Err(ActorError::EmptySubject)
        );
    }
}
