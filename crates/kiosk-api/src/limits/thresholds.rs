//! The limits' thresholds: their settings, defaults and allowed ranges, and reading them.

use super::{
    SETTING_MAX_DAYS_WITHOUT_SYNC, SETTING_MAX_DAYS_WITHOUT_UPDATE_CHECK, SETTING_MAX_UNSENT,
    SETTING_MIN_FREE_DISK_MB, SETTING_SYNC_HEALTH_MINUTES,
};
use crate::Kiosk;
use kiosk_core::Problem;
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

/// One threshold: its field (camelCase, as on screen), stored key, labels and accepted range.
pub(super) struct Threshold {
    field: &'static str,
    key: &'static str,
    label: (&'static str, &'static str),
    range: (i64, i64),
    read: fn(&LimitSettings) -> i64,
    write: fn(&mut LimitSettings, i64),
}

/// Every threshold with the range an administrator may set.
pub(super) const THRESHOLDS: [Threshold; 5] = [
    Threshold {
        field: "limits.maxDaysWithoutSync",
        key: SETTING_MAX_DAYS_WITHOUT_SYNC,
        label: ("未同步或导出的最长天数", "most days without sync or export"),
        range: (1, 90),
        read: |s| s.max_days_without_sync,
        write: |s, v| s.max_days_without_sync = v,
    },
    Threshold {
        field: "limits.maxUnsent",
        key: SETTING_MAX_UNSENT,
        label: ("未送达申请的最多份数", "most unsent applications"),
        range: (1, 100_000),
        read: |s| s.max_unsent,
        write: |s, v| s.max_unsent = v,
    },
    Threshold {
        field: "limits.maxDaysWithoutUpdateCheck",
        key: SETTING_MAX_DAYS_WITHOUT_UPDATE_CHECK,
        label: ("未检查更新的最长天数", "most days without an update check"),
        range: (1, 365),
        read: |s| s.max_days_without_update_check,
        write: |s, v| s.max_days_without_update_check = v,
    },
    Threshold {
        field: "limits.minFreeDiskMb",
        key: SETTING_MIN_FREE_DISK_MB,
        label: ("最少剩余磁盘（MB）", "least free disk (MB)"),
        range: (100, 1_000_000),
        read: |s| s.min_free_disk_mb,
        write: |s, v| s.min_free_disk_mb = v,
    },
    Threshold {
        field: "limits.syncHealthMinutes",
        key: SETTING_SYNC_HEALTH_MINUTES,
        label: ("同步停滞提醒（分钟）", "sync-stalled warning (minutes)"),
        range: (5, 10_080),
        read: |s| s.sync_health_minutes,
        write: |s, v| s.sync_health_minutes = v,
    },
];

impl LimitSettings {
    /// Checks every threshold against its accepted range; the problem names the field
    /// (`limits.maxUnsent`).
    pub fn validate(&self) -> Result<(), Problem> {
        for t in &THRESHOLDS {
            let value = (t.read)(self);
            let (low, high) = t.range;
            if !(low..=high).contains(&value) {
                return Err(Problem::new(
                    "SETTING_INVALID",
                    format!("{}须在 {low} 到 {high} 之间，而不是 {value}。", t.label.0),
                    format!(
                        "The {} must be between {low} and {high}, not {value}.",
                        t.label.1
                    ),
                )
                .at(t.field));
            }
        }
        Ok(())
    }

    /// The stored keys and values.
    pub fn stored(&self) -> Vec<(&'static str, String)> {
        THRESHOLDS
            .iter()
            .map(|t| (t.key, (t.read)(self).to_string()))
            .collect()
    }

    /// Sets the threshold named by its field (`limits.maxUnsent`) or stored key
    /// (`limits.max_unsent`); `false` when no threshold has that name. The value is checked
    /// by [`LimitSettings::validate`].
    pub fn set_by_name(&mut self, name: &str, value: i64) -> bool {
        match THRESHOLDS.iter().find(|t| t.field == name || t.key == name) {
            Some(threshold) => {
                (threshold.write)(self, value);
                true
            }
            None => false,
        }
    }

    /// The names [`LimitSettings::set_by_name`] accepts (camelCase fields).
    pub fn names() -> impl Iterator<Item = &'static str> {
        THRESHOLDS.iter().map(|t| t.field)
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            max_days_without_sync: 7,
            max_unsent: 500,
            max_days_without_update_check: 30,
            min_free_disk_mb: 1024,
            sync_health_minutes: 60,
        }
    }
}

pub(super) fn setting_i64(kiosk: &Kiosk, key: &str) -> Result<Option<i64>, Problem> {
    Ok(kiosk
        .store()
        .setting(key)?
        .and_then(|v| v.trim().parse().ok()))
}

/// The thresholds in the settings (defaults where unset).
pub fn settings(kiosk: &Kiosk) -> Result<LimitSettings, Problem> {
    let d = LimitSettings::default();
    let positive = |key: &str, default: i64| -> Result<i64, Problem> {
        Ok(setting_i64(kiosk, key)?
            .filter(|v| *v > 0)
            .unwrap_or(default))
    };
    Ok(LimitSettings {
        max_days_without_sync: positive(SETTING_MAX_DAYS_WITHOUT_SYNC, d.max_days_without_sync)?,
        max_unsent: positive(SETTING_MAX_UNSENT, d.max_unsent)?,
        max_days_without_update_check: positive(
            SETTING_MAX_DAYS_WITHOUT_UPDATE_CHECK,
            d.max_days_without_update_check,
        )?,
        min_free_disk_mb: positive(SETTING_MIN_FREE_DISK_MB, d.min_free_disk_mb)?,
        sync_health_minutes: positive(SETTING_SYNC_HEALTH_MINUTES, d.sync_health_minutes)?,
    })
}
