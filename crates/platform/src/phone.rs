//! Mobile numbers: the forms the platform accepts, their one stored form, and masking.
//!
//! Accepted (after removing spaces and hyphens):
//! - mainland China `1[3-9]` + 9 digits, optionally written `+86…`; stored as the 11 digits;
//! - Hong Kong `+852` + 8 digits starting 5, 6, 7 or 9;
//! - Macao `+853` + 8 digits starting 6;
//! - Taiwan `+886` + 9 digits starting 9;
//! - any other country code: `+` and 8-15 digits in total (E.164), the first not 0.
//!
//! International numbers are stored with their `+`: `+85291234567`.

use crate::ApiError;

/// Which kind of number a normalised phone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneRegion {
    /// Mainland China, 11 digits.
    Mainland,
    /// Hong Kong, `+852`.
    HongKong,
    /// Macao, `+853`.
    Macao,
    /// Taiwan, `+886`.
    Taiwan,
    /// Any other country code.
    Other,
}

/// The error for a number in none of the accepted forms.
pub fn phone_invalid() -> ApiError {
    ApiError::bad_request(
        "PHONE_INVALID",
        "手机号码格式不正确。请填写中国大陆 11 位手机号（如 13800138000），或带国际区号的号码：香港 +852 加 8 位、澳门 +853 加 8 位、台湾 +886 加 9 位，其他国家和地区 + 加区号和号码共 8-15 位。",
        "The mobile number is not valid. Enter a mainland China mobile of 11 digits (e.g. 13800138000), or an international number with its country code: Hong Kong +852 and 8 digits, Macao +853 and 8 digits, Taiwan +886 and 9 digits, elsewhere + and 8-15 digits in total.",
    )
}

fn is_mainland(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// The stored form of `input`, or `None` when it is in none of the accepted forms.
pub fn normalise_phone(input: &str) -> Option<String> {
    if input.len() > 64 {
        return None;
    }
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let Some(international) = compact.strip_prefix('+') else {
        return is_mainland(&compact).then_some(compact);
    };
    if !international.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(national) = international.strip_prefix("86") {
        return is_mainland(national).then(|| national.to_owned());
    }
    let region_ok = |rest: &str, len: usize, first: &[u8]| {
        rest.len() == len && rest.bytes().next().is_some_and(|b| first.contains(&b))
    };
    let ok = if let Some(rest) = international.strip_prefix("852") {
        region_ok(rest, 8, b"5679")
    } else if let Some(rest) = international.strip_prefix("853") {
        region_ok(rest, 8, b"6")
    } else if let Some(rest) = international.strip_prefix("886") {
        region_ok(rest, 9, b"9")
    } else {
        (8..=15).contains(&international.len()) && !international.starts_with('0')
    };
    ok.then(|| format!("+{international}"))
}

/// Normalises `input`, answering `400 PHONE_INVALID` when it is in none of the accepted forms.
pub fn require_phone(input: &str) -> Result<String, ApiError> {
    normalise_phone(input).ok_or_else(phone_invalid)
}

/// The region of a normalised number.
pub fn region(normalised: &str) -> PhoneRegion {
    match normalised.strip_prefix('+') {
        None => PhoneRegion::Mainland,
        Some(n) if n.starts_with("852") => PhoneRegion::HongKong,
        Some(n) if n.starts_with("853") => PhoneRegion::Macao,
        Some(n) if n.starts_with("886") => PhoneRegion::Taiwan,
        Some(_) => PhoneRegion::Other,
    }
}

/// A number fit for a screen or a receipt: everything but the first three and the last four
/// digits replaced by `*` (`138****8000`, `+85****5678`).
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 3 || i >= chars.len() - 4 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mainland_numbers_lose_their_country_code_spaces_and_hyphens() {
        for input in [
            "13800138000",
            "+8613800138000",
            "+86 138 0013 8000",
            "138-0013-8000",
            " 13800138000 ",
        ] {
            assert_eq!(
                normalise_phone(input).as_deref(),
                Some("13800138000"),
                "{input:?}"
            );
        }
        for bad in [
            "12800138000",
            "1380013800",
            "138001380001",
            "23800138000",
            "8613800138000",
            "+86 12800138000",
            "1380013800x",
            "",
            "+",
        ] {
            assert_eq!(normalise_phone(bad), None, "{bad:?} is refused");
        }
    }

    #[test]
    fn hong_kong_macao_and_taiwan_follow_their_own_plans() {
        assert_eq!(
            normalise_phone("+852 9123 4567").as_deref(),
            Some("+85291234567")
        );
        assert_eq!(
            normalise_phone("+852-5123-4567").as_deref(),
            Some("+85251234567")
        );
        assert_eq!(normalise_phone("+85281234567"), None, "HK mobiles: 5/6/7/9");
        assert_eq!(normalise_phone("+8529123456"), None, "HK: 8 digits");
        assert_eq!(
            normalise_phone("+853 6612 3456").as_deref(),
            Some("+85366123456")
        );
        assert_eq!(
            normalise_phone("+85328123456"),
            None,
            "Macao mobiles start 6"
        );
        assert_eq!(
            normalise_phone("+886 912 345 678").as_deref(),
            Some("+886912345678")
        );
        assert_eq!(normalise_phone("+886212345678"), None, "Taiwan mobiles: 9");
        assert_eq!(normalise_phone("+88691234567"), None, "Taiwan: 9 digits");
    }

    #[test]
    fn other_countries_need_eight_to_fifteen_digits() {
        assert_eq!(
            normalise_phone("+1 415 555 2671").as_deref(),
            Some("+14155552671")
        );
        assert_eq!(
            normalise_phone("+44 7911 123456").as_deref(),
            Some("+447911123456")
        );
        assert_eq!(normalise_phone("+1234567"), None, "7 digits");
        assert_eq!(normalise_phone("+1234567890123456"), None, "16 digits");
        assert_eq!(normalise_phone("+0123456789"), None, "no country code 0");
        assert_eq!(normalise_phone("+44 (0)7911"), None, "no brackets");
        assert_eq!(
            normalise_phone("+４４７９１１１２３４５６"),
            None,
            "full-width digits"
        );
    }

    #[test]
    fn regions_and_masks() {
        assert_eq!(region("13800138000"), PhoneRegion::Mainland);
        assert_eq!(region("+85291234567"), PhoneRegion::HongKong);
        assert_eq!(region("+85366123456"), PhoneRegion::Macao);
        assert_eq!(region("+886912345678"), PhoneRegion::Taiwan);
        assert_eq!(region("+14155552671"), PhoneRegion::Other);
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("+85291234567"), "+85*****4567");
        assert_eq!(mask_phone("123"), "***");
    }

    proptest! {
        #[test]
        fn normalising_never_panics_and_is_idempotent(input in "\\PC{0,40}") {
            if let Some(n) = normalise_phone(&input) {
                prop_assert_eq!(normalise_phone(&n), Some(n.clone()));
                prop_assert!(n.len() <= 16);
                prop_assert!(n.trim_start_matches('+').bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn every_mainland_mobile_is_accepted_in_every_spelling(
            second in 3u8..=9, rest in "[0-9]{9}", spaced in any::<bool>(), plus in any::<bool>()
        ) {
            let digits = format!("1{second}{rest}");
            let mut input = if spaced {
                format!("{} {} {}", &digits[..3], &digits[3..7], &digits[7..])
            } else {
                digits.clone()
            };
            if plus {
                input = format!("+86 {input}");
            }
            prop_assert_eq!(normalise_phone(&input), Some(digits));
        }

        #[test]
        fn masks_keep_the_length_and_hide_the_middle(input in "[+0-9]{0,16}") {
            let masked = mask_phone(&input);
            prop_assert_eq!(masked.chars().count(), input.chars().count());
        }
    }
}
