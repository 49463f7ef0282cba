//! The Tauri shell of the kiosk: parses arguments, opens the kiosk, wires commands.
//!
//! Nothing here holds a business rule: commands are one-line calls into `kiosk-api`.

mod args;
mod commands;
mod state;

use std::process::ExitCode;

pub use state::KioskState;

/// Runs the app until its window closes.
pub fn run() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args = args::Args::parse_or_exit();
    let state = KioskState::open(args.data_dir);
    let result = tauri::Builder::default()
        .manage(state)
        .setup(|app| {
            commands::sync::start_worker(app.handle());
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!("tauri.conf.json"));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("the app stopped with an error: {error}");
            eprintln!("通办自助登记终端无法启动 / the kiosk app could not start: {error}");
            ExitCode::from(1)
        }
    }
}
