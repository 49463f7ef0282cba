//! `kioskctl submit --profile <p> <application.json> [--attach slot=file ...]`: the same
//! submission path the kiosk screen uses.
//!
//! When files are attached, kiosk-api writes the application's `attachments` list from them
//! (slot, generated file name, media type, size, SHA-256), as for the kiosk screen's captures.

use kiosk_api::cli_error::CliError;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kiosk_api::submit::{self, AttachmentUpload, Submission};
use kiosk_api::{Problem, clock};

use crate::output;

/// Arguments of `kioskctl submit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Platform profile, e.g. `tianjin`.
    #[arg(long)]
    profile: String,
    /// The application JSON file.
    application: PathBuf,
    /// An attachment as `slot=file`; repeat for more.
    #[arg(long = "attach", value_name = "SLOT=FILE")]
    attachments: Vec<String>,
    /// Print the receipt as JSON.
    #[arg(long)]
    json: bool,
}

fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    std::fs::read(path).map_err(|e| {
        CliError::FileUnreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
        .into()
    })
}

/// MIME type from the file extension.
fn media_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("pdf") => "application/pdf",
        Some("json") => "application/json",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("doc") => "application/msword",
        _ => "application/octet-stream",
    }
}

fn attachment(spec: &str) -> Result<AttachmentUpload, Problem> {
    let Some((slot, file)) = spec
        .split_once('=')
        .filter(|(s, f)| !s.is_empty() && !f.is_empty())
    else {
        return Err(CliError::AttachArgumentInvalid(spec.to_owned()).into());
    };
    let path = Path::new(file);
    Ok(AttachmentUpload {
        slot: slot.to_owned(),
        media_type: media_type(path).to_owned(),
        bytes: read(path)?,
    })
}

/// Submits the application and prints its id.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let json = read(&args.application)?;
    let json = String::from_utf8(json).map_err(|_| Problem::from(CliError::ApplicationNotUtf8))?;
    let application: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| Problem::from(CliError::ApplicationNotJson(e.to_string())))?;
    let attachments = args
        .attachments
        .iter()
        .map(|spec| attachment(spec))
        .collect::<Result<Vec<_>, _>>()?;
    let kiosk = super::open_kiosk(data_dir)?;
    let submission = Submission {
        profile: &args.profile,
        application,
        attachments,
        actor: "kioskctl",
        draft_id: None,
    };
    let receipt = submit::submit(&kiosk, submission, clock::now_ms())?;
    if args.json {
        output::print_json(&receipt)?;
    } else {
        println!("{}", receipt.id);
    }
    Ok(ExitCode::SUCCESS)
}
