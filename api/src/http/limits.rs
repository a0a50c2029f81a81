//! The shape limits of request bodies, in one place: the `#[validate]` rules of the request
//! types use these constants, and `openapi::limits` tests that the schema states each of them
//! (utoipa takes only literals, so the schema repeats the number and the test keeps it honest).

/// A person's first or last name, a coach id.
pub const NAME_MAX: u64 = 100;
/// A phone number, an e-mail address, an address line, a statutory basis, an absence reason.
pub const CONTACT_MAX: u64 = 200;
/// Free text: reasons, notes, goals, the mapping's fields.
pub const TEXT_MAX: u64 = 2000;
/// A provider's name.
pub const PROVIDER_NAME_MAX: u64 = 200;
/// A provider's contact persons.
pub const CONTACTS_MAX: u64 = 20;
/// A contract's reference.
pub const REFERENCE_MAX: u64 = 100;
/// Codes in one list (activity types, target groups, job centres, event types, result steps).
pub const CODES_MAX: u64 = 50;
/// A reference-data code, as `domain::shared::Code` allows it.
pub const CODE_MAX: u64 = 64;
/// A webhook target URL.
pub const URL_MAX: u64 = 2048;
/// Lines of one progress report, as the domain's rule allows.
pub const LINES_MAX: u64 = domain::referral::MAX_LINES as u64;
/// Hours in a week; a progress line's attended or absent hours.
pub const HOURS_MAX: f64 = 168.0;
/// A personnummer or organisationsnummer as sent: 10 or 12 digits with an optional separator.
pub const IDENTITY_NUMBER_MAX: u64 = 13;
/// A contact person's phone number.
pub const PHONE_MAX: u64 = 40;
/// The largest page a list answers; `http::paging::MAX_LIMIT`.
pub const PAGE_MAX: i64 = 200;
/// A UUID in text.
pub const UUID_LEN: u64 = 36;
/// The longest case-journal note, in characters.
pub const JOURNAL_TEXT_MAX: u64 = 10_000;
