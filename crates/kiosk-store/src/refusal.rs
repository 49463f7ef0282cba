//! Requests the store refuses on purpose (staff sign-in and accounts, the queue, keys, review,
//! status lookups), each with its stable code and a Chinese and an English message.
//!
//! These are not failures of the database: the request itself cannot be granted. They reach
//! people as [`crate::StoreError::Refused`].

use kiosk_core::{Catalogued, UserFacing};

use crate::keys::ENV_PROTECTION;
use crate::staff::MIN_PASSWORD_CHARS;

/// A request the store refuses, with the details its message needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A new username breaks the naming rule (`STAFF_USERNAME_INVALID`).
    #[error("username is not 3-32 characters of a-z, 0-9, '.', '_' or '-'")]
    StaffUsernameInvalid,
    /// A setup code was asked for although an administrator exists (`STAFF_SETUP_DONE`).
    #[error("an administrator exists; no setup code is issued")]
    StaffSetupDone,
    /// The first administrator's setup code is wrong or expired (`STAFF_SETUP_CODE_INVALID`).
    #[error("setup code is wrong or expired")]
    StaffSetupCodeInvalid,
    /// The username is already used (`STAFF_USERNAME_TAKEN`).
    #[error("username is taken")]
    StaffUsernameTaken,
    /// Wrong username or password, or a disabled account (`STAFF_LOGIN_FAILED`).
    #[error("sign-in failed")]
    StaffLoginFailed,
    /// Too many failed sign-ins; the account is locked for now (`STAFF_LOCKED`).
    #[error("account locked for {minutes} minutes")]
    StaffLocked {
        /// Whole minutes until the lock ends (rounded up).
        minutes: i64,
    },
    /// A new password is shorter than [`MIN_PASSWORD_CHARS`] (`STAFF_PASSWORD_TOO_SHORT`).
    #[error("password is too short")]
    StaffPasswordTooShort,
    /// No staff account has that username (`STAFF_UNKNOWN`).
    #[error("no such staff account")]
    StaffUnknown,
    /// Disabling the last enabled administrator (`STAFF_LAST_ADMIN`).
    #[error("the last enabled administrator cannot be disabled")]
    StaffLastAdmin,
    /// An attachment names no slot (`ATTACHMENT_SLOT_EMPTY`).
    #[error("an attachment has an empty slot name")]
    AttachmentSlotEmpty,
    /// The application is already in the queue and is not submitted twice
    /// (`APPLICATION_ALREADY_SUBMITTED`).
    #[error("application already submitted")]
    AlreadySubmitted,
    /// A submitted application cannot be saved as a draft any more
    /// (`APPLICATION_ALREADY_SUBMITTED`).
    #[error("application already submitted; not editable as a draft")]
    DraftAlreadySubmitted,
    /// The configured key protection is none of the known ones (`KEY_PROTECTION_UNKNOWN`).
    #[error("unknown key protection {value:?}")]
    KeyProtectionUnknown {
        /// The value found in the setting.
        value: String,
    },
    /// The platform's public key is not an age X25519 recipient (`PLATFORM_KEY_INVALID`).
    #[error("platform key is malformed")]
    PlatformKeyInvalid,
    /// The application is not waiting for review (`REVIEW_NOT_HELD`).
    #[error("{id:?} is not held for review")]
    ReviewNotHeld {
        /// The application id.
        id: String,
    },
    /// Too many status lookups from this kiosk (`STATUS_LOOKUP_THROTTLED`).
    #[error("status lookups throttled for {seconds} s")]
    StatusLookupThrottled {
        /// Whole seconds until lookups are allowed again (rounded up).
        seconds: i64,
    },
}

impl Refusal {
    /// [`Refusal::StaffLocked`] for a lock that ends at `until` (Unix ms), seen at `now`.
    pub fn staff_locked(until: i64, now: i64) -> Self {
        Self::StaffLocked {
            minutes: ((until - now).max(0) + 59_999) / 60_000,
        }
    }

    /// [`Refusal::StatusLookupThrottled`] for a block that ends at `until` (Unix ms), seen
    /// at `now`.
    pub fn status_lookup_throttled(until: i64, now: i64) -> Self {
        Self::StatusLookupThrottled {
            seconds: ((until - now).max(0) + 999) / 1000,
        }
    }
}

impl UserFacing for Refusal {
    fn code(&self) -> &'static str {
        match self {
            Self::StaffUsernameInvalid => "STAFF_USERNAME_INVALID",
            Self::StaffSetupDone => "STAFF_SETUP_DONE",
            Self::StaffSetupCodeInvalid => "STAFF_SETUP_CODE_INVALID",
            Self::StaffUsernameTaken => "STAFF_USERNAME_TAKEN",
            Self::StaffLoginFailed => "STAFF_LOGIN_FAILED",
            Self::StaffLocked { .. } => "STAFF_LOCKED",
            Self::StaffPasswordTooShort => "STAFF_PASSWORD_TOO_SHORT",
            Self::StaffUnknown => "STAFF_UNKNOWN",
            Self::StaffLastAdmin => "STAFF_LAST_ADMIN",
            Self::AttachmentSlotEmpty => "ATTACHMENT_SLOT_EMPTY",
            Self::AlreadySubmitted | Self::DraftAlreadySubmitted => "APPLICATION_ALREADY_SUBMITTED",
            Self::KeyProtectionUnknown { .. } => "KEY_PROTECTION_UNKNOWN",
            Self::PlatformKeyInvalid => "PLATFORM_KEY_INVALID",
            Self::ReviewNotHeld { .. } => "REVIEW_NOT_HELD",
            Self::StatusLookupThrottled { .. } => "STATUS_LOOKUP_THROTTLED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::StaffUsernameInvalid => "用户名须为 3–32 位小写字母、数字或 . _ -。".into(),
            Self::StaffSetupDone => {
                "已有管理员账号，不能再生成初始设置码。请用管理员账号登录后添加人员。".into()
            }
            Self::StaffSetupCodeInvalid => {
                "初始设置码不正确或已过期。请运行 kioskctl staff setup-code 生成新的设置码。".into()
            }
            Self::StaffUsernameTaken => "该用户名已被使用，请换一个。".into(),
            Self::StaffLoginFailed => {
                "用户名或密码不正确，或账号已停用。连续错误 5 次后须等待 1 分钟再试（每次加倍，最长 15 分钟）。".into()
            }
            Self::StaffLocked { minutes } => format!(
                "登录失败次数过多，已暂时锁定。请 {minutes} 分钟后再试，或请管理员解锁。"
            ),
            Self::StaffPasswordTooShort => format!("密码至少 {MIN_PASSWORD_CHARS} 位。"),
            Self::StaffUnknown => "没有这个工作人员账号。请检查用户名。".into(),
            Self::StaffLastAdmin => {
                "这是最后一个可用的管理员账号，不能停用。请先添加或启用另一个管理员。".into()
            }
            Self::AttachmentSlotEmpty => "材料栏位名称为空。请重新选择材料栏位。".into(),
            Self::AlreadySubmitted => "这份申请已经提交过，不会重复提交。".into(),
            Self::DraftAlreadySubmitted => "这份申请已经提交，不能再作为草稿修改。".into(),
            Self::KeyProtectionUnknown { value } => format!(
                "密钥保护方式「{value}」无效。请把 {ENV_PROTECTION} 设为 auto、tpm、machine-credential 或 plain。"
            ),
            Self::PlatformKeyInvalid => {
                "平台公钥格式错误（应为 age1 开头的 X25519 公钥）。请核对后重试。".into()
            }
            Self::ReviewNotHeld { id } => format!("申请「{id}」不在待审核列表中。请刷新列表。"),
            Self::StatusLookupThrottled { seconds } => format!(
                "查询次数过多，请 {seconds} 秒后再试；如需帮助请联系窗口工作人员。"
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::StaffUsernameInvalid => {
                "A username is 3–32 characters of a-z, 0-9, '.', '_' or '-'.".into()
            }
            Self::StaffSetupDone => {
                "An administrator already exists; no setup code can be issued. Log in as an administrator to add staff.".into()
            }
            Self::StaffSetupCodeInvalid => {
                "The setup code is wrong or expired. Run `kioskctl staff setup-code` for a new one.".into()
            }
            Self::StaffUsernameTaken => "That username is taken; choose another.".into(),
            Self::StaffLoginFailed => {
                "Wrong username or password, or the account is disabled. After five failures in a row wait 1 minute (doubling, at most 15 minutes).".into()
            }
            Self::StaffLocked { minutes } => format!(
                "Too many failed sign-ins: locked for now. Retry in {minutes} minutes or ask an administrator to unlock."
            ),
            Self::StaffPasswordTooShort => {
                format!("A password needs at least {MIN_PASSWORD_CHARS} characters.")
            }
            Self::StaffUnknown => {
                "There is no staff account with that username. Check the name.".into()
            }
            Self::StaffLastAdmin => {
                "This is the last enabled administrator and cannot be disabled. Add or enable another administrator first.".into()
            }
            Self::AttachmentSlotEmpty => {
                "An attachment has an empty slot name. Choose its slot again.".into()
            }
            Self::AlreadySubmitted => {
                "This application was already submitted; it will not be submitted twice.".into()
            }
            Self::DraftAlreadySubmitted => {
                "This application was already submitted; it can no longer be edited as a draft.".into()
            }
            Self::KeyProtectionUnknown { value } => format!(
                "Unknown key protection \"{value}\". Set {ENV_PROTECTION} to auto, tpm, machine-credential or plain."
            ),
            Self::PlatformKeyInvalid => {
                "The platform key is malformed (expected an age1... X25519 recipient). Check it and retry.".into()
            }
            Self::ReviewNotHeld { id } => {
                format!("Application \"{id}\" is not waiting for review. Refresh the list.")
            }
            Self::StatusLookupThrottled { seconds } => format!(
                "Too many status lookups; retry in {seconds} seconds, or ask staff at the counter for help."
            ),
        }
    }
}

impl Catalogued for Refusal {
    fn samples() -> Vec<Self> {
        vec![
            Self::StaffUsernameInvalid,
            Self::StaffSetupDone,
            Self::StaffSetupCodeInvalid,
            Self::StaffUsernameTaken,
            Self::StaffLoginFailed,
            Self::StaffLocked { minutes: 15 },
            Self::StaffPasswordTooShort,
            Self::StaffUnknown,
            Self::StaffLastAdmin,
            Self::AttachmentSlotEmpty,
            Self::AlreadySubmitted,
            Self::DraftAlreadySubmitted,
            Self::KeyProtectionUnknown {
                value: "<值> / <value>".into(),
            },
            Self::PlatformKeyInvalid,
            Self::ReviewNotHeld {
                id: "<编号> / <id>".into(),
            },
            Self::StatusLookupThrottled { seconds: 60 },
        ]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn waits_round_up_to_whole_units_and_never_go_negative() {
        assert_eq!(
            Refusal::staff_locked(60_001, 0),
            Refusal::StaffLocked { minutes: 2 }
        );
        assert_eq!(
            Refusal::staff_locked(0, 5),
            Refusal::StaffLocked { minutes: 0 }
        );
        assert_eq!(
            Refusal::status_lookup_throttled(1_001, 0),
            Refusal::StatusLookupThrottled { seconds: 2 }
        );
        let locked = Refusal::staff_locked(30 * 60_000, 0);
        assert!(locked.zh().contains("30 分钟") && locked.en().contains("30 minutes"));
    }

    #[test]
    fn every_variant_has_a_sample_and_both_messages() {
        let samples = Refusal::samples();
        assert_eq!(samples.len(), 16);
        for refusal in samples {
            assert!(
                !refusal.zh().is_empty() && !refusal.en().is_empty(),
                "{refusal:?}"
            );
        }
        let short = Refusal::StaffPasswordTooShort;
        assert!(short.en().contains(&MIN_PASSWORD_CHARS.to_string()));
    }
}
