//! `kioskctl settings show [--json]` and `kioskctl settings set KEY VALUE`.

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::caller::Caller;
use kiosk_api::settings::{self, SettingView};
use kiosk_api::{Problem, clock};

use crate::output;

/// Arguments of `kioskctl settings`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Show the kiosk's settings.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change one setting (audited as `kioskctl`); an empty VALUE clears an optional one.
    /// The names, ranges and defaults are those `kioskctl settings show` lists.
    Set {
        /// Setting name, e.g. `idleTimeoutS` (or its stored key, `ui.idle_timeout_s`).
        key: String,
        /// New value.
        value: String,
    },
}

/// One line per setting: label, screen name, value (`-` for nothing), and the accepted range
/// or names; settings the kiosk keeps itself are marked.
fn print(views: &[SettingView]) {
    for v in views {
        let value = if v.value.is_empty() { "-" } else { &v.value };
        let accepts = match (v.min, v.max) {
            (Some(min), Some(max)) => format!("  [{min}-{max}]"),
            _ if !v.choices.is_empty() => format!("  [{}]", v.choices.join("|")),
            _ => String::new(),
        };
        let kept = if v.changeable {
            ""
        } else {
            "  (kept by the kiosk)"
        };
        println!("{} / {}: {value}{accepts}{kept}", v.label_zh, v.name);
    }
}

/// Runs the settings subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    match &args.action {
        Action::Show { json } => {
            if *json {
                output::print_json(&settings::get(&kiosk)?)?;
            } else {
                print(&settings::list(&kiosk)?);
            }
        }
        Action::Set { key, value } => {
            settings::set_one(&kiosk, &Caller::CliOperator, key, value, clock::now_ms())?;
            print(&settings::list(&kiosk)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
