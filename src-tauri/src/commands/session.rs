//! The staff member signed in at this kiosk, kept in Rust: the web view never hands a
//! session back to us, it only asks who is signed in.
//!
//! Every IPC call passes [`admit`] first (see `commands::handler`): it builds the
//! [`Caller`] from this state (nobody signed in = visitor), ends a session past its idle or
//! absolute limit, and asks kiosk-api's permission table whether the command's
//! [`Action`](kiosk_api::caller::Action) may run. No role string is compared here.

use std::sync::Mutex;

use kiosk_api::caller::{
    Action, Caller, SessionLimits, SessionState, StaffCaller, session_expired,
};
use kiosk_api::staff::StaffSession;
use kiosk_api::{Problem, clock};
use tauri::{AppHandle, Manager, Runtime, State};

use super::action;
use crate::KioskState;

/// A signed-in staff member: what the screen shows and what the permission check needs.
#[derive(Debug, Clone)]
struct Session {
    shown: StaffSession,
    caller: StaffCaller,
}

/// Who is signed in, if anyone.
#[derive(Debug, Default)]
pub struct SignedIn(Mutex<Option<Session>>);

fn broken() -> Problem {
    kiosk_api::shell_error::ShellError::SessionStateBroken.into()
}

/// Actions that do not count as staff activity: the screens poll them on their own.
fn passive(action: Action) -> bool {
    matches!(action, Action::ViewHealth | Action::SignIn)
}

impl SignedIn {
    /// Starts a session for `caller` (the password was just checked).
    pub fn sign_in(&self, shown: StaffSession, caller: StaffCaller) -> Result<(), Problem> {
        *self.0.lock().map_err(|_| broken())? = Some(Session { shown, caller });
        Ok(())
    }

    /// Signs out.
    pub fn sign_out(&self) -> Result<(), Problem> {
        *self.0.lock().map_err(|_| broken())? = None;
        Ok(())
    }

    /// The password was entered again at `now`: sensitive actions run for a while.
    pub fn reauthed(&self, now: i64) -> Result<(), Problem> {
        match self.0.lock().map_err(|_| broken())?.as_mut() {
            Some(session) => {
                session.caller.reauthed_at = now;
                session.caller.last_active = now;
                Ok(())
            }
            None => Err(session_expired()),
        }
    }

    /// Who calls at `now`, without checking any action: ends an expired session first.
    pub fn caller_at(&self, limits: &SessionLimits, now: i64) -> Result<Caller, Problem> {
        let mut slot = self.0.lock().map_err(|_| broken())?;
        if let Some(session) = slot.as_ref()
            && session.caller.state(limits, now) != SessionState::Live
        {
            log::info!("staff session ended by its time limits");
            *slot = None;
        }
        Ok(slot
            .as_ref()
            .map_or(Caller::Visitor, |s| Caller::Staff(s.caller.clone())))
    }

    /// The signed-in staff member as the screen shows them, with when the session ends.
    pub fn shown_at(
        &self,
        limits: &SessionLimits,
        now: i64,
    ) -> Result<Option<StaffSession>, Problem> {
        self.caller_at(limits, now)?;
        let slot = self.0.lock().map_err(|_| broken())?;
        Ok(slot.as_ref().map(|s| StaffSession {
            expires_at: Some(s.caller.expires_at(limits)),
            reauth_until: Some(s.caller.reauth_until(limits)),
            ..s.shown.clone()
        }))
    }

    /// Checks that the current caller may run `action` at `now`, and counts it as activity.
    /// A staff session that just ended answers `SESSION_EXPIRED` for staff actions; actions
    /// open to visitors run as a visitor.
    pub fn admit(
        &self,
        action: Action,
        limits: &SessionLimits,
        now: i64,
    ) -> Result<Caller, Problem> {
        let was_signed_in = self.0.lock().map_err(|_| broken())?.is_some();
        let caller = self.caller_at(limits, now)?;
        if was_signed_in && caller == Caller::Visitor && !Caller::Visitor.may(action) {
            return Err(session_expired());
        }
        caller.require(action, limits, now)?;
        if !passive(action)
            && let Some(session) = self.0.lock().map_err(|_| broken())?.as_mut()
        {
            session.caller.last_active = now;
        }
        Ok(caller)
    }
}

/// The sign-in state, registered with the app on first use.
pub fn signed_in<R: Runtime>(app: &AppHandle<R>) -> Result<State<'_, SignedIn>, Problem> {
    // `manage` keeps the first value registered for a type, so this is idempotent.
    app.manage(SignedIn::default());
    app.try_state::<SignedIn>().ok_or_else(broken)
}

/// The session limits from the kiosk's settings (the defaults when the kiosk did not open).
pub fn limits<R: Runtime>(app: &AppHandle<R>) -> SessionLimits {
    app.try_state::<KioskState>()
        .and_then(|state| state.kiosk().ok().map(SessionLimits::load))
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// Who calls now (after [`admit`] let the command run).
pub fn caller<R: Runtime>(app: &AppHandle<R>) -> Result<Caller, Problem> {
    signed_in(app)?.caller_at(&limits(app), clock::now_ms())
}

/// The permission check every IPC command passes before it runs.
pub fn admit<R: Runtime>(app: &AppHandle<R>, command: &str) -> Result<(), Problem> {
    // Unknown names are refused by Tauri's ACL; they never reach a command.
    let Some(action) = action(command) else {
        return Ok(());
    };
    signed_in(app)?.admit(action, &limits(app), clock::now_ms())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use kiosk_api::Role;

    use super::*;

    const T0: i64 = 1_780_000_000_000;
    const MIN: i64 = 60_000;

    fn sign_in(state: &SignedIn, role: Role, at: i64) {
        let shown = StaffSession {
            username: "clerk".into(),
            display_name: "王工".into(),
            role: role.as_str().into(),
            expires_at: None,
            reauth_until: None,
        };
        state
            .sign_in(shown, StaffCaller::signed_in("clerk", role, at))
            .unwrap();
    }

    #[test]
    fn visitor_acts_until_someone_signs_in() {
        let state = SignedIn::default();
        let limits = SessionLimits::default();
        assert_eq!(state.caller_at(&limits, T0).unwrap(), Caller::Visitor);
        sign_in(&state, Role::Operator, T0);
        assert_eq!(state.caller_at(&limits, T0).unwrap().actor(), "clerk");
        state.sign_out().unwrap();
        assert_eq!(state.shown_at(&limits, T0).unwrap(), None);
    }

    #[test]
    fn an_idle_session_ends_and_staff_actions_say_so() {
        let state = SignedIn::default();
        let limits = SessionLimits::default();
        sign_in(&state, Role::Operator, T0);
        state
            .admit(Action::ViewQueue, &limits, T0 + 9 * MIN)
            .unwrap();
        // Activity at 9 minutes moved the idle limit: 18 minutes is still within it.
        state
            .admit(Action::ViewQueue, &limits, T0 + 18 * MIN)
            .unwrap();
        // Polling does not keep a session alive.
        state
            .admit(Action::ViewHealth, &limits, T0 + 27 * MIN)
            .unwrap();
        let ended = state
            .admit(Action::ViewQueue, &limits, T0 + 29 * MIN)
            .unwrap_err();
        assert_eq!(ended.code, "SESSION_EXPIRED");
        assert_eq!(state.shown_at(&limits, T0 + 29 * MIN).unwrap(), None);
        let after = state
            .admit(Action::ViewQueue, &limits, T0 + 30 * MIN)
            .unwrap_err();
        assert_eq!(after.code, "STAFF_NOT_ALLOWED", "signed out by then");
    }

    #[test]
    fn an_expired_session_still_lets_visitor_actions_run_as_a_visitor() {
        let state = SignedIn::default();
        let limits = SessionLimits::default();
        sign_in(&state, Role::Admin, T0);
        let caller = state
            .admit(Action::UseWizard, &limits, T0 + 11 * MIN)
            .unwrap();
        assert_eq!(caller, Caller::Visitor);
    }

    #[test]
    fn sensitive_actions_need_a_fresh_password() {
        let state = SignedIn::default();
        let limits = SessionLimits::default();
        sign_in(&state, Role::Admin, T0);
        state
            .admit(Action::ChangeSettings, &limits, T0 + MIN)
            .unwrap();
        let refused = state
            .admit(Action::ChangeSettings, &limits, T0 + 6 * MIN)
            .unwrap_err();
        assert_eq!(refused.code, "REAUTH_REQUIRED");
        state.reauthed(T0 + 6 * MIN).unwrap();
        state
            .admit(Action::ChangeSettings, &limits, T0 + 7 * MIN)
            .unwrap();
        let shown = state.shown_at(&limits, T0 + 7 * MIN).unwrap().unwrap();
        assert_eq!(shown.reauth_until, Some(T0 + 11 * MIN));
        assert_eq!(shown.expires_at, Some(T0 + 17 * MIN));
    }
}
