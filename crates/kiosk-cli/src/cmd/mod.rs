//! One module per `kioskctl` subcommand; each only parses arguments and calls `kiosk-api`.

pub mod audit;
pub mod db;
pub mod enrol;
pub mod export;
pub mod purge;
pub mod queue;
pub mod review;
pub mod scan;
pub mod staff;
pub mod status;
pub mod submit;
pub mod sync;
pub mod validate;

use std::path::PathBuf;

use kiosk_api::{Kiosk, Problem, config};

/// Opens the kiosk at the data directory chosen by `--data-dir`, `KIOSK_DATA_DIR` or the default.
pub fn open_kiosk(flag: Option<PathBuf>) -> Result<Kiosk, Problem> {
    let dir = config::resolve_data_dir(flag, std::env::var_os(config::DATA_DIR_ENV))?;
    Kiosk::open(&dir)
}
