//! `kioskctl purge`: delete payloads of applications confirmed longer ago than the retention
//! period, and abandoned drafts. The audit rows stay. `--drafts` runs only the app's draft
//! expiry job once (see `kiosk_api::scheduler`).

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::scheduler::{self, Job};
use kiosk_api::{Problem, clock, retention};

use crate::output;

/// Arguments of `kioskctl purge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Set the retention period (days) before purging.
    #[arg(long)]
    retention_days: Option<u32>,
    /// Only delete abandoned drafts (the scheduler's draft expiry job, run once).
    #[arg(long, conflicts_with = "retention_days")]
    drafts: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Purges now.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    if args.drafts {
        let outcome = scheduler::run_job(&kiosk, Job::DraftExpiry, clock::now_ms())?;
        if args.json {
            output::print_json(&outcome)?;
        } else {
            println!(
                "已删除 {} 份过期草稿 / deleted {} abandoned drafts",
                outcome.drafts_expired, outcome.drafts_expired
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
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
