//! `update-helper <package.deb> <package.deb.sig>`: see the library documentation.
//!
//! Prints one line of JSON: `{"installed":"<v>","previous":"<v>"}` on success (exit 0), or
//! `{"code":..,"zh":..,"en":..}` when the package is refused (exit 2) or the helper fails
//! (exit 1).
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::ExitCode;

use tongban_update_helper::{PinnedKey, Refusal, Tools, install};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let result = match args.as_slice() {
        [package, signature] => PinnedKey::compiled_in()
            .and_then(|key| install(&key, &Tools::system(), package, signature)),
        _ => Err(Refusal::Usage),
    };
    match result {
        Ok(done) => {
            println!(
                "{}",
                serde_json::json!({ "installed": done.version, "previous": done.previous })
            );
            ExitCode::SUCCESS
        }
        Err(refusal) => {
            println!("{}", refusal.to_json());
            ExitCode::from(if refusal.is_refusal() { 2 } else { 1 })
        }
    }
}
