//! Who may do what: the one permission table of the kiosk.
//!
//! Every front door turns its own notion of "who is asking" into a [`Caller`] and asks
//! [`Caller::require`] before it runs a use case: the Tauri shell builds the caller from the
//! staff session it keeps in Rust (nobody signed in = [`Caller::Visitor`]), `kioskctl` is
//! [`Caller::CliOperator`]. The shell compares no role strings of its own.
//!
//! [`PERMISSIONS`] is the single declaration of which caller may run which [`Action`];
//! `docs/security.md` ("Who may do what") repeats it per IPC command and per kioskctl
//! subcommand, and a test parses that document so the two cannot drift.
//!
//! Staff sessions end after an idle limit and an absolute limit ([`SessionLimits`]); the
//! sensitive actions ([`Action::needs_reauth`]) also need the password to have been entered
//! again within the last few minutes.

use kiosk_core::Problem;
pub use kiosk_store::Role;

use crate::Kiosk;

const MINUTE_MS: i64 = 60_000;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A member of the public at the screen (nobody signed in).
    Visitor,
    /// A signed-in staff member.
    Staff(StaffCaller),
    /// `kioskctl`, run by the machine's operator account. Whoever runs it can already read
    /// the data directory, so it may run every subcommand `kioskctl` offers; it is audited as
    /// `kioskctl`, and review decisions still name a supervisor whose password is checked.
    CliOperator,
}

/// A signed-in staff member and the times that decide whether the session still holds.
#[derive(Clone, PartialEq, Eq)]
pub struct StaffCaller {
    /// Login name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Sign-in time, Unix ms.
    pub signed_in_at: i64,
    /// Last staff action, Unix ms.
    pub last_active: i64,
    /// Last time the password was entered (sign-in or re-authentication), Unix ms.
    pub reauthed_at: i64,
}

impl std::fmt::Debug for StaffCaller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffCaller")
            .field("username", &self.username)
            .field("role", &self.role.as_str())
            .finish_non_exhaustive()
    }
}

mod error;
mod permissions;
mod session;
pub use error::{CallerError, not_allowed, reauth_required, session_expired};
pub use permissions::{Action, PERMISSIONS, Who};
pub use session::{SessionLimits, SessionState};

impl StaffCaller {
    /// A session that starts now (the password was just entered).
    pub fn signed_in(username: impl Into<String>, role: Role, now: i64) -> Self {
        Self {
            username: username.into(),
            role,
            signed_in_at: now,
            last_active: now,
            reauthed_at: now,
        }
    }

    /// Whether the session still holds at `now`.
    pub fn state(&self, limits: &SessionLimits, now: i64) -> SessionState {
        if now.saturating_sub(self.signed_in_at) > limits.max_hours * 60 * MINUTE_MS {
            SessionState::TooOld
        } else if now.saturating_sub(self.last_active) > limits.idle_min * MINUTE_MS {
            SessionState::Idle
        } else {
            SessionState::Live
        }
    }

    /// When the session ends if nothing happens, Unix ms.
    pub fn expires_at(&self, limits: &SessionLimits) -> i64 {
        (self.last_active + limits.idle_min * MINUTE_MS)
            .min(self.signed_in_at + limits.max_hours * 60 * MINUTE_MS)
    }

    /// Until when sensitive actions run without entering the password again, Unix ms.
    pub fn reauth_until(&self, limits: &SessionLimits) -> i64 {
        self.reauthed_at + limits.reauth_min * MINUTE_MS
    }
}

impl Caller {
    /// The column of the permission table this caller falls in.
    pub fn who(&self) -> Who {
        match self {
            Self::Visitor => Who::Visitor,
            Self::CliOperator => Who::Cli,
            Self::Staff(staff) => match staff.role {
                Role::Operator => Who::Operator,
                Role::Supervisor => Who::Supervisor,
                Role::Admin => Who::Admin,
            },
        }
    }

    /// The name written to the audit log: the staff username, `visitor` or `kioskctl`.
    pub fn actor(&self) -> &str {
        match self {
            Self::Visitor => "visitor",
            Self::CliOperator => "kioskctl",
            Self::Staff(staff) => &staff.username,
        }
    }

    /// Whether the permission table lets this caller run `action` (ignoring session times).
    pub fn may(&self, action: Action) -> bool {
        action.allowed().contains(&self.who())
    }

    /// Checks, at `now`, that this caller may run `action`: the permission table first, then
    /// for staff the session limits and, for sensitive actions, the re-authentication window.
    ///
    /// The front door ends an expired session itself (see [`SessionState`]); here an expired
    /// session is refused with `SESSION_EXPIRED`.
    pub fn require(&self, action: Action, limits: &SessionLimits, now: i64) -> Result<(), Problem> {
        if let Self::Staff(staff) = self
            && staff.state(limits, now) != SessionState::Live
        {
            return Err(session_expired());
        }
        if !self.may(action) {
            return Err(not_allowed(action));
        }
        if let Self::Staff(staff) = self
            && action.needs_reauth()
            && now > staff.reauth_until(limits)
        {
            return Err(reauth_required(limits.reauth_min));
        }
        Ok(())
    }
}

/// The check at the top of a use case: `caller` may run `action` at `now` under the kiosk's
/// session limits.
pub fn check(kiosk: &Kiosk, caller: &Caller, action: Action, now: i64) -> Result<(), Problem> {
    match caller {
        // Only staff sessions have limits: skip the settings read for everyone else.
        Caller::Staff(_) => caller.require(action, &SessionLimits::load(kiosk)?, now),
        _ => caller.require(action, &SessionLimits::default(), now),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const T0: i64 = 1_780_000_000_000;

    fn staff(role: Role) -> Caller {
        Caller::Staff(StaffCaller::signed_in("li", role, T0))
    }

    #[test]
    fn every_action_has_exactly_one_row() {
        use std::collections::HashSet;
        let rows: HashSet<_> = PERMISSIONS.iter().map(|(a, _)| *a).collect();
        assert_eq!(rows.len(), PERMISSIONS.len(), "an action is listed twice");
        assert!(!Action::SetUp.allowed().is_empty());
    }

    #[test]
    fn visitors_fill_in_forms_but_never_see_the_queue() {
        let limits = SessionLimits::default();
        let visitor = Caller::Visitor;
        visitor.require(Action::UseWizard, &limits, T0).unwrap();
        for action in [
            Action::ViewQueue,
            Action::RunQueue,
            Action::Enrol,
            Action::ChangeSettings,
        ] {
            let refused = visitor.require(action, &limits, T0).unwrap_err();
            assert_eq!(refused.code, "STAFF_NOT_ALLOWED", "{action:?}");
        }
    }

    #[test]
    fn only_admins_and_the_cli_manage_staff_and_only_the_cli_sets_up() {
        let limits = SessionLimits::default();
        assert!(staff(Role::Admin).may(Action::ManageStaff));
        assert!(!staff(Role::Supervisor).may(Action::ManageStaff));
        assert!(Caller::CliOperator.may(Action::ManageStaff));
        let refused = staff(Role::Admin)
            .require(Action::SetUp, &limits, T0)
            .unwrap_err();
        assert!(refused.en.contains("kioskctl"), "{refused:?}");
    }

    #[test]
    fn an_idle_staff_session_ends_with_a_moved_clock() {
        let limits = SessionLimits::default();
        let clerk = staff(Role::Operator);
        let nine_min = T0 + 9 * MINUTE_MS;
        clerk.require(Action::ViewQueue, &limits, nine_min).unwrap();
        let eleven_min = T0 + 11 * MINUTE_MS;
        let Caller::Staff(session) = &clerk else {
            unreachable!()
        };
        assert_eq!(session.state(&limits, eleven_min), SessionState::Idle);
        let refused = clerk
            .require(Action::ViewQueue, &limits, eleven_min)
            .unwrap_err();
        assert_eq!(refused.code, "SESSION_EXPIRED");
        assert_eq!(session.expires_at(&limits), T0 + 10 * MINUTE_MS);
    }

    #[test]
    fn an_active_session_still_ends_at_the_absolute_limit() {
        let limits = SessionLimits::default();
        let mut session = StaffCaller::signed_in("li", Role::Operator, T0);
        let late = T0 + 8 * 60 * MINUTE_MS + 1;
        session.last_active = late - 1;
        assert_eq!(session.state(&limits, late), SessionState::TooOld);
        let refused = Caller::Staff(session)
            .require(Action::ViewQueue, &limits, late)
            .unwrap_err();
        assert_eq!(refused.code, "SESSION_EXPIRED");
    }

    #[test]
    fn sensitive_actions_need_the_password_within_the_window() {
        let limits = SessionLimits::default();
        let mut session = StaffCaller::signed_in("admin", Role::Admin, T0);
        let later = T0 + 6 * MINUTE_MS;
        session.last_active = later;
        let admin = Caller::Staff(session.clone());
        admin.require(Action::ViewQueue, &limits, later).unwrap();
        let refused = admin
            .require(Action::ChangeSettings, &limits, later)
            .unwrap_err();
        assert_eq!(refused.code, "REAUTH_REQUIRED");
        session.reauthed_at = later;
        Caller::Staff(session)
            .require(Action::ChangeSettings, &limits, later)
            .unwrap();
        Caller::CliOperator
            .require(Action::ChangeSettings, &limits, later)
            .unwrap();
    }

    #[test]
    fn limits_come_from_settings_and_cannot_switch_expiry_off() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        assert_eq!(
            SessionLimits::load(&kiosk).unwrap(),
            SessionLimits::default()
        );
        kiosk
            .store()
            .set_setting(kiosk_core::settings::STAFF_IDLE_MIN.key, "0")
            .unwrap();
        kiosk
            .store()
            .set_setting(kiosk_core::settings::STAFF_MAX_HOURS.key, "1000")
            .unwrap();
        let limits = SessionLimits::load(&kiosk).unwrap();
        assert_eq!(limits.idle_min, 1);
        assert_eq!(limits.max_hours, 24);
    }

    #[test]
    fn kioskctl_sets_the_session_limits_and_visitors_cannot() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        crate::settings::set_one(&kiosk, &Caller::CliOperator, "staff.idle_min", "3", 1).unwrap();
        assert_eq!(SessionLimits::load(&kiosk).unwrap().idle_min, 3);
        let refused = crate::settings::set_one(&kiosk, &Caller::Visitor, "staff.idle_min", "60", 2);
        assert_eq!(refused.unwrap_err().code, "STAFF_NOT_ALLOWED");
        let bad = crate::settings::set_one(&kiosk, &Caller::CliOperator, "staffIdleMin", "0", 3);
        assert_eq!(bad.unwrap_err().code, "SETTING_INVALID");
    }

    #[test]
    fn debug_shows_no_session_times() {
        let shown = format!("{:?}", StaffCaller::signed_in("li", Role::Admin, T0));
        assert!(
            shown.contains("li") && !shown.contains(&T0.to_string()),
            "{shown}"
        );
    }
}
