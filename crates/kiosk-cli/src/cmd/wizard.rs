//! `kioskctl wizard …`: the wizard's rules without a window, through the same kiosk-api use
//! cases as the screen — a flow's form, checking a field, finishing a step (fields, SMS, registered values, the
//! live real-name check), the masked summary, SMS codes, registered checks, master-data lists
//! and the status lookup.
//!
//! Applications are JSON files as the wizard builds them (nested, partial allowed).

use kiosk_api::cli_error::CliError;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use kiosk_api::checks::RegisteredCheck;
use kiosk_api::status::LookupBy;
use kiosk_api::{Problem, clock, master, online, status, sync, validate, wizard};

use crate::output;

/// Arguments of `kioskctl wizard`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The form of a flow: its steps and fields in the order they are asked.
    Form {
        /// Platform profile (zhengzhou, tianjin, shandong, most).
        #[arg(long)]
        profile: String,
        /// Flow (natural-person, legal-entity, expert, legacy-binding, real-name, password-reset-appeal).
        #[arg(long)]
        kind: String,
    },
    /// Finish one step of a flow with an application file: problems, values taken on, notes.
    Step {
        #[arg(long)]
        profile: String,
        #[arg(long)]
        kind: String,
        /// The step's key (e.g. account, person, unit).
        #[arg(long)]
        step: String,
        /// The visitor confirmed a name the platform did not match (manual review).
        #[arg(long)]
        confirm_manual: bool,
        /// The application so far (JSON).
        file: PathBuf,
    },
    /// Check one field as the visitor leaves it (a document number by its document's rules);
    /// exit status 1 when it has problems.
    Field {
        #[arg(long)]
        profile: String,
        #[arg(long)]
        kind: String,
        /// The field's path (e.g. person.document.number).
        #[arg(long)]
        path: String,
        /// The application so far (JSON).
        file: PathBuf,
    },
    /// The masked summary the visitor checks before handing in.
    Summary {
        #[arg(long)]
        profile: String,
        #[arg(long)]
        kind: String,
        file: PathBuf,
    },
    /// Ask the platform to text the application's mobile a code.
    SmsSend {
        #[arg(long)]
        profile: String,
        #[arg(long)]
        kind: String,
        file: PathBuf,
    },
    /// Verify a code with the platform; prints the values the application takes on.
    SmsVerify {
        #[arg(long)]
        profile: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        code: String,
        file: PathBuf,
    },
    /// Whether a value is already registered on the platform.
    Registered {
        /// account-name, id-number, uscc or mobile.
        check: String,
        value: String,
    },
    /// A master-data list (legal-entity-natures, supervising-departments, industries).
    List {
        name: String,
        #[arg(long)]
        profile: Option<String>,
    },
    /// Look an application up by receipt code (or QR text) and the ID's last four characters.
    Lookup {
        /// The receipt code (`KG695-HRKAD`) or the receipt's QR text (`TONGBAN:<id>`).
        #[arg(long)]
        code: String,
        /// The last four characters of the applicant's ID number.
        #[arg(long)]
        id_last4: String,
    },
}

fn read(file: &Path) -> Result<serde_json::Value, Problem> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Problem::from(CliError::FileUnreadable {
            path: file.to_path_buf(),
            reason: e.to_string(),
        })
    })?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::JsonFileInvalid {
            path: file.to_path_buf(),
            line: e.line(),
        }
        .into()
    })
}

fn registered_check(name: &str) -> Result<RegisteredCheck, Problem> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|_| CliError::CheckUnknown.into())
}

/// Prints `value` as JSON, or each problem/note as text.
fn show(json: bool, value: &impl serde::Serialize) -> Result<(), Problem> {
    if json {
        return output::print_json(value);
    }
    let text = serde_json::to_value(value).unwrap_or_default();
    println!(
        "{}",
        serde_json::to_string_pretty(&text).unwrap_or_default()
    );
    Ok(())
}

/// Runs `kioskctl wizard`.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let json = args.json;
    match &args.command {
        Command::Form { profile, kind } => {
            show(json, &validate::flow_form(profile, kind)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Step {
            profile,
            kind,
            step,
            confirm_manual,
            file,
        } => {
            let kiosk = super::open_kiosk(data_dir)?;
            let application = read(file)?;
            let outcome = sync::block_on(wizard::finish_step(
                &kiosk,
                profile,
                kind,
                step,
                application,
                *confirm_manual,
                clock::now_ms(),
            ))?;
            show(json, &outcome)?;
            Ok(if outcome.done {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Field {
            profile,
            kind,
            path,
            file,
        } => {
            let problems = wizard::check_field(profile, kind, path, read(file)?, clock::now_ms())?;
            if json {
                output::print_json(&problems)?;
            } else if problems.is_empty() {
                println!("ok");
            } else {
                for p in &problems {
                    println!("{}: {} / {}", p.code, p.zh, p.en);
                }
            }
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Summary {
            profile,
            kind,
            file,
        } => {
            let kiosk = super::open_kiosk(data_dir)?;
            let rows = wizard::summary(&kiosk, profile, kind, read(file)?)?;
            if json {
                output::print_json(&rows)?;
            } else {
                for row in rows {
                    println!("{}: {}", row.label_zh, row.value_zh);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::SmsSend {
            profile,
            kind,
            file,
        } => {
            let kiosk = super::open_kiosk(data_dir)?;
            let app = read(file)?;
            let sent = sync::block_on(online::sms_send(
                &kiosk,
                profile,
                kind,
                &app,
                clock::now_ms(),
            ))?;
            show(json, &sent)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::SmsVerify {
            profile,
            kind,
            code,
            file,
        } => {
            let kiosk = super::open_kiosk(data_dir)?;
            let app = read(file)?;
            let verified = sync::block_on(online::sms_verify(&kiosk, profile, kind, &app, code))?;
            show(json, &verified)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Registered { check, value } => {
            let kiosk = super::open_kiosk(data_dir)?;
            let check = registered_check(check)?;
            let answer = sync::block_on(async {
                Ok::<_, Problem>(online::registered_answer(&kiosk, check, value).await)
            })?;
            show(json, &answer)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::List { name, profile } => {
            let kiosk = super::open_kiosk(data_dir)?;
            let entries = master::list(&kiosk, name, profile.as_deref())?;
            if json {
                output::print_json(&entries)?;
            } else {
                for e in entries {
                    println!("{}\t{}", e.code, e.name);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Lookup { code, id_last4 } => {
            let kiosk = super::open_kiosk(data_dir)?;
            let by = LookupBy::Receipt {
                code: code.clone(),
                id_last4: id_last4.clone(),
            };
            let found = sync::block_on(status::lookup(&kiosk, by, clock::now_ms()))?;
            show(json, &found)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
