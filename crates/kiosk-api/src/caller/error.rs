//! The refusals of [`super::Caller::require`]: `STAFF_NOT_ALLOWED`, `SESSION_EXPIRED`, `REAUTH_REQUIRED`.

use super::Role;
use super::permissions::{Action, lowest_role};
use kiosk_core::Problem;

/// Refused: this caller may not run `action` (code `STAFF_NOT_ALLOWED`).
pub fn not_allowed(action: Action) -> Problem {
    match lowest_role(action) {
        Some(role) => {
            let (zh, en) = match role {
                Role::Operator => ("工作人员", "a staff member"),
                Role::Supervisor => ("审核员或管理员", "a supervisor or an administrator"),
                Role::Admin => ("管理员", "an administrator"),
            };
            Problem::new(
                "STAFF_NOT_ALLOWED",
                format!("此操作需要{zh}登录。请让有权限的工作人员登录后再试。"),
                format!("This needs {en} to be signed in. Ask one to sign in and try again."),
            )
        }
        None => Problem::new(
            "STAFF_NOT_ALLOWED",
            "此操作只能在终端的命令行（kioskctl）上进行。",
            "This can only be done with the kiosk's command line (kioskctl).",
        ),
    }
}

/// Refused: the staff session ended (code `SESSION_EXPIRED`).
pub fn session_expired() -> Problem {
    Problem::new(
        "SESSION_EXPIRED",
        "工作人员登录已超时，已自动退出。请重新登录后再试。",
        "The staff session has timed out and was signed out. Sign in again and retry.",
    )
}

/// Refused: a sensitive action needs the password again (code `REAUTH_REQUIRED`).
pub fn reauth_required(window_min: i64) -> Problem {
    Problem::new(
        "REAUTH_REQUIRED",
        format!("此操作较为敏感，请再次输入您的密码（验证后 {window_min} 分钟内有效）。"),
        format!(
            "This is a sensitive action: enter your password again (it stays confirmed for {window_min} minutes)."
        ),
    )
}
