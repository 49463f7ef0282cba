//! The refusals of [`super::Caller::require`]: `STAFF_NOT_ALLOWED`, `SESSION_EXPIRED`, `REAUTH_REQUIRED`.

use kiosk_core::{Catalogued, Problem, UserFacing};

use super::Role;
use super::permissions::{Action, lowest_role};

/// Why a caller may not run an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallerError {
    /// The caller's role is too low; `lowest` is the lowest staff role that may (none: only
    /// kioskctl may).
    #[error("not allowed")]
    NotAllowed {
        /// The lowest staff role that may run the action.
        lowest: Option<Role>,
    },
    /// The staff session ended (idle or absolute limit).
    #[error("session expired")]
    SessionExpired,
    /// A sensitive action needs the password again; it then stays confirmed `window_min` minutes.
    #[error("re-authentication required")]
    ReauthRequired {
        /// Minutes a re-entered password keeps sensitive actions open.
        window_min: i64,
    },
}

impl UserFacing for CallerError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotAllowed { .. } => "STAFF_NOT_ALLOWED",
            Self::SessionExpired => "SESSION_EXPIRED",
            Self::ReauthRequired { .. } => "REAUTH_REQUIRED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::NotAllowed { lowest: Some(role) } => format!(
                "此操作需要{}登录。请让有权限的工作人员登录后再试。",
                role_names(*role).0
            ),
            Self::NotAllowed { lowest: None } => {
                "此操作只能在终端的命令行（kioskctl）上进行。".to_owned()
            }
            Self::SessionExpired => "工作人员登录已超时，已自动退出。请重新登录后再试。".to_owned(),
            Self::ReauthRequired { window_min } => {
                format!("此操作较为敏感，请再次输入您的密码（验证后 {window_min} 分钟内有效）。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::NotAllowed { lowest: Some(role) } => format!(
                "This needs {} to be signed in. Ask one to sign in and try again.",
                role_names(*role).1
            ),
            Self::NotAllowed { lowest: None } => {
                "This can only be done with the kiosk's command line (kioskctl).".to_owned()
            }
            Self::SessionExpired => {
                "The staff session has timed out and was signed out. Sign in again and retry."
                    .to_owned()
            }
            Self::ReauthRequired { window_min } => format!(
                "This is a sensitive action: enter your password again (it stays confirmed for {window_min} minutes)."
            ),
        }
    }
}

impl Catalogued for CallerError {
    fn samples() -> Vec<Self> {
        vec![
            Self::NotAllowed {
                lowest: Some(Role::Operator),
            },
            Self::NotAllowed {
                lowest: Some(Role::Supervisor),
            },
            Self::NotAllowed {
                lowest: Some(Role::Admin),
            },
            Self::NotAllowed { lowest: None },
            Self::SessionExpired,
            Self::ReauthRequired { window_min: 5 },
        ]
    }
}

fn role_names(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Operator => ("工作人员", "a staff member"),
        Role::Supervisor => ("审核员或管理员", "a supervisor or an administrator"),
        Role::Admin => ("管理员", "an administrator"),
    }
}

/// Refused: this caller may not run `action` (code `STAFF_NOT_ALLOWED`).
pub fn not_allowed(action: Action) -> Problem {
    CallerError::NotAllowed {
        lowest: lowest_role(action),
    }
    .into()
}

/// Refused: the staff session ended (code `SESSION_EXPIRED`).
pub fn session_expired() -> Problem {
    CallerError::SessionExpired.into()
}

/// Refused: a sensitive action needs the password again (code `REAUTH_REQUIRED`).
pub fn reauth_required(window_min: i64) -> Problem {
    CallerError::ReauthRequired { window_min }.into()
}
