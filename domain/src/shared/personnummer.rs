//! Swedish personal identity numbers (personnummer) and coordination numbers
//! (samordningsnummer, day of birth + 60).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::luhn::luhn_check_digit;

/// A valid personnummer or samordningsnummer, held in the canonical 12-digit form
/// `YYYYMMDDNNNC`. Only [`Personnummer::parse`] makes one.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Personnummer(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonnummerError {
    #[error("use YYYYMMDD-NNNN, YYMMDD-NNNN (+ instead of - from age 100), or the same without separator")]
    Format,
    #[error("the date of birth does not exist")]
    Date,
    #[error("the check digit does not match")]
    CheckDigit,
    #[error("the date of birth lies in the future")]
    Future,
}

impl Personnummer {
    /// A number as stored (12 digits, checked when it was taken in): its form and check digit
    /// are checked again, its date not against today, which needs no clock.
    pub fn from_stored(raw: &str) -> Result<Self, PersonnummerError> {
        if raw.len() != 12 {
            return Err(PersonnummerError::Format);
        }
        Self::parse(raw, NaiveDate::MAX)
    }

    /// Parses the 10- or 12-digit forms, with or without separator. A 10-digit number takes its
    /// century from `today`: the latest birth year not after today, or 100 years earlier with `+`.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, PersonnummerError> {
        let raw = raw.trim();
        let (digits, separator) = split_separator(raw)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PersonnummerError::Format);
        }
        let full = match (digits.len(), separator) {
            (12, None | Some('-')) => digits,
            (10, separator) => format!("{}{digits}", century(&digits[..6], separator == Some('+'), today)?),
            _ => return Err(PersonnummerError::Format),
        };
        if luhn_check_digit(&full[2..11]) != full.as_bytes()[11] - b'0' {
            return Err(PersonnummerError::CheckDigit);
        }
        let parsed = Self(full);
        let birth = parsed.birth_date().ok_or(PersonnummerError::Date)?;
        if birth > today {
            return Err(PersonnummerError::Future);
        }
        Ok(parsed)
    }

    /// The canonical form `YYYYMMDDNNNN`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_coordination_number(&self) -> bool {
        self.day_field() > 60
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        let year: i32 = self.0[..4].parse().ok()?;
        let month: u32 = self.0[4..6].parse().ok()?;
        let day = self.day_field();
        let day = if day > 60 { day - 60 } else { day };
        NaiveDate::from_ymd_opt(year, month, day)
    }

    /// Age in whole years on `date`.
    pub fn age_on(&self, date: NaiveDate) -> Option<u32> {
        self.birth_date().map(|birth| age_on(birth, date))
    }

    fn day_field(&self) -> u32 {
        self.0[6..8].parse().unwrap_or(0)
    }
}

/// Age in whole years on `date` of someone born on `birth` (a 29 February birthday falls on
/// 1 March in common years).
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The digits and the separator (`-` or `+` before the last four digits), if any.
fn split_separator(raw: &str) -> Result<(String, Option<char>), PersonnummerError> {
    if !raw.is_ascii() {
        return Err(PersonnummerError::Format);
    }
    match raw.len() {
        10 | 12 => Ok((raw.to_owned(), None)),
        11 | 13 => {
            let at = raw.len() - 5;
            let separator = char::from(raw.as_bytes()[at]);
            if separator != '-' && separator != '+' {
                return Err(PersonnummerError::Format);
            }
            Ok((format!("{}{}", &raw[..at], &raw[at + 1..]), Some(separator)))
        }
        _ => Err(PersonnummerError::Format),
    }
}

fn century(yymmdd: &str, hundred_or_more: bool, today: NaiveDate) -> Result<String, PersonnummerError> {
    let yy: i32 = yymmdd[..2].parse().map_err(|_| PersonnummerError::Format)?;
    let mut year = today.year() - (today.year() - yy).rem_euclid(100);
    // Born later this year than today means a century earlier.
    let month: u32 = yymmdd[2..4].parse().map_err(|_| PersonnummerError::Format)?;
    let day: u32 = yymmdd[4..6].parse().map_err(|_| PersonnummerError::Format)?;
    let day = if day > 60 { day - 60 } else { day };
    if year == today.year() && (month, day) > (today.month(), today.day()) {
        year -= 100;
    }
    if hundred_or_more {
        year -= 100;
    }
    Ok(format!("{:02}", year / 100))
}

impl fmt::Display for Personnummer {
    /// `YYYYMMDD-NNNN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..8], &self.0[8..])
    }
}

/// Never print the number in debug output (logs): it is personal data.
impl fmt::Debug for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personnummer(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    /// Appends the right check digit to `YYYYMMDDNNN`.
    fn with_check_digit(eleven: &str) -> String {
        format!("{eleven}{}", luhn_check_digit(&eleven[2..]))
    }

    #[test]
    fn a_known_valid_number_parses_in_every_form() {
        for raw in [
            "198112189876",
            "19811218-9876",
            "8112189876",
            "811218-9876",
            " 811218-9876 ",
        ] {
            let parsed = Personnummer::parse(raw, today()).unwrap();
            assert_eq!(parsed.as_str(), "198112189876", "{raw}");
            assert_eq!(parsed.to_string(), "19811218-9876");
            assert_eq!(parsed.birth_date(), Some(day(1981, 12, 18)));
            assert_eq!(parsed.age_on(today()), Some(44));
            assert!(!parsed.is_coordination_number());
        }
    }

    #[test]
    fn a_stored_number_is_read_back_without_a_clock_and_only_in_its_stored_form() {
        assert_eq!(
            Personnummer::from_stored("198112189876").unwrap().as_str(),
            "198112189876"
        );
        assert_eq!(Personnummer::from_stored("8112189876"), Err(PersonnummerError::Format));
        assert_eq!(
            Personnummer::from_stored("198112189875"),
            Err(PersonnummerError::CheckDigit)
        );
    }

    #[test]
    fn the_check_digit_is_verified() {
        assert_eq!(
            Personnummer::parse("198112189875", today()),
            Err(PersonnummerError::CheckDigit)
        );
        assert_eq!(
            Personnummer::parse("811218-9870", today()),
            Err(PersonnummerError::CheckDigit)
        );
    }

    #[test]
    fn the_date_must_exist() {
        for eleven in [
            "19810230123",
            "19811301123",
            "19810000123",
            "20250229123",
            "19810132123",
        ] {
            assert_eq!(
                Personnummer::parse(&with_check_digit(eleven), today()),
                Err(PersonnummerError::Date),
                "{eleven}"
            );
        }
        // 2024 is a leap year.
        assert!(Personnummer::parse(&with_check_digit("20240229123"), today()).is_ok());
    }

    #[test]
    fn coordination_numbers_add_sixty_to_the_day() {
        let raw = with_check_digit("19701063239");
        let parsed = Personnummer::parse(&raw, today()).unwrap();
        assert!(parsed.is_coordination_number());
        assert_eq!(parsed.birth_date(), Some(day(1970, 10, 3)));
        assert_eq!(
            Personnummer::parse(&with_check_digit("19701092239"), today()),
            Err(PersonnummerError::Date)
        );
    }

    #[test]
    fn ten_digit_forms_take_the_century_from_today_and_plus_means_a_hundred_years_more() {
        let born_2010 = with_check_digit("20100315123");
        let short = &born_2010[2..];
        let dash = format!("{}-{}", &short[..6], &short[6..]);
        assert_eq!(
            Personnummer::parse(&dash, today()).unwrap().birth_date(),
            Some(day(2010, 3, 15))
        );
        let plus = format!("{}+{}", &short[..6], &short[6..]);
        assert_eq!(
            Personnummer::parse(&plus, today()).unwrap().birth_date(),
            Some(day(1910, 3, 15))
        );
        // Later this year than today: last century.
        let december = with_check_digit("19261224123");
        assert_eq!(
            Personnummer::parse(&december[2..], today()).unwrap().birth_date(),
            Some(day(1926, 12, 24))
        );
    }

    #[test]
    fn malformed_input_is_a_format_error() {
        for raw in [
            "",
            "12345",
            "19811218_9876",
            "1981121898761",
            "198112-189876",
            "19811218+9876x",
            "abcdefghij",
            "811218–9876",
        ] {
            assert_eq!(
                Personnummer::parse(raw, today()),
                Err(PersonnummerError::Format),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn a_birth_date_in_the_future_is_refused() {
        assert_eq!(
            Personnummer::parse(&with_check_digit("20301224123"), today()),
            Err(PersonnummerError::Future)
        );
    }

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(age_on(day(2000, 6, 15), day(2016, 6, 14)), 15);
        assert_eq!(age_on(day(2000, 6, 15), day(2016, 6, 15)), 16);
        assert_eq!(age_on(day(2004, 2, 29), day(2020, 2, 28)), 15);
        assert_eq!(age_on(day(2004, 2, 29), day(2020, 2, 29)), 16);
    }

    #[test]
    fn debug_output_hides_the_number() {
        let parsed = Personnummer::parse("198112189876", today()).unwrap();
        assert!(!format!("{parsed:?}").contains("9876"));
    }
}
