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
    #[arg(long, value_name = "DIR", required_unless_present = "list")]
    to: Option<PathBuf>,
    /// List where an export can go (mounted removable media, the export folder) and exit.
    #[arg(long, conflicts_with = "to")]
    list: bool,
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
    let Some(to) = &args.to else {
        let list = export::destinations::destinations(&kiosk)?;
        if args.json {
            output::print_json(&list)?;
        } else {
            for d in &list {
                println!(
                    "{}\t{:?}\t{}\t{} bytes free",
                    d.path,
                    d.kind,
                    if d.writable {
                        "writable"
                    } else {
                        "NOT writable"
                    },
                    d.free_bytes.map_or_else(|| "?".into(), |b| b.to_string())
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let report = export::export_bundle(&kiosk, to, "kioskctl", args.again, clock::now_ms())?;
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
