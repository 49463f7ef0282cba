//! `kioskctl db check`: SQLCipher integrity and migration version.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, db};

use crate::output;

/// Arguments of `kioskctl db`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Check page HMACs, b-tree integrity, foreign keys and the schema version.
    Check {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the check; exit 1 when anything is wrong.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    let Action::Check { json } = &args.action;
    let report = db::check(&kiosk)?;
    if *json {
        output::print_json(&report)?;
    } else {
        println!("数据库 / database:  {}", report.path);
        println!("SQLCipher:          {}", report.cipher_version);
        println!(
            "版本 / schema:      {} / {}",
            report.schema_version, report.latest_version
        );
        for p in &report.problems {
            println!("问题 / problem:     {p}");
        }
        if report.foreign_key_problems > 0 {
            println!(
                "外键 / foreign keys: {} violations",
                report.foreign_key_problems
            );
        }
        println!(
            "结果 / result:      {}",
            if report.ok {
                "正常 / ok"
            } else {
                "异常 / FAILED"
            }
        );
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
