//! The records policy: a participation's personal data is kept for a number of years after its
//! last entry (SoL 12 kap.: social-services records, 5 years by default), then anonymised: the
//! person's identity, contact and every free text go; the coded, dated facts the key figures
//! are made of stay. A provider's view of a referral ends 90 days after the referral ended.

use chrono::{Days, Months, NaiveDate};

/// The default years a participation is kept after its last entry.
pub const DEFAULT_RETENTION_YEARS: u32 = 5;
/// A provider reads a referral for this many days after it ended.
pub const PROVIDER_VIEW_DAYS: u64 = 90;

/// The last day of the policy for a participation whose last entry was on `last_entry`.
pub fn kept_until(last_entry: NaiveDate, years: u32) -> NaiveDate {
    last_entry
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether a participation whose last entry was on `last_entry` is past the policy on `today`.
pub fn is_past_policy(last_entry: NaiveDate, years: u32, today: NaiveDate) -> bool {
    today > kept_until(last_entry, years)
}

/// Participations whose exit lies on or after this day cannot be past the policy on `today`
/// (the exit is the earliest their last entry can be): the store's first cut.
pub fn exited_before(years: u32, today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

/// The first day a referral that ended before it is out of the provider's view on `today`.
pub fn provider_view_cutoff(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(PROVIDER_VIEW_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_participation_is_kept_five_years_after_its_last_entry_and_no_longer() {
        let last = day(2020, 3, 2);
        assert_eq!(kept_until(last, 5), day(2025, 3, 2));
        assert!(!is_past_policy(last, 5, day(2025, 3, 2)));
        assert!(is_past_policy(last, 5, day(2025, 3, 3)));
        assert!(!is_past_policy(last, 10, day(2026, 12, 3)));
        assert_eq!(exited_before(5, day(2026, 12, 3)), day(2021, 12, 3));
    }

    #[test]
    fn a_provider_reads_a_referral_for_90_days_after_it_ended() {
        let cutoff = provider_view_cutoff(day(2026, 12, 3));
        assert_eq!(cutoff, day(2026, 9, 4));
        // Ended on 4 September: the 90th day after is 3 December, still in view.
        assert!(day(2026, 9, 4) >= cutoff);
        assert!(day(2026, 9, 3) < cutoff);
    }
}
