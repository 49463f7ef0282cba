//! `kioskctl audit verify|recent`.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, audit};

use crate::output;

/// Arguments of `kioskctl audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Check the keyed chain, then against the anchor the platform holds; exit 1 if any row
    /// was edited or deleted.
    Verify {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the newest rows.
    Recent {
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the audit subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    match &args.action {
        Action::Verify { json } => {
            let (report, anchor) = kiosk_api::sync::block_on(audit::verify_anchored(&kiosk))?;
            if *json {
                // The report's fields, and where the platform's anchor stands.
                let mut json = serde_json::to_value(&report).unwrap_or_default();
                json["anchor"] = serde_json::to_value(anchor).unwrap_or_default();
                output::print_json(&json)?;
            } else if report.intact {
                println!("审计日志完整 / audit log intact ({} rows)", report.rows);
                println!(
                    "{}",
                    match anchor {
                        audit::AnchorCheck::Matches =>
                            "与平台保存的锚点一致 / matches the anchor the platform holds",
                        audit::AnchorCheck::NoneYet =>
                            "平台尚无锚点 / the platform holds no anchor yet",
                        audit::AnchorCheck::NotChecked =>
                            "未能与平台核对锚点（未注册或离线）/ anchor not checked (not enrolled or offline)",
                    }
                );
            } else {
                println!(
                    "审计日志被改动 / audit log BROKEN at row {}: {}",
                    report.broken_at_seq.unwrap_or_default(),
                    report.reason.as_deref().unwrap_or("")
                );
            }
            Ok(if report.intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Action::Recent { limit, json } => {
            let lines = audit::recent(&kiosk, *limit)?;
            if *json {
                output::print_json(&lines)?;
            } else {
                for l in &lines {
                    println!(
                        "{:>6} {} {:<12} {:<28} {} {}",
                        l.seq,
                        l.at,
                        l.actor,
                        l.action,
                        l.application_id.as_deref().unwrap_or("-"),
                        l.detail
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
