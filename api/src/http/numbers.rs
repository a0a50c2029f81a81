//! Whole numbers as JSON clients send them.

use serde::{Deserialize, Deserializer};

/// A whole number sent as `2` or `2.0` (both are integers to JSON Schema and to many clients).
pub fn whole_number<'de, D>(deserializer: D) -> Result<u32, D::Error>
where
    D: Deserializer<'de>,
{
    let number = serde_json::Number::deserialize(deserializer)?;
    whole(&number)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| not_whole(&number))
}

/// As `whole_number`, for amounts in öre.
pub fn whole_u64<'de, D>(deserializer: D) -> Result<u64, D::Error>
where
    D: Deserializer<'de>,
{
    let number = serde_json::Number::deserialize(deserializer)?;
    whole(&number).ok_or_else(|| not_whole(&number))
}

/// As `whole_number`, for an optional field (use with `#[serde(default)]`).
pub fn optional_whole_number<'de, D>(deserializer: D) -> Result<Option<u32>, D::Error>
where
    D: Deserializer<'de>,
{
    Option::<serde_json::Number>::deserialize(deserializer)?
        .map(|number| {
            whole(&number)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| not_whole(&number))
        })
        .transpose()
}

/// As `whole_u64`, for an optional field (use with `#[serde(default)]`).
pub fn optional_whole_u64<'de, D>(deserializer: D) -> Result<Option<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    Option::<serde_json::Number>::deserialize(deserializer)?
        .map(|number| whole(&number).ok_or_else(|| not_whole(&number)))
        .transpose()
}

fn whole(number: &serde_json::Number) -> Option<u64> {
    number.as_u64().or_else(|| {
        number
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64)
            .map(|f| f as u64)
    })
}

fn not_whole<E: serde::de::Error>(number: &serde_json::Number) -> E {
    E::custom(format!("invalid value: {number}, expected a whole number"))
}
