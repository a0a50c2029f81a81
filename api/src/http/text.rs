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
