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

use kiosk_core::Problem;
use kiosk_core::lifecycle::LifecycleState;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Kiosk, sync};

/// Setting: most days without a successful sync or export (default 7).
pub const SETTING_MAX_DAYS_WITHOUT_SYNC: &str = "limits.max_days_without_sync";
/// Setting: most applications waiting to be sent (default 500).
pub const SETTING_MAX_UNSENT: &str = "limits.max_unsent";
/// Setting: most days without an update check (default 30).
pub const SETTING_MAX_DAYS_WITHOUT_UPDATE_CHECK: &str = "limits.max_days_without_update_check";
/// Setting: least free disk space in MiB under the data directory (default 1024).
pub const SETTING_MIN_FREE_DISK_MB: &str = "limits.min_free_disk_mb";
/// Setting: minutes without a successful sync before sync health warns (default 60).
pub const SETTING_SYNC_HEALTH_MINUTES: &str = "limits.sync_health_minutes";
/// Setting written by the updater after each update check, Unix ms.
pub const SETTING_LAST_UPDATE_CHECK: &str = "update.last_check_at";

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
struct Threshold {
    field: &'static str,
    key: &'static str,
    label: (&'static str, &'static str),
    range: (i64, i64),
    read: fn(&LimitSettings) -> i64,
    write: fn(&mut LimitSettings, i64),
}

/// Every threshold with the range an administrator may set.
const THRESHOLDS: [Threshold; 5] = [
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

/// What the limits are measured on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LimitInputs {
    /// Last successful sync, Unix ms.
    pub last_sync_at: Option<i64>,
    /// Last offline export, Unix ms.
    pub last_export_at: Option<i64>,
    /// Created time of the oldest unsent application, Unix ms.
    pub oldest_unsent_at: Option<i64>,
    /// Applications waiting to be sent (held for review included).
    pub unsent: u64,
    /// Last update check, Unix ms.
    pub last_update_check_at: Option<i64>,
    /// Free bytes under the data directory (`None` when it cannot be measured).
    pub free_disk_bytes: Option<u64>,
    /// Whether the network is up.
    pub online: bool,
    /// Last sync error.
    pub last_error: Option<String>,
}

/// `warning` from 80 % of a maximum, `reached` at it.
fn against_max(value: i64, max: i64) -> LimitState {
    if value >= max {
        LimitState::Reached
    } else if value.saturating_mul(5) >= max.saturating_mul(4) {
        LimitState::Warning
    } else {
        LimitState::Ok
    }
}

fn whole_days(from: i64, now: i64) -> i64 {
    (now - from).max(0) / DAY_MS
}

fn days_without_sync(s: &LimitSettings, i: &LimitInputs, now: i64) -> LimitStatus {
    // The clock runs from the last delivery; a kiosk that never delivered counts from its
    // oldest unsent application (nothing to send, nothing at risk).
    let since = i.last_sync_at.max(i.last_export_at).or(i.oldest_unsent_at);
    let days = since.map_or(0, |t| whole_days(t, now));
    let state = against_max(days, s.max_days_without_sync);
    let max = s.max_days_without_sync;
    LimitStatus {
        kind: LimitKind::DaysWithoutSync,
        value: Some(days),
        threshold: max,
        state,
        zh: format!(
            "已 {days} 天未成功同步或导出（上限 {max} 天）。请检查网络后点“立即同步”，或用“导出”把申请拷到移动介质交平台导入。"
        ),
        en: format!(
            "{days} day(s) without a successful sync or export (limit {max}). Check the network and press \"Sync now\", or export the applications to removable media for the platform to import."
        ),
    }
}

fn unsent(s: &LimitSettings, i: &LimitInputs) -> LimitStatus {
    let count = i64::try_from(i.unsent).unwrap_or(i64::MAX);
    let max = s.max_unsent;
    LimitStatus {
        kind: LimitKind::UnsentApplications,
        value: Some(count),
        threshold: max,
        state: against_max(count, max),
        zh: format!(
            "有 {count} 份申请尚未送达平台（上限 {max} 份）。请先同步或导出，并处理待审核的申请。"
        ),
        en: format!(
            "{count} application(s) not yet delivered (limit {max}). Sync or export them, and finish the pending reviews."
        ),
    }
}

fn update_check(s: &LimitSettings, i: &LimitInputs, now: i64) -> LimitStatus {
    let max = s.max_days_without_update_check;
    match i.last_update_check_at {
        Some(at) => {
            let days = whole_days(at, now);
            LimitStatus {
                kind: LimitKind::DaysWithoutUpdateCheck,
                value: Some(days),
                threshold: max,
                state: against_max(days, max),
                zh: format!(
                    "已 {days} 天未检查软件更新（上限 {max} 天）。请联网后检查更新，或联系管理员。"
                ),
                en: format!(
                    "{days} day(s) without an update check (limit {max}). Go online and check for updates, or call an administrator."
                ),
            }
        }
        None => LimitStatus {
            kind: LimitKind::DaysWithoutUpdateCheck,
            value: None,
            threshold: max,
            state: LimitState::Warning,
            zh: "本机从未检查过软件更新。请联网后检查更新。".into(),
            en: "This kiosk has never checked for updates. Go online and check for updates.".into(),
        },
    }
}

fn free_disk(s: &LimitSettings, i: &LimitInputs) -> LimitStatus {
    let min = s.min_free_disk_mb;
    let free_mb = i
        .free_disk_bytes
        .map(|b| i64::try_from(b / MIB).unwrap_or(i64::MAX));
    let state = match free_mb {
        None => LimitState::Warning,
        Some(mb) if mb < min => LimitState::Reached,
        Some(mb) if mb < min.saturating_mul(2) => LimitState::Warning,
        Some(_) => LimitState::Ok,
    };
    let shown = free_mb.map_or_else(|| "?".to_owned(), |mb| mb.to_string());
    LimitStatus {
        kind: LimitKind::FreeDiskMb,
        value: free_mb,
        threshold: min,
        state,
        zh: format!(
            "磁盘剩余 {shown} MB（至少需要 {min} MB）。请先同步让平台确认已收到的申请，到期后自动清理；仍不足请联系管理员。"
        ),
        en: format!(
            "{shown} MB of disk free (at least {min} MB needed). Sync so the platform confirms receipt and retention can clear old files; call an administrator if it stays low."
        ),
    }
}

/// The sync-health rule: warn when the network is up, something is waiting, and no sync has
/// succeeded for the configured time.
pub fn evaluate_sync_health(s: &LimitSettings, i: &LimitInputs, now: i64) -> SyncHealth {
    let minutes = i.last_sync_at.map(|t| (now - t).max(0) / MINUTE_MS);
    let stalled = match minutes {
        Some(m) => m >= s.sync_health_minutes,
        // Never synced: stalled once the oldest waiting application is that old.
        None => i
            .oldest_unsent_at
            .is_some_and(|t| (now - t) >= s.sync_health_minutes.saturating_mul(MINUTE_MS)),
    };
    let state = if i.online && i.unsent > 0 && stalled {
        LimitState::Warning
    } else {
        LimitState::Ok
    };
    SyncHealth {
        state,
        online: i.online,
        last_success_at: i.last_sync_at,
        minutes_since_success: minutes,
        threshold_minutes: s.sync_health_minutes,
        last_error: i.last_error.clone(),
        unsent: i.unsent,
    }
}

/// Every limit for `inputs` at `now` (pure).
pub fn evaluate(settings: &LimitSettings, inputs: &LimitInputs, now: i64) -> LimitsReport {
    let limits = vec![
        days_without_sync(settings, inputs, now),
        unsent(settings, inputs),
        update_check(settings, inputs, now),
        free_disk(settings, inputs),
    ];
    let state = limits
        .iter()
        .map(|l| l.state)
        .max()
        .unwrap_or(LimitState::Ok);
    LimitsReport {
        accepting_new: state != LimitState::Reached,
        state,
        limits,
        sync_health: evaluate_sync_health(settings, inputs, now),
    }
}

fn setting_i64(kiosk: &Kiosk, key: &str) -> Result<Option<i64>, Problem> {
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

/// Measures the inputs in the kiosk's store and data directory.
pub fn inputs(kiosk: &Kiosk, now: i64) -> Result<LimitInputs, Problem> {
    let store = kiosk.store();
    let stats = store.stats(now)?;
    let count = |s: LifecycleState| stats.by_state.get(s.as_str()).copied().unwrap_or(0);
    Ok(LimitInputs {
        last_sync_at: setting_i64(kiosk, sync::SETTING_LAST_SUCCESS_AT)?,
        last_export_at: store.last_export_at()?,
        oldest_unsent_at: stats.oldest_waiting_at,
        unsent: count(LifecycleState::Submitted) + count(LifecycleState::Uploading),
        last_update_check_at: setting_i64(kiosk, SETTING_LAST_UPDATE_CHECK)?,
        free_disk_bytes: crate::disk::free_bytes(kiosk.data_dir()),
        online: store.setting(sync::SETTING_ONLINE)?.as_deref() != Some("0"),
        last_error: store
            .setting(sync::SETTING_LAST_ERROR)?
            .filter(|e| !e.is_empty())
            .or_else(|| {
                store
                    .list(Some(LifecycleState::Submitted), 200)
                    .ok()?
                    .into_iter()
                    .filter(|e| e.last_error.is_some())
                    .max_by_key(|e| e.updated_at)
                    .and_then(|e| e.last_error)
            }),
    })
}

/// Every operating limit of `kiosk` at `now`.
pub fn check(kiosk: &Kiosk, now: i64) -> Result<LimitsReport, Problem> {
    Ok(evaluate(&settings(kiosk)?, &inputs(kiosk, now)?, now))
}

/// Sync health of `kiosk` at `now`.
pub fn sync_health(kiosk: &Kiosk, now: i64) -> Result<SyncHealth, Problem> {
    Ok(evaluate_sync_health(
        &settings(kiosk)?,
        &inputs(kiosk, now)?,
        now,
    ))
}

/// The refusal of new work when `report` has a limit reached, `Ok` otherwise.
pub fn refusal(report: &LimitsReport) -> Result<(), Problem> {
    let reached: Vec<&LimitStatus> = report
        .limits
        .iter()
        .filter(|l| l.state == LimitState::Reached)
        .collect();
    if reached.is_empty() {
        return Ok(());
    }
    Err(Problem::new(
        "LIMIT_REACHED",
        format!(
            "本机已达到运行限制，暂停受理新申请（已受理的申请会继续上传，不会删除）。\n{}",
            reached
                .iter()
                .map(|l| l.zh.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        ),
        format!(
            "This kiosk reached an operating limit and takes no new applications for now (queued ones keep uploading; nothing is deleted).\n{}",
            reached
                .iter()
                .map(|l| l.en.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    ))
}

/// Refuses NEW work when a limit is reached (called by submission before anything is saved).
pub fn refuse_new_work(kiosk: &Kiosk, now: i64) -> Result<(), Problem> {
    refusal(&check(kiosk, now)?)
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
