//! Enrolment with the platform, "sync now", the sync status, and the start of the scheduler
//! whose sync worker emits `sync-progress` events.

use super::contract::ipc_commands;
use kiosk_api::Problem;
use kiosk_api::scheduler::{self, Scheduler, Timers};
use kiosk_api::sync::{self, Enrolment, SyncReport, SyncStatus, WorkerConfig};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::KioskState;

/// The event carrying a `SyncStatus` after every change.
pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";

ipc_commands! {
    /// Enrols this kiosk with the platform using an administrator's one-time code; an enrolled
    /// kiosk only with `re_enrol` (IPC `reEnrol: true`).
    #[ipc(Enrol)]
    pub async fn sync_enrol(
        state: State<'_, KioskState>,
        platform_url: String,
        code: String,
        re_enrol: Option<bool>,
    ) -> Result<Enrolment, Problem> {
        sync::enrol_and_start(
            state.kiosk()?,
            state.sync_worker(),
            &platform_url,
            &code,
            re_enrol.unwrap_or(false),
        )
        .await
    }

    /// Runs a sync round now and reports what it did.
    #[ipc(RunQueue)]
    pub async fn sync_now(state: State<'_, KioskState>) -> Result<SyncReport, Problem> {
        sync::sync_now(state.kiosk()?, state.sync_worker()).await
    }

    /// Online, queue and progress figures.
    #[ipc(ViewHealth)]
    pub async fn sync_status(state: State<'_, KioskState>) -> Result<SyncStatus, Problem> {
        sync::current_status(state.kiosk()?, state.sync_worker())
    }
}

/// Starts the scheduler (from the app's setup): the sync worker, which emits
/// [`SYNC_PROGRESS_EVENT`], and the housekeeping jobs.
pub fn start_scheduler<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<KioskState>();
    let Ok(kiosk) = state.shared() else {
        return; // the kiosk did not open: the screen shows why
    };
    let emitter = app.clone();
    let (scheduler, task) = Scheduler::new(
        kiosk,
        WorkerConfig::default(),
        Timers::default(),
        scheduler::system_clock(),
        move |status| {
            if let Err(e) = emitter.emit(SYNC_PROGRESS_EVENT, status) {
                log::warn!("sync-progress not emitted: {e}");
            }
        },
    );
    state.set_scheduler(scheduler);
    tauri::async_runtime::spawn(task);
}
