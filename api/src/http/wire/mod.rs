//! Response and request types shared between route modules (and the participant export),
//! so that no route module imports another.

pub mod claims;
pub mod plans;
pub mod referrals;

/// For an optional request field with a default (`#[serde(default, deserialize_with = ...)]`):
/// `null` reads as absent, so a generated client that sends `null` for a field its caller left
/// unset gets the default instead of a 400.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(<Option<T> as serde::Deserialize>::deserialize(deserializer)?.unwrap_or_default())
}
