//! The kiosk's use cases.
//!
//! Every front door — the Tauri commands in `src-tauri/`, `kioskctl`, tests and benchmarks —
//! calls the functions of this crate, so each capability can be scripted without a window.
//! Functions return [`Problem`] on failure: a stable code with a Chinese and an English
//! message, ready to cross IPC or to be printed by the CLI.
//!
//! May import: kiosk-core, china-clock, kiosk-store, kiosk-sync, kiosk-docs, kiosk-capture, kiosk-ime, kiosk-voice.
//! The use cases sit on every I/O crate; they are imported by the Tauri shell and kioskctl only.
#![deny(missing_docs)]

pub mod audit;
pub mod caller;
pub mod capture;
pub mod cli_error;
pub mod clock;
pub mod config;
pub mod db;
mod disk;
pub mod doctor;
pub mod documents;
pub mod error_codes;
pub mod export;
pub mod health;
pub mod ime;
pub mod limits;
pub mod logging;
pub mod master;
pub mod online;
pub mod queue;
pub mod report;
pub mod retention;
pub mod review;
pub mod scheduler;
pub mod settings;
pub mod shell_error;
pub mod staff;
pub mod status;
pub mod submit;
pub mod support;
pub mod sync;
#[cfg(test)]
mod test_support;
pub mod update;
pub mod validate;
pub mod voice;
pub mod wizard;

use std::path::{Path, PathBuf};

pub use kiosk_core::{KioskMode, Problem, checks, receipt, reference};
pub use kiosk_store::Role;
use kiosk_store::Store;

/// Setting key of the kiosk's display name.
pub const SETTING_KIOSK_NAME: &str = kiosk_core::settings::KIOSK_NAME.key;
/// Setting key of the kiosk's mode (`counter` or `self-service`).
pub const SETTING_KIOSK_MODE: &str = kiosk_core::settings::KIOSK_MODE.key;
/// Setting key of the service hall's name (printed on receipts).
pub const SETTING_HALL_NAME: &str = kiosk_core::settings::HALL_NAME.key;
/// Setting key of the service hall's help-desk phone (printed on receipts).
pub const SETTING_HALL_PHONE: &str = kiosk_core::settings::HALL_PHONE.key;
/// Setting key of the CUPS queue documents go to (the system default when unset).
pub const SETTING_PRINTER: &str = kiosk_core::settings::PRINTER.key;
/// Setting key of the SANE device used for scanning (the first found when unset).
pub const SETTING_SCANNER: &str = kiosk_core::settings::SCANNER.key;
/// Setting key of the self-service idle timeout in seconds.
pub const SETTING_IDLE_TIMEOUT_S: &str = kiosk_core::settings::IDLE_TIMEOUT_S.key;
/// Setting key of the platform profile preselected for visitors.
pub const SETTING_DEFAULT_PROFILE: &str = kiosk_core::settings::DEFAULT_PROFILE.key;
/// Setting key of the UI language (`zh-CN` or `en`).
pub const SETTING_LANGUAGE: &str = kiosk_core::settings::LANGUAGE.key;
/// Setting key of the hours between update checks (`0` turns the daily check off; default 24).
pub const SETTING_UPDATE_CHECK_HOURS: &str = kiosk_core::settings::UPDATE_CHECK_HOURS.key;
/// Setting key of the local hour (0-23) at which a downloaded update installs by itself; unset
/// means an administrator installs it from the update banner.
pub const SETTING_UPDATE_QUIET_HOUR: &str = kiosk_core::settings::UPDATE_QUIET_HOUR.key;

/// An open kiosk: its data directory and local store.
///
/// `Kiosk` is `Send + Sync` and needs no lock: the store serialises writes on its own writer
/// thread and reads use a pool, so the Tauri shell can keep one `Kiosk` in its state.
#[derive(Debug)]
pub struct Kiosk {
    data_dir: PathBuf,
    store: Store,
}

impl Kiosk {
    /// Opens the kiosk whose data lives in `data_dir`, creating it on first run
    /// (database in `<data_dir>/db/`, keys in `<data_dir>/keys/`).
    pub fn open(data_dir: &Path) -> Result<Self, Problem> {
        let store = Store::open(data_dir)?;
        log::info!("kiosk opened, data directory {}", data_dir.display());
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            store,
        })
    }

    /// The local store, for the I/O crates this layer composes (e.g. the sync worker).
    /// Front doors call the use-case modules instead.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data directory this kiosk was opened on.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Runs `f` with the store.
    fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T, Problem>) -> Result<T, Problem> {
        f(&self.store)
    }
}
