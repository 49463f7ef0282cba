//! The live real-name check: the name and document number of the person a flow verifies,
//! asked of the platform's population database while the visitor is there — or, outside its
//! hours, offline, or for documents it cannot verify, a manual review with document photos.
//! The decision is `kiosk_core::checks`; this module asks and records.

use kiosk_core::application::ApplicationKind;
use kiosk_core::checks::{
    ManualReason, PlatformVerdict, RealNameRecord, RealNameRoute, real_name_applies,
    real_name_route, record_for, verified_person,
};
use kiosk_core::profile::Profile;
use kiosk_core::wizard::text_at;
use kiosk_core::{DocumentType, Problem, UserFacing};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ask_platform;
use crate::Kiosk;

kiosk_core::user_facing_errors! {
    /// Why a real name is not accepted as typed.
    pub enum RealNameError {
        /// The population database has this number with another name.
        Mismatch = "REAL_NAME_MISMATCH" {
            zh: "姓名与证件号码不一致。请对照证件核对后修改；如确认填写无误，可点“信息无误，转人工审核”。",
            en: "The name does not match the document number. Check both against the document; if they are right, tap \"details are right, send to manual review\"."
        },
    }
}

/// What the check found, for the wizard to carry and say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RealNameResult {
    /// The record the application carries (`realNameCheck`).
    pub record: RealNameRecord,
    /// What the visitor is told, Chinese.
    pub zh: String,
    /// What the visitor is told, English.
    pub en: String,
}

fn told(profile: &Profile, record: RealNameRecord) -> RealNameResult {
    let hours = profile
        .real_name
        .service_hours
        .as_ref()
        .map(|h| (h.from.as_str(), h.to.as_str()));
    let (zh, en) = match record.reason {
        None => (
            "已通过平台实名核验：姓名与证件号码一致。".to_owned(),
            "Real name verified by the platform: the name matches the document number.".to_owned(),
        ),
        Some(reason) => (reason.zh(hours), reason.en(hours)),
    };
    RealNameResult { record, zh, en }
}

fn verdict(answer: &serde_json::Value) -> Option<PlatformVerdict> {
    match answer.get("result").and_then(serde_json::Value::as_str)? {
        "verified" => Some(PlatformVerdict::Verified),
        "mismatch" => Some(PlatformVerdict::Mismatch),
        "not-found" | "manual-review" => Some(PlatformVerdict::NotFound),
        "out-of-hours" => Some(PlatformVerdict::OutOfHours),
        _ => None,
    }
}

/// Checks the real name of the person `application` (partial JSON) verifies on `profile` at
/// `now_ms`. `Ok(None)` when the flow checks none (or the visitor skipped it where allowed).
/// A mismatch is `REAL_NAME_MISMATCH` at the name until the visitor confirms the details
/// (`confirmed`), which sends the application to manual review.
pub async fn check(
    kiosk: &Kiosk,
    profile: &Profile,
    application: &serde_json::Value,
    confirmed: bool,
    now_ms: i64,
) -> Result<Option<RealNameResult>, Problem> {
    let kind = application
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .and_then(ApplicationKind::parse);
    let Some(prefix) = kind.and_then(verified_person) else {
        return Ok(None);
    };
    if !real_name_applies(profile, application) {
        return Ok(None);
    }
    let name = text_at(application, &format!("{prefix}.name")).unwrap_or_default();
    let number = text_at(application, &format!("{prefix}.document.number")).unwrap_or_default();
    let doc_type = text_at(application, &format!("{prefix}.document.docType"))
        .and_then(|t| serde_json::from_value::<DocumentType>(t.into()).ok())
        .unwrap_or(DocumentType::ResidentId);
    if name.is_empty() || number.is_empty() {
        return Ok(None);
    }
    let minute = china_clock::minute_of_day(now_ms);
    let manual = |reason| RealNameRecord {
        outcome: kiosk_core::checks::RealNameOutcome::ManualReview,
        reason: Some(reason),
        at: now_ms,
    };
    let record = match real_name_route(&profile.real_name, doc_type, minute, true) {
        RealNameRoute::Manual(reason) => manual(reason),
        RealNameRoute::Online => {
            let body = serde_json::json!({ "name": name, "idNumber": number });
            let answer = ask_platform(kiosk, "/api/v1/checks/real-name", body).await;
            match answer.and_then(Result::ok).as_ref().and_then(verdict) {
                None => manual(ManualReason::Offline),
                Some(v) => match record_for(v, confirmed, now_ms) {
                    Some(record) => record,
                    None => {
                        return Err(RealNameError::Mismatch
                            .problem()
                            .at(format!("{prefix}.name")));
                    }
                },
            }
        }
    };
    Ok(Some(told(profile, record)))
}
