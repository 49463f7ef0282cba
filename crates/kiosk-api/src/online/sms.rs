//! SMS codes: sent by the platform to the mobile the visitor typed, typed back by the visitor
//! and verified by the platform before the step can finish. Offline, the step records that the
//! platform verifies the mobile later — only after Rust has seen that the platform is really
//! unreachable.

use kiosk_core::application::ApplicationKind;
use kiosk_core::profile::Profile;
use kiosk_core::rules::contact::{validate_mobile_for, validate_sms_code};
use kiosk_core::sms::{SmsSpec, sms_mobile, sms_spec};
use kiosk_core::{Problem, UserFacing};
use kiosk_sync::SyncError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ask_platform, platform_reachable};
use crate::Kiosk;

/// A code was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SmsSent {
    /// The number the code went to, masked (`138****0000`).
    pub masked_mobile: String,
    /// Seconds until another code may be asked for.
    pub resend_in_s: u32,
    /// Seconds the code stays valid.
    pub valid_for_s: u32,
}

/// The platform verified the code: the values the application takes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SmsVerified {
    /// The number verified, masked.
    pub masked_mobile: String,
    /// Path → value to set in the application (the platform's proof; the deferral cleared).
    pub patch: serde_json::Map<String, serde_json::Value>,
}

kiosk_core::user_facing_errors! {
    /// Why no SMS code was sent or verified.
    pub enum SmsError {
        /// The platform cannot be reached: the mobile is verified later.
        Offline = "SMS_OFFLINE" {
            zh: "现在连不上平台，发送不了短信验证码。请点“稍后验证手机”继续办理，平台会另行发短信验证。",
            en: "The platform cannot be reached, so no SMS code can be sent. Tap \"verify the mobile later\" to go on; the platform will text you a code."
        },
        /// Another code was sent less than a minute ago.
        TooSoon = "SMS_TOO_SOON" {
            zh: "验证码发送过于频繁，请等倒计时结束后再获取。",
            en: "A code was sent less than a minute ago. Wait for the countdown, then ask again."
        },
        /// The flow sends no code.
        NotForThisFlow = "SMS_NOT_FOR_FLOW" {
            zh: "此业务不需要短信验证码。",
            en: "This request needs no SMS code."
        },
        /// No mobile number filled in yet.
        NoMobile = "SMS_NO_MOBILE" {
            zh: "请先填写手机号码，再获取验证码。",
            en: "Fill in the mobile number first, then ask for a code."
        },
        /// A deferral was asked for while the platform answers.
        Online = "SMS_DEFER_ONLINE" {
            zh: "平台可以连接，请点“获取验证码”，用短信里的验证码完成验证。",
            en: "The platform can be reached: tap \"send code\" and verify with the code from the message."
        },
    }
}

/// The profile, kind and SMS spec of a flow that sends codes.
fn spec_of(
    profile_id: &str,
    kind: &str,
) -> Result<(&'static Profile, ApplicationKind, SmsSpec), Problem> {
    let profile = Profile::by_id(profile_id).map_err(|e| e.problem())?;
    let kind = ApplicationKind::parse(kind).ok_or_else(|| SmsError::NotForThisFlow.problem())?;
    let flow = profile
        .flow(kind)
        .ok_or_else(|| SmsError::NotForThisFlow.problem())?;
    let spec = sms_spec(kind, &flow.fields).ok_or_else(|| SmsError::NotForThisFlow.problem())?;
    Ok((profile, kind, spec))
}

/// The mobile of the partly filled `application` a code for `kind` goes to, normalised and
/// checked under the profile's rule, with the field it came from.
fn mobile_of(
    profile: &Profile,
    kind: ApplicationKind,
    spec: &SmsSpec,
    application: &serde_json::Value,
) -> Result<(String, String), Problem> {
    let first = spec
        .mobile_paths
        .first()
        .cloned()
        .unwrap_or_else(|| "mobile".into());
    let (field, typed) =
        sms_mobile(kind, application).ok_or_else(|| SmsError::NoMobile.problem().at(&first))?;
    let checked = validate_mobile_for(typed, profile.international_mobiles);
    match checked.value {
        Some(mobile) => Ok((field.to_owned(), mobile)),
        None => Err(checked
            .errors
            .into_iter()
            .next()
            .unwrap_or_else(|| SmsError::NoMobile.problem())
            .at(field)),
    }
}

/// The platform's refusal as a problem at `field`.
fn refusal(error: SyncError, field: &str) -> Problem {
    match error {
        SyncError::Refused(reason) | SyncError::Throttled(reason) => {
            Problem::new(reason.code, reason.zh, reason.en).at(field)
        }
        _ => SmsError::Offline.problem(),
    }
}

/// Sends an SMS code for the flow `kind` of `profile_id` to the mobile of the partly filled
/// `application` (the registering person's; for a legal entity its agent's or representative's).
/// Offline or not enrolled: `SMS_OFFLINE`, and the wizard offers "verify later" ([`sms_defer`]).
pub async fn sms_send(
    kiosk: &Kiosk,
    profile_id: &str,
    kind: &str,
    application: &serde_json::Value,
    now_ms: i64,
) -> Result<SmsSent, Problem> {
    let (profile, kind, spec) = spec_of(profile_id, kind)?;
    let (field, mobile) = mobile_of(profile, kind, &spec, application)?;
    let body = serde_json::json!({ "phone": mobile, "purpose": spec.purpose });
    let answer = match ask_platform(kiosk, "/api/v1/sms/send", body).await {
        Some(Ok(answer)) => answer,
        Some(Err(SyncError::Throttled(reason) | SyncError::Refused(reason)))
            if reason.code == "SMS_TOO_SOON" =>
        {
            return Err(SmsError::TooSoon.problem().at(&spec.code_path));
        }
        Some(Err(error)) => return Err(refusal(error, &field)),
        None => return Err(SmsError::Offline.problem().at(&spec.code_path)),
    };
    let at = |key: &str| answer.get(key).and_then(serde_json::Value::as_i64);
    let seconds = |until: Option<i64>, default: i64| {
        let ms = until.map_or(default * 1000, |t| t - now_ms);
        u32::try_from(ms.clamp(0, 3_600_000).div_euclid(1000)).unwrap_or(0)
    };
    Ok(SmsSent {
        masked_mobile: kiosk_core::privacy::mask_mobile(&mobile),
        resend_in_s: seconds(at("resendAfter"), 60),
        valid_for_s: seconds(at("expiresAt"), 300),
    })
}

/// Verifies the `code` the visitor typed with the platform. A right code gives the platform's
/// proof, which the application carries to the platform; a wrong, expired, reused or locked
/// code gets the platform's own code and message (`SMS_CODE_WRONG`, `SMS_CODE_EXPIRED`,
/// `SMS_CODE_USED`, `SMS_CODE_LOCKED`, `SMS_CODE_NONE`) at the code field.
pub async fn sms_verify(
    kiosk: &Kiosk,
    profile_id: &str,
    kind: &str,
    application: &serde_json::Value,
    code: &str,
) -> Result<SmsVerified, Problem> {
    let (profile, kind, spec) = spec_of(profile_id, kind)?;
    let (_, mobile) = mobile_of(profile, kind, &spec, application)?;
    let checked = validate_sms_code(code);
    let Some(code) = checked.value else {
        let first = checked.errors.into_iter().next();
        return Err(first
            .unwrap_or_else(|| SmsError::NoMobile.problem())
            .at(&spec.code_path));
    };
    let body = serde_json::json!({ "phone": mobile, "purpose": spec.purpose, "code": code });
    let answer = match ask_platform(kiosk, "/api/v1/sms/verify", body).await {
        Some(Ok(answer)) => answer,
        Some(Err(error)) => return Err(refusal(error, &spec.code_path)),
        None => return Err(SmsError::Offline.problem().at(&spec.code_path)),
    };
    let token = answer
        .get("token")
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| SmsError::Offline.problem().at(&spec.code_path))?;
    let mut patch = serde_json::Map::new();
    patch.insert(spec.verification_path.clone(), token.into());
    patch.insert(spec.deferred_path.clone(), false.into());
    Ok(SmsVerified {
        masked_mobile: kiosk_core::privacy::mask_mobile(&mobile),
        patch,
    })
}

/// The kiosk cannot reach the platform: the application records that the platform verifies
/// the mobile later (it texts a code when the application arrives). Refused with
/// `SMS_DEFER_ONLINE` when the platform does answer — then the code is verified now.
pub async fn sms_defer(
    kiosk: &Kiosk,
    profile_id: &str,
    kind: &str,
    application: &serde_json::Value,
) -> Result<serde_json::Map<String, serde_json::Value>, Problem> {
    let (profile, kind, spec) = spec_of(profile_id, kind)?;
    mobile_of(profile, kind, &spec, application)?;
    if platform_reachable(kiosk).await {
        return Err(SmsError::Online.problem().at(&spec.code_path));
    }
    let mut patch = serde_json::Map::new();
    patch.insert(spec.deferred_path.clone(), true.into());
    patch.insert(spec.code_path.clone(), "".into());
    patch.insert(spec.verification_path.clone(), serde_json::Value::Null);
    Ok(patch)
}
