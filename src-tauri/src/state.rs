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
        if let Err(problem) = &kiosk {
            log::error!("kiosk did not open: {}", problem.code);
        }
        Self { kiosk }
    }

    /// The open kiosk, or the problem that kept it closed.
    pub fn kiosk(&self) -> Result<&Kiosk, Problem> {
        self.kiosk.as_ref().map_err(Clone::clone)
    }
}
