/// Free text from a client: trimmed, not empty, at most `max_chars` characters, and without
/// control characters other than line breaks and tabs.
pub fn clean_text(raw: &str, max_chars: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().count() > max_chars {
        return Err(TextError::TooLong { max_chars });
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(TextError::ControlCharacter);
    }
    Ok(trimmed.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("may not be empty")]
    Empty,
    #[error("may be at most {max_chars} characters")]
    TooLong { max_chars: usize },
    #[error("may not contain control characters")]
    ControlCharacter,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_and_bounds_text() {
        assert_eq!(clean_text("  Anna  ", 10), Ok("Anna".into()));
        assert_eq!(clean_text("rad 1\nrad 2", 20), Ok("rad 1\nrad 2".into()));
        assert_eq!(clean_text("   ", 10), Err(TextError::Empty));
        assert_eq!(clean_text("åäöåäöåäöåä", 10), Err(TextError::TooLong { max_chars: 10 }));
        assert_eq!(clean_text("a\u{0}b", 10), Err(TextError::ControlCharacter));
    }
}
