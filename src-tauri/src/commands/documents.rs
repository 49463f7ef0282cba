//! Documents: the risk letter of a saved draft, the receipt of a submitted application, the
//! end-of-day report, and printing them. PDFs are written under `<data_dir>/print/` and
//! deleted once printed (and at start).

use super::contract::ipc_commands;
use kiosk_api::documents::{self, PrintJobInfo, PrinterInfo, WrittenDocument};
use kiosk_api::report::{self, DayReport};
use kiosk_api::{Problem, clock};
use tauri::State;

use super::blocking;
use crate::KioskState;

ipc_commands! {
    /// The risk commitment letter of the legal-entity draft `draft_id` (its id is the number
    /// printed as text and QR code).
    #[ipc(UseWizard)]
    pub async fn risk_letter_pdf(
        state: State<'_, KioskState>,
        draft_id: String,
    ) -> Result<WrittenDocument, Problem> {
        let kiosk = state.shared()?;
        blocking(move || documents::risk_letter_pdf(&kiosk, &draft_id, clock::now_ms())).await
    }

    /// The acceptance receipt of a submitted application on `a4` or `80mm` paper.
    #[ipc(UseWizard)]
    pub async fn receipt_pdf(
        state: State<'_, KioskState>,
        application_id: String,
        paper: String,
    ) -> Result<WrittenDocument, Problem> {
        let paper = documents::parse_paper(&paper)?;
        let kiosk = state.shared()?;
        blocking(move || documents::receipt_pdf(&kiosk, &application_id, paper, clock::now_ms()))
            .await
    }

    /// The CUPS printers, the default one marked.
    #[ipc(UseWizard)]
    pub async fn list_printers() -> Result<Vec<PrinterInfo>, Problem> {
        blocking(documents::list_printers).await
    }

    /// Prints a document written by this app on `printer`, else the configured, else the
    /// default printer; the file is deleted once CUPS has it.
    #[ipc(UseWizard)]
    pub async fn print_document(
        state: State<'_, KioskState>,
        path: String,
        printer: Option<String>,
    ) -> Result<PrintJobInfo, Problem> {
        let kiosk = state.shared()?;
        blocking(move || {
            documents::print_document(&kiosk, std::path::Path::new(&path), printer.as_deref())
        })
        .await
    }

    /// The end-of-day report of `date` (`YYYY-MM-DD`, China time; today when null).
    #[ipc(ViewReports)]
    pub async fn day_report(
        state: State<'_, KioskState>,
        date: Option<String>,
    ) -> Result<DayReport, Problem> {
        let now = clock::now_ms();
        report::day(
            state.kiosk()?,
            report::parse_day(date.as_deref(), now)?,
            now,
        )
    }

    /// The end-of-day report of `date` as an A4 PDF, ready for `print_document`.
    #[ipc(ViewReports)]
    pub async fn day_report_pdf(
        state: State<'_, KioskState>,
        date: Option<String>,
    ) -> Result<WrittenDocument, Problem> {
        let now = clock::now_ms();
        let day = report::parse_day(date.as_deref(), now)?;
        let kiosk = state.shared()?;
        blocking(move || report::day_pdf(&kiosk, day, now)).await
    }
}
