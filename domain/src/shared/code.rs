use std::fmt;

/// A stable reference-data code (`jarva`, `rinkeby-kista`, `youth_16_24`): lower-case ASCII
/// letters, digits, `-` and `_`, 1 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a code is 1-64 characters of a-z, 0-9, '-' and '_'")]
pub struct InvalidCode;

impl Code {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, InvalidCode> {
        let valid = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_seeded_code_shapes() {
        for raw in ["jarva", "rinkeby-kista", "youth_16_24", "a"] {
            assert_eq!(Code::parse(raw).map(|c| c.to_string()), Ok(raw.to_owned()));
        }
    }

    #[test]
    fn rejects_everything_else() {
        let too_long = "a".repeat(Code::MAX_LEN + 1);
        for raw in ["", "Jarva", "järva", "a b", "a/b", "../x", too_long.as_str()] {
            assert_eq!(Code::parse(raw), Err(InvalidCode), "{raw:?}");
        }
    }
}
