//! Mobile numbers, e-mail addresses and SMS codes.

use super::Validated;
use super::input::{normalize_code, normalize_text};

user_facing_errors! {
    /// Why contact data is refused.
    pub enum ContactError {
        /// Neither an 11-digit mainland mobile number nor an international one with `+`.
        Mobile = "MOBILE_FORMAT" {
            zh: "手机号码应为 1 开头的 11 位数字（第二位 3-9）；港澳台及境外号码请以 + 和国家或地区代码开头（如 +852 91234567），请核对。",
            en: "A mainland mobile has 11 digits starting with 1 and then 3-9; other numbers start with + and the country or region code (e.g. +852 91234567). Check it."
        },
        /// An international number where the platform only takes mainland mobiles.
        MobileMainlandOnly = "MOBILE_MAINLAND_ONLY" {
            zh: "该平台只接受中国大陆手机号码（1 开头的 11 位数字）。如没有大陆号码，请到人工窗口办理。",
            en: "This platform only takes mainland China mobile numbers (11 digits starting with 1). Without one, go to a staffed counter."
        },
        /// Not a plausible e-mail address.
        Email = "EMAIL_FORMAT" {
            zh: "电子邮箱格式不正确（例如 name@example.com），请核对。",
            en: "The e-mail address is not valid (e.g. name@example.com). Check it."
        },
        /// Not 6 digits.
        SmsCode = "SMS_CODE_FORMAT" {
            zh: "短信验证码应为 6 位数字，请查看短信后重新输入。",
            en: "The SMS code has 6 digits. Read the message and type it again."
        },
        /// Not a plausible landline or office number.
        Phone = "PHONE_FORMAT" {
            zh: "电话号码应为 7-20 位数字，可含区号和分机号，请核对。",
            en: "A phone number has 7-20 digits, optionally with area code and extension. Check it."
        },
    }
}

/// Where a mobile number is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MobileRegion {
    /// Mainland China: 11 digits starting 13-19.
    Mainland,
    /// Hong Kong (+852): 8 digits starting 5, 6, 7 or 9.
    HongKong,
    /// Macao (+853): 8 digits starting 6.
    Macao,
    /// Taiwan (+886): 9 digits starting 9.
    Taiwan,
    /// Any other country: `+`, then 8-15 digits in all (ITU-T E.164).
    International,
}

impl MobileRegion {
    /// The region of a number as [`validate_mobile`] normalised it.
    pub fn of(normalized: &str) -> Self {
        match normalized.strip_prefix('+') {
            None => Self::Mainland,
            Some(rest) if rest.starts_with("852") => Self::HongKong,
            Some(rest) if rest.starts_with("853") => Self::Macao,
            Some(rest) if rest.starts_with("886") => Self::Taiwan,
            Some(_) => Self::International,
        }
    }
}

/// Whether `digits` (ASCII digits only) is a mainland mobile: 11 digits, `1`, then 3-9.
fn is_mainland(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// The E.164 digits after `+` as a normalised number, or `None` when they fit no rule.
fn international(digits: &str) -> Option<String> {
    let fixed = |cc: &str, len: usize, first: &[u8]| {
        let rest = digits.strip_prefix(cc)?;
        // Taiwan numbers are often written with their trunk 0 after the country code.
        let rest = if cc == "886" {
            rest.strip_prefix('0').unwrap_or(rest)
        } else {
            rest
        };
        (rest.len() == len && first.contains(&rest.as_bytes()[0])).then(|| format!("+{cc}{rest}"))
    };
    if let Some(rest) = digits.strip_prefix("86") {
        return is_mainland(rest).then(|| rest.to_owned());
    }
    for (cc, len, first) in [("852", 8, &b"5679"[..]), ("853", 8, b"6"), ("886", 9, b"9")] {
        if digits.starts_with(cc) {
            return fixed(cc, len, first);
        }
    }
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}

/// Validates a mobile number: mainland (accepting `+86`/`0086`/`86` and spaces; normalised to
/// 11 digits) or international with `+`/`00` and its country code (normalised to `+<digits>`,
/// see [`MobileRegion`]). Whether a platform takes international numbers is the profile's
/// `internationalMobiles`.
pub fn validate_mobile(input: &str) -> Validated<String> {
    let code = match normalize_code(input) {
        Ok(code) => code.replace(['(', ')', '.'], ""),
        Err(e) => return Validated::invalid(e),
    };
    let (plus, digits) = match (code.strip_prefix('+'), code.strip_prefix("00")) {
        (Some(rest), _) | (None, Some(rest)) => (true, rest),
        (None, None) => (false, code.as_str()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Validated::invalid(ContactError::Mobile);
    }
    let normalized = if plus {
        international(digits)
    } else if let Some(rest) = digits.strip_prefix("86").filter(|r| r.len() == 11) {
        is_mainland(rest).then(|| rest.to_owned())
    } else {
        is_mainland(digits).then(|| digits.to_owned())
    };
    normalized.map_or_else(
        || Validated::invalid(ContactError::Mobile),
        Validated::valid,
    )
}

/// [`validate_mobile`], refusing international numbers where `international` is `false`.
pub fn validate_mobile_for(input: &str, international: bool) -> Validated<String> {
    let result = validate_mobile(input);
    match &result.value {
        Some(m) if !international && MobileRegion::of(m) != MobileRegion::Mainland => {
            Validated::invalid(ContactError::MobileMainlandOnly)
        }
        _ => result,
    }
}

/// Validates an e-mail address (ASCII, one `@`, dotted domain); lower-cases the domain.
pub fn validate_email(input: &str) -> Validated<String> {
    let text = match normalize_text(input) {
        Ok(t) => t,
        Err(e) => return Validated::invalid(e),
    };
    let Some((local, domain)) = text.split_once('@') else {
        return Validated::invalid(ContactError::Email);
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._%+-".contains(&c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Validated::valid(format!("{local}@{}", domain.to_ascii_lowercase()))
    } else {
        Validated::invalid(ContactError::Email)
    }
}

/// Validates an SMS verification code: exactly 6 digits.
pub fn validate_sms_code(input: &str) -> Validated<String> {
    match normalize_code(input) {
        Ok(code) if code.len() == 6 && code.bytes().all(|c| c.is_ascii_digit()) => {
            Validated::valid(code)
        }
        Ok(_) => Validated::invalid(ContactError::SmsCode),
        Err(e) => Validated::invalid(e),
    }
}

/// Validates a landline or office number: 7-20 digits, `-`, `+`, spaces, brackets allowed.
pub fn validate_phone(input: &str) -> Validated<String> {
    let text = match normalize_text(input) {
        Ok(t) => t,
        Err(e) => return Validated::invalid(e),
    };
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let allowed = text
        .bytes()
        .all(|c| c.is_ascii_digit() || b"-+() ".contains(&c) || c == b'X' || c == b'x');
    if allowed && (7..=20).contains(&digits) {
        Validated::valid(text)
    } else {
        Validated::invalid(ContactError::Phone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalised_to_eleven_digits() {
        for input in [
            "13812345678",
            "+86 138 1234 5678",
            "0086-13812345678",
            "8613812345678",
            "１３８１２３４５６７８",
        ] {
            assert_eq!(
                validate_mobile(input).value.as_deref(),
                Some("13812345678"),
                "{input}"
            );
        }
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "1381234567a",
            "手机",
        ] {
            assert_eq!(
                validate_mobile(bad).errors[0].code,
                "MOBILE_FORMAT",
                "{bad}"
            );
        }
    }

    #[test]
    fn hong_kong_macao_taiwan_and_foreign_mobiles_keep_their_country_code() {
        for (input, normalized, region) in [
            ("+852 9123 4567", "+85291234567", MobileRegion::HongKong),
            ("00853 6612 3456", "+85366123456", MobileRegion::Macao),
            ("+886 0912 345 678", "+886912345678", MobileRegion::Taiwan),
            ("+886912345678", "+886912345678", MobileRegion::Taiwan),
            (
                "+1 (415) 555-0132",
                "+14155550132",
                MobileRegion::International,
            ),
            (
                "+44 7700 900123",
                "+447700900123",
                MobileRegion::International,
            ),
            ("+86 138 1234 5678", "13812345678", MobileRegion::Mainland),
        ] {
            let checked = validate_mobile(input);
            assert_eq!(checked.value.as_deref(), Some(normalized), "{input}");
            assert_eq!(MobileRegion::of(normalized), region, "{input}");
        }
        for bad in [
            "+852 1234 5678",
            "+853 9123 4567",
            "+886 812345678",
            "+1234",
            "+0123456789",
            "+",
        ] {
            assert_eq!(
                validate_mobile(bad).errors[0].code,
                "MOBILE_FORMAT",
                "{bad}"
            );
        }
        assert_eq!(
            validate_mobile_for("+85291234567", false).errors[0].code,
            "MOBILE_MAINLAND_ONLY"
        );
        assert!(validate_mobile_for("13812345678", false).is_valid());
        assert!(validate_mobile_for("+85291234567", true).is_valid());
    }

    #[test]
    fn email_addresses_need_a_dotted_domain() {
        assert_eq!(
            validate_email(" Li.Lei@Example.COM ").value.as_deref(),
            Some("Li.Lei@example.com")
        );
        for bad in [
            "lilei",
            "a@b",
            "@example.com",
            "a..b@example.com",
            "张三@example.com",
            "a@exa_mple.com",
        ] {
            assert_eq!(validate_email(bad).errors[0].code, "EMAIL_FORMAT", "{bad}");
        }
    }

    #[test]
    fn sms_codes_and_phones() {
        assert!(validate_sms_code(" 012345 ").is_valid());
        assert_eq!(validate_sms_code("12345").errors[0].code, "SMS_CODE_FORMAT");
        assert!(validate_phone("022-2345 6789").is_valid());
        assert_eq!(validate_phone("12-34").errors[0].code, "PHONE_FORMAT");
    }
}
