//! SMS verification codes: what a code is for and which mobile of an application it goes to.
//! Codes are sent only while the kiosk is online; offline the application says the mobile is
//! verified later (`smsDeferred`, see [`crate::validate`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::application::ApplicationKind;
use crate::problem::Problem;

user_facing_errors! {
    /// Why the SMS part of a step is not finished.
    pub enum SmsRuleError {
        /// Neither verified by the platform nor explicitly deferred while offline.
        NotVerified = "SMS_NOT_VERIFIED" {
            zh: "请先点“获取验证码”，输入短信里的 6 位验证码并点“验证”，再继续。",
            en: "Tap \"send code\", type the 6 digits from the message and tap \"verify\" before going on."
        },
    }
}

/// Where a flow's SMS code goes: the code field, the mobile fields it may be sent to (the first
/// filled one is used) and the platform's purpose of the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SmsSpec {
    /// The code's field path (`account.smsCode` or `smsCode`).
    pub code_path: String,
    /// The mobile fields, in order of preference.
    pub mobile_paths: Vec<String>,
    /// The platform's purpose (`register`, `bind`, `reset-password`).
    pub purpose: String,
    /// Where the platform's proof of verification goes (`account.smsVerification` or
    /// `smsVerification`).
    pub verification_path: String,
    /// Where the offline deferral flag goes (`account.smsDeferred` or `smsDeferred`).
    pub deferred_path: String,
}

/// The SMS spec of `kind` when its profile's `fields` include a code field.
pub fn sms_spec(kind: ApplicationKind, fields: &[String]) -> Option<SmsSpec> {
    let purpose = sms_purpose(kind)?;
    let code_path = ["account.smsCode", "smsCode"]
        .into_iter()
        .find(|p| fields.iter().any(|f| f == p))?;
    let parent = code_path.strip_suffix("smsCode").unwrap_or_default();
    Some(SmsSpec {
        code_path: code_path.to_owned(),
        mobile_paths: sms_mobile_paths(kind)
            .iter()
            .map(|p| (*p).to_owned())
            .collect(),
        purpose: purpose.to_owned(),
        verification_path: format!("{parent}smsVerification"),
        deferred_path: format!("{parent}smsDeferred"),
    })
}

/// Where the SMS part of an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsState {
    /// The platform verified the code: the application carries its proof.
    Verified,
    /// The kiosk was offline: the platform texts the mobile a code later.
    Deferred,
    /// Neither yet.
    Pending,
}

fn at<'a>(application: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    application.pointer(&format!("/{}", path.replace('.', "/")))
}

impl SmsSpec {
    /// Where `application` stands (JSON with nested objects).
    pub fn state(&self, application: &serde_json::Value) -> SmsState {
        let verified = at(application, &self.verification_path)
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| !t.trim().is_empty());
        if verified {
            SmsState::Verified
        } else if at(application, &self.deferred_path) == Some(&serde_json::Value::Bool(true)) {
            SmsState::Deferred
        } else {
            SmsState::Pending
        }
    }

    /// The problem that keeps a step with the code field from finishing, if any.
    pub fn unfinished(&self, application: &serde_json::Value) -> Option<Problem> {
        (self.state(application) == SmsState::Pending)
            .then(|| crate::UserFacing::problem(&SmsRuleError::NotVerified).at(&self.code_path))
    }
}

/// The platform's purpose of a code sent for `kind` (`register`, `bind`, `reset-password`), or
/// `None` when the flow sends no code.
pub fn sms_purpose(kind: ApplicationKind) -> Option<&'static str> {
    match kind {
        ApplicationKind::NaturalPerson | ApplicationKind::LegalEntity | ApplicationKind::Expert => {
            Some("register")
        }
        ApplicationKind::LegacyBinding => Some("bind"),
        ApplicationKind::PasswordResetAppeal => Some("reset-password"),
        ApplicationKind::RealName => None,
    }
}

/// The mobile fields of `kind` a code goes to, in order of preference (the first one filled in
/// is used): the registering person, or for a legal entity its primary agent, else its legal
/// representative.
pub fn sms_mobile_paths(kind: ApplicationKind) -> &'static [&'static str] {
    match kind {
        ApplicationKind::LegalEntity => &["primaryAgent.mobile", "legalRepresentative.mobile"],
        ApplicationKind::LegacyBinding => &["mobile"],
        _ => &["person.mobile"],
    }
}

/// The mobile field a code for `kind` goes to and its number, read from a (partly filled)
/// application: the first of [`sms_mobile_paths`] that is filled in.
pub fn sms_mobile(
    kind: ApplicationKind,
    application: &serde_json::Value,
) -> Option<(&'static str, &str)> {
    sms_mobile_paths(kind).iter().find_map(|path| {
        application
            .pointer(&format!("/{}", path.replace('.', "/")))
            .and_then(serde_json::Value::as_str)
            .filter(|m| !m.trim().is_empty())
            .map(|m| (*path, m))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_with_the_code_finishes_once_verified_or_deferred() {
        let fields = vec!["person.mobile".to_owned(), "account.smsCode".to_owned()];
        let spec = sms_spec(ApplicationKind::NaturalPerson, &fields).unwrap();
        assert_eq!(spec.verification_path, "account.smsVerification");
        let typed_only = serde_json::json!({ "account": { "smsCode": "123456" } });
        assert_eq!(
            spec.unfinished(&typed_only).map(|p| p.code),
            Some("SMS_NOT_VERIFIED".to_owned()),
            "a code typed but never verified by the platform does not count"
        );
        let verified = serde_json::json!({ "account": { "smsVerification": "tok" } });
        assert_eq!(spec.state(&verified), SmsState::Verified);
        let deferred = serde_json::json!({ "account": { "smsDeferred": true } });
        assert!(spec.unfinished(&deferred).is_none());
        assert!(
            sms_spec(
                ApplicationKind::NaturalPerson,
                &["person.mobile".to_owned()]
            )
            .is_none()
        );
        let binding = sms_spec(ApplicationKind::LegacyBinding, &["smsCode".to_owned()]).unwrap();
        assert_eq!(binding.deferred_path, "smsDeferred");
    }

    #[test]
    fn codes_go_to_the_registering_mobile_for_the_right_purpose() {
        let entity = serde_json::json!({
            "legalRepresentative": { "mobile": "13800000001" },
            "primaryAgent": { "mobile": " " },
        });
        assert_eq!(
            sms_mobile(ApplicationKind::LegalEntity, &entity),
            Some(("legalRepresentative.mobile", "13800000001")),
            "an empty agent mobile falls back to the legal representative"
        );
        let binding = serde_json::json!({ "mobile": "13800000002" });
        assert_eq!(
            sms_mobile(ApplicationKind::LegacyBinding, &binding),
            Some(("mobile", "13800000002"))
        );
        assert_eq!(sms_mobile(ApplicationKind::NaturalPerson, &binding), None);
        assert_eq!(sms_purpose(ApplicationKind::LegacyBinding), Some("bind"));
        assert_eq!(
            sms_purpose(ApplicationKind::PasswordResetAppeal),
            Some("reset-password")
        );
        assert_eq!(sms_purpose(ApplicationKind::RealName), None);
    }
}
