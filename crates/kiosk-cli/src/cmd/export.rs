//! `kioskctl export --to DIR`: write approved, unsent applications to one signed bundle for
//! `platformd import` (offline delivery on removable media).

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, clock, export};

use crate::output;

/// Arguments of `kioskctl export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write the bundle to (e.g. the USB stick's mount point).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    /// Also include applications exported before (the earlier medium was lost).
    #[arg(long)]
    again: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs the export subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    let report = export::export_bundle(&kiosk, &args.to, "kioskctl", args.again, clock::now_ms())?;
    if args.json {
        output::print_json(&report)?;
    } else {
        println!(
            "{}\t{} application(s)\t{} bytes",
            report.path,
            report.ids.len(),
            report.bytes
        );
    }
    Ok(ExitCode::SUCCESS)
}
