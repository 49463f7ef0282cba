//! "Already registered" checks: is an account name, ID number, credit code or login mobile
//! still free on the platform. They reserve nothing; the platform checks again on submission.

use kiosk_core::checks::RegisteredCheck;
use kiosk_core::{Problem, UserFacing};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ask_platform;
use crate::Kiosk;

/// Whether a value is free on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Availability {
    /// No account uses it yet.
    Available,
    /// An account already uses it: the visitor chooses another or recovers that account.
    Taken,
    /// The platform could not be asked (offline, not enrolled, no answer in time).
    Unknown,
}

kiosk_core::user_facing_errors! {
    /// What the visitor is told when a value is already registered.
    pub enum RegisteredError {
        /// The account name is taken.
        AccountName = "ACCOUNT_NAME_TAKEN" {
            zh: "该账号名已被注册，请换一个账号名。",
            en: "This account name is already registered. Choose another one."
        },
        /// The ID number already has an account.
        IdNumber = "ID_NUMBER_REGISTERED" {
            zh: "该证件号码已注册过账号。请用“申诉找回密码”找回原账号，或请工作人员协助。",
            en: "This document number already has an account. Recover it with a password-reset appeal, or ask the staff."
        },
        /// The credit code already has a unit account.
        Uscc = "USCC_REGISTERED" {
            zh: "该统一社会信用代码已注册过单位账号。请联系本单位管理员，或请工作人员协助。",
            en: "This unified social credit code already has a unit account. Contact your unit's administrator or ask the staff."
        },
        /// The mobile already logs in to an account.
        Mobile = "MOBILE_REGISTERED" {
            zh: "该手机号码已注册过账号。请用该号码登录，或换一个手机号码注册。",
            en: "This mobile already has an account. Log in with it, or register with another mobile."
        },
    }
}

/// The problem a taken value of `check` gets.
pub fn taken(check: RegisteredCheck) -> Problem {
    match check {
        RegisteredCheck::AccountName => RegisteredError::AccountName.problem(),
        RegisteredCheck::IdNumber => RegisteredError::IdNumber.problem(),
        RegisteredCheck::Uscc => RegisteredError::Uscc.problem(),
        RegisteredCheck::Mobile => RegisteredError::Mobile.problem(),
    }
}

/// Whether `value` is still free for `check` on the enrolled platform:
/// [`Availability::Unknown`] when the kiosk is not enrolled, offline, or the platform does not
/// answer within [`super::ONLINE_CHECK_TIMEOUT`]. The value's own rules are checked apart.
pub async fn registered(kiosk: &Kiosk, check: RegisteredCheck, value: &str) -> Availability {
    let value = value.trim();
    if value.is_empty() {
        return Availability::Unknown;
    }
    let path = format!("/api/v1/checks/{}", check.segment());
    let answer = ask_platform(kiosk, &path, serde_json::json!({ "value": value })).await;
    match answer
        .and_then(Result::ok)
        .map(|a| a.get("registered").and_then(serde_json::Value::as_bool))
    {
        Some(Some(true)) => Availability::Taken,
        Some(Some(false)) => Availability::Available,
        Some(None) | None => Availability::Unknown,
    }
}

/// The answer the wizard shows when a field is left: free, taken (with what to do), or unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegisteredAnswer {
    /// What the platform said.
    pub availability: Availability,
    /// For a taken value: what the visitor is told.
    #[ts(optional)]
    pub problem: Option<Problem>,
}

/// [`registered`], with the problem a taken value gets.
pub async fn registered_answer(
    kiosk: &Kiosk,
    check: RegisteredCheck,
    value: &str,
) -> RegisteredAnswer {
    let availability = registered(kiosk, check, value).await;
    RegisteredAnswer {
        availability,
        problem: (availability == Availability::Taken).then(|| taken(check)),
    }
}

/// Whether an account name is still free (see [`registered`]).
pub async fn account_name_availability(kiosk: &Kiosk, name: &str) -> Availability {
    registered(kiosk, RegisteredCheck::AccountName, name).await
}
