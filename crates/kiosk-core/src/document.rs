//! Identity-document types named in the platform manuals, and the holder's sex.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Sex as recorded on identity documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Sex {
    /// 男
    Male,
    /// 女
    Female,
}

impl Sex {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
        }
    }

    /// Stable name (`male`, `female`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }
}

/// The identity-document types accepted by at least one platform (Tianjin lists nine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DocumentType {
    /// 居民身份证 (GB 11643).
    ResidentId,
    /// 港澳居民来往内地通行证.
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanPermit,
    /// 港澳台居民居住证.
    ResidencePermit,
    /// 外国人永久居留身份证 (old and 2023 formats).
    ForeignPermanentResidence,
    /// 普通护照 (Chinese or foreign; the issuing country decides which rule applies).
    Passport,
    /// 户口簿.
    HouseholdRegister,
    /// 军官证.
    MilitaryOfficer,
    /// 中国人民武装警察部队警官证.
    ArmedPoliceOfficer,
    /// 出生医学证明.
    BirthCertificate,
    /// 其他证件.
    Other,
}

impl DocumentType {
    /// Every document type.
    pub const ALL: [Self; 11] = [
        Self::ResidentId,
        Self::HkMacaoPermit,
        Self::TaiwanPermit,
        Self::ResidencePermit,
        Self::ForeignPermanentResidence,
        Self::Passport,
        Self::HouseholdRegister,
        Self::MilitaryOfficer,
        Self::ArmedPoliceOfficer,
        Self::BirthCertificate,
        Self::Other,
    ];

    /// Stable kebab-case name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ResidentId => "resident-id",
            Self::HkMacaoPermit => "hk-macao-permit",
            Self::TaiwanPermit => "taiwan-permit",
            Self::ResidencePermit => "residence-permit",
            Self::ForeignPermanentResidence => "foreign-permanent-residence",
            Self::Passport => "passport",
            Self::HouseholdRegister => "household-register",
            Self::MilitaryOfficer => "military-officer",
            Self::ArmedPoliceOfficer => "armed-police-officer",
            Self::BirthCertificate => "birth-certificate",
            Self::Other => "other",
        }
    }

    /// Parses [`DocumentType::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The name used in the manuals.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::ResidentId => "居民身份证",
            Self::HkMacaoPermit => "港澳居民来往内地通行证",
            Self::TaiwanPermit => "台湾居民来往大陆通行证",
            Self::ResidencePermit => "港澳台居民居住证",
            Self::ForeignPermanentResidence => "外国人永久居留身份证",
            Self::Passport => "普通护照",
            Self::HouseholdRegister => "户口簿",
            Self::MilitaryOfficer => "军官证",
            Self::ArmedPoliceOfficer => "中国人民武装警察部队警官证",
            Self::BirthCertificate => "出生医学证明",
            Self::Other => "其他",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::ResidentId => "Resident Identity Card",
            Self::HkMacaoPermit => "Mainland Travel Permit for Hong Kong and Macao Residents",
            Self::TaiwanPermit => "Mainland Travel Permit for Taiwan Residents",
            Self::ResidencePermit => "Residence Permit for Hong Kong, Macao and Taiwan Residents",
            Self::ForeignPermanentResidence => "Foreign Permanent Resident ID Card",
            Self::Passport => "Passport",
            Self::HouseholdRegister => "Household Register",
            Self::MilitaryOfficer => "Military Officer Card",
            Self::ArmedPoliceOfficer => "Armed Police Officer Card",
            Self::BirthCertificate => "Birth Medical Certificate",
            Self::Other => "Other document",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
        }
    }
}
