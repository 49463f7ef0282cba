//! Unified Social Credit Codes (GB 32100-2015) with the embedded organisation code (GB 11714).

use super::Validated;
use super::input::normalize_code;
use crate::UserFacing;
use crate::application::LegalEntityType;
use crate::reference;

/// The 31 characters of a USCC, in value order (no I, O, S, V, Z).
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

user_facing_errors! {
    /// Why a USCC is refused or questioned.
    pub enum UsccError {
        /// Not 18 characters.
        Length = "USCC_LENGTH" {
            zh: "统一社会信用代码应为 18 位，请对照营业执照核对位数。",
            en: "A unified social credit code has 18 characters. Compare the count with the business licence."
        },
        /// A character outside the USCC alphabet (I, O, S, V, Z or non-ASCII).
        Charset = "USCC_CHARSET" {
            zh: "统一社会信用代码只含数字和大写字母（不含 I、O、S、V、Z），请核对是否把 0 输成 O、1 输成 I。",
            en: "A unified social credit code has digits and capital letters except I, O, S, V, Z. Check for O typed instead of 0 or I instead of 1."
        },
        /// The check character does not match.
        CheckChar = "USCC_CHECK_CHAR" {
            zh: "统一社会信用代码校验位不正确，可能有一位输错，请对照营业执照逐位核对。",
            en: "The code's check character does not match: a character is probably mistyped. Compare it with the licence character by character."
        },
        /// Warning: authority and category are not in the standard's table.
        CategoryUnknown = "USCC_CATEGORY_UNKNOWN" {
            zh: "统一社会信用代码的登记管理部门或机构类别码不常见，请确认代码无误。",
            en: "The code's registration authority or category is unusual. Make sure the code is right."
        },
        /// Warning: the code's category contradicts the chosen legal-entity type.
        CategoryMismatch = "USCC_CATEGORY_MISMATCH" {
            zh: "统一社会信用代码显示的机构类别与所选法人类型不一致，请确认法人类型。",
            en: "The code's category does not match the chosen legal-entity type. Check the legal-entity type."
        },
        /// Warning: the embedded organisation code fails its own check.
        OrganisationCheck = "USCC_ORGANISATION_CODE_CHECK" {
            zh: "统一社会信用代码第 9-17 位（组织机构代码）校验不符，请确认代码无误。",
            en: "Characters 9-17 (the organisation code) fail their own check. Make sure the code is right."
        },
        /// Warning: the area code is not in the division list.
        AreaUnknown = "USCC_AREA_UNKNOWN" {
            zh: "统一社会信用代码第 3-8 位的行政区划码不在区划表中，请确认代码无误。",
            en: "Characters 3-8 (the area code) are not in the division list. Make sure the code is right."
        },
    }
}

/// A valid USCC and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uscc {
    /// The normalised 18-character code.
    pub code: String,
    /// Registration authority and category, e.g. `91`.
    pub category_code: String,
    /// The category in Chinese when known, e.g. `企业`.
    pub category_zh: Option<&'static str>,
    /// The category in English when known.
    pub category_en: Option<&'static str>,
    /// Area code, characters 3-8.
    pub area_code: String,
    /// The embedded organisation code, characters 9-17.
    pub organisation_code: String,
}

/// A row of the authority/category table: code, Chinese, English, compatible entity types.
struct Category {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    types: &'static [LegalEntityType],
}

use LegalEntityType as T;
const ORGAN: &[T] = &[T::GovernmentOrgan, T::PublicInstitution, T::Other];
const SOCIAL: &[T] = &[T::SocialOrganization, T::Other];
const ENTERPRISE: &[T] = &[T::Enterprise, T::Other];
const OTHER: &[T] = &[T::Other, T::SocialOrganization, T::PublicInstitution];

const CATEGORIES: &[Category] = &[
    Category {
        code: "11",
        zh: "机关",
        en: "government organ",
        types: ORGAN,
    },
    Category {
        code: "12",
        zh: "事业单位",
        en: "public institution",
        types: ORGAN,
    },
    Category {
        code: "13",
        zh: "中央编办直接管理机构编制的群众团体",
        en: "mass organisation",
        types: OTHER,
    },
    Category {
        code: "19",
        zh: "其他（机构编制）",
        en: "other (establishment authority)",
        types: ORGAN,
    },
    Category {
        code: "21",
        zh: "外国常驻新闻机构",
        en: "foreign resident press agency",
        types: OTHER,
    },
    Category {
        code: "29",
        zh: "其他（外交）",
        en: "other (foreign affairs)",
        types: OTHER,
    },
    Category {
        code: "31",
        zh: "律师执业机构",
        en: "law firm",
        types: OTHER,
    },
    Category {
        code: "32",
        zh: "公证处",
        en: "notary office",
        types: OTHER,
    },
    Category {
        code: "33",
        zh: "基层法律服务所",
        en: "grassroots legal service office",
        types: OTHER,
    },
    Category {
        code: "34",
        zh: "司法鉴定机构",
        en: "forensic appraisal institution",
        types: OTHER,
    },
    Category {
        code: "35",
        zh: "仲裁委员会",
        en: "arbitration commission",
        types: OTHER,
    },
    Category {
        code: "39",
        zh: "其他（司法行政）",
        en: "other (judicial administration)",
        types: OTHER,
    },
    Category {
        code: "41",
        zh: "外国在华文化中心",
        en: "foreign cultural centre",
        types: OTHER,
    },
    Category {
        code: "49",
        zh: "其他（文化）",
        en: "other (culture)",
        types: OTHER,
    },
    Category {
        code: "51",
        zh: "社会团体",
        en: "social group",
        types: SOCIAL,
    },
    Category {
        code: "52",
        zh: "民办非企业单位",
        en: "private non-enterprise unit",
        types: SOCIAL,
    },
    Category {
        code: "53",
        zh: "基金会",
        en: "foundation",
        types: SOCIAL,
    },
    Category {
        code: "59",
        zh: "其他（民政）",
        en: "other (civil affairs)",
        types: SOCIAL,
    },
    Category {
        code: "61",
        zh: "外国旅游部门常驻代表机构",
        en: "foreign tourism office",
        types: OTHER,
    },
    Category {
        code: "62",
        zh: "港澳台地区旅游部门常驻内地代表机构",
        en: "HK/Macao/Taiwan tourism office",
        types: OTHER,
    },
    Category {
        code: "69",
        zh: "其他（旅游）",
        en: "other (tourism)",
        types: OTHER,
    },
    Category {
        code: "71",
        zh: "宗教活动场所",
        en: "religious venue",
        types: OTHER,
    },
    Category {
        code: "72",
        zh: "宗教院校",
        en: "religious college",
        types: OTHER,
    },
    Category {
        code: "79",
        zh: "其他（宗教）",
        en: "other (religion)",
        types: OTHER,
    },
    Category {
        code: "81",
        zh: "基层工会",
        en: "trade union",
        types: SOCIAL,
    },
    Category {
        code: "89",
        zh: "其他（工会）",
        en: "other (trade unions)",
        types: SOCIAL,
    },
    Category {
        code: "91",
        zh: "企业",
        en: "enterprise",
        types: ENTERPRISE,
    },
    Category {
        code: "92",
        zh: "个体工商户",
        en: "individual business",
        types: ENTERPRISE,
    },
    Category {
        code: "93",
        zh: "农民专业合作社",
        en: "farmers' co-operative",
        types: ENTERPRISE,
    },
    Category {
        code: "A1",
        zh: "军队事业单位",
        en: "military public institution",
        types: ORGAN,
    },
    Category {
        code: "A9",
        zh: "其他（中央军委改革和编制办公室）",
        en: "other (military establishment)",
        types: ORGAN,
    },
    Category {
        code: "N1",
        zh: "农村集体经济组织",
        en: "rural collective economic organisation",
        types: ENTERPRISE,
    },
    Category {
        code: "N2",
        zh: "农民专业合作社联合社",
        en: "union of farmers' co-operatives",
        types: ENTERPRISE,
    },
    Category {
        code: "N3",
        zh: "村民委员会",
        en: "villagers' committee",
        types: OTHER,
    },
    Category {
        code: "N9",
        zh: "其他（农业）",
        en: "other (agriculture)",
        types: OTHER,
    },
    Category {
        code: "Y1",
        zh: "其他",
        en: "other",
        types: OTHER,
    },
];

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, `None` if any is outside the alphabet.
pub fn check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let index = (31 - sum % 31) % 31;
    ALPHABET.get(index as usize).map(|c| char::from(*c))
}

/// The GB 11714 check character for the 8 body characters of an organisation code.
pub fn organisation_check_char(body: &[u8]) -> Option<char> {
    if body.len() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(ORG_WEIGHTS) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return None,
        };
        sum += v * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10)?,
    })
}

/// Validates a USCC; `entity_type`, when given, is compared with the encoded category.
pub fn validate_uscc(input: &str, entity_type: Option<LegalEntityType>) -> Validated<Uscc> {
    let code = match normalize_code(input) {
        Ok(code) => code,
        Err(e) => return Validated::invalid(e),
    };
    let bytes = code.as_bytes();
    if !code.is_ascii() || !bytes.iter().all(|b| value_of(*b).is_some()) {
        return Validated::invalid(UsccError::Charset);
    }
    if bytes.len() != 18 {
        return Validated::invalid(UsccError::Length);
    }
    if check_char(&bytes[..17]) != Some(char::from(bytes[17])) {
        return Validated::invalid(UsccError::CheckChar);
    }
    let mut warnings = Vec::new();
    let category = CATEGORIES.iter().find(|c| c.code.as_bytes() == &bytes[..2]);
    match (category, entity_type) {
        (None, _) => warnings.push(UsccError::CategoryUnknown.problem()),
        (Some(cat), Some(chosen)) if !cat.types.contains(&chosen) => {
            warnings.push(UsccError::CategoryMismatch.problem());
        }
        _ => {}
    }
    if organisation_check_char(&bytes[8..16]) != Some(char::from(bytes[16])) {
        warnings.push(UsccError::OrganisationCheck.problem());
    }
    let area_code = code[2..8].to_owned();
    if !reference::province_known(&area_code) && area_code != "100000" {
        warnings.push(UsccError::AreaUnknown.problem());
    }
    Validated {
        value: Some(Uscc {
            category_code: code[..2].to_owned(),
            category_zh: category.map(|c| c.zh),
            category_en: category.map(|c| c.en),
            area_code,
            organisation_code: code[8..17].to_owned(),
            code,
        }),
        errors: Vec::new(),
        warnings,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn codes(problems: &[crate::Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn accepts_a_real_enterprise_code_and_decodes_it() {
        // The example from the MOST migration manual (HJ_ + USCC).
        let v = validate_uscc("91110108ma01et88xl", Some(LegalEntityType::Enterprise));
        let uscc = v.value.expect("valid");
        assert_eq!(uscc.code, "91110108MA01ET88XL");
        assert_eq!(uscc.category_zh, Some("企业"));
        assert_eq!(uscc.area_code, "110108");
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    }

    #[test]
    fn warns_when_the_category_contradicts_the_entity_type() {
        let v = validate_uscc(
            "91110108MA01ET88XL",
            Some(LegalEntityType::SocialOrganization),
        );
        assert!(v.is_valid());
        assert_eq!(codes(&v.warnings), ["USCC_CATEGORY_MISMATCH"]);
    }

    #[test]
    fn refuses_wrong_check_letters_and_forbidden_letters() {
        assert_eq!(
            codes(&validate_uscc("91110108MA01ET88XM", None).errors),
            ["USCC_CHECK_CHAR"]
        );
        assert_eq!(
            codes(&validate_uscc("91110108MA01ET88XO", None).errors),
            ["USCC_CHARSET"]
        );
        assert_eq!(
            codes(&validate_uscc("9111010", None).errors),
            ["USCC_LENGTH"]
        );
        assert_eq!(
            codes(&validate_uscc("统一社会信用代码", None).errors),
            ["USCC_CHARSET"]
        );
    }

    #[test]
    fn organisation_code_check_follows_gb_11714() {
        // The classic GB 11714 example D2143569-X.
        assert_eq!(organisation_check_char(b"D2143569"), Some('X'));
    }
}
