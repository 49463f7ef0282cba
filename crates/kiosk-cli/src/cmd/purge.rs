//! `kioskctl purge`: delete payloads of applications confirmed longer ago than the retention
//! period, and abandoned drafts. The audit rows stay.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, clock, retention};

use crate::output;

/// Arguments of `kioskctl purge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Set the retention period (days) before purging.
    #[arg(long)]
    retention_days: Option<u32>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Purges now.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    if let Some(days) = args.retention_days {
        retention::set_retention_days(&kiosk, days)?;
    }
    let summary = retention::purge(&kiosk, "kioskctl", clock::now_ms())?;
    if args.json {
        output::print_json(&summary)?;
    } else {
        println!(
            "已清除 {} 份申请材料（{} 字节）、{} 份草稿 / purged {} applications ({} bytes), {} drafts",
            summary.applications,
            summary.bytes,
            summary.drafts,
            summary.applications,
            summary.bytes,
            summary.drafts
        );
    }
    Ok(ExitCode::SUCCESS)
}
