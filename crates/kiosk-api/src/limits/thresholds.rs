//! The limits' thresholds: settings `limits.*` of the registry (`kiosk_core::settings`, where
//! their defaults and accepted ranges are declared), read into one record.

use crate::Kiosk;
use kiosk_core::Problem;
use kiosk_core::settings::{
    MAX_DAYS_WITHOUT_SYNC, MAX_DAYS_WITHOUT_UPDATE_CHECK, MAX_UNSENT, MIN_FREE_DISK_MB,
    SYNC_HEALTH_MINUTES, Setting,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The thresholds (part of the kiosk's settings, `limits.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LimitSettings {
    /// Most days without a successful sync or export.
    #[ts(type = "number")]
    pub max_days_without_sync: i64,
    /// Most unsent applications.
    #[ts(type = "number")]
    pub max_unsent: i64,
    /// Most days without an update check.
    #[ts(type = "number")]
    pub max_days_without_update_check: i64,
    /// Least free disk, MiB.
    #[ts(type = "number")]
    pub min_free_disk_mb: i64,
    /// Minutes without a successful sync before sync health warns.
    #[ts(type = "number")]
    pub sync_health_minutes: i64,
}

/// One threshold: its registry entry and its field of [`LimitSettings`].
struct Threshold {
    setting: &'static Setting,
    read: fn(&LimitSettings) -> i64,
    write: fn(&mut LimitSettings, i64),
}

/// Every threshold, in the order the settings screen shows them.
const THRESHOLDS: [Threshold; 5] = [
    Threshold {
        setting: &MAX_DAYS_WITHOUT_SYNC,
        read: |s| s.max_days_without_sync,
        write: |s, v| s.max_days_without_sync = v,
    },
    Threshold {
        setting: &MAX_UNSENT,
        read: |s| s.max_unsent,
        write: |s, v| s.max_unsent = v,
    },
    Threshold {
        setting: &MAX_DAYS_WITHOUT_UPDATE_CHECK,
        read: |s| s.max_days_without_update_check,
        write: |s, v| s.max_days_without_update_check = v,
    },
    Threshold {
        setting: &MIN_FREE_DISK_MB,
        read: |s| s.min_free_disk_mb,
        write: |s, v| s.min_free_disk_mb = v,
    },
    Threshold {
        setting: &SYNC_HEALTH_MINUTES,
        read: |s| s.sync_health_minutes,
        write: |s, v| s.sync_health_minutes = v,
    },
];

impl LimitSettings {
    /// Checks every threshold against its accepted range; the problem names the field
    /// (`limits.maxUnsent`).
    pub fn validate(&self) -> Result<(), Problem> {
        for t in &THRESHOLDS {
            t.setting
                .check(t.setting.name, &(t.read)(self).to_string())?;
        }
        Ok(())
    }

    /// The stored keys and values.
    pub fn stored(&self) -> Vec<(&'static str, String)> {
        THRESHOLDS
            .iter()
            .map(|t| (t.setting.key, (t.read)(self).to_string()))
            .collect()
    }

    /// The thresholds as read from stored texts (`stored(key)`); values that no longer pass
    /// fall back to their defaults.
    fn from_stored(stored: impl Fn(&str) -> Option<String>) -> Self {
        let mut limits = Self {
            max_days_without_sync: 0,
            max_unsent: 0,
            max_days_without_update_check: 0,
            min_free_disk_mb: 0,
            sync_health_minutes: 0,
        };
        for t in &THRESHOLDS {
            (t.write)(
                &mut limits,
                t.setting.number(stored(t.setting.key).as_deref()),
            );
        }
        limits
    }
}

impl Default for LimitSettings {
    /// The registry's defaults.
    fn default() -> Self {
        Self::from_stored(|_| None)
    }
}

pub(super) fn setting_i64(kiosk: &Kiosk, key: &str) -> Result<Option<i64>, Problem> {
    Ok(kiosk
        .store()
        .setting(key)?
        .and_then(|v| v.trim().parse().ok()))
}

/// The thresholds in the settings (defaults where unset or no longer valid).
pub fn settings(kiosk: &Kiosk) -> Result<LimitSettings, Problem> {
    let mut stored = std::collections::HashMap::new();
    for t in &THRESHOLDS {
        stored.insert(t.setting.key, kiosk.store().setting(t.setting.key)?);
    }
    Ok(LimitSettings::from_stored(|key| {
        stored.get(key).cloned().flatten()
    }))
}
