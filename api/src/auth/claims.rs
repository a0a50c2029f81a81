use domain::access::{Actor, IntegrationScope, ProviderRef, Role};
use domain::shared::Code;
use serde::{Deserialize, Serialize};

/// The claims a Jobbtorg token carries besides the registered ones the library validates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobbtorg_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// Space-separated integration scopes (OAuth convention), e.g. `events:read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub iss: String,
    /// One audience or several (RFC 7519 §4.1.3; Keycloak and Auth0 send a list); ours must be
    /// among them.
    pub aud: Audience,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
}

/// The `aud` claim: a string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl From<&str> for Audience {
    fn from(audience: &str) -> Self {
        Audience::One(audience.to_owned())
    }
}

impl From<String> for Audience {
    fn from(audience: String) -> Self {
        Audience::One(audience)
    }
}

impl Claims {
    /// The actor these claims describe; the reason when they describe none.
    pub fn to_actor(&self) -> Result<Actor, String> {
        let role = Role::parse(&self.role).ok_or_else(|| format!("unknown role {:?}", self.role))?;
        let code = |claim: &str, raw: &Option<String>| {
            raw.as_deref()
                .map(|v| Code::parse(v).map_err(|_| format!("{claim} is not a valid code")))
                .transpose()
        };
        let jobbtorg = code("jobbtorg_id", &self.jobbtorg_id)?;
        let district = code("district_id", &self.district_id)?;
        let provider = self
            .provider_id
            .as_deref()
            .map(|raw| {
                uuid::Uuid::parse_str(raw)
                    .map(ProviderRef::new)
                    .map_err(|_| "provider_id is not a UUID".to_owned())
            })
            .transpose()?;
        // Scopes this server does not know grant nothing and are ignored.
        let scopes = self
            .scope
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(IntegrationScope::parse)
            .collect();
        Actor::new(self.sub.clone(), role, jobbtorg, district, provider, scopes).map_err(|e| e.to_string())
    }
}
