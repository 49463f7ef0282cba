//! Documents written to a file the operator names (`kioskctl pdf`).

use super::font::font;
use super::inputs::{attachment_lines, receipt_input, risk_letter_input};
use super::print_folder::write;
use super::{HallInfo, Paper, ReceiptState, WrittenDocument};
use kiosk_core::Problem;
use kiosk_core::application::Application;
use std::path::Path;

/// Renders the risk letter of `app` into `out` with `application_no` on it.
pub fn write_risk_letter(
    app: &Application,
    application_no: &str,
    today: &str,
    out: &Path,
) -> Result<WrittenDocument, Problem> {
    let letter = risk_letter_input(app, application_no, today)?;
    let pdf = kiosk_docs::render_risk_letter(&letter, font()?)?;
    write(out, application_no, pdf)
}

/// Renders the receipt of `app` on `paper` into `out` (masked through its summary).
pub fn write_receipt(
    app: &Application,
    application_no: &str,
    hall: &HallInfo,
    issued_at: &str,
    state: ReceiptState,
    paper: Paper,
    out: &Path,
) -> Result<WrittenDocument, Problem> {
    let summary = app.masked_summary();
    let attachments = attachment_lines(
        &app.profile,
        app.kind(),
        app.form.attachments().iter().map(|a| a.slot.as_str()),
    );
    let receipt = receipt_input(
        &summary,
        application_no,
        attachments,
        hall,
        issued_at,
        state,
    );
    let pdf = kiosk_docs::render_receipt(&receipt, paper, font()?)?;
    write(out, application_no, pdf)
}
