//! The wizard's rules, decided here once for the app, `kioskctl` and tests: what keeps a step
//! from finishing, which values an application still carries once fields stop applying, and
//! the summary a visitor checks before handing in (masked where the value is sensitive).
//!
//! Applications are handled as JSON with nested objects, the way the wizard builds them while
//! they are still partial.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::Date;
use crate::field::check_field_for;
use crate::form::{FieldSpec, FlowForm, InputKind, document_check};
use crate::privacy::{mask_id_number, mask_mobile};
use crate::profile::Profile;
use crate::sms::SmsState;
use crate::{DocumentType, Problem, UserFacing};

user_facing_errors! {
    /// Why a step cannot finish yet.
    pub enum StepError {
        /// A required field that applies is empty.
        Required = "FIELD_REQUIRED" {
            zh: "此项必填，请填写后继续。",
            en: "This field is required; fill it in to go on."
        },
        /// The wizard has no such step.
        UnknownStep = "STEP_UNKNOWN" {
            zh: "没有这一步，请返回首页重新开始。",
            en: "There is no such step. Go back to the start and begin again."
        },
    }
}

fn pointer(path: &str) -> String {
    format!("/{}", path.replace('.', "/"))
}

/// The text at `path`, trimmed, when it is a non-empty string.
pub fn text_at<'a>(application: &'a serde_json::Value, path: &str) -> Option<&'a str> {
    application
        .pointer(&pointer(path))
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Whether `field` has a value in `application` (a composite field: any of its parts).
fn filled(field: &FieldSpec, application: &serde_json::Value) -> bool {
    match application.pointer(&pointer(&field.path)) {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
        Some(serde_json::Value::Object(map)) => map.values().any(|v| match v {
            serde_json::Value::String(s) => !s.trim().is_empty(),
            serde_json::Value::Null => false,
            _ => true,
        }),
        Some(_) => true,
    }
}

/// Whether `field` applies to `application` (its condition holds, or it has none).
pub fn field_applies(field: &FieldSpec, application: &serde_json::Value) -> bool {
    field
        .visible_when
        .as_ref()
        .is_none_or(|c| c.holds(application))
}

/// The single-value check of `field` given the document type chosen in `application`.
fn value_check(field: &FieldSpec, application: &serde_json::Value) -> Option<crate::FieldKind> {
    if let Some(role) = field.path.strip_suffix(".document.number") {
        let doc_type = text_at(application, &format!("{role}.document.docType"))
            .and_then(|t| serde_json::from_value::<DocumentType>(t.into()).ok())
            .unwrap_or(DocumentType::ResidentId);
        return document_check(doc_type);
    }
    field.check
}

/// Everything that keeps step `step_key` of `form` from finishing with `application`: required
/// fields that apply and are empty, values their own rule refuses, and an SMS code neither
/// verified by the platform nor deferred. Online checks (already registered, real name) are
/// the use-case layer's; their rules are in [`crate::checks`].
pub fn check_step(
    profile: &Profile,
    form: &FlowForm,
    step_key: &str,
    application: &serde_json::Value,
    today: Date,
) -> Vec<Problem> {
    let Some(step) = form.steps.iter().find(|s| s.key == step_key) else {
        return vec![StepError::UnknownStep.problem()];
    };
    let mut problems = Vec::new();
    for field in step.fields.iter().filter(|f| field_applies(f, application)) {
        let is_code = form.sms.as_ref().is_some_and(|s| s.code_path == field.path);
        if is_code {
            if let Some(sms) = &form.sms
                && let Some(problem) = sms.unfinished(application)
            {
                problems.push(problem);
            }
            continue;
        }
        if !filled(field, application) {
            if field.required && field.input != InputKind::Checkbox {
                problems.push(StepError::Required.problem().at(&field.path));
            }
            continue;
        }
        if let (Some(kind), Some(value)) = (
            value_check(field, application),
            text_at(application, &field.path),
        ) {
            let report = check_field_for(Some(profile), kind, value, today);
            problems.extend(report.errors.into_iter().map(|p| p.at(&field.path)));
        }
    }
    problems
}

/// `application` without the values of fields that no longer apply (a unit typed before the
/// visitor switched to a personal request, a country kept from another document type) and
/// without an SMS code the platform already verified (its proof travels instead).
pub fn prune(form: &FlowForm, mut application: serde_json::Value) -> serde_json::Value {
    let dropped: Vec<String> = form
        .steps
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| !field_applies(f, &application))
        .map(|f| f.path.clone())
        .collect();
    for path in dropped {
        remove(&mut application, &path);
    }
    if let Some(sms) = &form.sms
        && sms.state(&application) == SmsState::Verified
    {
        remove(&mut application, &sms.code_path);
    }
    application
}

/// Removes the value at `path`, and the objects it leaves empty.
fn remove(application: &mut serde_json::Value, path: &str) {
    let (parent, leaf) = match path.rsplit_once('.') {
        Some((parent, leaf)) => (Some(parent), leaf),
        None => (None, path),
    };
    let parent_pointer = parent.map(pointer).unwrap_or_default();
    let emptied = match application.pointer_mut(&parent_pointer) {
        Some(serde_json::Value::Object(map)) => {
            map.remove(leaf);
            map.is_empty()
        }
        _ => false,
    };
    if emptied && let Some(parent) = parent {
        remove(application, parent);
    }
}

/// One line of the summary a visitor checks before handing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SummaryRow {
    /// The field's path (`data-test` hooks, jumping back to the field).
    pub path: String,
    /// Label, Chinese.
    pub label_zh: String,
    /// Label, English.
    pub label_en: String,
    /// The value as shown, Chinese (masked where sensitive).
    pub value_zh: String,
    /// The value as shown, English.
    pub value_en: String,
}

/// Names of codes the summary shows: master-data entries and ethnic groups.
pub trait Names {
    /// The name of `code` in master-data list `list`, if known.
    fn list_entry(&self, list: &str, code: &str) -> Option<String>;
}

/// Masks a sensitive value for the screen: mobiles as `138****5678`, everything else (ID and
/// bank numbers) as first 3 + asterisks + last 4.
pub fn mask_for_screen(path: &str, value: &str) -> String {
    if path.ends_with("obile") {
        mask_mobile(value)
    } else {
        mask_id_number(value)
    }
}

fn same(text: impl Into<String>) -> (String, String) {
    let text = text.into();
    (text.clone(), text)
}

/// How `field`'s value is shown on the summary (zh, en).
fn shown(
    form: &FlowForm,
    field: &FieldSpec,
    application: &serde_json::Value,
    names: &dyn Names,
) -> (String, String) {
    let text = text_at(application, &field.path).unwrap_or_default();
    if let Some(sms) = form.sms.as_ref().filter(|s| s.code_path == field.path) {
        return match sms.state(application) {
            SmsState::Verified => ("已验证".into(), "Verified".into()),
            SmsState::Deferred => (
                "稍后由平台发送验证码验证".into(),
                "The platform texts a code to verify it later".into(),
            ),
            SmsState::Pending => ("未验证".into(), "Not verified".into()),
        };
    }
    match field.input {
        InputKind::Password => {
            if text.is_empty() {
                same("")
            } else {
                same("••••••••")
            }
        }
        InputKind::Checkbox => {
            if application.pointer(&pointer(&field.path)) == Some(&serde_json::Value::Bool(true)) {
                ("是".into(), "Yes".into())
            } else {
                ("否".into(), "No".into())
            }
        }
        InputKind::Select => field
            .choices
            .iter()
            .find(|c| c.value == text)
            .map_or_else(|| same(text), |c| (c.label_zh.clone(), c.label_en.clone())),
        InputKind::Picker => field
            .list
            .as_deref()
            .and_then(|list| names.list_entry(list, text))
            .map_or_else(|| same(text), same),
        InputKind::EthnicGroup => crate::reference::ethnic_group(text)
            .map_or_else(|| same(text), |g| (g.zh.clone(), g.en.clone())),
        InputKind::Address => {
            let code = text_at(application, &format!("{}.divisionCode", field.path));
            let detail =
                text_at(application, &format!("{}.detail", field.path)).unwrap_or_default();
            let area = code
                .and_then(crate::reference::division_path)
                .unwrap_or_default();
            same(
                [area.as_str(), detail]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        InputKind::Validity => {
            let from = text_at(application, &format!("{}.from", field.path)).unwrap_or_default();
            let until = text_at(application, &format!("{}.until", field.path)).unwrap_or_default();
            if from.is_empty() && until.is_empty() {
                return same("");
            }
            let (zh, en) = if until == "long-term" {
                ("长期".to_owned(), "long-term".to_owned())
            } else {
                same(until)
            };
            (format!("{from} 至 {zh}"), format!("{from} to {en}"))
        }
        InputKind::Text | InputKind::Date if field.sensitive && !text.is_empty() => {
            same(mask_for_screen(&field.path, text))
        }
        InputKind::Text | InputKind::Date => same(text),
    }
}

/// The summary of `application`: every field that applies, in the wizard's order, masked where
/// sensitive. Fields left empty are listed as empty so the visitor sees what was skipped.
pub fn summary(
    form: &FlowForm,
    application: &serde_json::Value,
    names: &dyn Names,
) -> Vec<SummaryRow> {
    form.steps
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| field_applies(f, application))
        // The password's repetition tells the visitor nothing new.
        .filter(|f| !f.path.ends_with("passwordConfirmation"))
        .map(|f| {
            let (value_zh, value_en) = shown(form, f, application, names);
            SummaryRow {
                path: f.path.clone(),
                label_zh: f.label_zh.clone(),
                label_en: f.label_en.clone(),
                value_zh,
                value_en,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::application::ApplicationKind;
    use crate::form::flow_form;

    struct NoNames;
    impl Names for NoNames {
        fn list_entry(&self, _: &str, code: &str) -> Option<String> {
            (code == "01").then(|| "国有企业".to_owned())
        }
    }

    fn today() -> Date {
        Date::new(2026, 12, 4).unwrap()
    }

    #[test]
    fn the_person_step_waits_for_a_verified_code_after_the_mobile() {
        let tianjin = Profile::by_id("tianjin").unwrap();
        let form = flow_form(tianjin, ApplicationKind::NaturalPerson).unwrap();
        let person = form.steps.iter().find(|s| s.key == "person").unwrap();
        let paths: Vec<&str> = person.fields.iter().map(|f| f.path.as_str()).collect();
        let mobile = paths.iter().position(|p| *p == "person.mobile").unwrap();
        assert_eq!(paths[mobile + 1], "account.smsCode", "{paths:?}");
        let mut app = serde_json::json!({
            "kind": "natural-person",
            "person": {
                "name": "张三",
                "document": { "docType": "resident-id", "number": "11010519491231002X",
                              "validity": { "from": "2020-01-01", "until": "long-term" } },
                "mobile": "13800138000"
            },
            "account": { "smsCode": "123456" }
        });
        let codes: Vec<String> = check_step(tianjin, &form, "person", &app, today())
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(
            codes,
            ["SMS_NOT_VERIFIED"],
            "typing a code is not verifying it"
        );
        app["account"]["smsVerification"] = "proof".into();
        assert!(check_step(tianjin, &form, "person", &app, today()).is_empty());
        app["person"]["document"]["number"] = "11010519491231002Y".into();
        let problems = check_step(tianjin, &form, "person", &app, today());
        assert_eq!(problems[0].field.as_deref(), Some("person.document.number"));
    }

    #[test]
    fn a_unit_typed_for_a_personal_request_is_not_submitted() {
        let most = Profile::by_id("most").unwrap();
        let form = flow_form(most, ApplicationKind::RealName).unwrap();
        let app = serde_json::json!({
            "kind": "real-name",
            "subject": "natural-person",
            "unit": { "name": "某公司", "uscc": "91120000MA05TEST1X" },
            "person": { "document": { "docType": "resident-id", "country": "USA" } }
        });
        let pruned = prune(&form, app);
        assert!(pruned.get("unit").is_none(), "{pruned}");
        assert!(
            pruned.pointer("/person/document/country").is_none(),
            "{pruned}"
        );
    }

    #[test]
    fn the_summary_masks_numbers_and_names_choices() {
        let tianjin = Profile::by_id("tianjin").unwrap();
        let form = flow_form(tianjin, ApplicationKind::LegalEntity).unwrap();
        let app = serde_json::json!({
            "kind": "legal-entity",
            "account": { "password": "Secret#2026" },
            "unit": { "nature": "01", "entityType": "enterprise",
                      "bankAccount": { "number": "6222020200112233445" } },
            "legalRepresentative": { "document": { "docType": "resident-id", "number": "11010519491231002X" },
                                     "mobile": "13800138000" }
        });
        let rows = summary(&form, &app, &NoNames);
        let value = |path: &str| {
            rows.iter()
                .find(|r| r.path == path)
                .unwrap()
                .value_zh
                .clone()
        };
        assert_eq!(
            value("legalRepresentative.document.number"),
            "110***********002X"
        );
        assert_eq!(value("legalRepresentative.mobile"), "138****8000");
        assert_eq!(value("unit.bankAccount.number"), "622************3445");
        assert_eq!(value("account.password"), "••••••••");
        assert_eq!(value("unit.nature"), "国有企业");
        assert_eq!(value("unit.entityType"), "企业（法人）");
        let text = serde_json::to_string(&rows).unwrap();
        assert!(
            !text.contains("Secret") && !text.contains("11010519491231002X"),
            "{text}"
        );
    }
}
