//! Resident Identity Card numbers (GB 11643-1999), including the upgrade of 15-digit numbers.

use super::Validated;
use super::input::normalize_code;
use crate::UserFacing;
use crate::date::Date;
use crate::document::Sex;
use crate::reference;

/// Weights of the first 17 characters in the ISO 7064 MOD 11-2 check.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by `Σ dᵢ·Wᵢ mod 11`.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

user_facing_errors! {
    /// Why a resident ID number is refused or questioned.
    pub enum ResidentIdError {
        /// Letters other than a final X, or non-ASCII characters.
        Charset = "RESIDENT_ID_CHARSET" {
            zh: "身份证号码只能由数字和末位的 X 组成，请核对后重新输入。",
            en: "An ID number has only digits and possibly a final X. Check it and type it again."
        },
        /// Neither 18 nor 15 characters.
        Length = "RESIDENT_ID_LENGTH" {
            zh: "身份证号码应为 18 位（旧证 15 位），请核对位数。",
            en: "An ID number has 18 characters (old cards 15). Check the number of digits."
        },
        /// The first digit is not 1-8 (9 is the foreigner permanent residence card).
        AreaFirstDigit = "RESIDENT_ID_AREA" {
            zh: "身份证号码的地区码不正确（应以 1-8 开头；以 9 开头的是外国人永久居留身份证，请改选证件类型）。",
            en: "The area code is wrong (it starts with 1-8; numbers starting with 9 are foreigner permanent residence cards: choose that document type)."
        },
        /// Positions 7-14 are not a real date.
        BirthDate = "RESIDENT_ID_BIRTH_DATE" {
            zh: "身份证号码中的出生日期（第 7-14 位）不是有效日期，请核对。",
            en: "The birth date in the ID number (digits 7-14) is not a real date. Check the number."
        },
        /// The birth date lies after today.
        BirthInFuture = "RESIDENT_ID_BIRTH_FUTURE" {
            zh: "身份证号码中的出生日期晚于今天，请核对。",
            en: "The birth date in the ID number is after today. Check the number."
        },
        /// The check character does not match the other 17.
        CheckChar = "RESIDENT_ID_CHECK_CHAR" {
            zh: "身份证号码校验位不正确，可能有一位输错，请逐位核对证件。",
            en: "The ID number's check character does not match: a digit is probably mistyped. Compare it with the card digit by digit."
        },
        /// Warning: the area code is in no known division list.
        AreaUnknown = "RESIDENT_ID_AREA_UNKNOWN" {
            zh: "身份证号码的地区码不在行政区划表中，请确认号码无误。",
            en: "The ID number's area code is not in the division list. Make sure the number is right."
        },
        /// Warning: a 15-digit number was converted to 18 digits.
        UpgradedFrom15 = "RESIDENT_ID_UPGRADED_FROM_15" {
            zh: "已将 15 位旧身份证号码升级为 18 位，请核对是否与现用证件一致。",
            en: "The old 15-digit number was converted to 18 digits. Check it against the card in use."
        },
    }
}

/// A valid resident ID number and what it says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentId {
    /// The 18-character number, upper-case X.
    pub number: String,
    /// Birth date from positions 7-14.
    pub birth_date: Date,
    /// Sex from the parity of position 17.
    pub sex: Sex,
    /// The 6-digit area code (positions 1-6).
    pub area_code: String,
    /// Name of the area when the division list knows it.
    pub area_name: Option<String>,
    /// Whether the input was a 15-digit number that was upgraded.
    pub upgraded_from_15: bool,
}

/// The check character for 17 ASCII digits, or `None` if they are not 17 digits.
pub fn check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS.get((sum % 11) as usize).map(|c| char::from(*c))
}

/// Upgrades a 15-digit number (GB 11643-1989): `19` before the birth date plus a check char.
pub fn upgrade_15(number: &str) -> Option<String> {
    let bytes = number.as_bytes();
    if bytes.len() != 15 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut first17 = Vec::with_capacity(18);
    first17.extend_from_slice(&bytes[..6]);
    first17.extend_from_slice(b"19");
    first17.extend_from_slice(&bytes[6..]);
    let check = check_char(&first17)?;
    let mut out = String::from_utf8(first17).ok()?;
    out.push(check);
    Some(out)
}

/// Validates a resident ID number. `today` bounds the birth date.
pub fn validate_resident_id(input: &str, today: Date) -> Validated<ResidentId> {
    let code = match normalize_code(input) {
        Ok(code) => code,
        Err(e) => return Validated::invalid(e),
    };
    validate_18_or_15(&code, today, ResidentKind::Resident)
}

/// Which family of 18-character numbers is being checked (they share the check algorithm).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResidentKind {
    /// A resident ID card (first digit 1-8, 15-digit upgrade allowed).
    Resident,
    /// A residence permit or 2023 permanent residence card: the caller checked the prefix.
    Prefixed,
}

pub(crate) fn validate_18_or_15(
    code: &str,
    today: Date,
    kind: ResidentKind,
) -> Validated<ResidentId> {
    if !code.is_ascii() {
        return Validated::invalid(ResidentIdError::Charset);
    }
    let bytes = code.as_bytes();
    let upgraded = kind == ResidentKind::Resident && bytes.len() == 15;
    let number = if upgraded {
        match upgrade_15(code) {
            Some(n) => n,
            None => return Validated::invalid(ResidentIdError::Charset),
        }
    } else {
        code.to_owned()
    };
    let bytes = number.as_bytes();
    if bytes.len() != 18 {
        let charset_ok = bytes.iter().all(|b| b.is_ascii_digit() || *b == b'X');
        return Validated::invalid(if charset_ok {
            ResidentIdError::Length
        } else {
            ResidentIdError::Charset
        });
    }
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Validated::invalid(ResidentIdError::Charset);
    }
    if kind == ResidentKind::Resident && !(b'1'..=b'8').contains(&bytes[0]) {
        return Validated::invalid(ResidentIdError::AreaFirstDigit);
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let birth_date = Date::from_digits(&bytes[6..14]).filter(|d| d.year() >= 1900);
    match birth_date {
        None => errors.push(ResidentIdError::BirthDate.problem()),
        Some(date) if date > today => errors.push(ResidentIdError::BirthInFuture.problem()),
        Some(_) => {}
    }
    if check_char(&bytes[..17]) != Some(char::from(bytes[17])) {
        errors.push(ResidentIdError::CheckChar.problem());
    }
    let area_code = number[..6].to_owned();
    if kind == ResidentKind::Resident && !reference::province_known(&area_code) {
        warnings.push(ResidentIdError::AreaUnknown.problem());
    }
    if upgraded {
        warnings.push(ResidentIdError::UpgradedFrom15.problem());
    }
    let sex = if (bytes[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    let value = match birth_date {
        Some(birth_date) if errors.is_empty() => Some(ResidentId {
            area_name: reference::division_name(&area_code).map(str::to_owned),
            number,
            birth_date,
            sex,
            area_code,
            upgraded_from_15: upgraded,
        }),
        _ => None,
    };
    Validated {
        value,
        errors,
        warnings,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    fn codes(v: &Validated<ResidentId>) -> Vec<String> {
        v.errors.iter().map(|p| p.code.clone()).collect()
    }

    #[test]
    fn accepts_the_standard_worked_example_and_derives_birth_and_sex() {
        // GB 11643-1999 appendix example.
        let v = validate_resident_id("11010519491231002x", today());
        let id = v.value.expect("valid");
        assert_eq!(id.number, "11010519491231002X");
        assert_eq!(id.birth_date, Date::new(1949, 12, 31).unwrap());
        assert_eq!(id.sex, Sex::Female);
        assert_eq!(id.area_code, "110105");
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    }

    #[test]
    fn upgrades_fifteen_digit_numbers() {
        assert_eq!(
            upgrade_15("310112850409522").as_deref(),
            Some("310112198504095227")
        );
        let v = validate_resident_id("310112850409522", today());
        assert_eq!(
            v.value.as_ref().map(|i| i.number.as_str()),
            Some("310112198504095227")
        );
        assert_eq!(v.warnings[0].code, ResidentIdError::UpgradedFrom15.code());
    }

    #[test]
    fn refuses_a_wrong_check_character() {
        let v = validate_resident_id("110105194912310021", today());
        assert_eq!(codes(&v), ["RESIDENT_ID_CHECK_CHAR"]);
    }

    #[test]
    fn refuses_impossible_and_future_birth_dates() {
        let v = validate_resident_id("110105194902300020", today());
        assert!(
            codes(&v).contains(&"RESIDENT_ID_BIRTH_DATE".to_owned()),
            "{:?}",
            codes(&v)
        );
        let mut future = b"11010520301231002".to_vec();
        let c = check_char(&future).unwrap();
        future.push(c as u8);
        let v = validate_resident_id(std::str::from_utf8(&future).unwrap(), today());
        assert_eq!(codes(&v), ["RESIDENT_ID_BIRTH_FUTURE"]);
    }

    #[test]
    fn refuses_chinese_text_and_wrong_lengths_without_panicking() {
        let chinese = "一二三四五六七八九十一二三四五六七八";
        assert_eq!(
            codes(&validate_resident_id(chinese, today())),
            ["RESIDENT_ID_CHARSET"]
        );
        assert_eq!(
            codes(&validate_resident_id("1101051949", today())),
            ["RESIDENT_ID_LENGTH"]
        );
        assert_eq!(codes(&validate_resident_id("", today())), ["INPUT_EMPTY"]);
        assert_eq!(
            codes(&validate_resident_id("9101051949123100X", today())),
            ["RESIDENT_ID_LENGTH"]
        );
    }

    #[test]
    fn refuses_numbers_starting_with_nine() {
        let mut n = b"91010519491231002".to_vec();
        n.push(check_char(&n).unwrap() as u8);
        let v = validate_resident_id(std::str::from_utf8(&n).unwrap(), today());
        assert_eq!(codes(&v), ["RESIDENT_ID_AREA"]);
    }
}
