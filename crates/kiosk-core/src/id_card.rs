//! What the chip of an identity card holds, and which form fields it fills.
//!
//! A second-generation card reader (GA 467) hands over the chip's text block; the capture
//! crate decodes it into a [`ChipCard`] of plain strings, exactly as stored. [`fields_for`]
//! then decides, for one flow of one platform and one person of that flow, which form paths
//! the card fills, checks every value with the same rules as typed input (so a bad chip value
//! is reported, never filled) and names the paths that become read-only.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::application::{ApplicationKind, IdentityDocument, Person};
use crate::date::Date;
use crate::document::{DocumentType, Sex};
use crate::privacy::{mask_id_number, mask_name};
use crate::profile::Profile;
use crate::rules::input::normalize_text;
use crate::rules::person::validate_ethnicity;
use crate::rules::validity::{Validity, ValidityEnd};
use crate::validate::{ApplicationError, validate_person};
use crate::{Problem, UserFacing, reference};

user_facing_errors! {
    /// Why card data was not put into the form.
    pub enum IdCardError {
        /// The flow asks nothing of this person's identity (no name or document fields).
        RoleNotInFlow = "ID_CARD_ROLE_NOT_IN_FLOW" {
            zh: "此业务的这一步不需要证件信息，无需读卡。请按屏幕提示继续填写。",
            en: "This step of the request needs no identity document, so there is nothing to read. Continue as the screen says."
        },
        /// A date on the chip is not a real date.
        DateUnreadable = "ID_CARD_DATE_UNREADABLE" {
            zh: "证件芯片中的日期无法识别，未自动填入。请对照证件手工填写，或重新读卡。",
            en: "A date on the card's chip could not be read and was not filled in. Type it from the card, or read the card again."
        },
        /// The chip's sex code is 0 (unknown) or 9 (unspecified).
        SexUnspecified = "ID_CARD_SEX_UNSPECIFIED" {
            zh: "证件芯片中未记载性别，请手工选择。",
            en: "The card's chip records no sex. Choose it by hand."
        },
        /// The chip holds no name at all.
        NameMissing = "ID_CARD_NAME_MISSING" {
            zh: "证件芯片中没有姓名，请重新读卡；仍然没有时请手工填写。",
            en: "The card's chip holds no name. Read the card again; if it is still missing, type the name by hand."
        },
        /// The nationality is not a three-letter code.
        NationalityUnreadable = "ID_CARD_NATIONALITY_UNREADABLE" {
            zh: "证件芯片中的国籍代码无法识别，请手工填写国家或地区代码。",
            en: "The nationality code on the card's chip is not readable. Type the country or region code by hand."
        },
    }
}

/// Which card a chip belongs to, from the card-type mark near the end of its text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ChipCardKind {
    /// 居民身份证 (no card-type mark).
    ResidentId,
    /// 外国人永久居留身份证, 2017 version (mark `I`, 15-character number).
    ForeignPermanentResidence2017,
    /// 外国人永久居留身份证, 2023 version (mark `Y`, 18-digit number starting with 9).
    ForeignPermanentResidence2023,
    /// 港澳台居民居住证 (mark `J`).
    ResidencePermit,
}

impl ChipCardKind {
    /// The document type the card is in the application.
    pub fn document_type(self) -> DocumentType {
        match self {
            Self::ResidentId => DocumentType::ResidentId,
            Self::ForeignPermanentResidence2017 | Self::ForeignPermanentResidence2023 => {
                DocumentType::ForeignPermanentResidence
            }
            Self::ResidencePermit => DocumentType::ResidencePermit,
        }
    }

    /// Whether the card belongs to a foreigner (its nationality is on the chip).
    pub fn is_foreign(self) -> bool {
        matches!(
            self,
            Self::ForeignPermanentResidence2017 | Self::ForeignPermanentResidence2023
        )
    }
}

/// The chip's text block, field by field, as stored (trimmed of its padding). Dates are the
/// chip's `YYYYMMDD`; the end of validity may be `长期`. Nothing here is checked yet: see
/// [`fields_for`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChipCard {
    /// Which card this is.
    pub kind: ChipCardKind,
    /// 姓名 / 中文姓名 (may be empty on a foreigner's card).
    pub name: String,
    /// 英文姓名 on a foreigner's card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name_latin: Option<String>,
    /// Sex code (GB/T 2261.1): `1` male, `2` female, `0` unknown, `9` unspecified.
    pub sex_code: String,
    /// GB/T 3304 ethnic-group code (resident ID card only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ethnicity_code: Option<String>,
    /// Birth date, `YYYYMMDD`.
    pub birth_date: String,
    /// 住址 (resident ID card and residence permit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub address: Option<String>,
    /// The document number.
    pub number: String,
    /// 签发机关 (or the accepting authority's code on a 2017 foreigner's card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub issuing_authority: Option<String>,
    /// Start of validity, `YYYYMMDD`.
    pub valid_from: String,
    /// End of validity, `YYYYMMDD` or `长期`.
    pub valid_until: String,
    /// Nationality, GB/T 2659 three-letter code (foreigner's cards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nationality: Option<String>,
    /// 通行证号码 (residence permit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub permit_number: Option<String>,
    /// 签发次数 (residence permit) or 换证次数 (2023 foreigner's card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub issue_count: Option<String>,
}

impl std::fmt::Debug for ChipCard {
    /// Never prints personal data: the kind and the masked number only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChipCard")
            .field("kind", &self.kind)
            .field("number", &mask_id_number(&self.number))
            .finish_non_exhaustive()
    }
}

impl ChipCard {
    /// The name as the form wants it: the Chinese name, else the Latin one (spaces collapsed).
    pub fn display_name(&self) -> String {
        let chinese = self.name.trim();
        let chosen = if chinese.is_empty() {
            self.name_latin.as_deref().unwrap_or("").trim()
        } else {
            chinese
        };
        chosen.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Sex from the chip's code; `None` for unknown or unspecified.
    pub fn sex(&self) -> Option<Sex> {
        match self.sex_code.trim() {
            "1" => Some(Sex::Male),
            "2" => Some(Sex::Female),
            _ => None,
        }
    }

    /// Birth date, when the chip's text is a real date.
    pub fn birth(&self) -> Option<Date> {
        Date::parse(&self.birth_date)
    }

    /// Validity period, when both ends are readable.
    pub fn validity(&self) -> Option<Validity> {
        let from = Date::parse(&self.valid_from)?;
        let until = match self.valid_until.trim() {
            "长期" => ValidityEnd::LongTerm,
            other => ValidityEnd::Date(Date::parse(other)?),
        };
        Some(Validity { from, until })
    }

    /// What may be shown on screen or printed: masked name and number, the validity.
    pub fn summary(&self) -> CardSummary {
        let validity = self.validity();
        CardSummary {
            kind: self.kind,
            document_type: self.kind.document_type(),
            name: mask_name(&self.display_name()),
            number: mask_id_number(&self.number),
            valid_from: validity.map(|v| v.from),
            valid_until: validity.map(|v| v.until),
            nationality: self.nationality.clone(),
        }
    }
}

/// What the screen shows of a card that was read: nothing unmasked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardSummary {
    /// Which card it is.
    pub kind: ChipCardKind,
    /// Its document type in the application.
    pub document_type: DocumentType,
    /// Masked name (`张*`).
    pub name: String,
    /// Masked number (`110***********002X`).
    pub number: String,
    /// Start of validity, when readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valid_from: Option<Date>,
    /// End of validity (a date or `long-term`), when readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valid_until: Option<ValidityEnd>,
    /// Nationality code on a foreigner's card (not personal on its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nationality: Option<String>,
}

/// Which person of a form the card belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PersonRole {
    /// The applicant of a personal request (`person.*`).
    Person,
    /// A unit's legal representative (`legalRepresentative.*`).
    LegalRepresentative,
    /// A unit's primary agent (`primaryAgent.*`).
    PrimaryAgent,
}

impl PersonRole {
    /// Every role.
    pub const ALL: [Self; 3] = [Self::Person, Self::LegalRepresentative, Self::PrimaryAgent];

    /// The path prefix of the role's fields, without the dot.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::LegalRepresentative => "legalRepresentative",
            Self::PrimaryAgent => "primaryAgent",
        }
    }

    /// Parses `person`, `legal-representative`, `primary-agent` (or the path prefixes).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| {
            let kebab = match r {
                Self::Person => "person",
                Self::LegalRepresentative => "legal-representative",
                Self::PrimaryAgent => "primary-agent",
            };
            text == kebab || text == r.prefix()
        })
    }
}

/// One form value taken from the card.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilledField {
    /// Dotted path as the wizard keys its values (`person.document.validity.until`).
    pub path: String,
    /// The value as the application JSON holds it (`male`, `1949-12-31`, `long-term`, ...).
    pub value: String,
    /// Chinese label of a coded value (the ethnic group's name), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label_zh: Option<String>,
    /// English label of a coded value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label_en: Option<String>,
}

impl std::fmt::Debug for FilledField {
    /// The path only: the value may be a name or an ID number.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilledField")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A form field the visitor may no longer change, and where its value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadOnlyField {
    /// The field's path as the form lists it (`person.document.validity` for both dates).
    pub path: String,
    /// Where the value came from, in Chinese (`居民身份证读卡器`).
    pub source_zh: String,
    /// The same in English.
    pub source_en: String,
}

/// What a card puts into one person of one form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardFill {
    /// The card as the screen may show it (masked).
    pub card: CardSummary,
    /// The values to put in the form, full (the form's own fields mask them where shown).
    pub fields: Vec<FilledField>,
    /// The filled fields, now read-only, with their source.
    pub read_only: Vec<ReadOnlyField>,
    /// Why card values were not filled (each pointing at its field): the visitor types those.
    pub problems: Vec<Problem>,
    /// Things worth a second look that did not stop a value from being filled.
    pub warnings: Vec<Problem>,
}

/// Where card values come from, as the screen says it.
pub const SOURCE_ZH: &str = "居民身份证读卡器";
/// The same in English.
pub const SOURCE_EN: &str = "ID-card reader";

/// The values `card` puts into `role`'s fields of the `kind` flow on `profile`, checked on
/// `today` with the rules typed data gets ([`validate_person`]). Only paths the flow shows
/// are filled; a value with a problem is left out and the problem reported instead. When the
/// document itself is unusable (a type the platform does not accept, an invalid number),
/// nothing is filled.
pub fn fields_for(
    profile: &Profile,
    kind: ApplicationKind,
    role: PersonRole,
    card: &ChipCard,
    today: Date,
) -> CardFill {
    let mut fill = CardFill {
        card: card.summary(),
        fields: Vec::new(),
        read_only: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let Some(flow) = profile.flow(kind) else {
        fill.problems
            .push(ApplicationError::KindNotOffered.problem().at("kind"));
        return fill;
    };
    let prefix = role.prefix();
    let at = |leaf: &str| format!("{prefix}.{leaf}");
    let shows = |leaf: &str| flow.fields.iter().any(|f| *f == at(leaf));
    if !shows("name") && !shows("document.number") {
        fill.problems
            .push(IdCardError::RoleNotInFlow.problem().at(prefix));
        return fill;
    }

    let doc_type = card.kind.document_type();
    let name = card.display_name();
    let birth = card.birth();
    let validity = card.validity();
    let country = card
        .nationality
        .as_deref()
        .map(str::trim)
        .filter(|_| card.kind.is_foreign());
    let country_ok = country.filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()));
    let ethnicity = card
        .ethnicity_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let person = Person {
        name: name.clone(),
        sex: card.sex(),
        birth_date: birth,
        ethnicity: ethnicity.map(str::to_owned),
        document: IdentityDocument {
            doc_type,
            number: card.number.trim().to_owned(),
            country: country_ok.map(str::to_owned),
            validity,
        },
        mobile: None,
        email: None,
        phone: None,
    };
    let report = validate_person(profile, &person, prefix, today);
    fill.warnings = report.warnings;
    let mut problems = report.errors;
    if name.is_empty() {
        problems.retain(|p| p.field.as_deref() != Some(at("name").as_str()));
        problems.push(IdCardError::NameMissing.problem().at(at("name")));
    }
    if birth.is_none() && shows("birthDate") {
        problems.push(IdCardError::DateUnreadable.problem().at(at("birthDate")));
    }
    if validity.is_none() && shows("document.validity") {
        problems.push(
            IdCardError::DateUnreadable
                .problem()
                .at(at("document.validity")),
        );
    }
    if card.sex().is_none() && shows("sex") {
        fill.warnings
            .push(IdCardError::SexUnspecified.problem().at(at("sex")));
    }
    if country.is_some() && country_ok.is_none() && shows("document.country") {
        fill.warnings.push(
            IdCardError::NationalityUnreadable
                .problem()
                .at(at("document.country")),
        );
    }
    let unusable = problems.iter().any(|p| {
        let field = p.field.as_deref().unwrap_or("");
        field == at("document.docType") || field == at("document.number")
    });
    fill.problems = problems;
    if unusable {
        return fill;
    }

    let mut candidates: Vec<Candidate> = vec![
        ("name", name, None),
        ("document.docType", doc_type.as_str().to_owned(), None),
        ("document.number", person.document.number.clone(), None),
    ];
    if let Some(sex) = card.sex() {
        candidates.push(("sex", sex.as_str().to_owned(), None));
    }
    if let Some(birth) = birth {
        candidates.push(("birthDate", birth.to_string(), None));
    }
    if let Some(code) = ethnicity.and_then(|c| validate_ethnicity(c).value)
        && let Some(group) = reference::ethnic_group(&code)
    {
        candidates.push((
            "ethnicity",
            code,
            Some((group.zh.clone(), group.en.clone())),
        ));
    }
    if let Some(country) = country_ok {
        candidates.push(("document.country", country.to_owned(), None));
    }
    if let Some(address) = card.address.as_deref().and_then(|a| normalize_text(a).ok()) {
        candidates.push(("address.detail", address, None));
    }
    let blocked = |path: &str| {
        fill.problems.iter().any(|p| {
            p.field
                .as_deref()
                .is_some_and(|f| path == f || path.starts_with(&format!("{f}.")))
        })
    };
    let mut fields = Vec::new();
    let mut read_only = Vec::new();
    for (leaf, value, label) in candidates {
        let (shown_as, path) = match leaf {
            "address.detail" => ("address", at(leaf)),
            _ => (leaf, at(leaf)),
        };
        if !shows(shown_as) || blocked(&path) {
            continue;
        }
        let (label_zh, label_en) = label.map_or((None, None), |(zh, en)| (Some(zh), Some(en)));
        fields.push(FilledField {
            path,
            value,
            label_zh,
            label_en,
        });
        read_only.push(read_only_field(at(shown_as)));
    }
    if let Some(validity) = validity
        && shows("document.validity")
        && !blocked(&at("document.validity"))
    {
        let until = match validity.until {
            ValidityEnd::LongTerm => "long-term".to_owned(),
            ValidityEnd::Date(d) => d.to_string(),
        };
        for (leaf, value) in [("from", validity.from.to_string()), ("until", until)] {
            fields.push(FilledField {
                path: at(&format!("document.validity.{leaf}")),
                value,
                label_zh: None,
                label_en: None,
            });
        }
        read_only.push(read_only_field(at("document.validity")));
    }
    fill.fields = fields;
    fill.read_only = read_only;
    fill
}

/// A value the card offers for one leaf of a person: (leaf, value, labels of a coded value).
type Candidate = (&'static str, String, Option<(String, String)>);

fn read_only_field(path: String) -> ReadOnlyField {
    ReadOnlyField {
        path,
        source_zh: SOURCE_ZH.to_owned(),
        source_en: SOURCE_EN.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    /// 张三 with the number of GB 11643's own example: born 1949, long-term card.
    fn zhang_san() -> ChipCard {
        ChipCard {
            kind: ChipCardKind::ResidentId,
            name: "张三".into(),
            name_latin: None,
            sex_code: "2".into(),
            ethnicity_code: Some("01".into()),
            birth_date: "19491231".into(),
            address: Some("北京市朝阳区示例路1号".into()),
            number: "11010519491231002X".into(),
            issuing_authority: Some("北京市公安局朝阳分局".into()),
            valid_from: "20150101".into(),
            valid_until: "长期".into(),
            nationality: None,
            permit_number: None,
            issue_count: None,
        }
    }

    fn value<'a>(fill: &'a CardFill, path: &str) -> Option<&'a str> {
        fill.fields
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.value.as_str())
    }

    #[test]
    fn resident_card_fills_every_person_field_most_asks_for() {
        let most = Profile::by_id("most").unwrap();
        let fill = fields_for(
            most,
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &zhang_san(),
            today(),
        );
        assert!(fill.problems.is_empty(), "{:?}", fill.problems);
        assert_eq!(value(&fill, "person.name"), Some("张三"));
        assert_eq!(value(&fill, "person.sex"), Some("female"));
        assert_eq!(value(&fill, "person.ethnicity"), Some("01"));
        assert_eq!(value(&fill, "person.birthDate"), Some("1949-12-31"));
        assert_eq!(value(&fill, "person.document.docType"), Some("resident-id"));
        assert_eq!(
            value(&fill, "person.document.number"),
            Some("11010519491231002X")
        );
        assert_eq!(
            value(&fill, "person.document.validity.from"),
            Some("2015-01-01")
        );
        assert_eq!(
            value(&fill, "person.document.validity.until"),
            Some("long-term")
        );
        assert_eq!(
            value(&fill, "person.document.country"),
            None,
            "not a foreigner"
        );
        let ethnic = fill
            .fields
            .iter()
            .find(|f| f.path == "person.ethnicity")
            .unwrap();
        assert_eq!(ethnic.label_zh.as_deref(), Some("汉族"));
        let locked: Vec<&str> = fill.read_only.iter().map(|r| r.path.as_str()).collect();
        assert!(locked.contains(&"person.document.validity"), "{locked:?}");
        assert!(locked.contains(&"person.document.number"), "{locked:?}");
        assert!(
            fill.read_only
                .iter()
                .all(|r| r.source_zh == "居民身份证读卡器")
        );
        assert_eq!(fill.card.number, "110***********002X");
        assert_eq!(fill.card.name, "张*");
    }

    #[test]
    fn only_the_paths_the_flow_shows_are_filled() {
        let shandong = Profile::by_id("shandong").unwrap();
        let fill = fields_for(
            shandong,
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &zhang_san(),
            today(),
        );
        let paths: Vec<&str> = fill.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "person.name",
                "person.document.docType",
                "person.document.number"
            ]
        );
        let agent = fields_for(
            Profile::by_id("zhengzhou").unwrap(),
            ApplicationKind::LegalEntity,
            PersonRole::PrimaryAgent,
            &zhang_san(),
            today(),
        );
        assert!(
            agent
                .fields
                .iter()
                .all(|f| f.path.starts_with("primaryAgent."))
        );
        assert_eq!(value(&agent, "primaryAgent.name"), Some("张三"));
    }

    #[test]
    fn a_role_the_flow_does_not_have_is_a_problem() {
        let fill = fields_for(
            Profile::by_id("most").unwrap(),
            ApplicationKind::NaturalPerson,
            PersonRole::LegalRepresentative,
            &zhang_san(),
            today(),
        );
        assert!(fill.fields.is_empty());
        assert_eq!(fill.problems[0].code, "ID_CARD_ROLE_NOT_IN_FLOW");
        let none = fields_for(
            Profile::by_id("tianjin").unwrap(),
            ApplicationKind::RealName,
            PersonRole::Person,
            &zhang_san(),
            today(),
        );
        assert_eq!(none.problems[0].code, "APPLICATION_KIND_NOT_OFFERED");
    }

    #[test]
    fn an_expired_card_fills_the_person_but_not_the_validity() {
        let mut card = zhang_san();
        card.number = "110101199003071233".into();
        card.birth_date = "19900307".into();
        card.sex_code = "1".into();
        card.valid_from = "20060101".into();
        card.valid_until = "20160101".into();
        let fill = fields_for(
            Profile::by_id("most").unwrap(),
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &card,
            today(),
        );
        assert!(
            fill.problems.iter().any(|p| p.code == "ID_EXPIRED"
                && p.field.as_deref() == Some("person.document.validity")),
            "{:?}",
            fill.problems
        );
        assert_eq!(value(&fill, "person.document.validity.until"), None);
        assert_eq!(value(&fill, "person.name"), Some("张三"));
        assert!(
            !fill
                .read_only
                .iter()
                .any(|r| r.path == "person.document.validity"),
            "a refused value stays editable"
        );
    }

    #[test]
    fn a_card_the_platform_does_not_accept_fills_nothing() {
        let permit = ChipCard {
            kind: ChipCardKind::ResidencePermit,
            name: "陈大文".into(),
            number: "810000199408230021".into(),
            birth_date: "19940823".into(),
            ethnicity_code: None,
            valid_from: "20220101".into(),
            valid_until: "20270101".into(),
            permit_number: Some("H12345678".into()),
            issue_count: Some("01".into()),
            ..zhang_san()
        };
        let shandong = fields_for(
            Profile::by_id("shandong").unwrap(),
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &permit,
            today(),
        );
        assert!(shandong.fields.is_empty(), "{:?}", shandong.fields);
        assert_eq!(shandong.problems[0].code, "DOCUMENT_TYPE_NOT_ACCEPTED");
        let most = fields_for(
            Profile::by_id("most").unwrap(),
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &permit,
            today(),
        );
        assert!(most.problems.is_empty(), "{:?}", most.problems);
        assert_eq!(
            value(&most, "person.document.docType"),
            Some("residence-permit")
        );
        assert_eq!(
            value(&most, "person.ethnicity"),
            None,
            "no ethnicity on a permit"
        );
    }

    #[test]
    fn a_foreigners_card_fills_its_nationality_and_latin_name() {
        let card = ChipCard {
            kind: ChipCardKind::ForeignPermanentResidence2023,
            name: String::new(),
            name_latin: Some("SMITH  JOHN".into()),
            sex_code: "1".into(),
            ethnicity_code: None,
            birth_date: "19850621".into(),
            address: None,
            number: "911840198506210010".into(),
            issuing_authority: None,
            valid_from: "20240101".into(),
            valid_until: "20340101".into(),
            nationality: Some("USA".into()),
            permit_number: None,
            issue_count: Some("00".into()),
        };
        let fill = fields_for(
            Profile::by_id("most").unwrap(),
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &card,
            today(),
        );
        assert!(fill.problems.is_empty(), "{:?}", fill.problems);
        assert_eq!(value(&fill, "person.name"), Some("SMITH JOHN"));
        assert_eq!(value(&fill, "person.document.country"), Some("USA"));
        assert_eq!(
            value(&fill, "person.document.docType"),
            Some("foreign-permanent-residence")
        );
    }

    #[test]
    fn a_corrupt_number_fills_nothing_and_says_why() {
        let mut card = zhang_san();
        card.number = "110105194912310021".into();
        let fill = fields_for(
            Profile::by_id("most").unwrap(),
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &card,
            today(),
        );
        assert!(fill.fields.is_empty());
        assert_eq!(fill.problems[0].code, "RESIDENT_ID_CHECK_CHAR");
        assert_eq!(
            fill.problems[0].field.as_deref(),
            Some("person.document.number")
        );
    }

    #[test]
    fn unreadable_dates_and_sex_are_reported_not_filled() {
        let mut card = zhang_san();
        card.valid_from = "2015013".into();
        card.sex_code = "9".into();
        let fill = fields_for(
            Profile::by_id("most").unwrap(),
            ApplicationKind::NaturalPerson,
            PersonRole::Person,
            &card,
            today(),
        );
        assert!(
            fill.problems
                .iter()
                .any(|p| p.code == "ID_CARD_DATE_UNREADABLE")
        );
        assert!(
            fill.warnings
                .iter()
                .any(|p| p.code == "ID_CARD_SEX_UNSPECIFIED")
        );
        assert_eq!(value(&fill, "person.sex"), None);
        assert_eq!(value(&fill, "person.document.validity.from"), None);
        assert_eq!(value(&fill, "person.name"), Some("张三"));
    }

    #[test]
    fn debug_never_shows_the_holder() {
        let text = format!("{:?}", zhang_san());
        assert!(
            !text.contains("张三") && !text.contains("11010519491231002X"),
            "{text}"
        );
        assert!(text.contains("110***********002X"), "{text}");
    }

    #[test]
    fn roles_parse_from_kebab_names_and_prefixes() {
        for role in PersonRole::ALL {
            assert_eq!(PersonRole::parse(role.prefix()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(PersonRole::parse(json.trim_matches('"')), Some(role));
        }
        assert_eq!(PersonRole::parse("nobody"), None);
    }

    #[test]
    fn error_codes_are_unique_and_translated() {
        for e in IdCardError::ALL {
            assert!(e.code().starts_with("ID_CARD_"));
            assert!(!e.zh().is_ascii() && !e.en().is_empty());
        }
    }
}
