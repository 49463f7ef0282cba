//! Printers and print jobs through CUPS: listing printers, printing a file, a job's state, paper.

use super::DocumentsError;
use super::Paper;
use kiosk_core::Problem;
use kiosk_core::UserFacing;
use kiosk_docs::print::{Cups, JobStatus, PrintJob};
use serde::Serialize;
use std::path::Path;
use std::str::FromStr;
use ts_rs::TS;

/// A CUPS print queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrinterInfo {
    /// Queue name.
    pub name: String,
    /// Whether it is the system default printer.
    pub is_default: bool,
    /// Whether the queue accepts and prints jobs (false: paper out, jam, stopped).
    pub enabled: bool,
    /// CUPS's state and reason, e.g. `disabled: Media empty`.
    pub state: String,
}

/// A print job handed to CUPS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrintJobInfo {
    /// CUPS job id, e.g. `kiosk-pdf-12`.
    pub id: String,
    /// Queue it went to.
    pub printer: String,
}

/// Where a print job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PrintJobState {
    /// Waiting or printing.
    Pending,
    /// Printed.
    Completed,
}

/// Parses `a4` or `80mm` (the paper of a receipt).
pub fn parse_paper(text: &str) -> Result<Paper, Problem> {
    Paper::from_str(text)
        .map_err(|_| Problem::from(DocumentsError::PaperUnknown { text: text.into() }).at("paper"))
}

/// The CUPS print queues, the default one marked.
pub fn list_printers() -> Result<Vec<PrinterInfo>, Problem> {
    let printers = Cups::system().printers()?;
    Ok(printers
        .into_iter()
        .map(|p| PrinterInfo {
            name: p.name,
            is_default: p.is_default,
            enabled: p.enabled,
            state: p.state,
        })
        .collect())
}

/// Sends the PDF at `path` to `printer`, or to the system default printer.
pub fn print_file(path: &Path, printer: Option<&str>) -> Result<PrintJobInfo, Problem> {
    if !path.is_file() {
        return Err(Problem::from(DocumentsError::PrintFileMissing {
            path: path.display().to_string(),
        })
        .at("path"));
    }
    let title = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let job = Cups::system().print(path, printer, &title)?;
    Ok(PrintJobInfo {
        id: job.id,
        printer: job.printer,
    })
}

/// Where a print job stands; a failed job (paper out, stopped queue) is a [`Problem`].
pub fn print_job_state(job: &PrintJobInfo) -> Result<PrintJobState, Problem> {
    let job = PrintJob {
        id: job.id.clone(),
        printer: job.printer.clone(),
    };
    match Cups::system().job_status(&job)? {
        JobStatus::Pending => Ok(PrintJobState::Pending),
        JobStatus::Completed => Ok(PrintJobState::Completed),
        JobStatus::Failed(detail) => Err(kiosk_docs::DocsError::PrintFailed { detail }.problem()),
    }
}
