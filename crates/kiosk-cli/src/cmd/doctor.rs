//! `kioskctl doctor [--json]`: checks the kiosk and prints what to fix.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::doctor::{self, CheckStatus, DoctorReport, Probes};
use kiosk_api::{Problem, config, sync};

use crate::output;

/// Arguments of `kioskctl doctor`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs every check; exit 1 when something needs fixing.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let report = check(data_dir)?;
    if args.json {
        output::print_json(&report)?;
    } else {
        print(&report);
    }
    Ok(if report.needs_fixing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The doctor's report for the data directory chosen by `--data-dir` / `KIOSK_DATA_DIR`.
pub fn check(data_dir: Option<PathBuf>) -> Result<DoctorReport, Problem> {
    let dir = config::resolve_data_dir(data_dir, std::env::var_os(config::DATA_DIR_ENV))?;
    sync::block_on(async { Ok(doctor::doctor(&dir, &Probes::default()).await) })
}

fn print(report: &DoctorReport) {
    for check in &report.checks {
        let mark = match check.status {
            CheckStatus::Ok => "正常 ok  ",
            CheckStatus::Warn => "注意 WARN",
            CheckStatus::Fail => "需修复 FAIL",
        };
        println!("[{mark}] {:<9} {}", check.id, check.zh);
        println!("{:>22}{}", "", check.en);
        if let (Some(zh), Some(en)) = (&check.fix_zh, &check.fix_en) {
            println!("{:>12}处理 / fix: {zh}", "");
            println!("{:>22}{en}", "");
        }
    }
    if report.needs_fixing {
        println!("结果 / result: 有问题需要处理 / something needs fixing");
    } else {
        println!("结果 / result: 正常 / all good");
    }
}
