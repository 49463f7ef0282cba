//! `kioskctl queue list|show <id>|stats|seal-to-platform <age1...>`.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, clock, queue};

use crate::output;

/// Arguments of `kioskctl queue`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// List applications, newest first (drafts only with --state draft).
    List {
        /// Only this lifecycle state (submitted, uploading, accepted, ...).
        #[arg(long)]
        state: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one application (masked summary, attachments, platform updates).
    Show {
        /// Application id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Counts per state and outbox figures.
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record the platform's age recipient and re-seal everything sealed locally (enrolment).
    SealToPlatform {
        /// The platform's `age1...` recipient.
        recipient: String,
    },
}

/// Runs the queue subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    match &args.action {
        Action::List { state, limit, json } => {
            let state = state.as_deref().map(queue::parse_state).transpose()?;
            let items = queue::list(&kiosk, state, *limit)?;
            if *json {
                output::print_json(&items)?;
            } else {
                for i in &items {
                    println!(
                        "{}  {:<12} {:<8} {:<14} attempts={}",
                        i.id,
                        i.state.as_str(),
                        i.profile,
                        i.kind,
                        i.attempts
                    );
                }
                println!("({} 条 / items)", items.len());
            }
        }
        Action::Show { id, json } => {
            let detail = queue::show(&kiosk, id)?;
            if *json {
                output::print_json(&detail)?;
            } else {
                let i = &detail.item;
                println!("编号 / id:        {}", i.id);
                println!("状态 / state:     {} ({})", i.state_label, i.state.as_str());
                println!("事项 / kind:      {} @ {}", i.kind, i.profile);
                println!("摘要 / summary:   {}", i.summary);
                println!(
                    "加密 / sealing:   {}",
                    detail.sealing.as_deref().unwrap_or("-")
                );
                for a in &detail.attachments {
                    println!(
                        "材料 / attachment: {} {} {} bytes sha256={}",
                        a.slot, a.media_type, a.size, a.sha256
                    );
                }
                for u in &detail.updates {
                    println!(
                        "平台 / platform:  {} {}",
                        u.state,
                        u.message.as_deref().unwrap_or("")
                    );
                }
            }
        }
        Action::Stats { json } => {
            let stats = queue::stats(&kiosk, clock::now_ms())?;
            if *json {
                output::print_json(&stats)?;
            } else {
                for (state, n) in &stats.by_state {
                    println!("{state:<14} {n}");
                }
                println!("due now        {}", stats.due_now);
                println!("sealed locally {}", stats.sealed_locally);
            }
        }
        Action::SealToPlatform { recipient } => {
            let n = queue::seal_to_platform(&kiosk, recipient, clock::now_ms())?;
            println!("已重新加密 {n} 份申请 / re-sealed {n} applications");
        }
    }
    Ok(ExitCode::SUCCESS)
}
