//! `kioskctl submit --profile <p> <application.json> [--attach slot=file ...]`: the same
//! submission path the kiosk screen uses.
//!
//! When files are attached, the application's `attachments` list is rewritten to describe
//! exactly those files (slot, file name, media type, size, SHA-256), as the kiosk screen does
//! after capturing them.

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
        Problem::new(
            "FILE_UNREADABLE",
            format!("无法读取文件 {}：{e}", path.display()),
            format!("Cannot read {}: {e}", path.display()),
        )
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

fn attachment(spec: &str) -> Result<(String, AttachmentUpload), Problem> {
    let Some((slot, file)) = spec
        .split_once('=')
        .filter(|(s, f)| !s.is_empty() && !f.is_empty())
    else {
        return Err(Problem::new(
            "ATTACH_ARGUMENT_INVALID",
            format!("--attach 的格式应为 栏位=文件，而不是「{spec}」。"),
            format!("--attach takes slot=file, not \"{spec}\"."),
        ));
    };
    let path = Path::new(file);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upload = AttachmentUpload {
        slot: slot.to_owned(),
        media_type: media_type(path).to_owned(),
        bytes: read(path)?,
    };
    Ok((name, upload))
}

/// Replaces the application's `attachments` list with a description of `files`.
fn describe_files(json: &str, files: &[(String, AttachmentUpload)]) -> Result<String, Problem> {
    let mut value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        Problem::new(
            "APPLICATION_JSON_INVALID",
            format!("申请文件不是有效的 JSON：{e}"),
            format!("The application file is not valid JSON: {e}"),
        )
    })?;
    let list: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, f)| {
            serde_json::json!({
                "slot": f.slot,
                "fileName": name,
                "mediaType": f.media_type,
                "sizeBytes": f.bytes.len(),
                "sha256": kiosk_api::submit::sha256_hex(&f.bytes),
            })
        })
        .collect();
    if let Some(object) = value.as_object_mut() {
        object.insert("attachments".into(), list.into());
    }
    Ok(value.to_string())
}

/// Submits the application and prints its id.
pub fn run(data_dir: Option<PathBuf>, args: &Args) -> Result<ExitCode, Problem> {
    let json = read(&args.application)?;
    let json = String::from_utf8(json).map_err(|_| {
        Problem::new(
            "APPLICATION_JSON_INVALID",
            "申请文件不是 UTF-8 文本。",
            "The application file is not UTF-8 text.",
        )
    })?;
    let files = args
        .attachments
        .iter()
        .map(|spec| attachment(spec))
        .collect::<Result<Vec<_>, _>>()?;
    let json = if files.is_empty() {
        json
    } else {
        describe_files(&json, &files)?
    };
    let attachments = files.into_iter().map(|(_, upload)| upload).collect();
    let kiosk = super::open_kiosk(data_dir)?;
    let submission = Submission {
        profile: &args.profile,
        application_json: &json,
        attachments,
        actor: "kioskctl",
        replaces_draft: None,
    };
    let receipt = submit::submit(&kiosk, submission, clock::now_ms())?;
    if args.json {
        output::print_json(&receipt)?;
    } else {
        println!("{}", receipt.id);
    }
    Ok(ExitCode::SUCCESS)
}
