//! Entry point of the `tongban` kiosk app, which is also `kioskctl` (see `tongban_lib::main`).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    tongban_lib::main()
}
