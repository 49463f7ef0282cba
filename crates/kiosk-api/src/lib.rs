//! The kiosk's use cases.
//!
//! Every front door — the Tauri commands in `src-tauri/`, `kioskctl`, tests and benchmarks —
//! calls the functions of this crate, so each capability can be scripted without a window.
//! Functions return [`Problem`] on failure: a stable code with a Chinese and an English
//! message, ready to cross IPC or to be printed by the CLI.
#![deny(missing_docs)]

pub mod config;
pub mod health;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use kiosk_core::{KioskMode, Problem};
use kiosk_store::Store;

/// Setting key of the kiosk's display name.
pub const SETTING_KIOSK_NAME: &str = "kiosk.name";
/// Setting key of the kiosk's mode (`counter` or `self-service`).
pub const SETTING_KIOSK_MODE: &str = "kiosk.mode";

/// An open kiosk: its data directory and local store.
#[derive(Debug)]
pub struct Kiosk {
    data_dir: PathBuf,
    store: Mutex<Store>,
}

impl Kiosk {
    /// Opens the kiosk whose data lives in `data_dir`, creating it on first run.
    pub fn open(data_dir: &Path) -> Result<Self, Problem> {
        let store = Store::open(data_dir)?;
        log::info!("kiosk opened, data directory {}", data_dir.display());
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            store: Mutex::new(store),
        })
    }

    /// The data directory this kiosk was opened on.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Runs `f` with the store. A poisoned lock (a panic elsewhere) is reported, not propagated.
    fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T, Problem>) -> Result<T, Problem> {
        let store = self.store.lock().map_err(|_| {
            Problem::new(
                "STORE_UNAVAILABLE",
                "本地数据库暂不可用，请重启终端。",
                "The local database is unavailable. Restart the kiosk.",
            )
        })?;
        f(&store)
    }
}
