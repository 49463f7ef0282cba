//! Mobile numbers, e-mail addresses and SMS codes.

use super::Validated;
use super::input::{normalize_code, normalize_text};

user_facing_errors! {
    /// Why contact data is refused.
    pub enum ContactError {
        /// Not an 11-digit mainland mobile number starting 13-19.
        Mobile = "MOBILE_FORMAT" {
            zh: "手机号码应为 1 开头的 11 位数字（第二位 3-9），请核对。",
            en: "A mobile number has 11 digits starting with 1 and then 3-9. Check it."
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

/// Validates a mainland mobile number, accepting `+86`/`0086` and spaces; returns 11 digits.
pub fn validate_mobile(input: &str) -> Validated<String> {
    let code = match normalize_code(input) {
        Ok(code) => code,
        Err(e) => return Validated::invalid(e),
    };
    let digits = code
        .strip_prefix("+86")
        .or_else(|| code.strip_prefix("0086"))
        .or_else(|| code.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&code);
    let b = digits.as_bytes();
    if b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
    {
        Validated::valid(digits.to_owned())
    } else {
        Validated::invalid(ContactError::Mobile)
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
