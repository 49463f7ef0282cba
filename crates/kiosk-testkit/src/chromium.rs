//! Chromium as the peer of the PDF benchmarks: the same headless `--print-to-pdf` call for the
//! criterion bench (kiosk-docs) and bench/run (kiosk-bench), so both measure the same thing.

use std::path::Path;
use std::process::{Command, Stdio};

/// `browser --headless --print-to-pdf=OUT file://PAGE`, quiet, with its own profile folder
/// `profile` and no network, sync or first-run work; run it with `.status()`.
pub fn print_to_pdf(browser: &Path, profile: &Path, page: &Path, out: &Path) -> Command {
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}
