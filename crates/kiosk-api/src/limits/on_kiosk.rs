//! The limits of one kiosk: measuring its inputs, and refusing new work once a limit is reached.

use super::rule::{LimitInputs, evaluate, evaluate_sync_health};
use super::thresholds::{setting_i64, settings};
use super::{LimitState, LimitStatus, LimitsReport, SETTING_LAST_UPDATE_CHECK, SyncHealth};
use crate::{Kiosk, sync};
use kiosk_core::Problem;
use kiosk_core::lifecycle::LifecycleState;

mod error;

pub use error::LimitError;

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
    Err(LimitError::Reached {
        zh: reached.iter().map(|l| l.zh.clone()).collect(),
        en: reached.iter().map(|l| l.en.clone()).collect(),
    }
    .into())
}

/// Refuses NEW work when a limit is reached (called by submission before anything is saved).
pub fn refuse_new_work(kiosk: &Kiosk, now: i64) -> Result<(), Problem> {
    refusal(&check(kiosk, now)?)
}
