//! Operating limits and sync health.
//!
//! A kiosk that has not delivered (sync or offline export) for too long, has too much unsent
//! work, has not checked for updates for too long or runs out of disk stops taking NEW
//! applications — with a clear explanation — while everything already queued keeps syncing
//! and nothing is deleted. Each limit is shown (value, threshold, state) on the home screen
//! before it bites: `warning` at 80 % of the way, `reached` at the threshold.
//!
//! Thresholds are settings (`limits.*`); the rule itself ([`evaluate`]) is pure, so every
//! limit is tested without waiting days or filling a disk.

use serde::Serialize;
use ts_rs::TS;

mod on_kiosk;
mod rule;
mod thresholds;
pub use on_kiosk::{LimitError, check, inputs, refusal, refuse_new_work, sync_health};
pub use rule::{LimitInputs, evaluate, evaluate_sync_health};
pub use thresholds::{LimitSettings, settings};

/// Setting written by the updater after each update check, Unix ms.
pub const SETTING_LAST_UPDATE_CHECK: &str = kiosk_core::settings::LAST_UPDATE_CHECK.key;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const MINUTE_MS: i64 = 60 * 1000;
const MIB: u64 = 1024 * 1024;

/// Where a limit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LimitState {
    /// Well within.
    Ok,
    /// Getting close: act soon.
    Warning,
    /// Reached: new applications are refused.
    Reached,
}

/// Which limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LimitKind {
    /// Days since the last successful sync or export.
    DaysWithoutSync,
    /// Applications waiting to be sent.
    UnsentApplications,
    /// Days since the last update check.
    DaysWithoutUpdateCheck,
    /// Free disk space, MiB.
    FreeDiskMb,
}

/// One limit: its value, threshold and state, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LimitStatus {
    /// Which limit.
    pub kind: LimitKind,
    /// The current value (`null` when unknown, e.g. never checked for updates).
    #[ts(type = "number | null")]
    pub value: Option<i64>,
    /// The configured threshold (a maximum, or the minimum for free disk).
    #[ts(type = "number")]
    pub threshold: i64,
    /// State.
    pub state: LimitState,
    /// What it means and what to do, in Chinese.
    pub zh: String,
    /// The same in English.
    pub en: String,
}

/// Sync health: whether automatic sync has stalled while the network is up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncHealth {
    /// `ok` or `warning` (sync health never blocks work).
    pub state: LimitState,
    /// Whether the network is up, as far as the sync worker knows.
    pub online: bool,
    /// The last successful sync, Unix ms.
    #[ts(type = "number | null")]
    pub last_success_at: Option<i64>,
    /// Minutes since then (`null` when never).
    #[ts(type = "number | null")]
    pub minutes_since_success: Option<i64>,
    /// The warning threshold in minutes.
    #[ts(type = "number")]
    pub threshold_minutes: i64,
    /// The last error the worker met.
    pub last_error: Option<String>,
    /// Applications waiting to be sent.
    #[ts(type = "number")]
    pub unsent: u64,
}

/// All limits, for the home screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LimitsReport {
    /// Every limit.
    pub limits: Vec<LimitStatus>,
    /// Whether new applications are taken (no limit reached).
    pub accepting_new: bool,
    /// The worst state of all.
    pub state: LimitState,
    /// Sync health.
    pub sync_health: SyncHealth,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;

    fn healthy() -> LimitInputs {
        LimitInputs {
            last_sync_at: Some(NOW - 1000),
            last_export_at: None,
            oldest_unsent_at: Some(NOW - 1000),
            unsent: 3,
            last_update_check_at: Some(NOW - DAY_MS),
            free_disk_bytes: Some(50_000 * MIB),
            online: true,
            last_error: None,
        }
    }

    fn state_of(report: &LimitsReport, kind: LimitKind) -> LimitState {
        report.limits.iter().find(|l| l.kind == kind).unwrap().state
    }

    #[test]
    fn a_healthy_kiosk_accepts_new_work() {
        let report = evaluate(&LimitSettings::default(), &healthy(), NOW);
        assert!(report.accepting_new);
        assert_eq!(report.state, LimitState::Ok, "{report:?}");
        assert!(refusal(&report).is_ok());
    }

    #[test]
    fn days_without_sync_warn_then_reach_and_export_counts_as_delivery() {
        let s = LimitSettings::default(); // 7 days
        let mut i = healthy();
        i.last_sync_at = Some(NOW - 6 * DAY_MS);
        let r = evaluate(&s, &i, NOW);
        assert_eq!(
            state_of(&r, LimitKind::DaysWithoutSync),
            LimitState::Warning
        );
        i.last_sync_at = Some(NOW - 7 * DAY_MS);
        let r = evaluate(&s, &i, NOW);
        assert_eq!(
            state_of(&r, LimitKind::DaysWithoutSync),
            LimitState::Reached
        );
        let refused = refusal(&r).unwrap_err();
        assert_eq!(refused.code, "LIMIT_REACHED");
        assert!(
            refused.zh.contains("导出"),
            "says what to do: {}",
            refused.zh
        );
        i.last_export_at = Some(NOW - DAY_MS);
        let r = evaluate(&s, &i, NOW);
        assert_eq!(
            state_of(&r, LimitKind::DaysWithoutSync),
            LimitState::Ok,
            "an export is a delivery"
        );
    }

    #[test]
    fn never_synced_counts_from_the_oldest_unsent_application() {
        let mut i = healthy();
        i.last_sync_at = None;
        i.oldest_unsent_at = None;
        let r = evaluate(&LimitSettings::default(), &i, NOW);
        assert_eq!(state_of(&r, LimitKind::DaysWithoutSync), LimitState::Ok);
        i.oldest_unsent_at = Some(NOW - 8 * DAY_MS);
        let r = evaluate(&LimitSettings::default(), &i, NOW);
        assert_eq!(
            state_of(&r, LimitKind::DaysWithoutSync),
            LimitState::Reached
        );
    }

    #[test]
    fn unsent_applications_limit() {
        let s = LimitSettings {
            max_unsent: 10,
            ..LimitSettings::default()
        };
        let mut i = healthy();
        for (unsent, want) in [
            (7, LimitState::Ok),
            (8, LimitState::Warning),
            (10, LimitState::Reached),
        ] {
            i.unsent = unsent;
            let r = evaluate(&s, &i, NOW);
            assert_eq!(
                state_of(&r, LimitKind::UnsentApplications),
                want,
                "{unsent} unsent"
            );
        }
    }

    #[test]
    fn update_check_limit_and_never_checked_warns_without_blocking() {
        let mut i = healthy();
        i.last_update_check_at = Some(NOW - 30 * DAY_MS);
        let r = evaluate(&LimitSettings::default(), &i, NOW);
        assert_eq!(
            state_of(&r, LimitKind::DaysWithoutUpdateCheck),
            LimitState::Reached
        );
        i.last_update_check_at = None;
        let r = evaluate(&LimitSettings::default(), &i, NOW);
        assert_eq!(
            state_of(&r, LimitKind::DaysWithoutUpdateCheck),
            LimitState::Warning
        );
        assert!(r.accepting_new);
    }

    #[test]
    fn free_disk_limit() {
        let mut i = healthy();
        for (mb, want) in [
            (5000, LimitState::Ok),
            (1500, LimitState::Warning),
            (1000, LimitState::Reached),
        ] {
            i.free_disk_bytes = Some(mb * MIB);
            let r = evaluate(&LimitSettings::default(), &i, NOW);
            assert_eq!(state_of(&r, LimitKind::FreeDiskMb), want, "{mb} MB free");
        }
    }

    #[test]
    fn sync_health_warns_only_when_online_with_work_and_stalled() {
        let s = LimitSettings::default(); // 60 minutes
        let mut i = healthy();
        i.last_sync_at = Some(NOW - 61 * MINUTE_MS);
        i.last_error = Some("connect timeout".into());
        let h = evaluate_sync_health(&s, &i, NOW);
        assert_eq!(h.state, LimitState::Warning);
        assert_eq!(h.last_error.as_deref(), Some("connect timeout"));
        assert_eq!(h.minutes_since_success, Some(61));
        i.online = false;
        assert_eq!(
            evaluate_sync_health(&s, &i, NOW).state,
            LimitState::Ok,
            "offline is not a sync fault"
        );
        i.online = true;
        i.unsent = 0;
        assert_eq!(evaluate_sync_health(&s, &i, NOW).state, LimitState::Ok);
        i.unsent = 1;
        i.last_sync_at = Some(NOW - 59 * MINUTE_MS);
        assert_eq!(evaluate_sync_health(&s, &i, NOW).state, LimitState::Ok);
    }
}
