//! The kiosk's printed documents: the risk commitment letter (风险承诺书), the acceptance
//! receipt (受理回执), and printing them through CUPS.
//!
//! The crate takes its own plain input structs ([`RiskLetter`], [`Receipt`]) so that it does
//! not depend on the application model; `kiosk-api` maps an application onto them. Document
//! text comes from versioned templates in `assets/templates/` (embedded at build time), and
//! every page is set in Noto Sans CJK SC, embedded as a subset so a page stays a few KB.
//!
//! `examples/risk_letter.rs` renders a sample letter with the system font, to look at:
//! `cargo run -p kiosk-docs --example risk_letter -- /tmp/letter.pdf`.
//!
//! May import: kiosk-core. Imported by kiosk-api.
#![deny(missing_docs)]

mod canvas;
mod error;
mod font;
pub mod print;
mod qr;
mod receipt;
mod report;
mod risk_letter;
pub mod templates;
mod text;

pub use error::DocsError;
pub use font::{DocumentFont, FONT_FILE_NAME, FontSource, SYSTEM_FONT_FACE, SYSTEM_FONT_PATH};
pub use receipt::{Paper, Receipt, ReceiptState, render_receipt};
pub use report::{CountRow, DayReportPage, render_day_report};
pub use risk_letter::{RiskLetter, render_risk_letter};
pub use text::Substitution;

/// The text encoded in the QR code of a document about `application_no` (defined once, in
/// `kiosk_core::letter_qr`, where kiosk-capture reads it back).
pub use kiosk_core::letter_qr::payload as qr_payload;

/// A rendered PDF with what the renderer had to change to print it.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedPdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Characters that the font cannot draw and were printed as their code point instead
    /// (e.g. `〔U+0627〕`). Empty for ordinary Chinese and Latin text. Callers should show
    /// these to the clerk: the printed text differs from what was typed.
    pub substitutions: Vec<Substitution>,
}
