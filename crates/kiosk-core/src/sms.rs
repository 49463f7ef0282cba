//! SMS verification codes: what a code is for and which mobile of an application it goes to.
//! Codes are sent only while the kiosk is online; offline the application says the mobile is
//! verified later (`smsDeferred`, see [`crate::validate`]).

use crate::application::ApplicationKind;

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
