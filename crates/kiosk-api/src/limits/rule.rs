//! The pure rule: from measured inputs and thresholds to each limit's state and sync health.

use super::thresholds::LimitSettings;
use super::{DAY_MS, LimitKind, LimitState, LimitStatus, LimitsReport, MIB, MINUTE_MS, SyncHealth};

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
pub(super) fn against_max(value: i64, max: i64) -> LimitState {
    if value >= max {
        LimitState::Reached
    } else if value.saturating_mul(5) >= max.saturating_mul(4) {
        LimitState::Warning
    } else {
        LimitState::Ok
    }
}

pub(super) fn whole_days(from: i64, now: i64) -> i64 {
    (now - from).max(0) / DAY_MS
}

pub(super) fn days_without_sync(s: &LimitSettings, i: &LimitInputs, now: i64) -> LimitStatus {
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

pub(super) fn unsent(s: &LimitSettings, i: &LimitInputs) -> LimitStatus {
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

pub(super) fn update_check(s: &LimitSettings, i: &LimitInputs, now: i64) -> LimitStatus {
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

pub(super) fn free_disk(s: &LimitSettings, i: &LimitInputs) -> LimitStatus {
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
