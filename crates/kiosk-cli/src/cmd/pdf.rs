//! `kioskctl pdf risk-letter|receipt --input app.json --out file.pdf`: render an
//! application's documents to PDF files through the same use cases as the kiosk screen.

use kiosk_api::cli_error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;

use kiosk_api::documents::{self, HallInfo, ReceiptState, WrittenDocument};
use kiosk_api::{Problem, clock};
use kiosk_core::Application;

use crate::output;

/// Arguments of `kioskctl pdf`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    document: Document,
}

#[derive(Debug, clap::Subcommand)]
enum Document {
    /// The risk commitment letter (风险承诺书) of a legal-entity application, A4.
    RiskLetter(Common),
    /// The acceptance receipt (受理回执), A4 or 80 mm roll.
    Receipt(ReceiptArgs),
}

#[derive(Debug, clap::Args)]
struct Common {
    /// Application JSON file.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// PDF file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Application number for the text and QR code (default: the application's `id`, else
    /// a new one).
    #[arg(long)]
    application_no: Option<String>,
    /// Date (letter) or date and time (receipt) as printed (default: now, China time).
    #[arg(long)]
    date: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct ReceiptArgs {
    #[command(flatten)]
    common: Common,
    /// Paper: a4 or 80mm.
    #[arg(long, default_value = "a4")]
    paper: String,
    /// Printed state: queued or received (by the platform).
    #[arg(long, default_value = "queued", value_parser = ["queued", "received"])]
    state: String,
    /// Name of the kiosk printed on the receipt.
    #[arg(long, default_value = "")]
    kiosk_name: String,
    /// Name of the service hall.
    #[arg(long, default_value = "")]
    hall_name: String,
    /// Help-desk phone of the hall.
    #[arg(long, default_value = "")]
    hall_phone: String,
}

/// Renders the requested document.
pub fn run(args: &Args) -> Result<ExitCode, Problem> {
    let now = clock::now_ms();
    match &args.document {
        Document::RiskLetter(common) => {
            let (app, number) = load(common)?;
            let date = match &common.date {
                Some(d) => d.clone(),
                None => clock::date_text(now),
            };
            let doc = documents::write_risk_letter(&app, &number, &date, &common.out)?;
            report(common, &doc)?;
        }
        Document::Receipt(r) => {
            let paper = documents::parse_paper(&r.paper)?;
            let (app, number) = load(&r.common)?;
            let issued = match &r.common.date {
                Some(d) => d.clone(),
                None => clock::timestamp_text(now),
            };
            let hall = HallInfo {
                kiosk_name: r.kiosk_name.clone(),
                hall_name: r.hall_name.clone(),
                hall_phone: r.hall_phone.clone(),
            };
            let state = if r.state == "received" {
                ReceiptState::Received
            } else {
                ReceiptState::Queued
            };
            let doc = documents::write_receipt(
                &app,
                &number,
                &hall,
                &issued,
                state,
                paper,
                &r.common.out,
            )?;
            report(&r.common, &doc)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn load(common: &Common) -> Result<(Application, String), Problem> {
    let text = std::fs::read_to_string(&common.input).map_err(|e| {
        Problem::from(CliError::InputUnreadable {
            path: common.input.clone(),
            reason: e.to_string(),
        })
    })?;
    let app = Application::from_json(&text)?;
    let number = common
        .application_no
        .clone()
        .or_else(|| app.id.clone())
        .unwrap_or_else(documents::new_application_no);
    Ok((app, number))
}

fn report(common: &Common, doc: &WrittenDocument) -> Result<(), Problem> {
    for s in &doc.substitutions {
        eprintln!(
            "字体缺字 / missing glyph in {}: {:?} printed as {}",
            s.field, s.character, s.printed_as
        );
    }
    if common.json {
        return output::print_json(doc);
    }
    println!(
        "{} ({} 页 / pages, {:.1} KB, 受理编号 / number {})",
        doc.path,
        doc.pages,
        doc.bytes as f64 / 1024.0,
        doc.application_no
    );
    Ok(())
}
