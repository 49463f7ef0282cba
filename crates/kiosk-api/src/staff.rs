//! Staff accounts: first administrator from a one-time setup code, sign-in with back-off,
//! re-authentication, and account management (own password; an administrator resets,
//! disables, enables, unlocks).
//!
//! The Tauri shell keeps the session returned by [`login`] in its own Rust state and builds
//! the [`Caller`] from it; never accept a session object from the web view. Every use case
//! here that acts on accounts checks the caller against the permission table first.

use kiosk_core::Problem;
use kiosk_store::{NewStaff, Role};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Kiosk;
use crate::caller::{self, Action, Caller, StaffCaller};

mod error;

pub use error::StaffApiError;

/// A logged-in staff member, as the screen shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffSession {
    /// Login name.
    pub username: String,
    /// Name shown on screen.
    pub display_name: String,
    /// `operator`, `supervisor` or `admin`.
    pub role: String,
    /// When the session ends unless the staff member acts again (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub expires_at: Option<i64>,
    /// Until when sensitive actions run without entering the password again (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub reauth_until: Option<i64>,
}

impl StaffSession {
    /// The caller of a session that starts at `now` (an unknown role string counts as the
    /// least privileged role).
    pub fn caller(&self, now: i64) -> StaffCaller {
        let role = Role::parse(&self.role).unwrap_or(Role::Operator);
        StaffCaller::signed_in(self.username.clone(), role, now)
    }
}

/// A staff account as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffInfo {
    /// Login name.
    pub username: String,
    /// Name shown on screen.
    pub display_name: String,
    /// `operator`, `supervisor` or `admin`.
    pub role: String,
    /// Locked until, Unix ms.
    #[ts(optional)]
    #[ts(type = "number")]
    pub locked_until: Option<i64>,
    /// Whether disabled.
    pub disabled: bool,
}

/// A new account as entered by an administrator.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewStaffInput {
    /// Login name.
    pub username: String,
    /// Name shown on screen.
    pub display_name: String,
    /// `operator`, `supervisor` or `admin`.
    pub role: String,
    /// Initial password (at least 10 characters).
    pub password: String,
}

/// Parses a role name.
pub fn parse_role(name: &str) -> Result<Role, Problem> {
    Role::parse(name).ok_or_else(|| StaffApiError::RoleUnknown(name.to_owned()).into())
}

/// Issues the one-time setup code for the first administrator (valid 24 hours; refused once
/// an administrator exists). Show it once; only its hash is stored.
pub fn issue_setup_code(kiosk: &Kiosk, now: i64) -> Result<String, Problem> {
    Ok(kiosk.store().issue_setup_code(now)?)
}

/// Creates the first administrator with a setup code.
pub fn create_first_admin(
    kiosk: &Kiosk,
    setup_code: &str,
    username: &str,
    display_name: &str,
    password: &str,
    now: i64,
) -> Result<(), Problem> {
    let admin = NewStaff {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        role: Role::Admin,
        password: password.to_owned(),
    };
    Ok(kiosk.store().create_first_admin(setup_code, admin, now)?)
}

/// Checks a login. Unknown names, wrong passwords and disabled accounts get the same answer
/// after the same work; 5 failures lock the typed name for 1 minute, doubling up to 15.
pub fn login(
    kiosk: &Kiosk,
    username: &str,
    password: &str,
    now: i64,
) -> Result<StaffSession, Problem> {
    let account = kiosk.store().login(username, password, now)?;
    Ok(StaffSession {
        username: account.username,
        display_name: account.display_name,
        role: account.role.as_str().to_owned(),
        expires_at: None,
        reauth_until: None,
    })
}

fn staff_of(caller: &Caller) -> Result<&StaffCaller, Problem> {
    match caller {
        Caller::Staff(staff) => Ok(staff),
        _ => Err(caller::not_allowed(Action::ManageOwnAccount)),
    }
}

/// Checks the signed-in staff member's password again (for sensitive actions). A wrong
/// password counts towards the sign-in back-off.
pub fn reauth(kiosk: &Kiosk, caller: &Caller, password: &str, now: i64) -> Result<(), Problem> {
    caller::check(kiosk, caller, Action::ManageOwnAccount, now)?;
    let staff = staff_of(caller)?;
    kiosk.store().login(&staff.username, password, now)?;
    Ok(())
}

/// Changes the signed-in staff member's own password (the current one is checked).
pub fn change_password(
    kiosk: &Kiosk,
    caller: &Caller,
    current: &str,
    new_password: &str,
    now: i64,
) -> Result<(), Problem> {
    caller::check(kiosk, caller, Action::ManageOwnAccount, now)?;
    let staff = staff_of(caller)?;
    Ok(kiosk
        .store()
        .change_password(&staff.username, current, new_password, now)?)
}

/// Adds an account.
pub fn add(kiosk: &Kiosk, caller: &Caller, input: NewStaffInput, now: i64) -> Result<(), Problem> {
    caller::check(kiosk, caller, Action::ManageStaff, now)?;
    let new = NewStaff {
        role: parse_role(&input.role)?,
        username: input.username,
        display_name: input.display_name,
        password: input.password,
    };
    Ok(kiosk.store().add_staff(new, caller.actor(), now)?)
}

/// Sets a new password for `username` and ends any sign-in lock.
pub fn reset_password(
    kiosk: &Kiosk,
    caller: &Caller,
    username: &str,
    new_password: &str,
    now: i64,
) -> Result<(), Problem> {
    caller::check(kiosk, caller, Action::ManageStaff, now)?;
    Ok(kiosk
        .store()
        .reset_password(username, new_password, caller.actor(), now)?)
}

/// Disables (`true`) or enables `username`; the last enabled administrator stays enabled.
pub fn set_disabled(
    kiosk: &Kiosk,
    caller: &Caller,
    username: &str,
    disabled: bool,
    now: i64,
) -> Result<(), Problem> {
    caller::check(kiosk, caller, Action::ManageStaff, now)?;
    Ok(kiosk
        .store()
        .set_staff_disabled(username, disabled, caller.actor(), now)?)
}

/// Ends the sign-in lock of `username`.
pub fn unlock(kiosk: &Kiosk, caller: &Caller, username: &str, now: i64) -> Result<(), Problem> {
    caller::check(kiosk, caller, Action::ManageStaff, now)?;
    Ok(kiosk.store().unlock_staff(username, caller.actor(), now)?)
}

/// All accounts.
pub fn list(kiosk: &Kiosk, caller: &Caller, now: i64) -> Result<Vec<StaffInfo>, Problem> {
    caller::check(kiosk, caller, Action::ManageStaff, now)?;
    Ok(kiosk
        .store()
        .staff()?
        .into_iter()
        .map(|a| StaffInfo {
            username: a.username,
            display_name: a.display_name,
            role: a.role.as_str().to_owned(),
            locked_until: a.locked_until.filter(|until| *until > now),
            disabled: a.disabled,
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const PASSWORD: &str = "a long admin password";

    fn kiosk_with_admin(dir: &std::path::Path) -> (Kiosk, Caller) {
        let kiosk = Kiosk::open(dir).unwrap();
        let code = issue_setup_code(&kiosk, 1).unwrap();
        create_first_admin(&kiosk, &code, "admin", "管理员", PASSWORD, 2).unwrap();
        let admin = login(&kiosk, "admin", PASSWORD, 3).unwrap();
        assert_eq!(admin.role, "admin");
        let caller = Caller::Staff(admin.caller(3));
        (kiosk, caller)
    }

    fn clerk_input() -> NewStaffInput {
        NewStaffInput {
            username: "clerk".into(),
            display_name: "王工".into(),
            role: "operator".into(),
            password: "clerk password 1".into(),
        }
    }

    #[test]
    fn setup_code_admin_then_admin_adds_an_operator_who_cannot_add() {
        let dir = tempfile::tempdir().unwrap();
        let (kiosk, admin) = kiosk_with_admin(dir.path());
        add(&kiosk, &admin, clerk_input(), 4).unwrap();
        let clerk = Caller::Staff(
            login(&kiosk, "clerk", "clerk password 1", 5)
                .unwrap()
                .caller(5),
        );
        let refused = add(
            &kiosk,
            &clerk,
            NewStaffInput {
                username: "x2".into(),
                ..clerk_input()
            },
            6,
        );
        assert_eq!(refused.unwrap_err().code, "STAFF_NOT_ALLOWED");
        assert_eq!(list(&kiosk, &admin, 7).unwrap().len(), 2);
        assert_eq!(
            list(&kiosk, &Caller::Visitor, 7).unwrap_err().code,
            "STAFF_NOT_ALLOWED"
        );
        assert_eq!(parse_role("boss").unwrap_err().code, "STAFF_ROLE_UNKNOWN");
    }

    #[test]
    fn staff_management_needs_a_fresh_password_and_keeps_the_last_admin() {
        let dir = tempfile::tempdir().unwrap();
        let (kiosk, admin) = kiosk_with_admin(dir.path());
        add(&kiosk, &admin, clerk_input(), 4).unwrap();
        let stale = 3 + 6 * 60_000;
        let refused = unlock(&kiosk, &admin, "clerk", stale).unwrap_err();
        assert_eq!(refused.code, "REAUTH_REQUIRED");
        let Caller::Staff(mut session) = admin.clone() else {
            unreachable!()
        };
        session.last_active = stale;
        let refused = reauth(&kiosk, &Caller::Staff(session.clone()), "wrong", stale);
        assert_eq!(refused.unwrap_err().code, "STAFF_LOGIN_FAILED");
        reauth(&kiosk, &Caller::Staff(session.clone()), PASSWORD, stale).unwrap();
        session.reauthed_at = stale;
        let fresh = Caller::Staff(session);
        reset_password(&kiosk, &fresh, "clerk", "reset password 2", stale).unwrap();
        set_disabled(&kiosk, &fresh, "clerk", true, stale).unwrap();
        assert!(
            list(&kiosk, &fresh, stale)
                .unwrap()
                .iter()
                .any(|a| a.disabled)
        );
        let last = set_disabled(&kiosk, &fresh, "admin", true, stale).unwrap_err();
        assert_eq!(last.code, "STAFF_LAST_ADMIN");
        // The machine's operator can always recover an administrator.
        unlock(&kiosk, &Caller::CliOperator, "admin", stale).unwrap();
    }

    #[test]
    fn staff_change_their_own_password_and_visitors_cannot() {
        let dir = tempfile::tempdir().unwrap();
        let (kiosk, admin) = kiosk_with_admin(dir.path());
        let refused = change_password(&kiosk, &Caller::Visitor, "x", "new password 12", 4);
        assert_eq!(refused.unwrap_err().code, "STAFF_NOT_ALLOWED");
        let wrong = change_password(&kiosk, &admin, "not it", "new password 12", 4);
        assert_eq!(wrong.unwrap_err().code, "STAFF_LOGIN_FAILED");
        change_password(&kiosk, &admin, PASSWORD, "new password 12", 5).unwrap();
        login(&kiosk, "admin", "new password 12", 6).unwrap();
    }
}
