//! Travel and residence permits, the foreigner permanent residence card, the birth medical
//! certificate, and the documents that have no reliable offline rule.

use super::Validated;
use super::input::{normalize_code, normalize_text};
use super::resident_id::{ResidentId, ResidentKind, validate_18_or_15};
use crate::date::Date;
use crate::{Problem, UserFacing};

user_facing_errors! {
    /// Why a permit or other document number is refused.
    pub enum PermitError {
        /// Not H/M followed by 8 or 10 digits.
        HkMacaoFormat = "HK_MACAO_PERMIT_FORMAT" {
            zh: "港澳居民来往内地通行证号码应为 H 或 M 开头加 8 位或 10 位数字，请核对。",
            en: "A Hong Kong/Macao permit number is H or M followed by 8 or 10 digits. Check it."
        },
        /// Not 8 (or, older, 10) digits.
        TaiwanFormat = "TAIWAN_PERMIT_FORMAT" {
            zh: "台湾居民来往大陆通行证号码应为 8 位数字（旧证 10 位），请核对。",
            en: "A Taiwan permit number has 8 digits (older permits 10). Check it."
        },
        /// Not 810000/820000/830000 + 12 characters.
        ResidencePermitFormat = "RESIDENCE_PERMIT_FORMAT" {
            zh: "港澳台居民居住证号码应以 810000、820000 或 830000 开头，共 18 位，请核对。",
            en: "A residence permit number starts with 810000, 820000 or 830000 and has 18 characters. Check it."
        },
        /// Neither the 2023 format (9 + 17) nor the old one (3 letters + 12 digits).
        ForeignPrFormat = "FOREIGN_PR_FORMAT" {
            zh: "外国人永久居留身份证号码应为 9 开头的 18 位（2023 年起）或 3 位字母加 12 位数字（旧版），请核对。",
            en: "A foreigner permanent residence card number is 18 characters starting with 9 (from 2023) or 3 letters and 12 digits (old cards). Check it."
        },
        /// Not one capital letter and 9 digits.
        BirthCertificateFormat = "BIRTH_CERTIFICATE_FORMAT" {
            zh: "出生医学证明编号应为 1 位大写字母加 9 位数字，请核对。",
            en: "A birth medical certificate number is one capital letter and 9 digits. Check it."
        },
        /// Length or characters impossible for any document number.
        DocumentNumberFormat = "DOCUMENT_NUMBER_FORMAT" {
            zh: "证件号码应为 2-40 位字母、数字或汉字，请核对。",
            en: "A document number has 2-40 letters, digits or Chinese characters. Check it."
        },
    }
}

/// A valid permit number and what it reveals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitNumber {
    /// The normalised number.
    pub number: String,
    /// Issuing region or format, e.g. `HK`, `MO`, `TW`, `2023`, `old`.
    pub variant: &'static str,
    /// Birth date and sex when the number encodes them (residence permit, 2023 card).
    pub holder: Option<ResidentId>,
}

fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

fn code_or<E: crate::UserFacing>(input: &str, error: E) -> Result<String, Problem> {
    match normalize_code(input) {
        Ok(code) if code.is_ascii() => Ok(code),
        Ok(_) => Err(error.problem()),
        Err(e) => Err(e.problem()),
    }
}

fn ok(number: String, variant: &'static str) -> Validated<PermitNumber> {
    Validated::valid(PermitNumber {
        number,
        variant,
        holder: None,
    })
}

/// Validates a Mainland Travel Permit for Hong Kong and Macao Residents: `^[HM](\d{8}|\d{10})$`.
pub fn validate_hk_macao_permit(input: &str) -> Validated<PermitNumber> {
    let code = match code_or(input, PermitError::HkMacaoFormat) {
        Ok(c) => c,
        Err(p) => return Validated::failed(p),
    };
    let b = code.as_bytes();
    let variant = match b.first() {
        Some(b'H') => "HK",
        Some(b'M') => "MO",
        _ => return Validated::invalid(PermitError::HkMacaoFormat),
    };
    if matches!(b.len(), 9 | 11) && all_digits(&b[1..]) {
        ok(code, variant)
    } else {
        Validated::invalid(PermitError::HkMacaoFormat)
    }
}

/// Validates a Mainland Travel Permit for Taiwan Residents: 8 digits, older 10.
pub fn validate_taiwan_permit(input: &str) -> Validated<PermitNumber> {
    let code = match code_or(input, PermitError::TaiwanFormat) {
        Ok(c) => c,
        Err(p) => return Validated::failed(p),
    };
    match (code.len(), all_digits(code.as_bytes())) {
        (8, true) => ok(code, "current"),
        (10, true) => ok(code, "old"),
        _ => Validated::invalid(PermitError::TaiwanFormat),
    }
}

/// Validates a residence permit for HK/Macao/Taiwan residents: `8[123]0000` + birth date +
/// sequence + the resident-ID check character.
pub fn validate_residence_permit(input: &str, today: Date) -> Validated<PermitNumber> {
    let code = match code_or(input, PermitError::ResidencePermitFormat) {
        Ok(c) => c,
        Err(p) => return Validated::failed(p),
    };
    let variant = match code.get(..6) {
        Some("810000") => "HK",
        Some("820000") => "MO",
        Some("830000") => "TW",
        _ => return Validated::invalid(PermitError::ResidencePermitFormat),
    };
    if code.len() != 18 {
        return Validated::invalid(PermitError::ResidencePermitFormat);
    }
    with_holder(
        validate_18_or_15(&code, today, ResidentKind::Prefixed),
        variant,
    )
}

fn with_holder(v: Validated<ResidentId>, variant: &'static str) -> Validated<PermitNumber> {
    v.map(|id| PermitNumber {
        number: id.number.clone(),
        variant,
        holder: Some(id),
    })
}

/// Validates a foreigner permanent residence card: the 2023 format `9` + 16 digits + the
/// resident-ID check character, or the old format of 3 letters and 12 digits.
pub fn validate_foreign_pr(input: &str) -> Validated<PermitNumber> {
    let code = match code_or(input, PermitError::ForeignPrFormat) {
        Ok(c) => c,
        Err(p) => return Validated::failed(p),
    };
    let b = code.as_bytes();
    if b.len() == 15 && b[..3].iter().all(u8::is_ascii_uppercase) && all_digits(&b[3..]) {
        return ok(code, "old");
    }
    if b.len() == 18 && b[0] == b'9' {
        if !all_digits(&b[..17]) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Validated::invalid(PermitError::ForeignPrFormat);
        }
        if super::resident_id::check_char(&b[..17]) != Some(char::from(b[17])) {
            return Validated::invalid(super::resident_id::ResidentIdError::CheckChar);
        }
        return ok(code, "2023");
    }
    Validated::invalid(PermitError::ForeignPrFormat)
}

/// Validates a birth medical certificate number: one capital letter and 9 digits.
pub fn validate_birth_certificate(input: &str) -> Validated<PermitNumber> {
    let code = match code_or(input, PermitError::BirthCertificateFormat) {
        Ok(c) => c,
        Err(p) => return Validated::failed(p),
    };
    let b = code.as_bytes();
    if b.len() == 10 && b[0].is_ascii_uppercase() && all_digits(&b[1..]) {
        ok(code, "current")
    } else {
        Validated::invalid(PermitError::BirthCertificateFormat)
    }
}

/// Length and charset check for documents without a reliable rule (household register,
/// officer cards, other): 2-40 letters, digits, Chinese characters, `-` or brackets.
pub fn validate_other_document(input: &str) -> Validated<PermitNumber> {
    let text = match normalize_text(input) {
        Ok(t) => t.to_ascii_uppercase(),
        Err(e) => return Validated::invalid(e),
    };
    let count = text.chars().count();
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '-' | '(' | ')' | '（' | '）' | ' ')
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
    };
    if (2..=40).contains(&count) && text.chars().all(allowed) {
        ok(text, "unchecked")
    } else {
        Validated::invalid(PermitError::DocumentNumberFormat)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    fn first_code(v: &Validated<PermitNumber>) -> &str {
        v.errors.first().map(|p| p.code.as_str()).unwrap_or("")
    }

    #[test]
    fn hk_macao_permits_take_h_or_m_and_8_or_10_digits() {
        assert_eq!(
            validate_hk_macao_permit("h12345678").value.unwrap().variant,
            "HK"
        );
        assert!(validate_hk_macao_permit("M1234567890").is_valid());
        for bad in ["H1234567", "X12345678", "H123456789", "HK1234567"] {
            assert_eq!(
                first_code(&validate_hk_macao_permit(bad)),
                "HK_MACAO_PERMIT_FORMAT",
                "{bad}"
            );
        }
    }

    #[test]
    fn taiwan_permits_have_8_or_10_digits() {
        assert!(validate_taiwan_permit("12345678").is_valid());
        assert_eq!(
            validate_taiwan_permit("1234567890").value.unwrap().variant,
            "old"
        );
        assert_eq!(
            first_code(&validate_taiwan_permit("1234567")),
            "TAIWAN_PERMIT_FORMAT"
        );
    }

    #[test]
    fn residence_permits_use_the_resident_id_check() {
        let mut n = b"83000019900101001".to_vec();
        n.push(crate::rules::resident_id::check_char(&n).unwrap() as u8);
        let text = String::from_utf8(n).unwrap();
        let v = validate_residence_permit(&text, today());
        let permit = v.value.expect("valid");
        assert_eq!(permit.variant, "TW");
        assert_eq!(
            permit.holder.unwrap().birth_date,
            Date::new(1990, 1, 1).unwrap()
        );
        let mut wrong = text.clone().into_bytes();
        wrong[17] = if wrong[17] == b'0' { b'1' } else { b'0' };
        let v = validate_residence_permit(std::str::from_utf8(&wrong).unwrap(), today());
        assert_eq!(first_code(&v), "RESIDENT_ID_CHECK_CHAR");
        assert_eq!(
            first_code(&validate_residence_permit("110000199001010011", today())),
            "RESIDENCE_PERMIT_FORMAT"
        );
    }

    #[test]
    fn foreign_pr_cards_in_both_formats() {
        assert_eq!(
            validate_foreign_pr("usa310085012345")
                .value
                .unwrap()
                .variant,
            "old"
        );
        let mut n = b"93184019850101001".to_vec();
        n.push(crate::rules::resident_id::check_char(&n).unwrap() as u8);
        assert_eq!(
            validate_foreign_pr(std::str::from_utf8(&n).unwrap())
                .value
                .unwrap()
                .variant,
            "2023"
        );
        assert_eq!(
            first_code(&validate_foreign_pr("U1A310085012345")),
            "FOREIGN_PR_FORMAT"
        );
    }

    #[test]
    fn birth_certificates_and_unchecked_documents() {
        assert_eq!(
            validate_birth_certificate("o440012345")
                .value
                .unwrap()
                .number,
            "O440012345"
        );
        assert_eq!(
            first_code(&validate_birth_certificate("4400123456")),
            "BIRTH_CERTIFICATE_FORMAT"
        );
        assert!(validate_other_document("南字第 012345 号").is_valid());
        assert_eq!(
            first_code(&validate_other_document("x")),
            "DOCUMENT_NUMBER_FORMAT"
        );
        assert_eq!(
            first_code(&validate_other_document("a@b")),
            "DOCUMENT_NUMBER_FORMAT"
        );
    }
}
