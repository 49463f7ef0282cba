//! The staff member signed in at this kiosk, kept in Rust: the web view never hands a
//! session back to us, it only asks who is signed in.

use std::sync::Mutex;

use kiosk_api::Problem;
use kiosk_api::staff::StaffSession;
use tauri::{AppHandle, Manager, Runtime, State};

/// Who is signed in, if anyone.
#[derive(Debug, Default)]
pub struct SignedIn(Mutex<Option<StaffSession>>);

fn broken() -> Problem {
    Problem::new(
        "SESSION_STATE_BROKEN",
        "终端的登录状态出错。请重启终端后重新登录。",
        "The kiosk's sign-in state is broken. Restart the kiosk and sign in again.",
    )
}

/// Refused because nobody or the wrong role is signed in.
pub fn not_allowed(role: &str) -> Problem {
    Problem::new(
        "STAFF_NOT_ALLOWED",
        format!("此操作需要「{role}」角色的工作人员登录。请让有权限的工作人员登录后再试。"),
        format!(
            "This needs a staff member with the \"{role}\" role. Ask one to sign in and try again."
        ),
    )
}

impl SignedIn {
    /// The signed-in staff member.
    pub fn current(&self) -> Result<Option<StaffSession>, Problem> {
        self.0.lock().map(|s| s.clone()).map_err(|_| broken())
    }

    /// Replaces the signed-in staff member (`None` signs out).
    pub fn set(&self, session: Option<StaffSession>) -> Result<(), Problem> {
        *self.0.lock().map_err(|_| broken())? = session;
        Ok(())
    }

    /// Who acts: the staff username, or `visitor` when nobody is signed in.
    pub fn actor(&self) -> Result<String, Problem> {
        Ok(self
            .current()?
            .map_or_else(|| "visitor".to_owned(), |s| s.username))
    }

    /// The signed-in staff member if they have `role`.
    pub fn require_role(&self, role: &str) -> Result<StaffSession, Problem> {
        match self.current()? {
            Some(session) if session.role == role => Ok(session),
            _ => Err(not_allowed(role)),
        }
    }
}

/// The sign-in state, registered with the app on first use.
pub fn signed_in<R: Runtime>(app: &AppHandle<R>) -> Result<State<'_, SignedIn>, Problem> {
    // `manage` keeps the first value registered for a type, so this is idempotent.
    app.manage(SignedIn::default());
    app.try_state::<SignedIn>().ok_or_else(broken)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn clerk(role: &str) -> StaffSession {
        StaffSession {
            username: "clerk".into(),
            display_name: "王工".into(),
            role: role.into(),
        }
    }

    #[test]
    fn visitor_acts_until_someone_signs_in() {
        let state = SignedIn::default();
        assert_eq!(state.actor().unwrap(), "visitor");
        state.set(Some(clerk("operator"))).unwrap();
        assert_eq!(state.actor().unwrap(), "clerk");
        state.set(None).unwrap();
        assert_eq!(
            state.current().unwrap(),
            None,
            "signing out forgets the session"
        );
    }

    #[test]
    fn admin_only_actions_refuse_operators_and_visitors() {
        let state = SignedIn::default();
        assert_eq!(
            state.require_role("admin").unwrap_err().code,
            "STAFF_NOT_ALLOWED"
        );
        state.set(Some(clerk("operator"))).unwrap();
        assert_eq!(
            state.require_role("admin").unwrap_err().code,
            "STAFF_NOT_ALLOWED"
        );
        state.set(Some(clerk("admin"))).unwrap();
        assert_eq!(state.require_role("admin").unwrap().username, "clerk");
    }
}
