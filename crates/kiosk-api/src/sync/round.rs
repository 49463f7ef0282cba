//! Sync rounds and their figures as the front doors use them: one round now (through the
//! background worker when it runs), a heartbeat now, the status for the screen and
//! `kioskctl sync status`, and the outcome kept in the settings. May import the store and
//! kiosk-sync's engine and client.

use kiosk_core::lifecycle::LifecycleState;
use kiosk_sync::{EngineConfig, Outbox, PlatformClient, SyncEngine, SyncError, Timeouts};
use serde::Serialize;
use ts_rs::TS;

use super::enrolment::{credential, save_rotated_pin};
use super::round_lock::RoundLock;
use super::{
    SETTING_LAST_ERROR, SETTING_LAST_SUCCESS_AT, SETTING_ONLINE, StoreOutbox, SyncWorker, blocking,
    credential_file, credential_path, worker,
};
use crate::{Kiosk, Problem};

/// What one sync round did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncReport {
    /// Applications the platform received.
    #[ts(type = "number")]
    pub delivered: u64,
    /// Applications the platform refused (now waiting for a person).
    #[ts(type = "number")]
    pub refused: u64,
    /// Applications that will be retried later.
    #[ts(type = "number")]
    pub retried: u64,
    /// Status updates applied.
    #[ts(type = "number")]
    pub status_updates: u64,
    /// Master datasets refreshed.
    #[ts(type = "number")]
    pub master_updated: u64,
    /// Sealed bytes uploaded.
    #[ts(type = "number")]
    pub bytes_sent: u64,
    /// The last error, if any attempt failed.
    pub last_error: Option<String>,
}

/// Sync state for the status screen and `kioskctl sync status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncStatus {
    /// Whether the kiosk is enrolled.
    pub enrolled: bool,
    /// Platform base URL, once enrolled.
    pub platform_url: Option<String>,
    /// Kiosk id at the platform, once enrolled.
    pub kiosk_id: Option<String>,
    /// Applications waiting for upload.
    #[ts(type = "number")]
    pub waiting: u64,
    /// Of those, due now.
    #[ts(type = "number")]
    pub due_now: u64,
    /// Applications the platform has received (accepted, verified, rejected, needs action).
    #[ts(type = "number")]
    pub delivered: u64,
    /// Applications still sealed to the local key (waiting for enrolment).
    #[ts(type = "number")]
    pub sealed_locally: u64,
    /// Last status feed cursor applied.
    #[ts(type = "number")]
    pub status_cursor: i64,
    /// Whether the platform answered the last attempt to reach it.
    pub online: bool,
    /// Submissions being uploaded right now (by the background worker of this process).
    #[ts(type = "number")]
    pub in_flight: u64,
    /// Sealed bytes the platform confirmed since the worker started.
    #[ts(type = "number")]
    pub bytes_sent: u64,
    /// When a sync round last completed without error, Unix ms.
    #[ts(type = "number | null")]
    pub last_success_at: Option<i64>,
    /// What went wrong in the last round, if it failed.
    pub last_error: Option<String>,
}

/// One sync round: uploads everything due (several at once), pulls the status feed and master
/// data. Transient failures are rescheduled with backoff and reported in `last_error`.
pub async fn sync_once(kiosk: &Kiosk) -> Result<SyncReport, Problem> {
    let client = PlatformClient::new(credential(kiosk)?, Timeouts::default())?;
    let engine = SyncEngine::new(
        client.clone(),
        StoreOutbox::new(kiosk.store()),
        EngineConfig::default(),
    );
    let round = match RoundLock::acquire(kiosk.data_dir()).await {
        Ok(_lock) => engine.run_once().await,
        Err(e) => Err(e),
    };
    save_rotated_pin(kiosk, &client)?;
    let progress = engine.progress();
    let report = match round {
        Ok(report) => report,
        Err(e) => {
            record_outcome(
                kiosk,
                !matches!(e, SyncError::Transient(_)),
                Some(&e.to_string()),
            )?;
            return Err(e.into());
        }
    };
    record_outcome(
        kiosk,
        progress.online || progress.last_error.is_none(),
        progress.last_error.as_deref(),
    )?;
    Ok(SyncReport {
        delivered: report.delivered,
        refused: report.refused,
        retried: report.retried,
        status_updates: report.status_events,
        master_updated: report.master_updated,
        bytes_sent: progress.bytes_sent,
        last_error: progress.last_error,
    })
}

/// Posts one heartbeat now (`kioskctl sync --heartbeat`; the app's worker posts them on its
/// own timer).
pub async fn send_heartbeat(kiosk: &Kiosk) -> Result<(), Problem> {
    let client = PlatformClient::new(credential(kiosk)?, Timeouts::default())?;
    let beat = blocking(|| worker::heartbeat(kiosk, crate::clock::now_ms()))?;
    Ok(client.heartbeat(&beat).await?)
}

/// The audit anchor the platform holds for this kiosk (a verified, signed answer).
pub(crate) async fn audit_anchor(kiosk: &Kiosk) -> Result<kiosk_sync::AuditAnchor, Problem> {
    let client = PlatformClient::new(credential(kiosk)?, Timeouts::default())?;
    Ok(client.audit_anchor().await?)
}

/// "Sync now" from a front door: through the app's background worker when one runs (so two
/// rounds never overlap), else one round right here.
pub async fn sync_now(kiosk: &Kiosk, worker: Option<&SyncWorker>) -> Result<SyncReport, Problem> {
    match worker {
        Some(worker) => worker.sync_now().await,
        None => sync_once(kiosk).await,
    }
}

/// The status for the screen: the worker's live figures when it runs, else the stored ones.
pub fn current_status(kiosk: &Kiosk, worker: Option<&SyncWorker>) -> Result<SyncStatus, Problem> {
    match worker {
        Some(worker) => worker.status(),
        None => blocking(|| sync_status(kiosk)),
    }
}

/// Enrolment and queue figures.
pub fn sync_status(kiosk: &Kiosk) -> Result<SyncStatus, Problem> {
    let credential = credential_file::load(kiosk, &credential_path(kiosk)).ok();
    let now = crate::clock::now_ms();
    let store = kiosk.store();
    let stats = store.stats(now)?;
    let outbox = StoreOutbox::new(kiosk.store());
    let count = |s: LifecycleState| stats.by_state.get(s.as_str()).copied().unwrap_or(0);
    Ok(SyncStatus {
        enrolled: credential.is_some(),
        platform_url: credential.as_ref().map(|c| c.platform_url.clone()),
        kiosk_id: credential.map(|c| c.kiosk_id),
        waiting: outbox.waiting()?,
        due_now: stats.due_now,
        delivered: [
            LifecycleState::Accepted,
            LifecycleState::Verified,
            LifecycleState::Rejected,
            LifecycleState::NeedsAction,
        ]
        .into_iter()
        .map(count)
        .sum(),
        sealed_locally: stats.sealed_locally,
        status_cursor: outbox.status_cursor()?,
        online: store.setting(SETTING_ONLINE)?.as_deref() == Some("1"),
        in_flight: 0,
        bytes_sent: 0,
        last_success_at: store
            .setting(SETTING_LAST_SUCCESS_AT)?
            .and_then(|v| v.parse().ok()),
        last_error: store.setting(SETTING_LAST_ERROR)?.filter(|e| !e.is_empty()),
    })
}

/// Records how a sync round (or a connectivity probe) ended, for the status screen, the
/// heartbeat and `kioskctl sync status`: `error` is `None` when it succeeded.
pub(super) fn record_outcome(
    kiosk: &Kiosk,
    online: bool,
    error: Option<&str>,
) -> Result<(), Problem> {
    blocking(|| {
        let store = kiosk.store();
        store.set_setting(SETTING_ONLINE, if online { "1" } else { "0" })?;
        store.set_setting(SETTING_LAST_ERROR, error.unwrap_or(""))?;
        if error.is_none() {
            store.set_setting(SETTING_LAST_SUCCESS_AT, &crate::clock::now_ms().to_string())?;
        }
        Ok(())
    })
}
