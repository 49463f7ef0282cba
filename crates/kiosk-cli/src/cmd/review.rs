//! `kioskctl review list|show|approve|return|policy`: supervisor review from the command line.
//!
//! Decisions read the supervisor's password from standard input (one line) and re-check it.

use kiosk_api::cli_error::CliError;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::{Problem, clock, review};
use kiosk_core::review::ReviewPolicy;

use crate::output;

/// Arguments of `kioskctl review`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// List held applications (masked), oldest first.
    List {
        /// Only this status: pending, approved, returned.
        #[arg(long)]
        status: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one held application.
    Show {
        /// Application id.
        id: String,
    },
    /// Approve one or more applications; reads the supervisor's password from stdin.
    Approve {
        /// The supervisor's username.
        #[arg(long = "as", value_name = "USERNAME")]
        supervisor: String,
        /// Remarks for the record.
        #[arg(long)]
        remarks: Option<String>,
        /// Application ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Return an application to the operator with a reason; reads the password from stdin.
    Return {
        /// The supervisor's username.
        #[arg(long = "as", value_name = "USERNAME")]
        supervisor: String,
        /// Why (shown to the operator).
        #[arg(long)]
        reason: String,
        /// Application id.
        id: String,
    },
    /// Show or set a profile's review policy: off, all or sample:N.
    Policy {
        /// Platform profile id.
        profile: String,
        /// New policy (omit to show the current one).
        policy: Option<String>,
    },
}

fn password() -> Result<String, Problem> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|_| missing())?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        return Err(missing());
    }
    Ok(line)
}

fn missing() -> Problem {
    CliError::SupervisorPasswordMissing.into()
}

/// Runs the review subcommand.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let kiosk = super::open_kiosk(data_dir)?;
    let now = clock::now_ms();
    match &args.action {
        Action::List { status, json } => {
            let status = status.as_deref().map(review::parse_status).transpose()?;
            let items = review::list(&kiosk, status)?;
            if *json {
                output::print_json(&items)?;
            } else {
                for item in &items {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        item.id,
                        item.status.as_str(),
                        item.profile,
                        item.kind,
                        item.reason.as_deref().unwrap_or("")
                    );
                }
            }
        }
        Action::Show { id } => output::print_json(&review::detail(&kiosk, id)?)?,
        Action::Approve {
            supervisor,
            remarks,
            ids,
        } => {
            let done =
                review::approve(&kiosk, supervisor, &password()?, ids, remarks.clone(), now)?;
            for id in &done.ids {
                println!("{id}\t{}", done.status.as_str());
            }
        }
        Action::Return {
            supervisor,
            reason,
            id,
        } => {
            let done =
                review::return_to_operator(&kiosk, supervisor, &password()?, id, reason, now)?;
            println!("{id}\t{}", done.status.as_str());
        }
        Action::Policy { profile, policy } => match policy {
            None => println!("{}", review::policy(&kiosk, profile)?.as_setting()),
            Some(text) => {
                let parsed = ReviewPolicy::parse(text)
                    .ok_or_else(|| Problem::from(CliError::ReviewPolicyInvalid(text.clone())))?;
                review::set_policy(&kiosk, profile, parsed, "kioskctl", now)?;
                println!("{profile}\t{}", parsed.as_setting());
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
