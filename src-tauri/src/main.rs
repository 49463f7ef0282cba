//! Entry point of the `tongban` kiosk app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    tongban_lib::run()
}
