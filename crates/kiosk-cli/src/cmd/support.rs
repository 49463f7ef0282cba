//! `kioskctl support-bundle --out FILE.zip`: logs, settings and health for support, never
//! personal data.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, clock, support};

use crate::output;

/// Arguments of `kioskctl support-bundle`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The zip file to write.
    #[arg(long, value_name = "FILE.zip")]
    out: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs the doctor, then writes the bundle with its report.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let report = super::doctor::check(data_dir.clone())?;
    let kiosk = super::open_kiosk(data_dir)?;
    let bundle = support::write_bundle(&kiosk, &args.out, Some(&report), clock::now_ms())?;
    if args.json {
        output::print_json(&bundle)?;
    } else {
        println!(
            "已写入支持包 / support bundle written: {} ({} entries, {} bytes)",
            bundle.path,
            bundle.entries.len(),
            bundle.bytes
        );
    }
    Ok(ExitCode::SUCCESS)
}
