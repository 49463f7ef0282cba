//! What the shell keeps between commands: the open kiosk, or why it could not open.

use std::path::PathBuf;

use kiosk_api::{Kiosk, Problem, config};

/// The app's managed state.
#[derive(Debug)]
pub struct KioskState {
    kiosk: Result<Kiosk, Problem>,
}

impl KioskState {
    /// Opens the kiosk at the data directory from `--data-dir`, `KIOSK_DATA_DIR` or the default.
    /// A failure is kept and shown on screen instead of crashing the kiosk.
    pub fn open(flag: Option<PathBuf>) -> Self {
        let kiosk = config::resolve_data_dir(flag, std::env::var_os(config::DATA_DIR_ENV))
            .and_then(|dir| Kiosk::open(&dir));
        match &kiosk {
            Err(problem) => log::error!("kiosk did not open: {}", problem.code),
            // Documents left by a crash or power cut hold personal data.
            Ok(kiosk) => match kiosk_api::documents::clear_print_folder(kiosk) {
                Ok(0) => {}
                Ok(n) => log::info!("removed {n} unprinted documents from the print folder"),
                Err(problem) => log::warn!("print folder not cleared: {}", problem.code),
            },
        }
        Self { kiosk }
    }

    /// The open kiosk, or the problem that kept it closed.
    pub fn kiosk(&self) -> Result<&Kiosk, Problem> {
        self.kiosk.as_ref().map_err(Clone::clone)
    }
}
