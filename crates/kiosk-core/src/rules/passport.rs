//! Passport numbers: Chinese ordinary passports have fixed formats; foreign ones only a
//! length and charset check.

use super::Validated;
use super::input::normalize_code;
use super::permits::PermitNumber;

user_facing_errors! {
    /// Why a passport number is refused.
    pub enum PassportError {
        /// Not E + 8 digits, E + letter + 7 digits, or G + 8 digits.
        ChineseFormat = "PASSPORT_CHINESE_FORMAT" {
            zh: "中国普通护照号码应为 E 加 8 位数字、E 加 1 位字母和 7 位数字，或旧版 G 加 8 位数字，请核对。",
            en: "A Chinese passport number is E and 8 digits, E, a letter and 7 digits, or (older) G and 8 digits. Check it."
        },
        /// A foreign passport number outside 5-20 letters and digits.
        ForeignFormat = "PASSPORT_FOREIGN_FORMAT" {
            zh: "护照号码应为 5-20 位字母或数字，请核对。",
            en: "A passport number has 5-20 letters or digits. Check it."
        },
    }
}

/// Whether `country` (ISO 3166 alpha-3 or a Chinese name) means a Chinese passport.
/// No country given is read as Chinese: the kiosk's default visitor.
pub fn is_chinese_country(country: Option<&str>) -> bool {
    match country.map(str::trim) {
        None | Some("") => true,
        Some(c) => c.eq_ignore_ascii_case("CHN") || c == "中国" || c == "中华人民共和国",
    }
}

/// Validates a passport number; `chinese` selects the Chinese formats.
pub fn validate_passport(input: &str, chinese: bool) -> Validated<PermitNumber> {
    let code = match normalize_code(input) {
        Ok(code) => code,
        Err(e) => return Validated::invalid(e),
    };
    let b = code.as_bytes();
    if !chinese {
        return if code.is_ascii()
            && (5..=20).contains(&b.len())
            && b.iter().all(u8::is_ascii_alphanumeric)
        {
            Validated::valid(PermitNumber {
                number: code,
                variant: "foreign",
                holder: None,
            })
        } else {
            Validated::invalid(PassportError::ForeignFormat)
        };
    }
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let variant = match b {
        [b'E', rest @ ..] if rest.len() == 8 && digits(rest) => "E",
        [b'E', l, rest @ ..]
            if rest.len() == 7
                && l.is_ascii_uppercase()
                && !matches!(l, b'I' | b'O')
                && digits(rest) =>
        {
            "E-letter"
        }
        [b'G', rest @ ..] if rest.len() == 8 && digits(rest) => "G",
        _ => return Validated::invalid(PassportError::ChineseFormat),
    };
    Validated::valid(PermitNumber {
        number: code,
        variant,
        holder: None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn chinese_passports_in_three_formats() {
        for good in ["E12345678", "ea1234567", "G12345678"] {
            assert!(validate_passport(good, true).is_valid(), "{good}");
        }
        for bad in ["E1234567", "EI1234567", "P12345678", "E123456789"] {
            let v = validate_passport(bad, true);
            assert_eq!(v.errors[0].code, "PASSPORT_CHINESE_FORMAT", "{bad}");
        }
    }

    #[test]
    fn foreign_passports_only_need_letters_and_digits() {
        assert!(validate_passport("X1234567A", false).is_valid());
        assert_eq!(
            validate_passport("AB#12", false).errors[0].code,
            "PASSPORT_FOREIGN_FORMAT"
        );
        assert!(is_chinese_country(Some("chn")) && !is_chinese_country(Some("USA")));
    }
}
