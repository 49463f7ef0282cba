//! One module per `kioskctl` subcommand; each only parses arguments and calls `kiosk-api`.

pub mod audit;
pub mod db;
pub mod doctor;
pub mod enrol;
pub mod export;
pub mod idcard;
pub mod ime;
pub mod pdf;
pub mod print;
pub mod purge;
pub mod queue;
pub mod report;
pub mod review;
pub mod scan;
pub mod settings;
pub mod staff;
pub mod status;
pub mod submit;
pub mod support;
pub mod sync;
pub mod validate;
pub mod voice;
pub mod wizard;

use std::path::PathBuf;

use kiosk_api::{Kiosk, Problem, config, logging};

/// Opens the kiosk at the data directory chosen by `--data-dir`, `KIOSK_DATA_DIR` or the default.
pub fn open_kiosk(flag: Option<PathBuf>) -> Result<Kiosk, Problem> {
    let dir = config::resolve_data_dir(flag, std::env::var_os(config::DATA_DIR_ENV))?;
    let kiosk = Kiosk::open(&dir)?;
    // A first run creates the data directory just now: log to it from here on.
    start_logging(Some(dir));
    Ok(kiosk)
}

/// Logs to `<data_dir>/logs/kioskctl.log` (warnings also on stderr) once the data directory
/// exists; never creates it (so `doctor` can report a missing one).
pub fn start_logging(flag: Option<PathBuf>) {
    let Ok(dir) = config::resolve_data_dir(flag, std::env::var_os(config::DATA_DIR_ENV)) else {
        return;
    };
    if dir.is_dir() {
        let config = logging::LogConfig::in_data_dir(&dir, "kioskctl", log::LevelFilter::Warn);
        if let Err(problem) = logging::init(config) {
            eprintln!("{}: {}", problem.code, problem.en);
        }
    }
}
