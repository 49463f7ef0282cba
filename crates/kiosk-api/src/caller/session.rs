//! Staff session limits: the idle and absolute limits and the re-authentication window, read
//! from the settings, and a session's state against them.

use crate::Kiosk;
use kiosk_core::Problem;
use kiosk_core::settings::{STAFF_IDLE_MIN, STAFF_MAX_HOURS, STAFF_REAUTH_MIN, Setting};
use serde::Serialize;
use ts_rs::TS;

/// The limits of a staff session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionLimits {
    /// Minutes without a staff action before the session ends.
    #[ts(type = "number")]
    pub idle_min: i64,
    /// Hours after sign-in at which the session ends.
    #[ts(type = "number")]
    pub max_hours: i64,
    /// Minutes a password re-entry keeps sensitive actions open.
    #[ts(type = "number")]
    pub reauth_min: i64,
}

impl Default for SessionLimits {
    /// The registry's defaults (10 minutes idle, 8 hours in all, 5 minutes after a re-entry).
    fn default() -> Self {
        Self {
            idle_min: STAFF_IDLE_MIN.number(None),
            max_hours: STAFF_MAX_HOURS.number(None),
            reauth_min: STAFF_REAUTH_MIN.number(None),
        }
    }
}

impl SessionLimits {
    /// The limits from the settings (`staff.*` in `kiosk_core::settings`): defaults for unset
    /// or unreadable values, others brought into the registry's range (each at least 1, idle
    /// at most 60 minutes and absolute at most 24 hours), so no setting turns expiry off.
    pub fn load(kiosk: &Kiosk) -> Result<Self, Problem> {
        let read = |setting: &Setting| -> Result<i64, Problem> {
            Ok(setting.number(kiosk.store().setting(setting.key)?.as_deref()))
        };
        Ok(Self {
            idle_min: read(&STAFF_IDLE_MIN)?,
            max_hours: read(&STAFF_MAX_HOURS)?,
            reauth_min: read(&STAFF_REAUTH_MIN)?,
        })
    }
}

/// Whether a staff session still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// In use.
    Live,
    /// No staff action for longer than the idle limit.
    Idle,
    /// Signed in longer ago than the absolute limit.
    TooOld,
}
