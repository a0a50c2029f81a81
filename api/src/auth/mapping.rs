//! Where a token carries our claims: identity providers name them their own way (Keycloak puts
//! roles in `realm_access.roles`, Auth0 in a namespaced claim, Entra ID in `roles`), and a
//! role list holds roles of other applications too. The mapping reads the role, scope and the
//! role's reach from configured claim paths (`JWT_*_CLAIM`), translates role names
//! (`JWT_ROLE_MAP`) and builds the [`Claims`] the rest of the server knows.

use std::collections::HashMap;

use domain::access::Role;
use serde_json::Value;

use super::claims::{Audience, Claims};

/// A claim's place in the token: a top-level name (which may itself hold dots or slashes, as
/// Auth0's namespaced claims do), else a dotted path into nested objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPath(String);

impl ClaimPath {
    pub fn new(path: &str) -> Result<Self, String> {
        let path = path.trim();
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err("a claim name, or a dotted path such as realm_access.roles".to_owned());
        }
        Ok(Self(path.to_owned()))
    }

    fn find<'a>(&self, claims: &'a Value) -> Option<&'a Value> {
        if let Some(value) = claims.get(&self.0) {
            return Some(value);
        }
        self.0.split('.').try_fold(claims, |value, key| value.get(key))
    }
}

impl std::fmt::Display for ClaimPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the configured identity provider names our claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMapping {
    pub role: ClaimPath,
    /// The identity provider's role names for ours; empty: they are ours.
    pub role_names: HashMap<String, Role>,
    pub jobbtorg: ClaimPath,
    pub district: ClaimPath,
    pub provider: ClaimPath,
    pub scope: ClaimPath,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        let path = |name: &str| ClaimPath(name.to_owned());
        Self {
            role: path("role"),
            role_names: HashMap::new(),
            jobbtorg: path("jobbtorg_id"),
            district: path("district_id"),
            provider: path("provider_id"),
            scope: path("scope"),
        }
    }
}

/// A registered claim (RFC 7519 §4.1), under its standard name whatever the identity provider.
fn registered<T: serde::de::DeserializeOwned>(payload: &Value, name: &str) -> Result<T, String> {
    serde_json::from_value(payload.get(name).cloned().unwrap_or(Value::Null)).map_err(|e| format!("{name}: {e}"))
}

/// `JWT_ROLE_MAP`: `their-name=our_role` pairs separated by commas.
pub fn parse_role_names(raw: &str) -> Result<HashMap<String, Role>, String> {
    let mut names = HashMap::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (theirs, ours) = pair
            .split_once('=')
            .ok_or_else(|| format!("{pair:?} is not their-name=our_role"))?;
        let role = Role::parse(ours.trim()).ok_or_else(|| format!("{:?} is not a role of this API", ours.trim()))?;
        names.insert(theirs.trim().to_owned(), role);
    }
    Ok(names)
}

impl ClaimMapping {
    /// Our claims from a verified token's payload; the reason when they cannot be read.
    pub fn claims(&self, payload: &Value) -> Result<Claims, String> {
        let aud: Audience = registered(payload, "aud")?;
        Ok(Claims {
            sub: registered(payload, "sub")?,
            role: self.role(payload)?.as_str().to_owned(),
            jobbtorg_id: self.single(payload, &self.jobbtorg)?,
            district_id: self.single(payload, &self.district)?,
            provider_id: self.single(payload, &self.provider)?,
            scope: self.scope(payload)?,
            iss: registered(payload, "iss")?,
            aud,
            exp: registered(payload, "exp")?,
            nbf: registered(payload, "nbf")?,
            iat: registered(payload, "iat")?,
        })
    }

    fn ours(&self, name: &str) -> Option<Role> {
        if self.role_names.is_empty() {
            Role::parse(name)
        } else {
            self.role_names.get(name).copied()
        }
    }

    /// The one role of this API the token names: a string, or the one entry of a list that
    /// is ours (a list holds other applications' roles too; two of ours are ambiguous).
    fn role(&self, payload: &Value) -> Result<Role, String> {
        let missing = || format!("no role claim at {}", self.role);
        match self.role.find(payload).ok_or_else(missing)? {
            Value::String(name) => self.ours(name).ok_or_else(|| format!("unknown role {name:?}")),
            Value::Array(names) => {
                // Two of their names for the same role of ours are one role.
                let mut ours = names.iter().filter_map(Value::as_str).filter_map(|n| self.ours(n));
                let first = ours
                    .next()
                    .ok_or_else(|| format!("none of the roles at {} is a role of this API", self.role))?;
                if ours.any(|other| other != first) {
                    return Err(format!(
                        "several roles of this API at {}; a token carries one",
                        self.role
                    ));
                }
                Ok(first)
            }
            _ => Err(format!(
                "the role claim at {} is neither a string nor a list",
                self.role
            )),
        }
    }

    /// A text claim: a string, or a list of exactly one (multi-valued user attributes).
    fn single(&self, payload: &Value, path: &ClaimPath) -> Result<Option<String>, String> {
        match path.find(payload) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(value)) => Ok(Some(value.clone())),
            Some(Value::Array(values)) => match values.as_slice() {
                [Value::String(value)] => Ok(Some(value.clone())),
                _ => Err(format!("{path} must hold one value")),
            },
            Some(_) => Err(format!("{path} must be a string")),
        }
    }

    /// The scopes: space-separated (OAuth) or a list (Entra ID's `scp`, some providers).
    fn scope(&self, payload: &Value) -> Result<Option<String>, String> {
        match self.scope.find(payload) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(scopes)) => Ok(Some(scopes.clone())),
            Some(Value::Array(scopes)) => Ok(Some(
                scopes.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
            )),
            Some(_) => Err(format!("{} must be a string or a list", self.scope)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn keycloak() -> ClaimMapping {
        ClaimMapping {
            role: ClaimPath::new("realm_access.roles").unwrap(),
            role_names: parse_role_names("jobbtorg-coach=coach, jobbtorg-officer=district_officer").unwrap(),
            jobbtorg: ClaimPath::new("jobbtorg").unwrap(),
            ..ClaimMapping::default()
        }
    }

    fn payload(extra: Value) -> Value {
        let mut payload = json!({"sub": "f1b2", "iss": "https://idp/realms/stockholm", "aud": ["account", "jobbtorg-api"],
            "exp": 2_000_000_000u64, "iat": 1_999_999_000u64});
        payload
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        payload
    }

    #[test]
    fn a_keycloak_token_maps_to_our_claims() {
        let token = payload(json!({
            "realm_access": {"roles": ["offline_access", "uma_authorization", "jobbtorg-coach"]},
            "jobbtorg": ["jarva"]}));
        let claims = keycloak().claims(&token).unwrap();
        assert_eq!(
            (claims.role.as_str(), claims.jobbtorg_id.as_deref()),
            ("coach", Some("jarva"))
        );
        assert_eq!(claims.to_actor().unwrap().subject(), "f1b2");
    }

    #[test]
    fn a_role_list_must_name_exactly_one_of_ours() {
        let none = payload(json!({"realm_access": {"roles": ["offline_access", "coach"]}}));
        assert!(keycloak().claims(&none).unwrap_err().contains("none of the roles"));
        let two = payload(json!({"realm_access": {"roles": ["jobbtorg-coach", "jobbtorg-officer"]}}));
        assert!(keycloak().claims(&two).unwrap_err().contains("several roles"));
        // Two names of theirs for the one role of ours, apart in the list, are that role.
        let mut mapping = keycloak();
        mapping.role_names.insert("jobbtorg-staff".to_owned(), Role::Coach);
        let same = payload(json!({"realm_access": {"roles": ["jobbtorg-coach", "offline_access", "jobbtorg-staff"]}}));
        assert_eq!(mapping.claims(&same).unwrap().role, "coach");
        let missing = payload(json!({}));
        assert!(keycloak().claims(&missing).unwrap_err().contains("no role claim"));
    }

    #[test]
    fn a_namespaced_claim_is_read_whole_and_scopes_may_be_a_list() {
        let mapping = ClaimMapping {
            role: ClaimPath::new("https://jobbtorg.example/role").unwrap(),
            scope: ClaimPath::new("scp").unwrap(),
            ..ClaimMapping::default()
        };
        let token = payload(json!({"https://jobbtorg.example/role": "integration", "scp": ["events:read", "openid"]}));
        let claims = mapping.claims(&token).unwrap();
        assert_eq!(claims.role, "integration");
        assert_eq!(claims.scope.as_deref(), Some("events:read openid"));
    }

    #[test]
    fn the_default_mapping_reads_our_own_claim_names() {
        let token = payload(json!({"role": "district_officer", "district_id": "farsta"}));
        let claims = ClaimMapping::default().claims(&token).unwrap();
        assert_eq!(
            (claims.role.as_str(), claims.district_id.as_deref()),
            ("district_officer", Some("farsta"))
        );
        assert!(ClaimMapping::default()
            .claims(&payload(json!({"role": "boss"})))
            .is_err());
        assert!(parse_role_names("coach").is_err() && parse_role_names("x=boss").is_err());
        assert!(ClaimPath::new("realm_access..roles").is_err());
    }
}
