//! The checks the kiosk makes against the platform while the visitor is still there, decided
//! here and nowhere else: which fields get an "already registered" check, whose real name a
//! flow verifies, whether that can happen now (service hours, link) or goes to manual review,
//! and the record the application carries of what was found.
//!
//! Pure: the caller passes the time of day and whether the platform answers.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::application::ApplicationKind;
use crate::document::DocumentType;
use crate::profile::{Profile, RealNamePolicy};

/// An "is this already registered on the platform" check, run when a field is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum RegisteredCheck {
    /// The new account's login name.
    AccountName,
    /// The registering person's document number (one account per person).
    IdNumber,
    /// The unit's unified social credit code (one unit account per code).
    Uscc,
    /// The mobile, on platforms that log in by mobile (one account per mobile).
    Mobile,
}

impl RegisteredCheck {
    /// The platform's path segment: `/api/v1/checks/<segment>`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::AccountName => "account-name",
            Self::IdNumber => "id-number",
            Self::Uscc => "uscc",
            Self::Mobile => "mobile",
        }
    }
}

/// Whether `kind` creates a new account (and so must not collide with an existing one).
pub fn registers_an_account(kind: ApplicationKind) -> bool {
    matches!(
        kind,
        ApplicationKind::NaturalPerson | ApplicationKind::LegalEntity | ApplicationKind::Expert
    )
}

/// Platforms where the mobile is the login (Zhengzhou/Henan: "手机号（登录使用，重要）"), so
/// one mobile has one account.
fn mobile_is_login(profile: &Profile) -> bool {
    profile.account_name.is_none() || profile.id == "zhengzhou"
}

/// The registered check a field of `kind` on `profile` gets, if any. Verification, binding and
/// appeals refer to existing accounts: they get none.
pub fn registered_check(
    profile: &Profile,
    kind: ApplicationKind,
    path: &str,
) -> Option<RegisteredCheck> {
    if !registers_an_account(kind) {
        return None;
    }
    match path {
        "account.accountName" => Some(RegisteredCheck::AccountName),
        "person.document.number" => Some(RegisteredCheck::IdNumber),
        "unit.uscc" if kind == ApplicationKind::LegalEntity => Some(RegisteredCheck::Uscc),
        "person.mobile" if mobile_is_login(profile) => Some(RegisteredCheck::Mobile),
        _ => None,
    }
}

/// Why a real name goes to manual review instead of being verified online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ManualReason {
    /// Outside the population database's hours (Tianjin: 08:00-18:00).
    OutOfHours,
    /// The platform could not be reached in time.
    Offline,
    /// The document type cannot be verified online (e.g. a passport).
    DocumentType,
    /// The population database does not know the person or cannot decide.
    NotFound,
    /// The name and number did not match and the visitor confirmed them as typed.
    Mismatch,
}

impl ManualReason {
    /// What the visitor is told, in plain Chinese.
    pub fn zh(self, hours: Option<(&str, &str)>) -> String {
        let photos = "请拍摄证件正反面照片，申请将转人工审核，审核结果会通知您。";
        match self {
            Self::OutOfHours => {
                let (from, to) = hours.unwrap_or(("08:00", "18:00"));
                format!("人口库核验只在每天 {from}-{to} 开放，现在无法在线核验实名。{photos}")
            }
            Self::Offline => format!("现在连不上平台，无法在线核验实名。{photos}"),
            Self::DocumentType => format!("该证件不能在线核验实名。{photos}"),
            Self::NotFound => format!("平台未能自动核验您的身份。{photos}"),
            Self::Mismatch => format!("您确认姓名与证件号码填写无误。{photos}"),
        }
    }

    /// The same in English.
    pub fn en(self, hours: Option<(&str, &str)>) -> String {
        let photos = "Photograph both sides of the document: the application goes to manual review and you will be told the result.";
        match self {
            Self::OutOfHours => {
                let (from, to) = hours.unwrap_or(("08:00", "18:00"));
                format!(
                    "The population database only answers {from}-{to}, so your real name cannot be verified online now. {photos}"
                )
            }
            Self::Offline => format!(
                "The platform cannot be reached, so your real name cannot be verified online now. {photos}"
            ),
            Self::DocumentType => {
                format!("This document cannot be verified online. {photos}")
            }
            Self::NotFound => format!("The platform could not verify your identity. {photos}"),
            Self::Mismatch => {
                format!("You confirmed the name and number as typed. {photos}")
            }
        }
    }
}

/// What became of a real-name check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum RealNameOutcome {
    /// The platform confirmed name and number while the visitor was there.
    Verified,
    /// Not verified online: staff verify the document photos later.
    ManualReview,
}

/// The record an application carries of its live real-name check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RealNameRecord {
    /// What became of it.
    pub outcome: RealNameOutcome,
    /// Why manual review; absent when verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<ManualReason>,
    /// When it was decided, Unix ms.
    #[ts(type = "number")]
    pub at: i64,
}

impl RealNameRecord {
    /// Whether the application must carry document photos for manual review.
    pub fn needs_photos(&self) -> bool {
        self.outcome == RealNameOutcome::ManualReview
    }
}

/// How a real name can be verified right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RealNameRoute {
    /// Ask the platform now.
    Online,
    /// Go to manual review straight away, for this reason.
    Manual(ManualReason),
}

/// Decides how the real name of a holder of `doc_type` is verified at `minute_of_day` (China
/// time, 0-1439) with the platform reachable or not. The document type comes first (no hour or
/// link makes a passport verifiable), then the hours, then the link.
pub fn real_name_route(
    policy: &RealNamePolicy,
    doc_type: DocumentType,
    minute_of_day: u16,
    online: bool,
) -> RealNameRoute {
    if !policy.document_types.contains(&doc_type) {
        return RealNameRoute::Manual(ManualReason::DocumentType);
    }
    if policy
        .service_hours
        .as_ref()
        .is_some_and(|h| !h.is_open(minute_of_day))
    {
        return RealNameRoute::Manual(ManualReason::OutOfHours);
    }
    if !online {
        return RealNameRoute::Manual(ManualReason::Offline);
    }
    RealNameRoute::Online
}

/// The person (path prefix) whose real name `kind` verifies live, if any: the registering
/// person, a legal entity's legal representative, or the person of a real-name request.
pub fn verified_person(kind: ApplicationKind) -> Option<&'static str> {
    match kind {
        ApplicationKind::NaturalPerson | ApplicationKind::Expert | ApplicationKind::RealName => {
            Some("person")
        }
        ApplicationKind::LegalEntity => Some("legalRepresentative"),
        ApplicationKind::LegacyBinding | ApplicationKind::PasswordResetAppeal => None,
    }
}

/// Whether `application` (JSON, possibly partial) gets a live real-name check on `profile`:
/// its kind verifies a person, and the visitor did not skip it where the platform allows.
pub fn real_name_applies(profile: &Profile, application: &serde_json::Value) -> bool {
    let Some(kind) = application
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .and_then(ApplicationKind::parse)
    else {
        return false;
    };
    if profile.flow(kind).is_none() || verified_person(kind).is_none() {
        return false;
    }
    let skipped = application.get("skipRealName") == Some(&serde_json::Value::Bool(true));
    !(skipped && profile.real_name.skippable)
}

/// The platform's answer to a real-name check, as the kiosk reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformVerdict {
    /// Name and number match.
    Verified,
    /// Known number, other name: the visitor corrects it or confirms it.
    Mismatch,
    /// Unknown or undecided.
    NotFound,
    /// The platform says its database is closed.
    OutOfHours,
}

/// What the kiosk does with a platform verdict: a record to carry, or `None` when the visitor
/// must first correct or confirm a mismatch (`confirmed` = they chose manual review).
pub fn record_for(
    verdict: PlatformVerdict,
    confirmed: bool,
    now_ms: i64,
) -> Option<RealNameRecord> {
    let manual = |reason| RealNameRecord {
        outcome: RealNameOutcome::ManualReview,
        reason: Some(reason),
        at: now_ms,
    };
    match verdict {
        PlatformVerdict::Verified => Some(RealNameRecord {
            outcome: RealNameOutcome::Verified,
            reason: None,
            at: now_ms,
        }),
        PlatformVerdict::Mismatch if confirmed => Some(manual(ManualReason::Mismatch)),
        PlatformVerdict::Mismatch => None,
        PlatformVerdict::NotFound => Some(manual(ManualReason::NotFound)),
        PlatformVerdict::OutOfHours => Some(manual(ManualReason::OutOfHours)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn profile(id: &str) -> &'static Profile {
        Profile::by_id(id).unwrap()
    }

    #[test]
    fn tianjin_registration_at_seven_in_the_evening_goes_to_manual_review() {
        let tianjin = &profile("tianjin").real_name;
        let nine_am = 9 * 60;
        let seven_pm = 19 * 60;
        assert_eq!(
            real_name_route(tianjin, DocumentType::ResidentId, nine_am, true),
            RealNameRoute::Online
        );
        assert_eq!(
            real_name_route(tianjin, DocumentType::ResidentId, seven_pm, true),
            RealNameRoute::Manual(ManualReason::OutOfHours)
        );
        assert_eq!(
            real_name_route(tianjin, DocumentType::ResidentId, nine_am, false),
            RealNameRoute::Manual(ManualReason::Offline)
        );
    }

    #[test]
    fn documents_the_platform_cannot_verify_go_to_manual_review_at_any_hour() {
        let shandong = &profile("shandong").real_name;
        assert_eq!(
            real_name_route(shandong, DocumentType::Passport, 600, true),
            RealNameRoute::Manual(ManualReason::DocumentType)
        );
        assert_eq!(
            real_name_route(shandong, DocumentType::ForeignPermanentResidence, 600, true),
            RealNameRoute::Online,
            "Shandong verifies foreigners with the permanent residence card"
        );
    }

    #[test]
    fn only_registrations_get_already_registered_checks() {
        let tianjin = profile("tianjin");
        let zhengzhou = profile("zhengzhou");
        use ApplicationKind::*;
        assert_eq!(
            registered_check(tianjin, NaturalPerson, "person.document.number"),
            Some(RegisteredCheck::IdNumber)
        );
        assert_eq!(
            registered_check(tianjin, LegalEntity, "unit.uscc"),
            Some(RegisteredCheck::Uscc)
        );
        assert_eq!(registered_check(tianjin, RealName, "unit.uscc"), None);
        assert_eq!(
            registered_check(tianjin, LegalEntity, "legalRepresentative.document.number"),
            None,
            "one person may represent several units"
        );
        assert_eq!(
            registered_check(tianjin, NaturalPerson, "person.mobile"),
            None
        );
        assert_eq!(
            registered_check(zhengzhou, NaturalPerson, "person.mobile"),
            Some(RegisteredCheck::Mobile),
            "Zhengzhou logs in by mobile"
        );
    }

    #[test]
    fn zhengzhou_visitors_may_skip_the_check_and_shandong_visitors_may_not() {
        let skip = serde_json::json!({ "kind": "natural-person", "skipRealName": true });
        assert!(!real_name_applies(profile("zhengzhou"), &skip));
        assert!(real_name_applies(profile("shandong"), &skip));
        let binding = serde_json::json!({ "kind": "legacy-binding" });
        assert!(!real_name_applies(profile("zhengzhou"), &binding));
    }

    #[test]
    fn a_mismatch_waits_for_the_visitor_and_everything_else_is_recorded() {
        assert_eq!(record_for(PlatformVerdict::Mismatch, false, 1), None);
        let confirmed = record_for(PlatformVerdict::Mismatch, true, 1).unwrap();
        assert!(confirmed.needs_photos());
        assert!(
            !record_for(PlatformVerdict::Verified, false, 1)
                .unwrap()
                .needs_photos()
        );
        assert_eq!(
            record_for(PlatformVerdict::OutOfHours, false, 1)
                .unwrap()
                .reason,
            Some(ManualReason::OutOfHours)
        );
        assert!(
            ManualReason::OutOfHours
                .zh(Some(("08:00", "18:00")))
                .contains("08:00-18:00")
        );
    }
}
