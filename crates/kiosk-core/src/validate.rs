//! Validating a whole application against a platform profile: every problem at once, each
//! pointing at its field (camelCase dotted path, e.g. `legalRepresentative.document.number`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::application::{
    Account, Application, ApplicationForm, Attachment, LegacyUserType, Person, Subject, Unit,
    UnitRef,
};
use crate::date::Date;
use crate::document::DocumentType;
use crate::profile::{Flow, Profile};
use crate::rules::Validated;
use crate::rules::account::{PasswordContext, validate_account_name, validate_password};
use crate::rules::bank::{validate_account_number, validate_holder};
use crate::rules::contact::{
    validate_email, validate_mobile_for, validate_phone, validate_sms_code,
};
use crate::rules::input::normalize_text;
use crate::rules::person::{
    PersonError, validate_document_number, validate_ethnicity, validate_name,
};
use crate::rules::uscc::validate_uscc;
use crate::rules::validity::{check_period, check_resident_id_validity};
use crate::{Problem, UserFacing, reference};

user_facing_errors! {
    /// Problems that concern the application as a whole rather than one value.
    pub enum ApplicationError {
        /// The application names another profile than the one it is validated against.
        ProfileMismatch = "APPLICATION_PROFILE_MISMATCH" {
            zh: "申请所属平台与所选平台不一致，请重新选择平台。",
            en: "The application belongs to another platform than the one chosen. Choose the platform again."
        },
        /// The platform has no such flow.
        KindNotOffered = "APPLICATION_KIND_NOT_OFFERED" {
            zh: "该平台不办理此类业务，请选择平台支持的业务。",
            en: "This platform does not offer this kind of request. Choose one it offers."
        },
        /// A required field is empty.
        FieldRequired = "FIELD_REQUIRED" {
            zh: "此项为必填项，请填写。",
            en: "This field is required. Fill it in."
        },
        /// The legal-entity type is not offered by the platform.
        EntityTypeNotOffered = "ENTITY_TYPE_NOT_OFFERED" {
            zh: "该平台没有此法人类型，请从列表中重新选择。",
            en: "This platform does not offer this legal-entity type. Choose one from the list."
        },
        /// A division code that is not in the GB/T 2260 list.
        DivisionUnknown = "DIVISION_UNKNOWN" {
            zh: "所选行政区划不存在，请从列表中重新选择省、市、区县。",
            en: "The division does not exist. Choose province, city and county from the list again."
        },
        /// A required attachment slot is empty.
        AttachmentMissing = "ATTACHMENT_MISSING" {
            zh: "缺少必需的附件材料，请扫描或拍照后上传。",
            en: "A required attachment is missing. Scan or photograph it and upload it."
        },
        /// A file for a slot the flow does not have.
        AttachmentSlotUnknown = "ATTACHMENT_SLOT_UNKNOWN" {
            zh: "附件类别不属于此业务，请删除后按页面提示重新上传。",
            en: "The attachment belongs to no slot of this request. Remove it and upload it where the screen says."
        },
        /// A file larger than the slot allows.
        AttachmentTooLarge = "ATTACHMENT_TOO_LARGE" {
            zh: "附件超过大小限制，请压缩或降低分辨率后重新上传。",
            en: "The attachment is larger than allowed. Compress it or lower the resolution and upload it again."
        },
        /// A file type the slot does not accept.
        AttachmentType = "ATTACHMENT_TYPE" {
            zh: "附件格式不被接受，请按页面提示的格式（如 jpg、png）重新上传。",
            en: "The attachment's format is not accepted. Upload it again in a listed format (e.g. jpg, png)."
        },
        /// More files than the slot takes.
        AttachmentTooMany = "ATTACHMENT_TOO_MANY" {
            zh: "此类附件数量超过上限，请删除多余的文件。",
            en: "Too many files for this attachment. Remove the extra ones."
        },
        /// Zhengzhou: an unbound expert account must be bound first.
        ExpertBindingFirst = "LEGACY_BIND_EXPERT_FIRST" {
            zh: "检测到您有专家账户尚未绑定，请先绑定专家账户；如需绑定原申报账户，请用另一个手机号注册后再绑定。",
            en: "An expert account is still unbound: bind it first. To bind the old applicant account, register with another mobile number."
        },
        /// Manual fallback requested where the platform has none, or without photos.
        ManualFallbackUnavailable = "REAL_NAME_MANUAL_UNAVAILABLE" {
            zh: "该平台不支持人工实名认证，请核对信息后重新在线认证，或到窗口咨询。",
            en: "This platform has no manual real-name review. Check the details and verify online again, or ask at the counter."
        },
        /// Real-name verification may not be skipped on this platform.
        RealNameNotSkippable = "REAL_NAME_NOT_SKIPPABLE" {
            zh: "该平台注册时必须完成实名认证，不能跳过。",
            en: "This platform requires real-name verification during registration; it cannot be skipped."
        },
        /// The document type cannot be used for online real-name verification.
        RealNameDocumentType = "REAL_NAME_DOCUMENT_TYPE" {
            zh: "该证件不能在线实名认证（如护照），请改用居民身份证或外国人永久居留身份证，或填写纸质变更表。",
            en: "This document cannot be verified online (e.g. a passport). Use a resident ID or permanent residence card, or fill in the paper change form."
        },
    }
}

/// Everything found in one application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ApplicationReport {
    /// Whether the application may be submitted (no errors).
    pub valid: bool,
    /// Blocking problems, each with `field` set.
    pub errors: Vec<Problem>,
    /// Non-blocking problems worth a second look.
    pub warnings: Vec<Problem>,
}

/// Collects problems while walking an application.
struct Findings {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Findings {
    fn error(&mut self, error: impl UserFacing, field: &str) {
        self.errors.push(error.problem().at(field));
    }

    /// Takes a validator's result, pointing its problems at `field`; returns the value.
    fn take<T>(&mut self, result: Validated<T>, field: &str) -> Option<T> {
        let result = result.at(field);
        self.errors.extend(result.errors);
        self.warnings.extend(result.warnings);
        result.value
    }

    fn problems(&mut self, problems: Vec<Problem>, field: &str) {
        self.errors
            .extend(problems.into_iter().map(|p| p.at(field)));
    }
}

/// Validates `application` against `profile` on `today`: required fields, every value's
/// rule, agreement between values, and attachments. Returns all problems at once.
pub fn validate_application(
    profile: &Profile,
    application: &Application,
    today: Date,
) -> ApplicationReport {
    let mut found = Findings {
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if application.profile != profile.id {
        found.error(ApplicationError::ProfileMismatch, "profile");
    }
    let kind = application.kind();
    let Some(flow) = profile.flow(kind) else {
        found.error(ApplicationError::KindNotOffered, "kind");
        return finish(found);
    };
    check_required(flow, application, &mut found);
    let walker = Walker { profile, today };
    match &application.form {
        ApplicationForm::NaturalPerson(f) => {
            let id = walker.person(&f.person, "person", &mut found);
            walker.account(&f.account, id.as_deref(), &mut found);
            if f.skip_real_name && !profile.real_name.skippable {
                found.error(ApplicationError::RealNameNotSkippable, "skipRealName");
            }
            walker.optional_text(f.unit_name.as_deref(), "unitName", &mut found);
            walker.optional_text(f.position.as_deref(), "position", &mut found);
            walker.optional_text(
                f.professional_title.as_deref(),
                "professionalTitle",
                &mut found,
            );
        }
        ApplicationForm::LegalEntity(f) => {
            walker.unit(&f.unit, &mut found);
            let rep_id = walker.person(&f.legal_representative, "legalRepresentative", &mut found);
            let agent_id = f
                .primary_agent
                .as_ref()
                .and_then(|agent| walker.person(agent, "primaryAgent", &mut found));
            walker.account(&f.account, agent_id.or(rep_id).as_deref(), &mut found);
        }
        ApplicationForm::Expert(f) => {
            let id = walker.person(&f.person, "person", &mut found);
            walker.account(&f.account, id.as_deref(), &mut found);
            walker.optional_text(Some(&f.work_unit), "workUnit", &mut found);
            walker.optional_text(
                f.professional_title.as_deref(),
                "professionalTitle",
                &mut found,
            );
            walker.optional_text(f.specialty.as_deref(), "specialty", &mut found);
        }
        ApplicationForm::LegacyBinding(f) => {
            if let Some(mobile) = &f.mobile {
                found.take(walker.mobile(mobile), "mobile");
            }
            if let Some(code) = &f.sms_code {
                found.take(validate_sms_code(code), "smsCode");
            }
            if let Some(name) = &f.legacy_account_name {
                walker.optional_text(Some(name), "legacyAccountName", &mut found);
            }
            if let Some(person) = &f.person {
                walker.person(person, "person", &mut found);
            }
            if profile.expert_binding_first
                && f.has_unbound_expert_account
                && f.user_type != LegacyUserType::Expert
            {
                found.error(ApplicationError::ExpertBindingFirst, "userType");
            }
        }
        ApplicationForm::RealName(f) => {
            walker.person(&f.person, "person", &mut found);
            walker.subject_unit(f.subject, f.unit.as_ref(), &mut found);
            let doc = f.person.document.doc_type;
            if !profile.real_name.document_types.contains(&doc) {
                found.error(
                    ApplicationError::RealNameDocumentType,
                    "person.document.docType",
                );
            }
            if f.manual_fallback && !profile.real_name.manual_fallback {
                found.error(
                    ApplicationError::ManualFallbackUnavailable,
                    "manualFallback",
                );
            }
        }
        ApplicationForm::PasswordResetAppeal(f) => {
            walker.person(&f.person, "person", &mut found);
            walker.subject_unit(f.subject, f.unit.as_ref(), &mut found);
            if let Some(code) = &f.sms_code {
                found.take(validate_sms_code(code), "smsCode");
            }
        }
    }
    let manual = application
        .real_name_check
        .is_some_and(|r| r.needs_photos())
        || matches!(&application.form, ApplicationForm::RealName(f) if f.manual_fallback);
    check_attachments(flow, application.form.attachments(), manual, &mut found);
    finish(found)
}

/// Checks one person on its own with the same rules as [`validate_application`]: name,
/// ethnicity, contact details, the document type the profile accepts, the number, the
/// agreement of sex and birth date with the number, and the validity period. Every problem
/// points at `<prefix>.<field>` (e.g. `person.document.number`). Used for data that did not
/// come from the keyboard, such as an ID card's chip.
pub fn validate_person(
    profile: &Profile,
    person: &Person,
    prefix: &str,
    today: Date,
) -> ApplicationReport {
    let mut found = Findings {
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    Walker { profile, today }.person(person, prefix, &mut found);
    finish(found)
}

fn finish(found: Findings) -> ApplicationReport {
    ApplicationReport {
        valid: found.errors.is_empty(),
        errors: found.errors,
        warnings: found.warnings,
    }
}

/// Reports every required path of the flow that applies (see [`crate::form::applies`]) and is
/// absent, null or blank. An SMS code counts as given once the platform verified it or the
/// application defers it (the kiosk was offline).
fn check_required(flow: &Flow, application: &Application, found: &mut Findings) {
    let Ok(json) = serde_json::to_value(application) else {
        return;
    };
    let sms = crate::sms::sms_spec(application.kind(), &flow.fields);
    for path in &flow.required {
        if !crate::form::applies(path, &flow.fields, &json) {
            continue;
        }
        if let Some(sms) = sms.as_ref().filter(|s| s.code_path == *path)
            && sms.state(&json) != crate::sms::SmsState::Pending
        {
            continue;
        }
        let pointer = format!("/{}", path.replace('.', "/"));
        let present = match json.pointer(&pointer) {
            None | Some(serde_json::Value::Null) => false,
            Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
            Some(serde_json::Value::Array(a)) => !a.is_empty(),
            Some(_) => true,
        };
        if !present {
            found.error(ApplicationError::FieldRequired, path);
        }
    }
}

fn check_attachments(
    flow: &Flow,
    attachments: &[Attachment],
    manual_fallback: bool,
    found: &mut Findings,
) {
    for (i, file) in attachments.iter().enumerate() {
        let field = format!("attachments.{i}");
        let Some(slot) = flow.attachments.iter().find(|s| s.slot == file.slot) else {
            found.error(ApplicationError::AttachmentSlotUnknown, &field);
            continue;
        };
        if file.size_bytes > slot.max_bytes || file.size_bytes == 0 {
            found.error(ApplicationError::AttachmentTooLarge, &field);
        }
        if !slot
            .media_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(file.media_type.trim()))
        {
            found.error(ApplicationError::AttachmentType, &field);
        }
    }
    for slot in &flow.attachments {
        let count = attachments.iter().filter(|a| a.slot == slot.slot).count();
        let field = format!("attachments[{}]", slot.slot);
        let needed = slot.required || (manual_fallback && slot.manual_review);
        if needed && count == 0 {
            found.error(ApplicationError::AttachmentMissing, &field);
        }
        if count > usize::from(slot.max_count) {
            found.error(ApplicationError::AttachmentTooMany, &field);
        }
    }
}

/// Walks the parts of an application with the profile and date at hand.
struct Walker<'a> {
    profile: &'a Profile,
    today: Date,
}

impl Walker<'_> {
    /// A mobile under the profile's rule (international numbers where it takes them).
    fn mobile(&self, mobile: &str) -> Validated<String> {
        validate_mobile_for(mobile, self.profile.international_mobiles)
    }

    /// Checks a person; returns the normalised document number when valid.
    fn person(&self, person: &Person, prefix: &str, found: &mut Findings) -> Option<String> {
        found.take(validate_name(&person.name), &format!("{prefix}.name"));
        if let Some(ethnicity) = &person.ethnicity {
            found.take(
                validate_ethnicity(ethnicity),
                &format!("{prefix}.ethnicity"),
            );
        }
        if let Some(mobile) = &person.mobile {
            found.take(self.mobile(mobile), &format!("{prefix}.mobile"));
        }
        if let Some(email) = &person.email {
            found.take(validate_email(email), &format!("{prefix}.email"));
        }
        if let Some(phone) = &person.phone {
            found.take(validate_phone(phone), &format!("{prefix}.phone"));
        }
        let doc = &person.document;
        let doc_field = format!("{prefix}.document");
        if !self.profile.document_types.contains(&doc.doc_type) {
            found.error(
                PersonError::DocumentTypeNotAccepted,
                &format!("{doc_field}.docType"),
            );
        }
        let number_field = format!("{doc_field}.number");
        let parsed = found.take(
            validate_document_number(
                doc.doc_type,
                &doc.number,
                doc.country.as_deref(),
                self.today,
            ),
            &number_field,
        );
        let validity_field = format!("{doc_field}.validity");
        let holder = parsed.as_ref().and_then(|p| p.holder.as_ref());
        if let Some(holder) = holder {
            if person.sex.is_some_and(|s| s != holder.sex) {
                found.error(PersonError::SexMismatch, &format!("{prefix}.sex"));
            }
            if person.birth_date.is_some_and(|b| b != holder.birth_date) {
                found.error(
                    PersonError::BirthDateMismatch,
                    &format!("{prefix}.birthDate"),
                );
            }
        }
        match (doc.validity, holder) {
            (Some(validity), Some(holder)) if doc.doc_type == DocumentType::ResidentId => {
                found.problems(
                    check_resident_id_validity(holder.birth_date, validity, self.today),
                    &validity_field,
                );
            }
            (Some(validity), _) => {
                found.problems(check_period(validity, self.today), &validity_field)
            }
            (None, _)
                if self.profile.id_validity_required
                    && doc.doc_type == DocumentType::ResidentId =>
            {
                found.error(PersonError::ValidityMissing, &validity_field);
            }
            (None, _) => {}
        }
        self.optional_text(
            doc.country.as_deref(),
            &format!("{doc_field}.country"),
            found,
        );
        parsed.map(|p| p.number)
    }

    fn account(&self, account: &Account, id_number: Option<&str>, found: &mut Findings) {
        let name = match (&account.account_name, &self.profile.account_name) {
            (Some(name), Some(policy)) => {
                found.take(validate_account_name(name, policy), "account.accountName")
            }
            _ => None,
        };
        let context = PasswordContext {
            confirmation: Some(&account.password_confirmation),
            account_name: name.as_deref().or(account.account_name.as_deref()),
            id_number,
        };
        let result = validate_password(&account.password, &self.profile.password, context);
        let (confirmation, rest): (Vec<Problem>, Vec<Problem>) = result
            .errors
            .into_iter()
            .partition(|p| p.code == "PASSWORD_CONFIRMATION_MISMATCH");
        found.problems(rest, "account.password");
        found.problems(confirmation, "account.passwordConfirmation");
        if let Some(code) = &account.sms_code {
            found.take(validate_sms_code(code), "account.smsCode");
        }
    }

    fn unit(&self, unit: &Unit, found: &mut Findings) {
        found.take(normalize_unit_name(&unit.name), "unit.name");
        if !self.profile.legal_entity_types.contains(&unit.entity_type) {
            found.error(ApplicationError::EntityTypeNotOffered, "unit.entityType");
        }
        let abroad = unit
            .region
            .is_some_and(|r| r != crate::application::UnitRegion::Domestic);
        if abroad {
            match unit.registration_number.as_deref() {
                Some(number) => self.optional_text(Some(number), "unit.registrationNumber", found),
                None => found.error(ApplicationError::FieldRequired, "unit.registrationNumber"),
            }
        } else {
            found.take(
                validate_uscc(&unit.uscc, Some(unit.entity_type)),
                "unit.uscc",
            );
        }
        self.optional_text(unit.nature.as_deref(), "unit.nature", found);
        if let Some(name) = &unit.contact_name {
            found.take(validate_name(name), "unit.contactName");
        }
        if let Some(mobile) = &unit.contact_mobile {
            found.take(self.mobile(mobile), "unit.contactMobile");
        }
        if let Some(email) = &unit.email {
            found.take(validate_email(email), "unit.email");
        }
        self.optional_text(
            unit.supervising_department.as_deref(),
            "unit.supervisingDepartment",
            found,
        );
        for (address, field) in [
            (&unit.registered_address, "unit.registeredAddress"),
            (&unit.located_address, "unit.locatedAddress"),
        ] {
            if let Some(address) = address {
                if reference::division_name(address.division_code.trim()).is_none() {
                    found.error(
                        ApplicationError::DivisionUnknown,
                        &format!("{field}.divisionCode"),
                    );
                }
                self.optional_text(Some(&address.detail), &format!("{field}.detail"), found);
            }
        }
        if let Some(bank) = &unit.bank_account {
            if self.profile.bank_holder_must_match_unit {
                found.take(
                    validate_holder(&bank.holder, &unit.name),
                    "unit.bankAccount.holder",
                );
            } else {
                self.optional_text(Some(&bank.holder), "unit.bankAccount.holder", found);
            }
            self.optional_text(Some(&bank.bank), "unit.bankAccount.bank", found);
            found.take(
                validate_account_number(&bank.number),
                "unit.bankAccount.number",
            );
        }
    }

    fn subject_unit(&self, subject: Subject, unit: Option<&UnitRef>, found: &mut Findings) {
        match (subject, unit) {
            (Subject::LegalEntity, None) => found.error(ApplicationError::FieldRequired, "unit"),
            (_, Some(unit)) => {
                found.take(normalize_unit_name(&unit.name), "unit.name");
                if !self.profile.legal_entity_types.contains(&unit.entity_type) {
                    found.error(ApplicationError::EntityTypeNotOffered, "unit.entityType");
                }
                found.take(
                    validate_uscc(&unit.uscc, Some(unit.entity_type)),
                    "unit.uscc",
                );
            }
            (Subject::NaturalPerson, None) => {}
        }
    }

    /// Free text that only has to be clean (no control characters, not over-long, not blank).
    fn optional_text(&self, text: Option<&str>, field: &str, found: &mut Findings) {
        if let Some(text) = text {
            found.take(
                normalize_text(text).map_or_else(Validated::invalid, Validated::valid),
                field,
            );
        }
    }
}

fn normalize_unit_name(name: &str) -> Validated<String> {
    normalize_text(name).map_or_else(Validated::invalid, Validated::valid)
}
