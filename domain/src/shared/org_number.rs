//! Swedish organisation numbers (organisationsnummer): ten digits with a Luhn check digit.

use std::fmt;

use super::luhn::luhn_check_digit;

/// A valid organisationsnummer in the canonical form `NNNNNN-NNNN`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OrgNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    #[error("use NNNNNN-NNNN (ten digits, optionally prefixed 16)")]
    Format,
    #[error("the check digit does not match")]
    CheckDigit,
    #[error("the third digit of an organisation number is at least 2 (below is a personal number)")]
    NotALegalEntity,
}

impl OrgNumber {
    /// Accepts `NNNNNN-NNNN`, `NNNNNNNNNN` and the 12-digit `16NNNNNNNNNN` form.
    pub fn parse(raw: &str) -> Result<Self, OrgNumberError> {
        let digits: String = raw.trim().chars().filter(|c| *c != '-').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || raw.trim().matches('-').count() > 1 {
            return Err(OrgNumberError::Format);
        }
        let ten = match digits.len() {
            10 => digits.as_str(),
            12 if digits.starts_with("16") => &digits[2..],
            _ => return Err(OrgNumberError::Format),
        };
        if ten.as_bytes()[2] < b'2' {
            return Err(OrgNumberError::NotALegalEntity);
        }
        if luhn_check_digit(&ten[..9]) != ten.as_bytes()[9] - b'0' {
            return Err(OrgNumberError::CheckDigit);
        }
        Ok(Self(format!("{}-{}", &ten[..6], &ten[6..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgNumber({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers_parse_in_every_form() {
        // Stockholms stad.
        for raw in ["212000-0142", "2120000142", "162120000142", " 212000-0142 "] {
            assert_eq!(
                OrgNumber::parse(raw).map(|o| o.to_string()),
                Ok("212000-0142".into()),
                "{raw}"
            );
        }
        // A limited company.
        assert!(OrgNumber::parse("556036-0793").is_ok());
    }

    #[test]
    fn the_check_digit_and_the_entity_digit_are_verified() {
        assert_eq!(OrgNumber::parse("212000-0143"), Err(OrgNumberError::CheckDigit));
        assert_eq!(
            OrgNumber::parse("811218-9876"),
            Err(OrgNumberError::NotALegalEntity),
            "a personnummer"
        );
    }

    #[test]
    fn malformed_input_is_a_format_error() {
        for raw in [
            "",
            "212000-014",
            "21200001420",
            "2120-00-0142",
            "21200O-0142",
            "172120000142",
        ] {
            assert_eq!(OrgNumber::parse(raw), Err(OrgNumberError::Format), "{raw:?}");
        }
    }
}
