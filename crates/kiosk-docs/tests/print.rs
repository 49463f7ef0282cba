//! Prints through a real CUPS scheduler to the `cups-pdf` virtual printer.
//!
//! The test starts its own `cupsd` in the foreground on a free loopback port with a private
//! configuration (so it never touches the machine's printers), adds a `cups-pdf` queue with
//! `lpadmin`, prints, waits for the job and stops the scheduler. It needs the Debian
//! packages `cups` and `printer-driver-cups-pdf`, and root (cupsd and the cups-pdf backend
//! run as root). CI (`scripts/bootstrap`, root on Debian 12) has them; on a machine without
//! them the test prints why and skips, and it never skips when they are there.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test helpers: a failure is a test failure"
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_docs::DocsError;
use kiosk_docs::print::{Cups, JobStatus};
use kiosk_testkit::cups::{Scheduler, remove_pdf_output};

fn sample_pdf(dir: &Path) -> PathBuf {
    let font = kiosk_docs::DocumentFont::load_source(&kiosk_docs::FontSource::system())
        .expect("fonts-noto-cjk is installed");
    let receipt = kiosk_docs::Receipt {
        profile: "most".into(),
        template_version: None,
        kiosk_name: "测试终端".into(),
        hall_name: "测试大厅".into(),
        hall_phone: "010-88659000".into(),
        issued_at: "2026-11-23 10:00".into(),
        application_no: "MOST-TEST-1".into(),
        receipt_code: None,
        applicant_name_masked: "王*".into(),
        id_number_masked: "110***********271X".into(),
        kind_label_zh: "自然人注册".into(),
        kind_label_en: "Person registration".into(),
        attachments: vec![],
        state: kiosk_docs::ReceiptState::Received,
        status_hint: None,
    };
    let pdf =
        kiosk_docs::render_receipt(&receipt, kiosk_docs::Paper::Thermal80, &font).expect("render");
    let path = dir.join("receipt.pdf");
    std::fs::write(&path, pdf.bytes).expect("write");
    path
}

#[test]
fn prints_to_cups_pdf_and_reports_printer_problems() {
    if let Some(why) = Scheduler::unavailable() {
        eprintln!("SKIPPED prints_to_cups_pdf_and_reports_printer_problems: {why}");
        return;
    }
    let scheduler = Scheduler::start();
    let cups = Cups::at(scheduler.socket().to_string_lossy());
    let work = tempfile::tempdir().expect("temp dir");
    let pdf = sample_pdf(work.path());

    // No queue yet: listing is empty and printing to "the default" says so.
    assert_eq!(
        cups.printers().expect("list"),
        vec![],
        "fresh scheduler has no printers"
    );
    let err = cups.print(&pdf, None, "kiosk-test").unwrap_err();
    assert!(matches!(err, DocsError::NoPrinter), "{err:?}");

    scheduler.add_default_pdf_printer("kiosk-pdf");
    let printers = cups.printers().expect("list");
    assert_eq!(printers.len(), 1, "{printers:?}");
    assert!(
        printers[0].is_default && printers[0].enabled,
        "{printers:?}"
    );

    let err = cups
        .print(&pdf, Some("no-such-printer"), "kiosk-test")
        .unwrap_err();
    assert!(matches!(err, DocsError::PrinterNotFound { .. }), "{err:?}");

    let title = format!("kiosk-test-{}", std::process::id());
    let job = cups
        .print(&pdf, None, &title)
        .expect("job accepted by the default printer");
    assert_eq!(job.printer, "kiosk-pdf");
    cups.wait(&job, Duration::from_secs(90))
        .expect("cups-pdf finishes the job");
    assert_eq!(cups.job_status(&job).expect("status"), JobStatus::Completed);
    remove_pdf_output(&title);

    // CUPS keeps a finished job's document in its spool by default (hence the package's
    // `cupsctl PreserveJobFiles=No`).
    let job_files = || -> Vec<String> {
        std::fs::read_dir(scheduler.spool())
            .expect("spool")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('d'))
            .collect()
    };
    let before = job_files();
    assert!(!before.is_empty(), "by default the spool keeps the job");

    // A stopped queue (what CUPS does on paper out or a backend error) is reported.
    scheduler.disable("kiosk-pdf", "Media empty");
    let job = cups
        .print(&pdf, Some("kiosk-pdf"), &title)
        .expect("a stopped queue still accepts jobs");
    let err = cups.wait(&job, Duration::from_secs(10)).unwrap_err();
    match err {
        DocsError::PrintFailed { detail } => assert!(detail.contains("Media empty"), "{detail}"),
        other => panic!("expected PrintFailed, got {other:?}"),
    }
    // The stuck job is cancelled, not printed later for whoever comes next.
    assert!(
        job_files().len() > before.len(),
        "the stuck job's document waits"
    );
    cups.purge(&job).expect("purge");
    assert_ne!(cups.job_status(&job).expect("status"), JobStatus::Pending);
    drop(scheduler);
    assert!(!cups.is_running(), "scheduler stopped with the test");
}
