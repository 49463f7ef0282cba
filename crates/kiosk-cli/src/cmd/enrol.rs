//! `kioskctl enrol --platform URL --code CODE [--re-enrol]`.

use kiosk_api::cli_error::CliError;
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
    /// The one-time enrolment code from the platform administrator (8 groups of 4: the
    /// secret, then the platform's key fingerprint).
    #[arg(long)]
    code: String,
    /// Enrol again although this kiosk is enrolled (replaces the platform key and the kiosk
    /// identity; audited; unsent applications are re-sealed to the new platform).
    #[arg(long)]
    re_enrol: bool,
    /// A PEM CA or server certificate to trust for the platform's TLS instead of the system
    /// roots (kept with the credential).
    #[arg(long, value_name = "PEM_FILE")]
    tls_ca: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs the enrol subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    let pinned = match &args.tls_ca {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            Problem::from(CliError::TlsCaUnreadable {
                path: path.clone(),
                reason: e.to_string(),
            })
        })?),
        None => None,
    };
    let enrolment = sync::block_on(sync::enrol_pinned(
        &kiosk,
        &args.platform,
        &args.code,
        args.re_enrol,
        pinned.as_deref(),
    ))?;
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
