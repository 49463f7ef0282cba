//! One risk commitment letter: time to render (font already loaded, as in the running
//! kiosk) and size of the PDF, and in the same run the usual web-kiosk way of making the
//! same letter: Chromium's `--headless --print-to-pdf` of an equivalent HTML page
//! (`benches/risk-letter.html`), one cold Chromium process per letter.
//!
//! `cargo bench -p kiosk-docs --bench risk_letter`. Prints p50/p99 over 200 runs for
//! kiosk-docs and p50 over `CHROMIUM_RUNS` (default 20) runs for Chromium, both sizes and
//! the ratio, then lets criterion measure kiosk-docs. `CHROMIUM` overrides the browser
//! path (default `/usr/bin/chromium`); without a browser the comparison is skipped with a
//! message.
//!
//! On a shared, busy machine wall time mostly measures waiting for a core, so the bench
//! also reports CPU time (Linux: this thread's run time from `/proc/thread-self/schedstat`;
//! for Chromium, the children's user + system time from `/proc/self/stat`).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "benchmark harness: a failure aborts the run"
)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use kiosk_docs::{DocumentFont, FontSource, RiskLetter, render_risk_letter};

const RUNS: usize = 200;

fn font() -> DocumentFont {
    let start = Instant::now();
    let font =
        DocumentFont::load_source(&FontSource::system()).unwrap_or_else(|e| panic!("font: {e}"));
    println!(
        "font load (once per process): {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    font
}

/// Nanoseconds this thread has spent on a CPU (Linux), if known.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// User + system CPU time of this process's waited-for children, in milliseconds (Linux).
fn children_cpu_ms() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = text.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of stat, i.e. 13 and 14 after the name.
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    Some(ticks * 10.0) // USER_HZ is 100 on Linux
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Chromium printing the equivalent page: p50 wall ms, mean CPU ms per run, PDF bytes.
fn chromium(runs: usize) -> Result<(f64, Option<f64>, u64), String> {
    let browser = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !browser.exists() {
        return Err(format!("{} not found", browser.display()));
    }
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/risk-letter.html");
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = work.path().join("letter.pdf");
    let mut times = Vec::with_capacity(runs);
    let mut cpu_before = None;
    // Two warm-up runs fill the page cache and create the profile folder.
    for run in 0..runs + 2 {
        if run == 2 {
            cpu_before = children_cpu_ms();
        }
        let _ = std::fs::remove_file(&out);
        let start = Instant::now();
        let status = kiosk_testkit::chromium::print_to_pdf(
            &browser,
            &work.path().join("profile"),
            &page,
            &out,
        )
        .status()
        .map_err(|e| format!("cannot run {}: {e}", browser.display()))?;
        let elapsed = start.elapsed().as_secs_f64() * 1e3;
        if !status.success() || !out.exists() {
            return Err(format!("chromium failed: {status}"));
        }
        if run >= 2 {
            times.push(elapsed);
        }
    }
    times.sort_by(f64::total_cmp);
    let cpu = cpu_before
        .zip(children_cpu_ms())
        .map(|(before, after)| (after - before) / runs as f64);
    let size = std::fs::metadata(&out).map_err(|e| e.to_string())?.len();
    Ok((percentile(&times, 0.5), cpu, size))
}

fn bench(c: &mut Criterion) {
    let font = font();
    let letter = RiskLetter::sample();
    let mut times = Vec::with_capacity(RUNS);
    let mut cpu_times = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let cpu_start = thread_cpu_ns();
        let start = Instant::now();
        let pdf = render_risk_letter(&letter, &font).unwrap_or_else(|e| panic!("render: {e}"));
        times.push(start.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_ns()) {
            cpu_times.push(b.saturating_sub(a) as f64 / 1e6);
        }
        size = pdf.bytes.len();
    }
    times.sort_by(f64::total_cmp);
    cpu_times.sort_by(f64::total_cmp);
    let p50 = percentile(&times, 0.5);
    let cpu_p50 = (!cpu_times.is_empty()).then(|| percentile(&cpu_times, 0.5));
    println!(
        "kiosk-docs risk letter: p50 {p50:.2} ms wall (CPU {}), p99 {:.2} ms over {RUNS} runs, {:.1} KB",
        cpu_p50.map_or("n/a".to_owned(), |c| format!("{c:.2} ms")),
        percentile(&times, 0.99),
        size as f64 / 1024.0
    );
    let chromium_runs = std::env::var("CHROMIUM_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    match chromium(chromium_runs) {
        Ok((chrome_p50, chrome_cpu, chrome_size)) => {
            println!(
                "chromium --print-to-pdf: p50 {chrome_p50:.0} ms wall (CPU {} per run) over {chromium_runs} runs, {:.1} KB",
                chrome_cpu.map_or("n/a".to_owned(), |c| format!("{c:.0} ms")),
                chrome_size as f64 / 1024.0
            );
            println!(
                "ratio chromium / kiosk-docs: wall {:.0}×, CPU {}, size {:.1}×",
                chrome_p50 / p50,
                chrome_cpu
                    .zip(cpu_p50)
                    .map_or("n/a".to_owned(), |(c, k)| format!("{:.0}×", c / k)),
                chrome_size as f64 / size as f64
            );
        }
        Err(why) => println!("chromium comparison skipped: {why}"),
    }
    let mut group = c.benchmark_group("documents");
    group.sample_size(RUNS);
    group.bench_function("risk_letter", |b| {
        b.iter(|| render_risk_letter(&letter, &font))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
