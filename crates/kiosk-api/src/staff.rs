//! Staff accounts: first administrator from a one-time setup code, login with lockout,
//! adding accounts.
//!
//! The Tauri shell keeps the [`StaffSession`] returned by [`login`] in its own Rust state;
//! never accept a session object from the web view.

use kiosk_core::Problem;
use kiosk_store::{NewStaff, Role};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Kiosk;

/// A logged-in staff member.
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
    Role::parse(name).ok_or_else(|| {
        Problem::new(
            "STAFF_ROLE_UNKNOWN",
            format!("没有「{name}」这种角色（可用：operator、supervisor、admin）。"),
            format!("There is no role \"{name}\" (known: operator, supervisor, admin)."),
        )
        .at("role")
    })
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

/// Checks a login (five failures lock the account for 15 minutes).
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
    })
}

/// Adds an account; only an administrator may.
pub fn add(
    kiosk: &Kiosk,
    acting: &StaffSession,
    input: NewStaffInput,
    now: i64,
) -> Result<(), Problem> {
    if acting.role != Role::Admin.as_str() {
        return Err(Problem::new(
            "STAFF_NOT_ALLOWED",
            "只有管理员可以添加工作人员账号。",
            "Only an administrator may add staff accounts.",
        ));
    }
    let new = NewStaff {
        role: parse_role(&input.role)?,
        username: input.username,
        display_name: input.display_name,
        password: input.password,
    };
    Ok(kiosk.store().add_staff(new, &acting.username, now)?)
}

/// All accounts.
pub fn list(kiosk: &Kiosk) -> Result<Vec<StaffInfo>, Problem> {
    Ok(kiosk
        .store()
        .staff()?
        .into_iter()
        .map(|a| StaffInfo {
            username: a.username,
            display_name: a.display_name,
            role: a.role.as_str().to_owned(),
            locked_until: a.locked_until,
            disabled: a.disabled,
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn setup_code_admin_then_admin_adds_an_operator_who_cannot_add() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let code = issue_setup_code(&kiosk, 1).unwrap();
        create_first_admin(&kiosk, &code, "admin", "管理员", "a long admin password", 2).unwrap();
        let admin = login(&kiosk, "admin", "a long admin password", 3).unwrap();
        assert_eq!(admin.role, "admin");
        let input = NewStaffInput {
            username: "clerk".into(),
            display_name: "王工".into(),
            role: "operator".into(),
            password: "clerk password 1".into(),
        };
        add(&kiosk, &admin, input.clone(), 4).unwrap();
        let clerk = login(&kiosk, "clerk", "clerk password 1", 5).unwrap();
        let refused = add(
            &kiosk,
            &clerk,
            NewStaffInput {
                username: "x2".into(),
                ..input
            },
            6,
        );
        assert_eq!(refused.unwrap_err().code, "STAFF_NOT_ALLOWED");
        assert_eq!(list(&kiosk).unwrap().len(), 2);
        assert_eq!(parse_role("boss").unwrap_err().code, "STAFF_ROLE_UNKNOWN");
    }
}
