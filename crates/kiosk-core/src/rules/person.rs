//! A person's name, ethnicity and identity document, and their agreement with each other.

use super::Validated;
use super::input::normalize_text;
use super::passport::{is_chinese_country, validate_passport};
use super::permits::{
    PermitNumber, validate_birth_certificate, validate_foreign_pr, validate_hk_macao_permit,
    validate_other_document, validate_residence_permit, validate_taiwan_permit,
};
use super::resident_id::validate_resident_id;
use crate::date::Date;
use crate::document::DocumentType;
use crate::reference;

user_facing_errors! {
    /// Why personal details are refused.
    pub enum PersonError {
        /// Digits, symbols or an impossible length in a name.
        NameFormat = "NAME_FORMAT" {
            zh: "姓名应与证件一致，只能包含汉字、字母、空格和间隔号（·），请核对。",
            en: "The name must match the document: Chinese characters, letters, spaces and the middle dot only. Check it."
        },
        /// Not a GB/T 3304 ethnic group.
        EthnicityUnknown = "ETHNICITY_UNKNOWN" {
            zh: "民族不在国家标准民族列表中，请从列表中选择。",
            en: "The ethnic group is not in the national list. Choose one from the list."
        },
        /// The sex entered differs from the one in the ID number.
        SexMismatch = "SEX_MISMATCH" {
            zh: "所选性别与证件号码不一致，请核对性别或证件号码。",
            en: "The sex chosen does not match the ID number. Check the sex or the number."
        },
        /// The birth date entered differs from the one in the ID number.
        BirthDateMismatch = "BIRTH_DATE_MISMATCH" {
            zh: "出生日期与证件号码中的出生日期不一致，请核对。",
            en: "The birth date does not match the one in the ID number. Check it."
        },
        /// The profile does not accept this document type.
        DocumentTypeNotAccepted = "DOCUMENT_TYPE_NOT_ACCEPTED" {
            zh: "该平台不接受此类证件，请换用平台支持的证件（如居民身份证）。",
            en: "This platform does not accept this document type. Use one it supports (e.g. the resident ID card)."
        },
        /// The document needs a validity period and none was given.
        ValidityMissing = "ID_VALIDITY_MISSING" {
            zh: "请填写证件有效期（开始日期和结束日期，或长期）。",
            en: "Enter the document's validity (start and end date, or long-term)."
        },
    }
}

/// Validates a person's name as printed on the document: 2-50 characters of Chinese,
/// letters, spaces, `·` or `.`; single-character Chinese names are refused as incomplete.
pub fn validate_name(input: &str) -> Validated<String> {
    let name = match normalize_text(input) {
        Ok(n) => n.replace(['•', '・', '．'], "·"),
        Err(e) => return Validated::invalid(e),
    };
    let count = name.chars().count();
    let allowed = |c: char| {
        c.is_alphabetic() && !c.is_ascii_digit() || matches!(c, ' ' | '·' | '.' | '\'' | '-')
    };
    let starts_well = name.chars().next().is_some_and(char::is_alphabetic);
    if (2..=50).contains(&count) && starts_well && name.chars().all(allowed) {
        Validated::valid(name)
    } else {
        Validated::invalid(PersonError::NameFormat)
    }
}

/// Validates an ethnic-group code or Chinese name; returns the two-digit code.
pub fn validate_ethnicity(input: &str) -> Validated<String> {
    match reference::ethnic_group(input) {
        Some(group) => Validated::valid(group.code.clone()),
        None => Validated::invalid(PersonError::EthnicityUnknown),
    }
}

/// Validates a document number by its type. `country` matters only for passports.
pub fn validate_document_number(
    doc_type: DocumentType,
    number: &str,
    country: Option<&str>,
    today: Date,
) -> Validated<PermitNumber> {
    match doc_type {
        DocumentType::ResidentId => validate_resident_id(number, today).map(|id| PermitNumber {
            number: id.number.clone(),
            variant: if id.upgraded_from_15 {
                "upgraded-15"
            } else {
                "18"
            },
            holder: Some(id),
        }),
        DocumentType::HkMacaoPermit => validate_hk_macao_permit(number),
        DocumentType::TaiwanPermit => validate_taiwan_permit(number),
        DocumentType::ResidencePermit => validate_residence_permit(number, today),
        DocumentType::ForeignPermanentResidence => validate_foreign_pr(number),
        DocumentType::Passport => validate_passport(number, is_chinese_country(country)),
        DocumentType::BirthCertificate => validate_birth_certificate(number),
        DocumentType::HouseholdRegister
        | DocumentType::MilitaryOfficer
        | DocumentType::ArmedPoliceOfficer
        | DocumentType::Other => validate_other_document(number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_allow_chinese_foreign_and_minority_spellings() {
        for good in [
            "张伟",
            "欧阳娜娜",
            "买买提·艾力",
            "John Smith",
            "阿依古丽•吐尔逊",
        ] {
            assert!(validate_name(good).is_valid(), "{good}");
        }
        for bad in ["张", "张3", "李@", "·李", ""] {
            assert!(!validate_name(bad).is_valid(), "{bad}");
        }
    }

    #[test]
    fn ethnicity_accepts_codes_and_names() {
        assert_eq!(validate_ethnicity("汉族").value.as_deref(), Some("01"));
        assert_eq!(validate_ethnicity("8").value.as_deref(), Some("08"));
        assert_eq!(
            validate_ethnicity("火星族").errors[0].code,
            "ETHNICITY_UNKNOWN"
        );
    }
}
