//! Value types shared by the resources.

mod city_date;
mod code;
mod code_enum;
mod luhn;
mod org_number;
mod personnummer;
mod text;
mod working_days;

pub use city_date::{city_date, CITY_TIME_ZONE};
pub use code::{Code, InvalidCode};
pub use luhn::luhn_check_digit;
pub use org_number::{OrgNumber, OrgNumberError};
pub use personnummer::{age_on, Personnummer, PersonnummerError};
pub use text::{clean_text, TextError};
pub use working_days::{add_working_days, is_working_day, subtract_working_days, swedish_public_holidays};
