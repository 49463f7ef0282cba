//! Renders a sample risk commitment letter (Tianjin's template) to a PDF file, to look at it:
//!
//! ```text
//! cargo run -p kiosk-docs --example risk_letter -- /tmp/letter.pdf
//! pdftoppm -png -r 100 /tmp/letter.pdf /tmp/letter
//! ```
//!
//! The letter is set in Noto Sans CJK SC from Debian's fonts-noto-cjk (a dependency of the
//! package). The sample is a made-up unit; the contact's phone is already masked, as the kiosk
//! hands it over.

use kiosk_docs::{DocumentFont, FontSource, RiskLetter, render_risk_letter};

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "letter.pdf".into());
    let letter = RiskLetter {
        profile: "tianjin".into(),
        template_version: None,
        unit_name: "天津市滨海新区智能制造研究院有限公司".into(),
        uscc: "91120116MA05K8XX3L".into(),
        legal_representative: "张建国".into(),
        platform_account: "tjznzz_2026".into(),
        contact_name: "李敏".into(),
        contact_phone_masked: Some("138****5678".into()),
        application_no: "TJ-20261123-000042".into(),
        date: "2026-11-23".into(),
    };
    let written = DocumentFont::load_source(&FontSource::system())
        .and_then(|font| render_risk_letter(&letter, &font))
        .map_err(|error| error.to_string())
        .and_then(|pdf| {
            std::fs::write(&out, &pdf.bytes).map_err(|error| error.to_string())?;
            Ok(pdf.pages)
        });
    match written {
        Ok(pages) => println!("{out}: {pages} page(s)"),
        Err(error) => {
            eprintln!("risk_letter: {error}");
            std::process::exit(1);
        }
    }
}
