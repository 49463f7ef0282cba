//! What a wizard shows for one flow of one platform: the profile's field paths turned into
//! labelled inputs grouped in steps, with their choices, the single-value check that applies
//! when a field is left, and the attachment slots. Pure data: the UI renders it and never
//! keeps its own list of fields.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::application::{ApplicationKind, LegalEntityType};
use crate::checks::{RegisteredCheck, registered_check, verified_person};
use crate::document::DocumentType;
use crate::field::FieldKind;
use crate::profile::{AttachmentSlot, Profile};
use crate::sms::{SmsSpec, sms_spec};

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum InputKind {
    /// One line of text.
    Text,
    /// A secret, never shown back.
    Password,
    /// One of `choices`.
    Select,
    /// A calendar date `YYYY-MM-DD`.
    Date,
    /// Validity period: `<path>.from` and `<path>.until` (a date or `long-term`).
    Validity,
    /// Postal address: `<path>.divisionCode` from the province/city/district picker
    /// (`divisions`) and `<path>.detail`.
    Address,
    /// GB/T 3304 ethnic group from the `ethnic_groups` list.
    EthnicGroup,
    /// A yes/no box.
    Checkbox,
    /// One entry of a master-data list (`FieldSpec::list`), searchable: the platform's fixed
    /// lists such as 法人性质 and 主管部门, pulled from the platform and kept for offline use.
    Picker,
}

/// When a field applies: only while another field holds one of some values (e.g. the unit of a
/// real-name request only for a legal entity). A field that does not apply is not shown, not
/// required and not submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Condition {
    /// The field whose value decides.
    pub path: String,
    /// The values for which the field applies.
    pub any_of: Vec<String>,
}

impl Condition {
    fn new(path: impl Into<String>, any_of: &[&str]) -> Self {
        Self {
            path: path.into(),
            any_of: any_of.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    /// Whether the condition holds in `application` (JSON with nested objects).
    pub fn holds(&self, application: &serde_json::Value) -> bool {
        let pointer = format!("/{}", self.path.replace('.', "/"));
        application
            .pointer(&pointer)
            .and_then(serde_json::Value::as_str)
            .is_some_and(|v| self.any_of.iter().any(|a| a == v))
    }
}

/// One choice of a select field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Choice {
    /// The value stored in the application JSON.
    pub value: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
}

impl Choice {
    fn new(value: &str, label_zh: &str, label_en: &str) -> Self {
        Self {
            value: value.to_owned(),
            label_zh: label_zh.to_owned(),
            label_en: label_en.to_owned(),
        }
    }
}

/// One input of a wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldSpec {
    /// Dotted camelCase path in the application JSON (as the profile and `Problem.field` say).
    pub path: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// How it is entered.
    pub input: InputKind,
    /// Whether the profile requires it.
    pub required: bool,
    /// Shown masked on the summary (ID numbers, phones).
    pub sensitive: bool,
    /// The `validate_value` check run when the field is left; for document numbers it follows
    /// the chosen document type (see [`FlowForm::document_checks`]).
    #[ts(optional)]
    pub check: Option<FieldKind>,
    /// Choices of a select.
    pub choices: Vec<Choice>,
    /// The master-data list a picker offers (`legal-entity-natures`, `supervising-departments`).
    #[ts(optional)]
    pub list: Option<String>,
    /// When the field applies; always when absent.
    #[ts(optional)]
    pub visible_when: Option<Condition>,
    /// The "already registered" check the platform answers when the field is left (online).
    #[ts(optional)]
    pub registered_check: Option<RegisteredCheck>,
}

/// A titled group of fields: one step of the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FormStep {
    /// Stable id, e.g. `unit`.
    pub key: String,
    /// Chinese title.
    pub label_zh: String,
    /// English title.
    pub label_en: String,
    /// The fields, in the profile's order.
    pub fields: Vec<FieldSpec>,
}

/// Which check a document number gets for a document type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DocumentCheck {
    /// The document type.
    pub doc_type: DocumentType,
    /// The check of its number.
    pub check: FieldKind,
}

/// Everything the wizard of one flow on one platform needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FlowForm {
    /// Platform profile id.
    pub profile: String,
    /// The flow.
    pub kind: ApplicationKind,
    /// Chinese name of the flow on the platform.
    pub label_zh: String,
    /// English name.
    pub label_en: String,
    /// The steps, in the order their first field appears in the profile.
    pub steps: Vec<FormStep>,
    /// Attachment slots to capture.
    pub attachments: Vec<AttachmentSlot>,
    /// Whether the risk commitment letter is printed pre-filled and handed back signed.
    pub risk_letter: bool,
    /// Whether the flow asks for an SMS code (only sent when online).
    pub sms_code: bool,
    /// The SMS code's field, the mobile it verifies and the code's purpose, when it has one.
    #[ts(optional)]
    pub sms: Option<SmsSpec>,
    /// The person (path prefix) whose real name is checked against the platform when their
    /// step is left, when the flow checks one.
    #[ts(optional)]
    pub real_name_person: Option<String>,
    /// Whether an unbound expert account must be bound first (Zhengzhou).
    pub expert_binding_first: bool,
    /// Number checks per document type, for document-number fields.
    pub document_checks: Vec<DocumentCheck>,
}

/// The check of a document number of type `doc_type`, if there is one.
pub fn document_check(doc_type: DocumentType) -> Option<FieldKind> {
    match doc_type {
        DocumentType::ResidentId => Some(FieldKind::ResidentId),
        DocumentType::HkMacaoPermit => Some(FieldKind::HkMacaoPermit),
        DocumentType::TaiwanPermit => Some(FieldKind::TaiwanPermit),
        DocumentType::ResidencePermit => Some(FieldKind::ResidencePermit),
        DocumentType::ForeignPermanentResidence => Some(FieldKind::ForeignPr),
        DocumentType::Passport => Some(FieldKind::Passport),
        DocumentType::BirthCertificate => Some(FieldKind::BirthCertificate),
        _ => None,
    }
}

fn entity_type_choice(t: LegalEntityType) -> Choice {
    let (value, zh, en) = match t {
        LegalEntityType::Enterprise => ("enterprise", "企业（法人）", "Enterprise"),
        LegalEntityType::PublicInstitution => (
            "public-institution",
            "事业单位（法人）",
            "Public institution",
        ),
        LegalEntityType::GovernmentOrgan => ("government-organ", "机关", "Government organ"),
        LegalEntityType::SocialOrganization => (
            "social-organization",
            "社会组织（法人）",
            "Social organisation",
        ),
        LegalEntityType::Other => ("other", "其他", "Other"),
    };
    Choice::new(value, zh, en)
}

/// The people a form may describe, by path prefix: (prefix, step key, zh, en).
const ROLES: [(&str, &str, &str, &str); 3] = [
    ("person.", "person", "个人信息", "Personal details"),
    (
        "legalRepresentative.",
        "legal-representative",
        "法定代表人",
        "Legal representative",
    ),
    ("primaryAgent.", "primary-agent", "经办人", "Primary agent"),
];

/// Label, input, check and sensitivity of a person's field (`name`, `document.number`, ...).
fn person_leaf(
    leaf: &str,
) -> Option<(
    &'static str,
    &'static str,
    InputKind,
    Option<FieldKind>,
    bool,
)> {
    Some(match leaf {
        "name" => ("姓名", "Name", InputKind::Text, None, false),
        "sex" => ("性别", "Sex", InputKind::Select, None, false),
        "birthDate" => ("出生日期", "Date of birth", InputKind::Date, None, false),
        "ethnicity" => ("民族", "Ethnic group", InputKind::EthnicGroup, None, false),
        "document.docType" => ("证件类型", "Document type", InputKind::Select, None, false),
        "document.number" => ("证件号码", "Document number", InputKind::Text, None, true),
        "document.country" => (
            "国家或地区（三位代码）",
            "Country or region (3-letter code)",
            InputKind::Text,
            None,
            false,
        ),
        "document.validity" => (
            "证件有效期",
            "Document validity",
            InputKind::Validity,
            None,
            false,
        ),
        "mobile" => (
            "手机号码",
            "Mobile",
            InputKind::Text,
            Some(FieldKind::Mobile),
            true,
        ),
        "email" => (
            "电子邮箱",
            "E-mail",
            InputKind::Text,
            Some(FieldKind::Email),
            false,
        ),
        "phone" => ("固定电话", "Landline", InputKind::Text, None, false),
        _ => return None,
    })
}

/// Whether `path` holds a secret the visitor types (a password): it is never shown back and
/// never kept in a draft.
pub fn is_secret(path: &str) -> bool {
    other_path(path).is_some_and(|(_, _, _, input, _, _)| input == InputKind::Password)
}

/// `application` without its secrets (see [`is_secret`]): what a draft may keep.
pub fn without_secrets(mut application: serde_json::Value) -> serde_json::Value {
    drop_secrets(&mut application, "");
    application
}

fn drop_secrets(value: &mut serde_json::Value, prefix: &str) {
    if let serde_json::Value::Object(map) = value {
        let path = |key: &str| {
            if prefix.is_empty() {
                key.to_owned()
            } else {
                format!("{prefix}.{key}")
            }
        };
        map.retain(|key, _| !is_secret(&path(key)));
        for (key, child) in map.iter_mut() {
            drop_secrets(child, &path(key));
        }
    }
}

/// Step key, step titles, label, input, check, sensitivity of a non-person path.
type Described = (
    (&'static str, &'static str, &'static str),
    &'static str,
    &'static str,
    InputKind,
    Option<FieldKind>,
    bool,
);

fn other_path(path: &str) -> Option<Described> {
    const ACCOUNT: (&str, &str, &str) = ("account", "账号与密码", "Account and password");
    const UNIT: (&str, &str, &str) = ("unit", "单位信息", "Unit");
    const UNIT_MORE: (&str, &str, &str) = ("unit-details", "单位补充信息", "Unit details");
    const BANK: (&str, &str, &str) = ("bank", "银行账户", "Bank account");
    const REQUEST: (&str, &str, &str) = ("request", "申请事项", "Request");
    const WORK: (&str, &str, &str) = ("work", "工作信息", "Work");
    use InputKind::{Address, Checkbox, Password, Picker, Select, Text};
    Some(match path {
        "account.accountName" => (
            ACCOUNT,
            "账号名",
            "Account name",
            Text,
            Some(FieldKind::AccountName),
            false,
        ),
        "account.password" => (
            ACCOUNT,
            "密码",
            "Password",
            Password,
            Some(FieldKind::Password),
            true,
        ),
        "account.passwordConfirmation" => (
            ACCOUNT,
            "确认密码",
            "Confirm password",
            Password,
            None,
            true,
        ),
        "account.smsCode" => (
            ACCOUNT,
            "短信验证码",
            "SMS code",
            Text,
            Some(FieldKind::SmsCode),
            false,
        ),
        "unit.entityType" => (UNIT, "法人类型", "Entity type", Select, None, false),
        "unit.name" => (UNIT, "单位名称", "Unit name", Text, None, false),
        "unit.uscc" => (
            UNIT,
            "统一社会信用代码",
            "Unified social credit code",
            Text,
            Some(FieldKind::Uscc),
            false,
        ),
        "unit.registrationNumber" => (
            UNIT,
            "单位注册登记号码（境外单位）",
            "Registration number (units registered abroad)",
            Text,
            None,
            false,
        ),
        "unit.region" => (
            UNIT,
            "单位所在地区",
            "Where the unit is registered",
            Select,
            None,
            false,
        ),
        "unit.nature" => (
            UNIT_MORE,
            "法人性质",
            "Nature of the unit",
            Picker,
            None,
            false,
        ),
        "unit.contactName" => (UNIT_MORE, "联系人", "Contact person", Text, None, false),
        "unit.contactMobile" => (
            UNIT_MORE,
            "联系人手机",
            "Contact mobile",
            Text,
            Some(FieldKind::Mobile),
            true,
        ),
        "unit.email" => (
            UNIT_MORE,
            "单位邮箱",
            "Unit e-mail",
            Text,
            Some(FieldKind::Email),
            false,
        ),
        "unit.supervisingDepartment" => (
            UNIT_MORE,
            "局级（区县）主管部门",
            "Supervising department",
            Picker,
            None,
            false,
        ),
        "unit.industry" => (UNIT_MORE, "所属行业", "Industry", Picker, None, false),
        "unit.registeredAddress" => (
            UNIT_MORE,
            "注册地址",
            "Registered address",
            Address,
            None,
            false,
        ),
        "unit.locatedAddress" => (
            UNIT_MORE,
            "所在地址",
            "Located address",
            Address,
            None,
            false,
        ),
        "unit.bankAccount.holder" => (
            BANK,
            "账户名称（收款单位）",
            "Account holder",
            Text,
            None,
            false,
        ),
        "unit.bankAccount.bank" => (BANK, "开户银行", "Bank", Text, None, false),
        "unit.bankAccount.number" => (BANK, "银行账号", "Account number", Text, None, true),
        "unitName" => (WORK, "所在单位", "Unit", Text, None, false),
        "workUnit" => (WORK, "工作单位", "Work unit", Text, None, false),
        "position" => (WORK, "职务", "Position", Text, None, false),
        "professionalTitle" => (WORK, "职称", "Professional title", Text, None, false),
        "specialty" => (WORK, "专业领域", "Specialty", Text, None, false),
        "userType" => (REQUEST, "用户类型", "User type", Select, None, false),
        "subject" => (REQUEST, "申请主体", "Whose account", Select, None, false),
        "mobile" => (
            REQUEST,
            "手机号码",
            "Mobile",
            Text,
            Some(FieldKind::Mobile),
            true,
        ),
        "smsCode" => (
            REQUEST,
            "短信验证码",
            "SMS code",
            Text,
            Some(FieldKind::SmsCode),
            false,
        ),
        "legacyAccountName" => (REQUEST, "原系统账号", "Old account name", Text, None, false),
        "legacyPassword" => (REQUEST, "原系统密码", "Old password", Password, None, true),
        "hasUnboundExpertAccount" => (
            REQUEST,
            "我还有未绑定的评审专家账号",
            "I also have an unbound expert account",
            Checkbox,
            None,
            false,
        ),
        "skipRealName" => (
            REQUEST,
            "暂不实名认证",
            "Verify my real name later",
            Checkbox,
            None,
            false,
        ),
        _ => return None,
    })
}

fn choices_for(path: &str, profile: &Profile) -> Vec<Choice> {
    let leaf = path.rsplit_once('.').map_or(path, |(_, l)| l);
    match leaf {
        "docType" => profile
            .document_types
            .iter()
            .map(|t| Choice::new(t.as_str(), t.label_zh(), t.label_en()))
            .collect(),
        "sex" => vec![
            Choice::new("male", "男", "Male"),
            Choice::new("female", "女", "Female"),
        ],
        "entityType" => profile
            .legal_entity_types
            .iter()
            .map(|t| entity_type_choice(*t))
            .collect(),
        "region" => vec![
            Choice::new("domestic", "境内单位", "Domestic"),
            Choice::new(
                "hk-macao-taiwan",
                "港澳台地区单位",
                "Hong Kong, Macao or Taiwan",
            ),
            Choice::new("overseas", "境外单位", "Overseas"),
        ],
        "userType" => vec![
            Choice::new("applicant-person", "申报个人用户", "Individual applicant"),
            Choice::new("applicant-unit", "申报单位用户", "Applicant unit"),
            Choice::new("expert", "评审专家用户", "Review expert"),
        ],
        "subject" => vec![
            Choice::new("natural-person", "个人用户", "A person's account"),
            Choice::new("legal-entity", "法人用户", "A legal entity's account"),
        ],
        _ => Vec::new(),
    }
}

/// The master-data list a picker path offers.
fn list_for(path: &str) -> Option<&'static str> {
    match path {
        "unit.nature" => Some("legal-entity-natures"),
        "unit.supervisingDepartment" => Some("supervising-departments"),
        "unit.industry" => Some("industries"),
        _ => None,
    }
}

/// Document types whose holder states a country or region (passports, foreigners' cards).
const DOC_TYPES_WITH_COUNTRY: [&str; 2] = ["passport", "foreign-permanent-residence"];
/// Document types printed with a validity period.
const DOC_TYPES_WITH_VALIDITY: [&str; 6] = [
    "resident-id",
    "passport",
    "hk-macao-permit",
    "taiwan-permit",
    "residence-permit",
    "foreign-permanent-residence",
];

/// When `path` of `flow_fields` applies: a document's country and validity follow its type;
/// the unit of a verification or appeal only for a legal entity; a unit's credit code only when
/// it is registered in the mainland, its foreign registration number only when it is not.
pub fn condition_for(path: &str, flow_fields: &[String]) -> Option<Condition> {
    let has = |p: &str| flow_fields.iter().any(|f| f == p);
    if let Some(role) = path.strip_suffix(".document.country") {
        return Some(Condition::new(
            format!("{role}.document.docType"),
            &DOC_TYPES_WITH_COUNTRY,
        ));
    }
    if let Some(role) = path.strip_suffix(".document.validity") {
        return Some(Condition::new(
            format!("{role}.document.docType"),
            &DOC_TYPES_WITH_VALIDITY,
        ));
    }
    if path.starts_with("unit.") && has("subject") {
        return Some(Condition::new("subject", &["legal-entity"]));
    }
    if has("unit.region") {
        match path {
            "unit.uscc" => return Some(Condition::new("unit.region", &["domestic"])),
            "unit.registrationNumber" => {
                return Some(Condition::new(
                    "unit.region",
                    &["hk-macao-taiwan", "overseas"],
                ));
            }
            _ => {}
        }
    }
    None
}

/// Whether `path` of `flow_fields` applies to `application` (see [`condition_for`]).
pub fn applies(path: &str, flow_fields: &[String], application: &serde_json::Value) -> bool {
    condition_for(path, flow_fields).is_none_or(|c| c.holds(application))
}

/// Paths the profile lists but the kiosk decides itself instead of asking the visitor.
fn decided_by_the_kiosk(path: &str) -> bool {
    // Manual review follows from the live real-name check (crate::checks), not from a box.
    path == "manualFallback"
}

/// Describes one path of `profile`'s flow of `kind`: its step (key, zh, en) and its spec.
/// Unknown paths become a plain text field in an "other" step, so a new profile field still
/// shows.
fn describe(
    path: &str,
    required: bool,
    profile: &Profile,
    kind: ApplicationKind,
    flow_fields: &[String],
) -> ((String, String, String), FieldSpec) {
    let step = |k: &str, zh: &str, en: &str| (k.to_owned(), zh.to_owned(), en.to_owned());
    let spec = |zh: String, en: String, input, check, sensitive| FieldSpec {
        path: path.to_owned(),
        label_zh: zh,
        label_en: en,
        input,
        required,
        sensitive,
        check,
        choices: choices_for(path, profile),
        list: list_for(path).map(str::to_owned),
        visible_when: condition_for(path, flow_fields),
        registered_check: registered_check(profile, kind, path),
    };
    for (prefix, key, role_zh, role_en) in ROLES {
        if let Some(leaf) = path.strip_prefix(prefix)
            && let Some((zh, en, input, check, sensitive)) = person_leaf(leaf)
        {
            let (zh, en) = if prefix == "person." {
                (zh.to_owned(), en.to_owned())
            } else {
                (
                    format!("{role_zh}{zh}"),
                    format!("{role_en}: {}", en.to_lowercase()),
                )
            };
            return (
                step(key, role_zh, role_en),
                spec(zh, en, input, check, sensitive),
            );
        }
    }
    // A unit reference of a verification or appeal uses the unit paths too.
    if let Some(((key, step_zh, step_en), zh, en, input, check, sensitive)) = other_path(path) {
        // A person's work details belong with the person on a natural-person registration:
        // one screen fewer for the most common journey. So does "verify my real name later":
        // the real name is checked when the person's step is finished, so the choice must be
        // made there.
        let with_person =
            kind == ApplicationKind::NaturalPerson && (key == "work" || path == "skipRealName");
        let (key, step_zh, step_en) = if with_person {
            ("person", "个人信息", "Personal details")
        } else {
            (key, step_zh, step_en)
        };
        return (
            step(key, step_zh, step_en),
            spec(zh.to_owned(), en.to_owned(), input, check, sensitive),
        );
    }
    (
        step("other", "其他信息", "Other details"),
        spec(
            path.to_owned(),
            path.to_owned(),
            InputKind::Text,
            None,
            false,
        ),
    )
}

/// The mobile an SMS code of the flow goes to: the first of the spec's mobile fields the flow
/// asks for (a unit's primary agent before its legal representative).
fn sms_mobile_field(fields: &[String], sms: &SmsSpec) -> Option<String> {
    sms.mobile_paths
        .iter()
        .find(|m| fields.iter().any(|f| f == *m))
        .cloned()
}

/// The flow's field paths in the order the wizard asks them: as the profile lists them, except
/// that an SMS code comes right after the mobile it is sent to (a code cannot be asked for
/// before the number is known).
fn asking_order(fields: &[String], sms: Option<&SmsSpec>) -> Vec<String> {
    let mut order: Vec<String> = fields.to_vec();
    let Some((sms, mobile)) = sms.and_then(|s| sms_mobile_field(fields, s).map(|m| (s, m))) else {
        return order;
    };
    order.retain(|f| *f != sms.code_path);
    let at = order
        .iter()
        .position(|f| *f == mobile)
        .map_or(order.len(), |i| i + 1);
    order.insert(at, sms.code_path.clone());
    order
}

/// The wizard of `kind` on `profile`, or `None` when the platform does not offer it.
pub fn flow_form(profile: &Profile, kind: ApplicationKind) -> Option<FlowForm> {
    let flow = profile.flow(kind)?;
    let sms = sms_spec(kind, &flow.fields);
    let mut steps: Vec<FormStep> = Vec::new();
    for path in asking_order(&flow.fields, sms.as_ref()) {
        if decided_by_the_kiosk(&path) {
            continue;
        }
        let ((key, zh, en), spec) = describe(
            &path,
            flow.required.contains(&path),
            profile,
            kind,
            &flow.fields,
        );
        // The code is asked on the screen of the mobile it is sent to.
        let mobile_step = sms
            .as_ref()
            .filter(|s| s.code_path == path)
            .and_then(|s| sms_mobile_field(&flow.fields, s))
            .and_then(|mobile| {
                steps
                    .iter()
                    .find(|step| step.fields.iter().any(|f| f.path == mobile))
            })
            .map(|step| step.key.clone());
        let key = mobile_step.unwrap_or(key);
        match steps.iter_mut().find(|s| s.key == key) {
            Some(step) => step.fields.push(spec),
            None => steps.push(FormStep {
                key,
                label_zh: zh,
                label_en: en,
                fields: vec![spec],
            }),
        }
    }
    let real_name_person = verified_person(kind)
        .filter(|p| {
            flow.fields
                .iter()
                .any(|f| f == &format!("{p}.document.number"))
        })
        .map(str::to_owned);
    Some(FlowForm {
        profile: profile.id.clone(),
        kind,
        label_zh: flow.label_zh.clone(),
        label_en: flow.label_en.clone(),
        steps,
        attachments: flow.attachments.clone(),
        risk_letter: flow.attachments.iter().any(|a| a.slot == "risk-commitment"),
        sms_code: sms.is_some(),
        sms,
        real_name_person,
        expert_binding_first: profile.expert_binding_first
            && kind == ApplicationKind::LegacyBinding,
        document_checks: profile
            .document_types
            .iter()
            .filter_map(|t| {
                document_check(*t).map(|check| DocumentCheck {
                    doc_type: *t,
                    check,
                })
            })
            .collect(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_keeps_no_password_of_any_flow() {
        let application = serde_json::json!({
            "account": {
                "accountName": "zhangsan01",
                "password": "Secret#2026",
                "passwordConfirmation": "Secret#2026"
            },
            "legacyPassword": "old-secret",
            "person": { "name": "张三" }
        });
        let kept = without_secrets(application).to_string();
        assert!(
            !kept.contains("Secret#2026") && !kept.contains("old-secret"),
            "{kept}"
        );
        assert!(
            kept.contains("zhangsan01") && kept.contains("张三"),
            "{kept}"
        );
        // Every password input any built-in flow asks for is a secret.
        for profile in Profile::builtin() {
            for flow in &profile.flows {
                let form = flow_form(profile, flow.kind).expect("offered flow has a form");
                for field in form.steps.iter().flat_map(|s| &s.fields) {
                    assert_eq!(
                        field.input == InputKind::Password,
                        is_secret(&field.path),
                        "{}",
                        field.path
                    );
                }
            }
        }
    }

    #[test]
    fn every_field_of_every_builtin_flow_has_a_real_label() {
        for profile in Profile::builtin() {
            for flow in &profile.flows {
                let form = flow_form(profile, flow.kind).expect("offered flow has a form");
                let shown: Vec<&FieldSpec> = form.steps.iter().flat_map(|s| &s.fields).collect();
                let asked = flow.fields.iter().filter(|f| !decided_by_the_kiosk(f));
                assert_eq!(shown.len(), asked.count(), "{} {:?}", profile.id, flow.kind);
                for f in shown {
                    assert_ne!(
                        f.label_zh, f.path,
                        "{}: {} has no label",
                        profile.id, f.path
                    );
                    if f.input == InputKind::Select {
                        assert!(
                            !f.choices.is_empty(),
                            "{}: {} has no choices",
                            profile.id,
                            f.path
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn tianjin_legal_entity_prints_the_risk_letter_and_groups_the_bank_fields() {
        let tianjin = Profile::by_id("tianjin").unwrap();
        let form = flow_form(tianjin, ApplicationKind::LegalEntity).unwrap();
        assert!(
            form.risk_letter,
            "Tianjin asks for the signed risk commitment letter"
        );
        let bank = form
            .steps
            .iter()
            .find(|s| s.key == "bank")
            .expect("bank step");
        assert_eq!(bank.fields.len(), 3);
        let address = form
            .steps
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.path == "unit.registeredAddress")
            .unwrap();
        assert_eq!(address.input, InputKind::Address);
        assert!(address.required);
        let uscc = form.steps[1].fields.iter().find(|f| f.path == "unit.uscc");
        assert_eq!(uscc.and_then(|f| f.check), Some(FieldKind::Uscc));
    }

    #[test]
    fn a_units_code_is_asked_with_the_primary_agents_mobile() {
        let zhengzhou = Profile::by_id("zhengzhou").unwrap();
        let form = flow_form(zhengzhou, ApplicationKind::LegalEntity).unwrap();
        let agent = form
            .steps
            .iter()
            .find(|s| s.key == "primary-agent")
            .unwrap();
        let paths: Vec<&str> = agent.fields.iter().map(|f| f.path.as_str()).collect();
        let mobile = paths
            .iter()
            .position(|p| *p == "primaryAgent.mobile")
            .unwrap();
        assert_eq!(paths[mobile + 1], "account.smsCode", "{paths:?}");
    }

    #[test]
    fn a_natural_person_registers_on_two_screens_and_may_skip_the_real_name_there() {
        for profile in Profile::builtin() {
            let Some(form) = flow_form(profile, ApplicationKind::NaturalPerson) else {
                continue;
            };
            let keys: Vec<&str> = form.steps.iter().map(|s| s.key.as_str()).collect();
            assert_eq!(keys, ["account", "person"], "{}", profile.id);
        }
        let zhengzhou = Profile::by_id("zhengzhou").unwrap();
        let form = flow_form(zhengzhou, ApplicationKind::NaturalPerson).unwrap();
        let person = &form.steps[1];
        assert!(
            person.fields.iter().any(|f| f.path == "skipRealName"),
            "the choice is made where the real name is checked"
        );
    }

    #[test]
    fn document_types_offered_are_the_profiles_and_carry_their_number_check() {
        let most = Profile::by_id("most").unwrap();
        let form = flow_form(most, ApplicationKind::NaturalPerson).unwrap();
        let doc = form
            .steps
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.path == "person.document.docType")
            .unwrap();
        assert_eq!(doc.choices.len(), most.document_types.len());
        assert!(
            form.document_checks
                .iter()
                .any(|c| c.doc_type == DocumentType::ResidentId && c.check == FieldKind::ResidentId)
        );
        assert!(
            flow_form(
                Profile::by_id("tianjin").unwrap(),
                ApplicationKind::RealName
            )
            .is_none()
        );
    }

    /// The UI's tests answer `flow_form` with these real forms (like ts-rs bindings, the
    /// file is rewritten by this test and committed).
    #[test]
    fn flow_form_fixtures_for_the_ui_are_current() {
        let mut all = serde_json::Map::new();
        for p in Profile::builtin() {
            for f in &p.flows {
                let form = flow_form(p, f.kind).unwrap();
                all.insert(
                    format!("{}/{}", p.id, f.kind.as_str()),
                    serde_json::to_value(form).unwrap(),
                );
            }
        }
        let text = serde_json::to_string_pretty(&all).unwrap() + "\n";
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../ui/tests/fixtures/flow-forms.json"
        );
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        assert!(all.contains_key("tianjin/legal-entity"));
    }
}
