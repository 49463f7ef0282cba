//! `kioskctl`: administer and script a kiosk without its window.
//!
//! Exit codes: 0 success, 1 the request was refused or failed (a problem is printed in
//! Chinese and English), 2 usage error.

mod cmd;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// 通办自助登记终端 command line.
#[derive(Debug, Parser)]
#[command(name = "kioskctl", version, about = "通办自助登记终端 command line / 命令行工具")]
struct Cli {
    /// Data directory (default: $KIOSK_DATA_DIR, else the user's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the kiosk's health: version, data directory, database.
    Status(cmd::status::Args),
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let data_dir = cli.data_dir;
    let result = match cli.command {
        Command::Status(args) => cmd::status::run(data_dir, &args),
    };
    match result {
        Ok(code) => code,
        Err(problem) => {
            output::print_problem(&problem);
            ExitCode::from(1)
        }
    }
}
