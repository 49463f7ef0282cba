//! `kioskctl status`: the same health report the home screen shows.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, health};

use crate::output;

/// Arguments of `kioskctl status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Prints the health report; exit 1 when the database is unreachable.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    let report = health::health(&kiosk);
    if args.json {
        output::print_json(&report)?;
    } else {
        println!("终端 / kiosk:      {}", report.kiosk_name);
        println!("模式 / mode:       {}", report.mode.as_str());
        println!("版本 / version:    {}", report.app_version);
        println!("数据 / data dir:   {}", report.data_dir);
        match &report.database_problem {
            None => println!("数据库 / database: 正常 / ok"),
            Some(problem) => output::print_problem(problem),
        }
    }
    Ok(if report.database_reachable {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
