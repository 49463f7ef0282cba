//! What the app does without a window: `--version`, `--check`, and starting the log.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{config, health, logging};

use crate::KioskState;

/// Logs to `<data_dir>/logs/tongban.log` (warnings also on stderr); falls back to stderr only
/// when the data directory cannot be resolved or written. Creates the data directory.
pub fn start_logging(flag: Option<&PathBuf>) {
    let dir = config::resolve_data_dir(flag.cloned(), std::env::var_os(config::DATA_DIR_ENV));
    let started = dir.ok().and_then(|dir| {
        std::fs::create_dir_all(&dir).ok()?;
        logging::init(logging::LogConfig::in_data_dir(
            &dir,
            "tongban",
            log::LevelFilter::Warn,
        ))
        .ok()
    });
    if started.is_none() {
        // No data directory to log into: redacted lines on stderr, like the file's.
        logging::init_stderr(log::LevelFilter::Info);
    }
}

/// `tongban --check`: prints the health report of the opened data directory as one JSON line.
pub fn check(state: &KioskState) -> ExitCode {
    match state.kiosk() {
        Ok(kiosk) => {
            let report = health::health(kiosk);
            println!(
                "{}",
                serde_json::to_string(&report).unwrap_or_else(|e| e.to_string())
            );
            if report.database_reachable {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(problem) => {
            eprintln!("[{}] {}\n{}", problem.code, problem.zh, problem.en);
            ExitCode::from(1)
        }
    }
}
