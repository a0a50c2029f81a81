//! Working days: Monday to Friday except Swedish public holidays and the eves that are in
//! practice days off (midsummer eve, Christmas eve, New Year's eve).

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday of `year` (Gregorian; the anonymous algorithm, "Meeus/Jones/Butcher").
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The first `weekday` on or after `from`.
fn first_on_or_after(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Days::new(u64::from(ahead))
}

/// Days off in `year` that fall on weekdays or weekends alike, sorted.
pub fn swedish_public_holidays(year: i32) -> Vec<NaiveDate> {
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let mut days: Vec<NaiveDate> = [
        date(1, 1),
        date(1, 6),
        date(5, 1),
        date(6, 6),
        date(12, 24),
        date(12, 25),
        date(12, 26),
        date(12, 31),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(easter) = easter_sunday(year) {
        for offset in [-2i64, 0, 1, 39, 49] {
            // Good Friday, Easter Sunday, Easter Monday, Ascension Day, Pentecost.
            if let Some(day) = easter.checked_add_signed(chrono::Duration::days(offset)) {
                days.push(day);
            }
        }
    }
    if let Some(june_19) = date(6, 19) {
        let midsummer_eve = first_on_or_after(june_19, Weekday::Fri);
        days.push(midsummer_eve);
        days.push(midsummer_eve + Days::new(1));
    }
    if let Some(october_31) = date(10, 31) {
        days.push(first_on_or_after(october_31, Weekday::Sat)); // All Saints' Day
    }
    days.sort();
    days.dedup();
    days
}

pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !swedish_public_holidays(date.year()).contains(&date)
}

/// The date `n` working days after `from` (`from` itself is not counted).
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    step_working_days(from, n, |date| date + Days::new(1))
}

/// The date `n` working days before `from` (`from` itself is not counted).
pub fn subtract_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    step_working_days(from, n, |date| date - Days::new(1))
}

fn step_working_days(from: NaiveDate, n: u32, step: impl Fn(NaiveDate) -> NaiveDate) -> NaiveDate {
    let mut date = from;
    let mut left = n;
    while left > 0 {
        date = step(date);
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_sunday_over_several_years() {
        let known = [
            (2019, 4, 21),
            (2020, 4, 12),
            (2021, 4, 4),
            (2022, 4, 17),
            (2023, 4, 9),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
        ];
        for (y, m, d) in known {
            assert_eq!(easter_sunday(y), Some(day(y, m, d)), "{y}");
        }
    }

    #[test]
    fn holidays_of_2026() {
        assert_eq!(
            swedish_public_holidays(2026),
            vec![
                day(2026, 1, 1),   // New Year's Day
                day(2026, 1, 6),   // Epiphany
                day(2026, 4, 3),   // Good Friday
                day(2026, 4, 5),   // Easter Sunday
                day(2026, 4, 6),   // Easter Monday
                day(2026, 5, 1),   // May Day
                day(2026, 5, 14),  // Ascension Day
                day(2026, 5, 24),  // Pentecost
                day(2026, 6, 6),   // National Day
                day(2026, 6, 19),  // Midsummer Eve
                day(2026, 6, 20),  // Midsummer Day
                day(2026, 10, 31), // All Saints' Day
                day(2026, 12, 24),
                day(2026, 12, 25),
                day(2026, 12, 26),
                day(2026, 12, 31),
            ]
        );
    }

    #[test]
    fn moving_holidays_in_other_years() {
        let h2025 = swedish_public_holidays(2025);
        for d in [
            day(2025, 4, 18),
            day(2025, 4, 21),
            day(2025, 5, 29),
            day(2025, 6, 20),
            day(2025, 11, 1),
        ] {
            assert!(h2025.contains(&d), "{d}");
        }
        let h2027 = swedish_public_holidays(2027);
        for d in [
            day(2027, 3, 26),
            day(2027, 3, 29),
            day(2027, 5, 6),
            day(2027, 6, 25),
            day(2027, 11, 6),
        ] {
            assert!(h2027.contains(&d), "{d}");
        }
    }

    #[test]
    fn five_working_days_skip_weekends_and_holidays() {
        // Monday 2026-11-23 + 5 working days = Monday 2026-11-30.
        assert_eq!(add_working_days(day(2026, 11, 23), 5), day(2026, 11, 30));
        // Over Christmas 2026: Mon 21 Dec + 5 skips 24, 25, 26 and the weekend: 21→22,23,28,29,30.
        assert_eq!(add_working_days(day(2026, 12, 21), 5), day(2026, 12, 30));
        // Over Easter 2026: Thursday 2 April + 5: skips Good Friday, the weekend, Easter Monday.
        assert_eq!(add_working_days(day(2026, 4, 2), 5), day(2026, 4, 13));
        // Starting on a Saturday counts from Monday.
        assert_eq!(add_working_days(day(2026, 11, 21), 1), day(2026, 11, 23));
        // Midsummer 2025: Wed 18 June + 2 → Thu 19, (Fri 20 eve off) → Mon 23.
        assert_eq!(add_working_days(day(2025, 6, 18), 2), day(2025, 6, 23));
        assert_eq!(add_working_days(day(2026, 11, 23), 0), day(2026, 11, 23));
    }

    #[test]
    fn working_days_back_skip_the_same_days() {
        // Back over Christmas 2026: Wed 30 Dec - 5 = Mon 21 Dec, the mirror of the above.
        assert_eq!(subtract_working_days(day(2026, 12, 30), 5), day(2026, 12, 21));
        // From a Sunday, one back is Friday.
        assert_eq!(subtract_working_days(day(2026, 11, 22), 1), day(2026, 11, 20));
        assert_eq!(subtract_working_days(day(2026, 11, 23), 0), day(2026, 11, 23));
    }

    #[test]
    fn weekends_and_holidays_are_not_working_days() {
        assert!(is_working_day(day(2026, 11, 23)));
        assert!(!is_working_day(day(2026, 11, 22)));
        assert!(!is_working_day(day(2026, 6, 19)));
        assert!(!is_working_day(day(2026, 1, 6)));
    }
}
