//! How kioskctl prints problems and JSON.

use kiosk_api::cli_error::CliError;
use kiosk_core::Problem;
use serde::Serialize;

/// Prints a problem to stderr in both languages.
pub fn print_problem(problem: &Problem) {
    eprintln!("错误 [{}]: {}", problem.code, problem.zh);
    eprintln!("error [{}]: {}", problem.code, problem.en);
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), Problem> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Problem::from(CliError::OutputFailed(e.to_string())))?;
    println!("{text}");
    Ok(())
}
