//! Documents of the kiosk written under `<data_dir>/print/`: rendering them, printing them through
//! CUPS and deleting each file once CUPS has it (they hold personal data).

use super::DocumentsError;
use super::font::font;
use super::inputs::{attachment_lines, hall_info, receipt_input, receipt_state, risk_letter_input};
use super::printers::{PrintJobInfo, print_file};
use super::{GlyphSubstitution, Paper, WrittenDocument};
use crate::{Kiosk, SETTING_PRINTER};
use kiosk_core::Problem;
use kiosk_core::UserFacing;
use kiosk_core::application::{Application, MaskedSummary};
use kiosk_docs::RenderedPdf;
use kiosk_docs::print::{Cups, PrintJob};
use std::path::{Path, PathBuf};

/// Folder under the data directory where documents wait to be printed.
pub const PRINT_FOLDER: &str = "print";

/// Renders the risk letter of the saved draft `draft_id` into the print folder. The
/// number on the letter and in its QR code is the draft id, which stays the application's
/// id on submission, so the signed scan finds its application.
pub fn risk_letter_pdf(
    kiosk: &Kiosk,
    draft_id: &str,
    now: i64,
) -> Result<WrittenDocument, Problem> {
    let draft = crate::submit::load_draft(kiosk, draft_id)?;
    let mut application = draft.application;
    if let Some(object) = application.as_object_mut() {
        object
            .entry("profile")
            .or_insert_with(|| serde_json::Value::String(draft.profile.clone()));
    }
    let app: Application = serde_json::from_value(application).map_err(|e| {
        Problem::from(DocumentsError::DraftIncomplete {
            detail: e.to_string(),
        })
    })?;
    let number = draft.id.unwrap_or_else(|| draft_id.to_owned());
    let letter = risk_letter_input(&app, &number, &china_clock::date_text(now))?;
    let pdf = kiosk_docs::render_risk_letter(&letter, font()?)?;
    let out = new_print_file(kiosk, "risk-letter", now)?;
    write(&out, &number, pdf)
}

/// Renders the receipt of the submitted application `application_id` on `paper` into the
/// print folder: state queued or received, masked applicant, hall and kiosk from settings.
pub fn receipt_pdf(
    kiosk: &Kiosk,
    application_id: &str,
    paper: Paper,
    now: i64,
) -> Result<WrittenDocument, Problem> {
    let detail = kiosk.store().show(application_id)?;
    let state = receipt_state(detail.entry.state)?;
    let summary: MaskedSummary = serde_json::from_value(detail.entry.summary.clone())
        .map_err(|_| Problem::from(DocumentsError::ReceiptSummaryUnreadable))?;
    let attachments = attachment_lines(
        &summary.profile,
        summary.kind,
        detail.attachments.iter().map(|a| a.slot.as_str()),
    );
    let mut receipt = receipt_input(
        &summary,
        &detail.entry.id,
        attachments,
        &hall_info(kiosk)?,
        &china_clock::timestamp_text(now),
        state,
    );
    receipt.status_hint = Some(format!("系统状态：{}", detail.entry.state.label_zh()));
    let pdf = kiosk_docs::render_receipt(&receipt, paper, font()?)?;
    let out = new_print_file(kiosk, "receipt", now)?;
    write(&out, &detail.entry.id, pdf)
}

/// The folder where documents wait to be printed.
pub fn print_folder(kiosk: &Kiosk) -> PathBuf {
    kiosk.data_dir().join(PRINT_FOLDER)
}

/// Deletes every document left in the print folder (run at start: a crash or power cut
/// may have left personal data there). Returns how many files were removed.
pub fn clear_print_folder(kiosk: &Kiosk) -> Result<u64, Problem> {
    let dir = print_folder(kiosk);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(folder_problem(&dir, &e)),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| folder_problem(&dir, &e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Prints a document of the print folder on `printer`, else the configured printer
/// (setting `print.printer`), else the system default; deletes the file once CUPS has
/// taken it (CUPS keeps its own spooled copy until the job is done).
pub fn print_document(
    kiosk: &Kiosk,
    path: &Path,
    printer: Option<&str>,
) -> Result<PrintJobInfo, Problem> {
    let folder = print_folder(kiosk);
    let inside = match (path.canonicalize(), folder.canonicalize()) {
        (Ok(file), Ok(folder)) => file.starts_with(&folder) && file.is_file(),
        _ => false,
    };
    if !inside {
        return Err(Problem::from(DocumentsError::PrintFileGone).at("path"));
    }
    let configured = kiosk
        .store()
        .setting(SETTING_PRINTER)?
        .filter(|p| !p.trim().is_empty());
    let printer = printer
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .or(configured);
    let job = print_file(path, printer.as_deref())?;
    if let Err(e) = std::fs::remove_file(path) {
        log::warn!("printed document could not be deleted: {e}");
    }
    purge_when_done(&job);
    Ok(job)
}

/// How long a print job may wait (paper out, jam) before its document leaves the spool.
pub const PRINT_JOB_KEPT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Follows `job` in the background; if it fails or still waits after [`PRINT_JOB_KEPT`], it
/// is cancelled: the visitor prints again from the screen, and the document does not print
/// later for someone else. (CUPS deletes a job's document once the job is done because the
/// package's postinst sets `PreserveJobFiles No`; CUPS's default keeps it for a day.)
pub(super) fn purge_when_done(job: &PrintJobInfo) {
    let job = PrintJob {
        id: job.id.clone(),
        printer: job.printer.clone(),
    };
    let spawned = std::thread::Builder::new()
        .name("print-purge".into())
        .spawn(move || {
            let cups = Cups::system();
            if let Err(e) = cups.wait(&job, PRINT_JOB_KEPT) {
                log::warn!("print job {} did not finish: {e}", job.id);
                if let Err(e) = cups.purge(&job) {
                    log::warn!("{e}");
                }
            }
        });
    if let Err(e) = spawned {
        log::warn!("print job not followed: {e}");
    }
}

/// A fresh file name in the print folder (created owner-only).
pub(crate) fn new_print_file(kiosk: &Kiosk, kind: &str, now: i64) -> Result<PathBuf, Problem> {
    let dir = print_folder(kiosk);
    std::fs::create_dir_all(&dir).map_err(|e| folder_problem(&dir, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    let unique = uuid::Uuid::now_v7();
    Ok(dir.join(format!("{kind}-{now}-{unique}.pdf")))
}

pub(super) fn folder_problem(dir: &Path, e: &std::io::Error) -> Problem {
    DocumentsError::PrintFolderFailed {
        path: dir.display().to_string(),
        detail: e.to_string(),
    }
    .into()
}

pub(crate) fn write(
    out: &Path,
    application_no: &str,
    pdf: RenderedPdf,
) -> Result<WrittenDocument, Problem> {
    std::fs::write(out, &pdf.bytes).map_err(|source| {
        kiosk_docs::DocsError::Write {
            path: out.display().to_string(),
            source,
        }
        .problem()
    })?;
    Ok(WrittenDocument {
        path: out.display().to_string(),
        pages: u32::try_from(pdf.pages).unwrap_or(u32::MAX),
        bytes: pdf.bytes.len() as u64,
        application_no: application_no.to_owned(),
        substitutions: pdf
            .substitutions
            .into_iter()
            .map(|s| GlyphSubstitution {
                field: s.field,
                character: s.character.to_string(),
                printed_as: s.printed_as,
            })
            .collect(),
    })
}
