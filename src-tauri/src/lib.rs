//! The Tauri shell of the kiosk: parses arguments, opens the kiosk, wires commands, the
//! updater and the lockdown.
//!
//! Nothing here holds a business rule: commands are one-line calls into `kiosk-api`.
//!
//! The same binary is also `kioskctl` (see [`main`]).
//!
//! May import: kiosk-api, kiosk-cli (the command line, run when the binary is called as `kioskctl`).

mod args;
mod camera;
mod commands;
mod console;
mod headless;
mod lockdown;
mod multicall;
mod no_core_dumps;
mod state;
mod updater;

use std::process::ExitCode;

use tauri::Manager;

pub use state::KioskState;

/// The app's invoke handler with every command, for the app itself and for tests that drive
/// the real commands without a window (the UI flow tests' loopback bridge).
pub fn invoke_handler<R: tauri::Runtime>()
-> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    commands::handler()
}

/// The binary's entry point: `kioskctl` when called by that name (the package's
/// `/usr/bin/kioskctl` symlink) or as `tongban ctl …`, else the app.
pub fn main() -> ExitCode {
    match multicall::choose(std::env::args_os().collect()) {
        multicall::FrontDoor::Cli(args) => kiosk_cli::main_from(args),
        multicall::FrontDoor::App => run(),
    }
}

/// Runs the app until it is told to exit.
pub fn run() -> ExitCode {
    no_core_dumps::forbid();
    let args = args::Args::parse_or_exit();
    if args.version {
        println!("tongban {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    headless::start_logging(args.data_dir.as_ref());
    let state = KioskState::open(args.data_dir);
    if args.check {
        return headless::check(&state);
    }
    if let Err(problem) = updater::release_key::check_at_start() {
        log::error!("{}: {}", problem.code, problem.en);
        eprintln!("{}: {}\n{}", problem.code, problem.zh, problem.en);
        return ExitCode::FAILURE;
    }
    let mock_camera = args.mock_camera;
    let app = tauri::Builder::default()
        .plugin(updater::plugin())
        .manage(state)
        .manage(lockdown::Lockdown::new(args.kiosk))
        .invoke_handler(invoke_handler())
        .setup(move |app| {
            let window =
                lockdown::build_main_window(app.handle(), &app.state::<lockdown::Lockdown>())?;
            camera::install(&window, mock_camera, lockdown::own_origin(app.handle()))?;
            console::install(&window)?;
            commands::sync::start_scheduler(app.handle());
            updater::start_background(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!("tauri.conf.json"));
    match app {
        Ok(app) => {
            app.run(|handle, event| lockdown::on_run_event(handle, &event));
            ExitCode::SUCCESS
        }
        Err(error) => {
            log::error!("the app stopped with an error: {error}");
            eprintln!("通办自助登记终端无法启动 / the kiosk app could not start: {error}");
            ExitCode::from(1)
        }
    }
}
