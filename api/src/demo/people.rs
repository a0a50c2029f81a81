//! The demo's people: made-up names, addresses and personnummer with valid check digits,
//! the same on every run (serial `n` is always the same person).

use chrono::{Datelike, Months, NaiveDate};
use domain::participant::{Address, Contact};
use domain::shared::{add_working_days, luhn_check_digit, Code, Personnummer};

use crate::ops::intake::Intake;
use crate::ops::OpError;

const FIRST_NAMES: [&str; 16] = [
    "Amina", "Johan", "Fatima", "Erik", "Leyla", "Mikael", "Sara", "Ahmed", "Elin", "Yusuf", "Maria", "Daniel",
    "Hodan", "Oskar", "Nour", "Karin",
];
const LAST_NAMES: [&str; 13] = [
    "Hassan",
    "Lindqvist",
    "Ali",
    "Berg",
    "Yilmaz",
    "Nyström",
    "Mohamed",
    "Karlsson",
    "Abdi",
    "Holm",
    "Rahimi",
    "Sandberg",
    "Osman",
];
const STREETS: [&str; 8] = [
    "Kistagången",
    "Rinkebysvingen",
    "Tensta allé",
    "Vällingbyplan",
    "Farstagången",
    "Skärholmsvägen",
    "Hornsgatan",
    "Fleminggatan",
];

/// The intake of the `n`th person, referred by `district` to `target_group` on `referred_on`:
/// aged 19 to 63 on `today` (every fifth one under 25, so the youth target group is derived
/// for some), one in seventeen with a protected identity.
pub fn intake(
    n: usize,
    today: NaiveDate,
    district: &Code,
    target_group: Code,
    referred_on: NaiveDate,
) -> Result<Intake, OpError> {
    let age = if n.is_multiple_of(5) {
        19 + (n / 5 % 6) as u32
    } else {
        25 + (n * 7 % 39) as u32
    };
    let born = today
        .checked_sub_months(Months::new(age * 12 + (n % 11) as u32))
        .and_then(|d| d.with_day(1 + (n % 28) as u32))
        .unwrap_or(today);
    let first_name = FIRST_NAMES[n % FIRST_NAMES.len()].to_owned();
    let last_name = LAST_NAMES[n * 5 % LAST_NAMES.len()].to_owned();
    let protected_identity = n % 17 == 3;
    Ok(Intake {
        personnummer: personnummer(born, (n % 900 + 100) as u32, today)?,
        district: district.clone(),
        target_groups: vec![target_group],
        referral_reason: "Arbetslös sedan mer än ett år, uppbär försörjningsstöd.".to_owned(),
        requested_start: add_working_days(referred_on, 1),
        referred_on: None,
        contact: Contact {
            phone: Some(format!("070-{:03} {:02} {:02}", 100 + n % 900, n % 97, n % 89)),
            email: Some(format!("{}.{}{n}@example.se", ascii(&first_name), ascii(&last_name))),
        },
        address: if protected_identity {
            Address::default()
        } else {
            Address {
                street: Some(format!("{} {}", STREETS[n % STREETS.len()], 1 + n % 60)),
                postal_code: Some(format!("1{:02} {:02}", 60 + n % 40, n % 100)),
                city: Some("Stockholm".to_owned()),
            }
        },
        language_needs: (n % 4 == 1).then(|| "Tolk på arabiska".to_owned()),
        protected_identity,
        first_name,
        last_name,
    })
}

/// A personnummer for `born` with serial `serial` (three digits) and its Luhn check digit.
fn personnummer(born: NaiveDate, serial: u32, today: NaiveDate) -> Result<Personnummer, OpError> {
    let nine = format!(
        "{:02}{:02}{:02}{serial:03}",
        born.year() % 100,
        born.month(),
        born.day()
    );
    let raw = format!("{}-{serial:03}{}", born.format("%Y%m%d"), luhn_check_digit(&nine));
    Personnummer::parse(&raw, today).map_err(|e| OpError::Internal(format!("demo personnummer {raw}: {e}")))
}

fn ascii(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_person_is_valid_and_distinct() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let numbers: std::collections::HashSet<String> = (0..400)
            .map(|n| {
                let (district, group) = (Code::parse("farsta").unwrap(), Code::parse("sfi_student").unwrap());
                intake(n, today, &district, group, today)
                    .unwrap()
                    .personnummer
                    .to_string()
            })
            .collect();
        assert_eq!(numbers.len(), 400);
    }
}
