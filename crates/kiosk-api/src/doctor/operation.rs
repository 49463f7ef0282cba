//! The operation checks: the sync queue, sync health and every operating limit (`limit-<kind>`).

use super::{Check, CheckStatus};
use crate::limits::{LimitKind, LimitState, LimitStatus};
use crate::{Kiosk, limits, sync};
use std::time::SystemTime;

pub(super) fn check_sync(kiosk: &Kiosk) -> Check {
    // The ops helper's `limits::sync_health` (oldest unsent age, last error) joins here at merge.
    match sync::sync_status(kiosk) {
        Ok(status) if !status.enrolled && status.sealed_locally > 0 => Check::bad(
            "sync",
            CheckStatus::Warn,
            (
                format!("{} 份申请等待注册后上传。", status.sealed_locally),
                format!(
                    "{} application(s) wait for enrolment to be uploaded.",
                    status.sealed_locally
                ),
            ),
            (
                "注册终端（kioskctl enrol）。",
                "Enrol the kiosk (kioskctl enrol).",
            ),
        ),
        Ok(status) => Check::ok(
            "sync",
            format!(
                "待上传 {} 份，其中 {} 份已到重试时间；已送达 {} 份。",
                status.waiting, status.due_now, status.delivered
            ),
            format!(
                "{} waiting for upload ({} due now); {} delivered.",
                status.waiting, status.due_now, status.delivered
            ),
        ),
        Err(problem) => Check::bad(
            "sync",
            CheckStatus::Fail,
            (problem.zh, problem.en),
            (
                "运行 kioskctl sync status 查看详情。",
                "Run kioskctl sync status for details.",
            ),
        ),
    }
}

pub(super) fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Sync health and each operating limit, measured at `now` (Unix ms); `reachable` is what the
/// platform check found (the sync worker's own idea of the network may be stale).
pub(super) fn check_operation(kiosk: &Kiosk, reachable: bool, now: i64) -> Vec<Check> {
    let (settings, mut inputs) = match measure(kiosk, now) {
        Ok(measured) => measured,
        Err(problem) => {
            return vec![Check::bad(
                "limits",
                CheckStatus::Fail,
                (problem.zh, problem.en),
                (
                    "运行 kioskctl db check 检查数据库。",
                    "Run kioskctl db check to check the database.",
                ),
            )];
        }
    };
    inputs.online = reachable;
    let report = limits::evaluate(&settings, &inputs, now);
    let mut checks = vec![sync_health_check(&report.sync_health, reachable)];
    checks.extend(report.limits.iter().map(limit_check));
    checks
}

pub(super) fn measure(
    kiosk: &Kiosk,
    now: i64,
) -> Result<(limits::LimitSettings, limits::LimitInputs), kiosk_core::Problem> {
    Ok((limits::settings(kiosk)?, limits::inputs(kiosk, now)?))
}

pub(super) fn when(at: Option<i64>, minutes: Option<i64>) -> (String, String) {
    match (at, minutes) {
        (Some(_), Some(m)) => (format!("{m} 分钟前"), format!("{m} min ago")),
        _ => ("从未".into(), "never".into()),
    }
}

pub(super) fn sync_health_check(h: &limits::SyncHealth, reachable: bool) -> Check {
    let (ago_zh, ago_en) = when(h.last_success_at, h.minutes_since_success);
    let (err_zh, err_en) = h.last_error.as_deref().map_or_else(
        || ("无".to_owned(), "none".to_owned()),
        |e| (e.to_owned(), e.to_owned()),
    );
    let found = (
        format!(
            "上次成功同步：{ago_zh}；最近错误：{err_zh}；待上传 {} 份；平台{}。",
            h.unsent,
            if reachable {
                "可访问"
            } else {
                "不可访问"
            }
        ),
        format!(
            "Last successful sync: {ago_en}; last error: {err_en}; {} waiting; the platform is {}.",
            h.unsent,
            if reachable {
                "reachable"
            } else {
                "unreachable"
            }
        ),
    );
    if h.state == LimitState::Ok {
        return Check::ok("sync-health", found.0, found.1);
    }
    let threshold = h.threshold_minutes;
    Check::bad(
        "sync-health",
        CheckStatus::Warn,
        (
            format!(
                "平台可访问，但自动同步已超过 {threshold} 分钟没有成功。{}",
                found.0
            ),
            format!(
                "The platform answers, but automatic sync has not succeeded for more than {threshold} minutes. {}",
                found.1
            ),
        ),
        (
            "在首页点“立即同步”或运行 kioskctl sync --once，看最近错误；仍失败请把 kioskctl support-bundle 生成的支持包交给管理员。",
            "Press \"Sync now\" on the home screen or run kioskctl sync --once and read the last error; if it still fails, give an administrator the bundle from kioskctl support-bundle.",
        ),
    )
}

pub(super) fn limit_check(l: &LimitStatus) -> Check {
    let (id, fix): (&str, (&str, &str)) = match l.kind {
        LimitKind::DaysWithoutSync => (
            "limit-days-without-sync",
            (
                "恢复网络后运行 kioskctl sync --once；断网时用 kioskctl export --to 移动介质 导出，交平台导入。",
                "Restore the network and run kioskctl sync --once; while offline, kioskctl export --to <removable medium> and have the platform import it.",
            ),
        ),
        LimitKind::UnsentApplications => (
            "limit-unsent-applications",
            (
                "同步或导出未送达的申请，并请主管处理待审核的申请（kioskctl review list）。",
                "Sync or export the undelivered applications, and have a supervisor finish pending reviews (kioskctl review list).",
            ),
        ),
        LimitKind::DaysWithoutUpdateCheck => (
            "limit-days-without-update-check",
            (
                "联网后在设置里检查更新，或联系管理员。",
                "Go online and check for updates in the settings, or call an administrator.",
            ),
        ),
        LimitKind::FreeDiskMb => (
            "limit-free-disk-mb",
            (
                "同步让平台确认后运行 kioskctl purge 清理已确认的申请；仍不足请清理磁盘或加大磁盘。",
                "Sync so the platform confirms, then run kioskctl purge to clear confirmed applications; if still low, free or enlarge the disk.",
            ),
        ),
    };
    let status = match l.state {
        LimitState::Ok => return Check::ok(id, l.zh.clone(), l.en.clone()),
        LimitState::Warning => CheckStatus::Warn,
        // New applications are refused: the kiosk is out of service for new work.
        LimitState::Reached => CheckStatus::Fail,
    };
    Check::bad(id, status, (l.zh.clone(), l.en.clone()), fix)
}
