//! Row c: one risk commitment letter rendered by kiosk-docs (font loaded once, as in the
//! running kiosk), against Chromium's `--headless --print-to-pdf` of the same letter as HTML
//! (`crates/kiosk-docs/benches/risk-letter.html`, the criterion bench's page), one cold
//! Chromium per letter. `CHROMIUM` overrides `/usr/bin/chromium`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use kiosk_docs::{DocumentFont, FontSource, RiskLetter, render_risk_letter};
use serde_json::json;

use crate::{Failure, summary};

const RUNS: usize = 200;

/// The HTML twin of [`RiskLetter::sample`], kept by kiosk-docs' bench; compiled in so the
/// binary runs from anywhere.
const PAGE: &str = include_str!("../../kiosk-docs/benches/risk-letter.html");

/// Nanoseconds this thread has spent on a CPU (Linux), if known.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// User + system CPU time of this process's waited-for children, in ms (Linux, USER_HZ 100).
fn children_cpu_ms() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = text.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

/// Renders the letter `RUNS` times, then Chromium `chromium_runs` times (after two warm-ups).
pub fn run(chromium_runs: usize) -> Result<serde_json::Value, Failure> {
    let font = DocumentFont::load_source(&FontSource::system())?;
    let letter = RiskLetter::sample();
    let mut wall = Vec::with_capacity(RUNS);
    let mut cpu = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let cpu_start = thread_cpu_ns();
        let started = Instant::now();
        let pdf = render_risk_letter(&letter, &font)?;
        wall.push(started.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_ns()) {
            cpu.push(b.saturating_sub(a) as f64 / 1e6);
        }
        size = pdf.bytes.len();
    }
    let (p50, p99, _) = summary(wall);
    let (cpu_p50, _, _) = summary(cpu);
    let chromium = chromium(chromium_runs)?;
    Ok(json!({
        "ours": { "p50_ms": p50, "p99_ms": p99, "cpu_p50_ms": cpu_p50, "bytes": size, "runs": RUNS },
        "chromium": chromium,
    }))
}

fn chromium(runs: usize) -> Result<serde_json::Value, Failure> {
    let browser = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !browser.exists() {
        return Err(format!("{} not found (apt-get install chromium)", browser.display()).into());
    }
    let work = tempfile::tempdir()?;
    let page = work.path().join("risk-letter.html");
    std::fs::write(&page, PAGE)?;
    let out = work.path().join("letter.pdf");
    let mut times = Vec::with_capacity(runs);
    let mut cpu_before = None;
    for run in 0..runs + 2 {
        if run == 2 {
            cpu_before = children_cpu_ms();
        }
        let _ = std::fs::remove_file(&out);
        let started = Instant::now();
        let status = print_to_pdf(&browser, work.path(), &page, &out)?;
        let elapsed = started.elapsed().as_secs_f64() * 1e3;
        if !status.success() || !out.exists() {
            return Err(format!("chromium --print-to-pdf failed: {status}").into());
        }
        if run >= 2 {
            times.push(elapsed);
        }
    }
    let cpu = cpu_before
        .zip(children_cpu_ms())
        .map(|(before, after)| (after - before) / runs.max(1) as f64);
    let (p50, _, _) = summary(times);
    Ok(json!({
        "p50_ms": p50,
        "cpu_mean_ms": cpu,
        "bytes": std::fs::metadata(&out)?.len(),
        "runs": runs,
    }))
}

fn print_to_pdf(
    browser: &Path,
    work: &Path,
    page: &Path,
    out: &Path,
) -> std::io::Result<std::process::ExitStatus> {
    kiosk_testkit::chromium::print_to_pdf(browser, &work.join("profile"), page, out).status()
}
