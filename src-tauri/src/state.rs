//! What the shell keeps between commands: the open kiosk, or why it could not open, and the
//! scheduler of its background work once it runs.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use kiosk_api::scheduler::Scheduler;
use kiosk_api::sync::SyncWorker;
use kiosk_api::{Kiosk, Problem, config};

/// The app's managed state.
#[derive(Debug)]
pub struct KioskState {
    kiosk: Result<Arc<Kiosk>, Problem>,
    scheduler: OnceLock<Scheduler>,
}

impl KioskState {
    /// Opens the kiosk at the data directory from `--data-dir`, `KIOSK_DATA_DIR` or the default.
    /// A failure is kept and shown on screen instead of crashing the kiosk.
    pub fn open(flag: Option<PathBuf>) -> Self {
        let kiosk = config::resolve_data_dir(flag, std::env::var_os(config::DATA_DIR_ENV))
            .and_then(|dir| Kiosk::open(&dir))
            .map(Arc::new);
        match &kiosk {
            Err(problem) => log::error!("kiosk did not open: {}", problem.code),
            // Documents left by a crash or power cut hold personal data.
            Ok(kiosk) => match kiosk_api::documents::clear_print_folder(kiosk) {
                Ok(0) => {}
                Ok(n) => log::info!("removed {n} unprinted documents from the print folder"),
                Err(problem) => log::warn!("print folder not cleared: {}", problem.code),
            },
        }
        Self {
            kiosk,
            scheduler: OnceLock::new(),
        }
    }

    /// The open kiosk, or the problem that kept it closed.
    pub fn kiosk(&self) -> Result<&Kiosk, Problem> {
        self.kiosk.as_deref().map_err(Clone::clone)
    }

    /// The open kiosk as a shared handle (for the background worker).
    pub fn shared(&self) -> Result<Arc<Kiosk>, Problem> {
        self.kiosk.clone()
    }

    /// The background sync worker, once the scheduler runs.
    pub fn sync_worker(&self) -> Option<&SyncWorker> {
        self.scheduler.get().map(Scheduler::sync)
    }

    /// Keeps the started scheduler (the first one wins).
    pub fn set_scheduler(&self, scheduler: Scheduler) {
        if self.scheduler.set(scheduler).is_err() {
            log::warn!("a scheduler was already running");
        }
    }
}
