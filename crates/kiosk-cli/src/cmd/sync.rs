//! `kioskctl sync --once`, `kioskctl sync --heartbeat`, `kioskctl sync status [--json]` and
//! `kioskctl sync enrol` (the same as `kioskctl enrol`).

use kiosk_api::cli_error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, sync};

use crate::output;

/// Arguments of `kioskctl sync`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Run one sync round and exit (upload what is due, pull status and master data).
    #[arg(long)]
    once: bool,
    /// Post one heartbeat (health figures) to the platform and exit.
    #[arg(long, conflicts_with = "once")]
    heartbeat: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Enrolment and queue figures.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Enrol with the platform (same as `kioskctl enrol`; `--re-enrol` to replace an
    /// existing enrolment).
    Enrol(super::enrol::Args),
}

/// Runs the sync subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    match &args.action {
        Some(Action::Enrol(enrol)) => super::enrol::run(data_dir, enrol),
        Some(Action::Status { json }) => {
            let kiosk = super::open_kiosk(data_dir)?;
            let status = sync::sync_status(&kiosk)?;
            if *json || args.json {
                output::print_json(&status)?;
            } else {
                println!(
                    "enrolled: {}  platform: {}  kiosk: {}",
                    status.enrolled,
                    status.platform_url.as_deref().unwrap_or("-"),
                    status.kiosk_id.as_deref().unwrap_or("-")
                );
                println!(
                    "waiting: {}  due now: {}  delivered: {}  sealed locally: {}  status cursor: {}",
                    status.waiting,
                    status.due_now,
                    status.delivered,
                    status.sealed_locally,
                    status.status_cursor
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        None if args.heartbeat => {
            let kiosk = super::open_kiosk(data_dir)?;
            sync::block_on(sync::send_heartbeat(&kiosk))?;
            println!("心跳已发送 / heartbeat sent");
            Ok(ExitCode::SUCCESS)
        }
        None if args.once => {
            let kiosk = super::open_kiosk(data_dir)?;
            let report = sync::block_on(sync::sync_once(&kiosk))?;
            if args.json {
                output::print_json(&report)?;
            } else {
                println!(
                    "delivered: {}  refused: {}  retry later: {}  status updates: {}  master data updated: {}  bytes: {}",
                    report.delivered,
                    report.refused,
                    report.retried,
                    report.status_updates,
                    report.master_updated,
                    report.bytes_sent
                );
                if let Some(e) = &report.last_error {
                    println!("last error: {e}");
                }
            }
            Ok(if report.retried > 0 || report.last_error.is_some() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        None => Err(CliError::SyncModeMissing.into()),
    }
}
