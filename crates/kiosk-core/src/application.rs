//! The one domain model of an application, shared by every platform: profiles configure
//! which parts are asked for and required; they never fork these types.
//!
//! JSON shape (camelCase, `kind` in kebab-case next to the kind's own fields):
//! `{"id": "…", "profile": "tianjin", "kind": "legal-entity", "account": {…}, "unit": {…}, …}`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::Date;
use crate::document::{DocumentType, Sex};
use crate::privacy::{mask_id_number, mask_mobile, mask_name};
use crate::rules::validity::Validity;

mod error;

pub use error::ApplicationJsonError;

/// What an application asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ApplicationKind {
    /// Register a natural-person (individual applicant) account.
    NaturalPerson,
    /// Register a legal-entity (unit) account with its legal representative and agent.
    LegalEntity,
    /// Register a review-expert account (Zhengzhou).
    Expert,
    /// Bind an account of the old system to the new unified identity.
    LegacyBinding,
    /// Real-name verification, online or with the manual fallback.
    RealName,
    /// Password reset by appeal when the login name or reserved phone is lost (MOST).
    PasswordResetAppeal,
}

impl ApplicationKind {
    /// Every kind.
    pub const ALL: [Self; 6] = [
        Self::NaturalPerson,
        Self::LegalEntity,
        Self::Expert,
        Self::LegacyBinding,
        Self::RealName,
        Self::PasswordResetAppeal,
    ];

    /// Stable kebab-case name as in JSON and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NaturalPerson => "natural-person",
            Self::LegalEntity => "legal-entity",
            Self::Expert => "expert",
            Self::LegacyBinding => "legacy-binding",
            Self::RealName => "real-name",
            Self::PasswordResetAppeal => "password-reset-appeal",
        }
    }

    /// Parses [`ApplicationKind::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Chinese label for screens and receipts.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::NaturalPerson => "个人（自然人）用户注册",
            Self::LegalEntity => "法人（单位）用户注册",
            Self::Expert => "评审专家注册",
            Self::LegacyBinding => "老用户绑定",
            Self::RealName => "实名认证",
            Self::PasswordResetAppeal => "申诉找回密码",
        }
    }
}

/// Kind of legal entity (法人类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LegalEntityType {
    /// 企业（法人）.
    Enterprise,
    /// 事业单位（法人）.
    PublicInstitution,
    /// 机关.
    GovernmentOrgan,
    /// 社会组织（法人）.
    SocialOrganization,
    /// 其他.
    Other,
}

/// Where a unit is registered (MOST asks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum UnitRegion {
    /// 境内单位.
    Domestic,
    /// 港澳台地区单位.
    HkMacaoTaiwan,
    /// 境外单位.
    Overseas,
}

/// Whose request a real-name verification or appeal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Subject {
    /// A natural person's own account.
    NaturalPerson,
    /// A legal entity's account (acted on by its primary agent).
    LegalEntity,
}

/// Which kind of old account is being bound (Zhengzhou: 申报用户 / 专家用户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LegacyUserType {
    /// 申报个人用户.
    ApplicantPerson,
    /// 申报单位用户.
    ApplicantUnit,
    /// 评审专家用户.
    Expert,
}

/// An identity document as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IdentityDocument {
    /// Document type.
    pub doc_type: DocumentType,
    /// Number as typed; normalised by validation.
    pub number: String,
    /// Issuing country or region (passports, permanent residence cards), ISO alpha-3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub country: Option<String>,
    /// Validity period, when the platform asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub validity: Option<Validity>,
}

/// A natural person: the applicant, a legal representative, an agent or an expert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Person {
    /// Name as on the document.
    pub name: String,
    /// Sex, when the form asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sex: Option<Sex>,
    /// Birth date, when the form asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub birth_date: Option<Date>,
    /// GB/T 3304 ethnic-group code (`01` = 汉族), when the form asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ethnicity: Option<String>,
    /// Identity document.
    pub document: IdentityDocument,
    /// Mobile number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mobile: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub email: Option<String>,
    /// Landline or office phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub phone: Option<String>,
}

/// The new account's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Account {
    /// Login name, on platforms that have one (others log in by mobile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account_name: Option<String>,
    /// Chosen password (never shown, logged or printed). A draft keeps none, so a missing
    /// one reads as empty and validation asks for it.
    #[serde(default)]
    pub password: String,
    /// The password typed a second time.
    #[serde(default)]
    pub password_confirmation: String,
    /// SMS code sent to the registering mobile, when the flow uses one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sms_code: Option<String>,
    /// The platform's proof that the code was verified (`/api/v1/sms/verify`), handed back with
    /// the submission so the platform knows the mobile is the visitor's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sms_verification: Option<String>,
    /// The kiosk was offline: the mobile is verified later, so no code is given (the platform
    /// records the mobile as unverified and texts it a code).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub sms_deferred: bool,
}

/// A postal address: a GB/T 2260 division plus the street address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Address {
    /// 6-digit county-level division code.
    pub division_code: String,
    /// Street, number, building.
    pub detail: String,
}

/// The unit's bank account (Tianjin: holder must equal the unit name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BankAccount {
    /// 账户（收款单位）.
    pub holder: String,
    /// 开户银行.
    pub bank: String,
    /// 银行账户.
    pub number: String,
}

/// A legal entity (unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Unit {
    /// Full registered name.
    pub name: String,
    /// Legal-entity type.
    pub entity_type: LegalEntityType,
    /// Unified social credit code (domestic units; empty for units registered abroad).
    #[serde(default)]
    pub uscc: String,
    /// Registration number in the unit's home jurisdiction (HK/Macao/Taiwan and overseas units,
    /// which have no unified social credit code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub registration_number: Option<String>,
    /// Domestic, HK/Macao/Taiwan or overseas (MOST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub region: Option<UnitRegion>,
    /// 法人性质 (Tianjin), free text from the platform's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nature: Option<String>,
    /// Contact person's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub contact_name: Option<String>,
    /// Contact person's mobile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub contact_mobile: Option<String>,
    /// Unit e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub email: Option<String>,
    /// Supervising department (局级主管部门).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub supervising_department: Option<String>,
    /// Registered address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub registered_address: Option<Address>,
    /// Actual (located) address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub located_address: Option<Address>,
    /// Bank account for payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bank_account: Option<BankAccount>,
}

/// The identifying part of a unit, for verification and appeals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitRef {
    /// Full registered name.
    pub name: String,
    /// Legal-entity type.
    pub entity_type: LegalEntityType,
    /// Unified social credit code.
    pub uscc: String,
}

/// A file handed in for an attachment slot (the bytes live in the store, not here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attachment {
    /// Slot id from the profile, e.g. `business-licence`.
    pub slot: String,
    /// Original file name.
    pub file_name: String,
    /// Media type, e.g. `image/jpeg`.
    pub media_type: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// SHA-256 of the content, hex, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sha256: Option<String>,
}

/// Registration of a natural person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NaturalPersonForm {
    /// New account.
    pub account: Account,
    /// The applicant.
    pub person: Person,
    /// Unit the person belongs to, by full name (Tianjin: chosen after the unit exists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unit_name: Option<String>,
    /// Job position (职务).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub position: Option<String>,
    /// Professional title (职称).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub professional_title: Option<String>,
    /// Whether the visitor skips real-name verification for now (Zhengzhou allows it).
    #[serde(default)]
    pub skip_real_name: bool,
    /// Files handed in (photos of the ID card when the real name goes to manual review).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// Registration of a legal entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LegalEntityForm {
    /// New account.
    pub account: Account,
    /// The unit.
    pub unit: Unit,
    /// Legal representative (法定代表人).
    pub legal_representative: Person,
    /// Primary agent (主代办人, MOST) or unit administrator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub primary_agent: Option<Person>,
    /// Files handed in.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// Registration of a review expert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExpertForm {
    /// New account.
    pub account: Account,
    /// The expert.
    pub person: Person,
    /// Employer.
    pub work_unit: String,
    /// Professional title (职称).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub professional_title: Option<String>,
    /// Field of expertise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub specialty: Option<String>,
    /// Files handed in (photos of the ID card when the real name goes to manual review).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// Binding an old account to the unified identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LegacyBindingForm {
    /// Which old account is bound.
    pub user_type: LegacyUserType,
    /// The mobile registered in the old system (Zhengzhou).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mobile: Option<String>,
    /// SMS code sent to that mobile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sms_code: Option<String>,
    /// The platform's proof that the code was verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sms_verification: Option<String>,
    /// The mobile is verified later (offline): no code is given.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub sms_deferred: bool,
    /// Old account name (Shandong, MOST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub legacy_account_name: Option<String>,
    /// Old password (Shandong binds with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub legacy_password: Option<String>,
    /// The person whose accounts are bound, when the platform checks identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub person: Option<Person>,
    /// The visitor says an expert account is still unbound (Zhengzhou: bind it first).
    #[serde(default)]
    pub has_unbound_expert_account: bool,
}

/// A real-name verification request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RealNameForm {
    /// Whose account is verified.
    pub subject: Subject,
    /// The person verified (for a legal entity: its legal representative).
    pub person: Person,
    /// The unit, for a legal-entity verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unit: Option<UnitRef>,
    /// Online verification failed: hand in signed document photos for manual review.
    #[serde(default)]
    pub manual_fallback: bool,
    /// Files for the manual fallback.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// A password-reset appeal when the login name or reserved phone is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordResetAppealForm {
    /// Whose account is recovered.
    pub subject: Subject,
    /// The natural person, or the unit's primary agent.
    pub person: Person,
    /// The unit, for a legal-entity appeal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unit: Option<UnitRef>,
    /// SMS code for the new contact mobile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sms_code: Option<String>,
    /// The platform's proof that the code was verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sms_verification: Option<String>,
    /// The mobile is verified later (offline): no code is given.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub sms_deferred: bool,
    /// Signed document photos (jpg/png, at most 1 MB each on MOST).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// The kind-specific part of an application, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export)]
#[allow(
    clippy::large_enum_variant,
    reason = "one form per visitor; boxing would only complicate construction"
)]
pub enum ApplicationForm {
    /// See [`NaturalPersonForm`].
    NaturalPerson(NaturalPersonForm),
    /// See [`LegalEntityForm`].
    LegalEntity(LegalEntityForm),
    /// See [`ExpertForm`].
    Expert(ExpertForm),
    /// See [`LegacyBindingForm`].
    LegacyBinding(LegacyBindingForm),
    /// See [`RealNameForm`].
    RealName(RealNameForm),
    /// See [`PasswordResetAppealForm`].
    PasswordResetAppeal(PasswordResetAppealForm),
}

/// One application to one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Application {
    /// UUID assigned by the store on submission; absent in drafts and fixtures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    /// Profile id: `zhengzhou`, `tianjin`, `shandong` or `most`.
    pub profile: String,
    /// What the kiosk's live real-name check found (see [`crate::checks`]); absent when the
    /// flow verifies no real name or the visitor skipped it where the platform allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub real_name_check: Option<crate::checks::RealNameRecord>,
    /// The protocol's request for manual review (docs/protocol.md section 6), which the
    /// platform lists: set by [`Application::mark_manual_review`] when handed in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub manual_review: bool,
    /// The kind and its fields.
    #[serde(flatten)]
    pub form: ApplicationForm,
}

/// What the queue screen and the receipt show about an application: nothing unmasked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MaskedSummary {
    /// Application kind.
    pub kind: ApplicationKind,
    /// Profile id.
    pub profile: String,
    /// The applicant's masked name (`张*`), when the application names a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub applicant: Option<String>,
    /// Masked document number (`110***********271X`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id_number: Option<String>,
    /// Masked mobile (`138****5678`), when there is no person (legacy binding by phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mobile: Option<String>,
    /// Unit name (public information, not masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unit_name: Option<String>,
}

impl ApplicationForm {
    /// The kind of this form.
    pub fn kind(&self) -> ApplicationKind {
        match self {
            Self::NaturalPerson(_) => ApplicationKind::NaturalPerson,
            Self::LegalEntity(_) => ApplicationKind::LegalEntity,
            Self::Expert(_) => ApplicationKind::Expert,
            Self::LegacyBinding(_) => ApplicationKind::LegacyBinding,
            Self::RealName(_) => ApplicationKind::RealName,
            Self::PasswordResetAppeal(_) => ApplicationKind::PasswordResetAppeal,
        }
    }

    /// The person who applies in person at the kiosk: the agent for a legal entity when
    /// there is one, else the legal representative.
    pub fn applicant(&self) -> Option<&Person> {
        match self {
            Self::NaturalPerson(f) => Some(&f.person),
            Self::LegalEntity(f) => f.primary_agent.as_ref().or(Some(&f.legal_representative)),
            Self::Expert(f) => Some(&f.person),
            Self::LegacyBinding(f) => f.person.as_ref(),
            Self::RealName(f) => Some(&f.person),
            Self::PasswordResetAppeal(f) => Some(&f.person),
        }
    }

    /// The unit's name, when the application concerns a unit.
    pub fn unit_name(&self) -> Option<&str> {
        match self {
            Self::NaturalPerson(f) => f.unit_name.as_deref(),
            Self::LegalEntity(f) => Some(&f.unit.name),
            Self::Expert(f) => Some(&f.work_unit),
            Self::LegacyBinding(_) => None,
            Self::RealName(f) => f.unit.as_ref().map(|u| u.name.as_str()),
            Self::PasswordResetAppeal(f) => f.unit.as_ref().map(|u| u.name.as_str()),
        }
    }

    /// The attachments handed in (empty for kinds without any).
    pub fn attachments(&self) -> &[Attachment] {
        match self {
            Self::NaturalPerson(f) => &f.attachments,
            Self::Expert(f) => &f.attachments,
            Self::LegalEntity(f) => &f.attachments,
            Self::RealName(f) => &f.attachments,
            Self::PasswordResetAppeal(f) => &f.attachments,
            _ => &[],
        }
    }
}

impl Application {
    /// The application's kind.
    pub fn kind(&self) -> ApplicationKind {
        self.form.kind()
    }

    /// Parses an application from JSON text.
    pub fn from_json(text: &str) -> Result<Self, crate::Problem> {
        serde_json::from_str(text).map_err(|e| ApplicationJsonError::from(e).into())
    }

    /// Whether the person must be checked by hand: the kiosk's real-name check sent the
    /// application to manual review, or the visitor asked for the manual fallback.
    pub fn asks_manual_review(&self) -> bool {
        self.real_name_check
            .as_ref()
            .is_some_and(crate::checks::RealNameRecord::needs_photos)
            || matches!(&self.form, ApplicationForm::RealName(f) if f.manual_fallback)
    }

    /// Sets the protocol's `manualReview` flag from [`Application::asks_manual_review`], so
    /// what is handed in says it whatever the file said.
    pub fn mark_manual_review(&mut self) {
        self.manual_review = self.asks_manual_review();
    }

    /// The masked summary for the queue screen and the receipt.
    pub fn masked_summary(&self) -> MaskedSummary {
        let applicant = self.form.applicant();
        let mobile = match &self.form {
            ApplicationForm::LegacyBinding(f) if f.person.is_none() => {
                f.mobile.as_deref().map(mask_mobile)
            }
            _ => None,
        };
        MaskedSummary {
            kind: self.kind(),
            profile: self.profile.clone(),
            applicant: applicant.map(|p| mask_name(&p.name)),
            id_number: applicant.map(|p| mask_id_number(&p.document.number)),
            mobile,
            unit_name: self.form.unit_name().map(str::to_owned),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const TIANJIN_PERSON: &str =
        include_str!("../../../tests/fixtures/applications/tianjin-natural-person.json");

    fn handed_in(real_name_check: serde_json::Value) -> serde_json::Value {
        let mut json: serde_json::Value = serde_json::from_str(TIANJIN_PERSON).unwrap();
        json["realNameCheck"] = real_name_check;
        json["manualReview"] = serde_json::Value::Bool(true);
        let mut application: Application = serde_json::from_value(json).unwrap();
        application.mark_manual_review();
        serde_json::to_value(&application).unwrap()
    }

    #[test]
    fn a_real_name_sent_to_manual_review_is_handed_in_with_the_protocols_flag() {
        let manual = handed_in(serde_json::json!({
            "outcome": "manual-review", "reason": "out-of-hours", "at": 1
        }));
        assert_eq!(manual["manualReview"], true, "{manual}");
        let verified = handed_in(serde_json::json!({ "outcome": "verified", "at": 1 }));
        assert!(
            verified.get("manualReview").is_none(),
            "a flag the check does not back is dropped: {verified}"
        );
    }
}
