//! Free text as requests carry it.

use domain::shared::clean_text;

use crate::problem::FieldErrors;

/// The longest free-text field (notes, reasons, goals), in characters.
pub const TEXT_MAX: usize = crate::http::limits::TEXT_MAX as usize;

/// An optional text: blank means absent; otherwise it must be clean text of at most `max`.
pub fn optional_text(errors: &mut FieldErrors, field: &str, value: Option<String>, max: usize) -> Option<String> {
    value.and_then(|v| {
        if v.trim().is_empty() {
            None
        } else {
            errors.check(field, "invalid_format", clean_text(&v, max))
        }
    })
}

/// For `#[validate(custom(...))]` on free-text query filters: refused as `clean_text` refuses
/// text in a body (blank, or with a control character other than tab, CR and LF).
pub fn clean_filter_text(value: &str) -> Result<(), validator::ValidationError> {
    domain::shared::clean_text(value, usize::MAX)
        .map(|_| ())
        .map_err(|_| validator::ValidationError::new("invalid_text"))
}

/// For `#[validate(custom(...))]` on the events feed's `types`: event names and commas.
pub fn event_type_list(value: &str) -> Result<(), validator::ValidationError> {
    if value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || matches!(b, b'_' | b'.' | b',' | b' '))
    {
        Ok(())
    } else {
        Err(validator::ValidationError::new("invalid_format"))
    }
}
