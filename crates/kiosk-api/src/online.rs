//! Checks that need the platform while the visitor fills in the wizard: is an account name
//! still free, and sending an SMS code. Each asks with a short timeout; when the kiosk is not
//! enrolled or the platform does not answer, the wizard goes on offline (the name is checked
//! again when the application reaches the platform; the mobile is verified later).

use std::time::Duration;

use kiosk_core::application::ApplicationKind;
use kiosk_core::rules::contact::validate_mobile;
use kiosk_core::sms::{sms_mobile, sms_mobile_paths, sms_purpose};
use kiosk_core::{Problem, UserFacing};
use kiosk_sync::{PlatformClient, SyncError, Timeouts};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Kiosk;

/// How long the wizard waits for the platform before treating it as offline.
pub const ONLINE_CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether an account name is free on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Availability {
    /// No account uses it yet.
    Available,
    /// An account already uses it: the visitor chooses another.
    Taken,
    /// The platform could not be asked (offline, not enrolled, no answer in time).
    Unknown,
}

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

fn client(kiosk: &Kiosk) -> Option<PlatformClient> {
    let credential = crate::sync::credential(kiosk).ok()?;
    let timeouts = Timeouts {
        connect: ONLINE_CHECK_TIMEOUT,
        request: ONLINE_CHECK_TIMEOUT,
    };
    PlatformClient::new(credential, timeouts).ok()
}

/// Asks `client` with the wizard's short timeout.
async fn ask(
    client: &PlatformClient,
    path: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, SyncError> {
    tokio::time::timeout(ONLINE_CHECK_TIMEOUT, client.call(path, &body))
        .await
        .unwrap_or_else(|_| Err(SyncError::Transient("timeout".into())))
}

/// Whether `name` is still free on the enrolled platform: [`Availability::Unknown`] when the
/// kiosk is not enrolled, offline, or the platform does not answer within
/// [`ONLINE_CHECK_TIMEOUT`]. The name's own rules are checked apart (`validate_value`).
pub async fn account_name_availability(kiosk: &Kiosk, name: &str) -> Availability {
    let name = name.trim();
    if name.is_empty() {
        return Availability::Unknown;
    }
    let Some(client) = client(kiosk) else {
        return Availability::Unknown;
    };
    let answer = ask(
        &client,
        "/api/v1/checks/account-name",
        serde_json::json!({ "value": name }),
    )
    .await;
    match answer.map(|a| a.get("registered").and_then(serde_json::Value::as_bool)) {
        Ok(Some(true)) => Availability::Taken,
        Ok(Some(false)) => Availability::Available,
        Ok(None) | Err(_) => Availability::Unknown,
    }
}

/// Why no SMS code was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The platform cannot be reached: the mobile is verified later.
    #[error("the platform cannot be reached")]
    Offline,
    /// Another code was sent less than a minute ago.
    #[error("a code was sent less than a minute ago")]
    TooSoon,
    /// The flow sends no code.
    #[error("this flow sends no code")]
    NotForThisFlow,
    /// No mobile number filled in yet.
    #[error("no mobile number yet")]
    NoMobile,
}

impl UserFacing for SmsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Offline => "SMS_OFFLINE",
            Self::TooSoon => "SMS_TOO_SOON",
            Self::NotForThisFlow => "SMS_NOT_FOR_FLOW",
            Self::NoMobile => "SMS_NO_MOBILE",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::Offline => "当前无法连接平台，发送不了短信验证码。请选择“稍后验证手机”继续办理。",
            Self::TooSoon => "验证码发送过于频繁，请等待倒计时结束后再获取。",
            Self::NotForThisFlow => "此业务不需要短信验证码。",
            Self::NoMobile => "请先填写手机号码，再获取验证码。",
        }
        .to_owned()
    }

    fn en(&self) -> String {
        match self {
            Self::Offline => "The platform cannot be reached, so no SMS code can be sent. Choose \"verify the mobile later\" and go on.",
            Self::TooSoon => "A code was sent less than a minute ago. Wait for the countdown, then ask again.",
            Self::NotForThisFlow => "This request needs no SMS code.",
            Self::NoMobile => "Fill in the mobile number first, then ask for a code.",
        }
        .to_owned()
    }
}

/// Sends an SMS code for flow `kind` (`natural-person`, ...) to the mobile of the partly filled
/// `application` (the registering person's; for a legal entity its agent's or representative's).
/// Offline or not enrolled: `SMS_OFFLINE`, and the wizard offers "verify later".
pub async fn sms_send(
    kiosk: &Kiosk,
    kind: &str,
    application: &serde_json::Value,
) -> Result<SmsSent, Problem> {
    let kind = ApplicationKind::parse(kind).ok_or_else(|| SmsError::NotForThisFlow.problem())?;
    let purpose = sms_purpose(kind).ok_or_else(|| SmsError::NotForThisFlow.problem())?;
    let first_field = sms_mobile_paths(kind).first().copied().unwrap_or("mobile");
    let (field, mobile) = sms_mobile(kind, application)
        .ok_or_else(|| SmsError::NoMobile.problem().at(first_field))?;
    let checked = validate_mobile(mobile);
    let Some(mobile) = checked.value else {
        let first = checked.errors.into_iter().next();
        return Err(first
            .unwrap_or_else(|| SmsError::NoMobile.problem())
            .at(field));
    };
    let client = client(kiosk).ok_or_else(|| SmsError::Offline.problem())?;
    let body = serde_json::json!({ "phone": mobile, "purpose": purpose });
    let sent = ask(&client, "/api/v1/sms/send", body).await;
    let answer = match sent {
        Ok(answer) => answer,
        // The client classifies 429 as worth retrying; its text carries the platform's code.
        Err(SyncError::Transient(why)) if why.contains("SMS_TOO_SOON") => {
            return Err(SmsError::TooSoon.problem());
        }
        Err(SyncError::Refused(reason)) => {
            return Err(Problem::new(reason.code, reason.zh, reason.en).at(field));
        }
        Err(_) => return Err(SmsError::Offline.problem()),
    };
    let at = |key: &str| answer.get(key).and_then(serde_json::Value::as_i64);
    let now = crate::clock::now_ms();
    let seconds = |until: Option<i64>, default: i64| {
        let ms = until.map_or(default * 1000, |t| t - now);
        u32::try_from(ms.clamp(0, 3_600_000).div_euclid(1000)).unwrap_or(0)
    };
    Ok(SmsSent {
        masked_mobile: kiosk_core::privacy::mask_mobile(&mobile),
        resend_in_s: seconds(at("resendAfter"), 60),
        valid_for_s: seconds(at("expiresAt"), 300),
    })
}
