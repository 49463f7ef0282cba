//! Renders a sample risk commitment letter (Tianjin's template) to a PDF file, to look at it:
//!
//! ```text
//! cargo run -p kiosk-docs --example risk_letter -- /tmp/letter.pdf
//! pdftoppm -png -r 100 /tmp/letter.pdf /tmp/letter
//! ```
//!
//! The letter is set in Noto Sans CJK SC from Debian's fonts-noto-cjk (a dependency of the
//! package). The letter is [`RiskLetter::sample`]: a made-up unit.

use kiosk_docs::{DocumentFont, FontSource, RiskLetter, render_risk_letter};

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "letter.pdf".into());
    let letter = RiskLetter::sample();
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
