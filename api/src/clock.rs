//! The one clock of the server. Everything that needs the time or the date asks it; the date is
//! Stockholm's (`domain::shared::city_date`). Development and tests may set it to start at a
//! given instant (`CLOCK_START`) and run on from there, so the time rules can be tried without
//! waiting; production (tokens verified with a JWK set) may not.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    /// How far this clock runs ahead of (or behind) the system's.
    offset: TimeDelta,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Clock::default()
    }

    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Clock {
            offset: start - Utc::now(),
        }
    }

    pub fn is_set(&self) -> bool {
        self.offset != TimeDelta::zero()
    }

    /// The instant now: the only reading of the system time in the server.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    /// Now as stored in the database (UTC without zone).
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Today's date in Stockholm.
    pub fn today(&self) -> NaiveDate {
        domain::shared::city_date(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_starts_where_it_was_set_and_runs_on() {
        let start = DateTime::parse_from_rfc3339("2026-12-01T23:30:00Z").unwrap().to_utc();
        let clock = Clock::starting_at(start);
        assert!(clock.is_set());
        let read = clock.now();
        assert!(read >= start && read - start < TimeDelta::seconds(5), "{read}");
        // 00:30 in Stockholm: already the 2nd there, still the 1st in UTC.
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        assert!(!Clock::system().is_set());
    }
}
