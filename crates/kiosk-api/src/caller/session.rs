//! Staff session limits: the idle and absolute limits and the re-authentication window, read
//! from the settings, and a session's state against them.

use super::{SETTING_STAFF_IDLE_MIN, SETTING_STAFF_MAX_HOURS, SETTING_STAFF_REAUTH_MIN};
use crate::Kiosk;
use kiosk_core::Problem;
use serde::Serialize;
use ts_rs::TS;

/// Default idle limit of a staff session, minutes.
pub const DEFAULT_IDLE_MIN: i64 = 10;
/// Default absolute limit of a staff session, hours.
pub const DEFAULT_MAX_HOURS: i64 = 8;
/// Default window after a password re-entry in which sensitive actions run, minutes.
pub const DEFAULT_REAUTH_MIN: i64 = 5;

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
    fn default() -> Self {
        Self {
            idle_min: DEFAULT_IDLE_MIN,
            max_hours: DEFAULT_MAX_HOURS,
            reauth_min: DEFAULT_REAUTH_MIN,
        }
    }
}

impl SessionLimits {
    /// The limits from the settings (defaults for unset or unreadable values; each at least 1,
    /// idle at most 60 minutes and absolute at most 24 hours, so no setting turns expiry off).
    pub fn load(kiosk: &Kiosk) -> Result<Self, Problem> {
        let read = |key: &str, default: i64, max: i64| -> Result<i64, Problem> {
            let stored = kiosk.store().setting(key)?;
            Ok(stored
                .and_then(|v| v.trim().parse::<i64>().ok())
                .unwrap_or(default)
                .clamp(1, max))
        };
        Ok(Self {
            idle_min: read(SETTING_STAFF_IDLE_MIN, DEFAULT_IDLE_MIN, 60)?,
            max_hours: read(SETTING_STAFF_MAX_HOURS, DEFAULT_MAX_HOURS, 24)?,
            reauth_min: read(SETTING_STAFF_REAUTH_MIN, DEFAULT_REAUTH_MIN, 60)?,
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
