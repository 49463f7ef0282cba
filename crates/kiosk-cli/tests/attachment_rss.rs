//! Hostile attachments through the real `kioskctl scan check`, each in its own child
//! process, with the child's peak resident memory measured.
//!
//! Each file is checked by a fresh copy of this test program in "child mode" (`--child`),
//! which runs `kioskctl` and reports `getrusage(RUSAGE_CHILDREN).ru_maxrss`: the peak of its
//! only child, so every figure belongs to one file. The baseline is the same command on a
//! small valid `.docx`; every hostile file must be refused with its code while staying
//! within [`ALLOWANCE_KB`] of it.
//!
//! The bound: the kiosk reads the whole upload into memory once (it arrives over IPC as one
//! buffer), so a file may cost its own size; the checks themselves must cost almost nothing
//! more — no inflating, no table of 100,000 entries. The largest hostile file here (100k
//! entries) is about 9 MB, so 32 MB above the baseline leaves room for the allocator and the
//! read buffer and still fails loudly for anything that inflates a bomb (10 GB declared,
//! 120 MB real) or builds per-entry structures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

/// Allowed peak RSS above the baseline, in KiB.
const ALLOWANCE_KB: i64 = 32 * 1024;

/// Child mode: runs kioskctl with `args`, prints `<maxrss KiB> <exit code>` on the first
/// line and kioskctl's stderr after it.
fn child(args: &[String]) {
    let out = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(args)
        .output()
        .expect("kioskctl runs");
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    println!("{} {}", usage.max_rss(), out.status.code().unwrap_or(-1));
    print!("{}", String::from_utf8_lossy(&out.stderr));
}

struct Measured {
    peak_kb: i64,
    exit: i32,
    stderr: String,
}

fn measure(data_dir: &Path, file: &Path, slot: &str) -> Measured {
    let me = std::env::current_exe().unwrap();
    let out = Command::new(me)
        .arg("--child")
        .args(["--data-dir", data_dir.to_str().unwrap()])
        .args([
            "scan",
            "check",
            "--profile",
            "tianjin",
            "--kind",
            "legal-entity",
        ])
        .args(["--slot", slot, "--no-preview", file.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let mut fields = first.split_whitespace();
    Measured {
        peak_kb: fields.next().and_then(|f| f.parse().ok()).expect("maxrss"),
        exit: fields.next().and_then(|f| f.parse().ok()).expect("exit"),
        stderr: rest.to_owned(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
        return;
    }
    // `cargo test` passes harness flags (`--nocapture`, filters); a filter that names
    // nothing of this test skips it.
    if args
        .iter()
        .any(|a| !a.starts_with('-') && !"peak_rss".contains(a.as_str()))
    {
        return;
    }
    use kiosk_testkit::documents;
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: Vec<u8>| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let baseline_file = write("letter.docx", documents::docx());
    let baseline = measure(data.path(), &baseline_file, "risk-commitment");
    assert_eq!(
        baseline.exit, 0,
        "the valid .docx is accepted: {}",
        baseline.stderr
    );

    let cases = [
        (
            "bomb-10GB-declared.docx",
            documents::zip_bomb_declared(10_000_000_000),
            "ATTACHMENT_ARCHIVE_BOMB",
        ),
        (
            "bomb-120MB-real.docx",
            documents::zip_bomb_real(120_000_000),
            "ATTACHMENT_ARCHIVE_BOMB",
        ),
        (
            "entries-100k.docx",
            documents::docx_with_entries(100_000),
            "ATTACHMENT_ARCHIVE_BOMB",
        ),
        (
            "truncated.pdf",
            documents::pdf_truncated(),
            "ATTACHMENT_PDF_TRUNCATED",
        ),
        (
            "encrypted.pdf",
            documents::pdf_encrypted(),
            "ATTACHMENT_PDF_ENCRYPTED",
        ),
        (
            "encrypted.docx",
            documents::docx_encrypted(),
            "ATTACHMENT_DOC_ENCRYPTED",
        ),
        (
            "random.pdf",
            kiosk_testkit::noise::bytes(42, 2_000_000),
            "ATTACHMENT_TYPE",
        ),
    ];
    println!(
        "peak RSS of `kioskctl scan check` (baseline: valid .docx, {} KiB)",
        baseline.peak_kb
    );
    println!(
        "{:<26} {:>10} {:>10} {:>9}  code",
        "file", "size", "peak KiB", "Δ KiB"
    );
    let mut failures = Vec::new();
    for (name, bytes, code) in cases {
        let size = bytes.len();
        let path = write(name, bytes);
        let m = measure(data.path(), &path, "business-licence");
        let delta = m.peak_kb - baseline.peak_kb;
        let got = m
            .stderr
            .split_once('[')
            .and_then(|(_, rest)| rest.split_once(']'))
            .map_or("", |(code, _)| code);
        println!("{name:<26} {size:>10} {:>10} {delta:>9}  {got}", m.peak_kb);
        if m.exit != 1 || got != code {
            failures.push(format!(
                "{name}: exit {} code {got:?}, expected {code}",
                m.exit
            ));
        }
        if delta > ALLOWANCE_KB {
            failures.push(format!(
                "{name}: peak {} KiB is {delta} KiB above the baseline (allowed {ALLOWANCE_KB})",
                m.peak_kb
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("test peak_rss ... ok");
}
