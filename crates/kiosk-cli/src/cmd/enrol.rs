//! `kioskctl enrol --platform URL --code CODE`.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, sync};

use crate::output;

/// Arguments of `kioskctl enrol`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Base URL of the platform, e.g. https://platform.example.gov.cn
    #[arg(long)]
    platform: String,
    /// The one-time enrolment code from the platform administrator.
    #[arg(long)]
    code: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs the enrol subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    let enrolment = sync::block_on(sync::enrol(&kiosk, &args.platform, &args.code))?;
    if args.json {
        output::print_json(&enrolment)?;
    } else {
        println!(
            "已注册 / enrolled: {} ({}) at {}; {} application(s) re-sealed to the platform key",
            enrolment.kiosk_name, enrolment.kiosk_id, enrolment.platform_url, enrolment.resealed
        );
    }
    Ok(ExitCode::SUCCESS)
}
