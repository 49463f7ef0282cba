//! `kioskctl report day [--date YYYY-MM-DD] [--pdf out.pdf] [--json]`: the end-of-day report.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, clock, report};

use super::open_kiosk;
use crate::output;

/// Arguments of `kioskctl report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Applications of one day by kind, state and operator; unsent; attachments.
    Day {
        /// The day, YYYY-MM-DD, China time (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Also write the report as an A4 PDF to this file.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the report action.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let Action::Day { date, pdf, json } = &args.action;
    let now = clock::now_ms();
    let day = report::parse_day(date.as_deref(), now)?;
    let kiosk = open_kiosk(data_dir)?;
    let report = report::day(&kiosk, day, now)?;
    if let Some(out) = pdf {
        let doc = report::write_pdf(&report, now, out)?;
        eprintln!("{} ({} 页 / pages)", doc.path, doc.pages);
    }
    if *json {
        return output::print_json(&report).map(|()| ExitCode::SUCCESS);
    }
    println!(
        "{} {} {}：受理 {} 件 / applications, 材料 {} 份 / attachments, 未报送 {} 件 / unsent",
        report.date,
        report.hall_name,
        report.kiosk_name,
        report.total,
        report.attachments,
        report.unsent
    );
    for (title, list) in [
        ("按事项 / by kind", &report.by_kind),
        ("按状态 / by state", &report.by_state),
        ("按经办人 / by operator", &report.by_operator),
    ] {
        println!("{title}:");
        for c in list {
            println!("  {:>5}  {}", c.count, c.label);
        }
    }
    Ok(ExitCode::SUCCESS)
}
