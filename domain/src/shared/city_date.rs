//! The city's calendar: every date rule (working days, "not in the future", deadlines, expiry)
//! counts in Stockholm's dates, not UTC's. Between midnight and 01:00 (02:00 in summer) the two
//! differ by a day.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The time zone of the city's dates.
pub const CITY_TIME_ZONE: Tz = chrono_tz::Europe::Stockholm;

/// The date in Stockholm at `instant`.
pub fn city_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&CITY_TIME_ZONE).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn after_midnight_in_stockholm_it_is_already_tomorrow() {
        // Winter: UTC+1. 23:30 UTC on 1 December is 00:30 on 2 December in Stockholm.
        assert_eq!(city_date(at("2026-12-01T23:30:00Z")), date(2026, 12, 2));
        assert_eq!(city_date(at("2026-12-01T22:59:59Z")), date(2026, 12, 1));
        // Summer: UTC+2.
        assert_eq!(city_date(at("2026-06-14T22:30:00Z")), date(2026, 6, 15));
        assert_eq!(city_date(at("2026-06-14T21:59:59Z")), date(2026, 6, 14));
    }

    #[test]
    fn the_change_to_and_from_summer_time_keeps_the_date() {
        // 29 March 2026: 02:00 becomes 03:00; 25 October 2026: 03:00 becomes 02:00.
        assert_eq!(city_date(at("2026-03-29T00:59:59Z")), date(2026, 3, 29));
        assert_eq!(city_date(at("2026-03-28T22:59:59Z")), date(2026, 3, 28));
        assert_eq!(city_date(at("2026-03-28T23:00:00Z")), date(2026, 3, 29));
        assert_eq!(city_date(at("2026-10-24T21:59:59Z")), date(2026, 10, 24));
        assert_eq!(city_date(at("2026-10-24T22:00:00Z")), date(2026, 10, 25));
        assert_eq!(city_date(at("2026-10-25T22:59:59Z")), date(2026, 10, 25));
        assert_eq!(city_date(at("2026-10-25T23:00:00Z")), date(2026, 10, 26));
    }
}
