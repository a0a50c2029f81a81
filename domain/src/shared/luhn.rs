//! The Luhn check digit that personnummer and organisationsnummer share.

/// The check digit of nine digits (YYMMDDNNN of a personnummer, the first nine of an
/// organisationsnummer).
pub fn luhn_check_digit(nine: &str) -> u8 {
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0')) * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers_end_in_their_check_digit() {
        // 811218-9876 (Skatteverket's example) and 556000-0019.
        assert_eq!(luhn_check_digit("811218987"), 6);
        assert_eq!(luhn_check_digit("556000001"), 9);
    }
}
