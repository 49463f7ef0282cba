//! `kioskctl printers` and `kioskctl print` against a real CUPS scheduler with the
//! `cups-pdf` virtual printer. Like `crates/kiosk-docs/tests/print.rs`, the test runs its own
//! `cupsd` on a private configuration and socket (never the machine's printers) and points
//! the CUPS clients at it with `CUPS_SERVER`; it skips with a printed reason only when CUPS
//! or root is missing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use kiosk_testkit::cups::{Scheduler, remove_pdf_output};

/// Runs `kioskctl --data-dir <data_dir> <args>` with the CUPS clients pointed at `scheduler`.
fn kioskctl(scheduler: &Scheduler, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("CUPS_SERVER", scheduler.socket())
        .output()
        .expect("kioskctl runs")
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn kioskctl_lists_printers_and_prints_a_receipt_through_cups_pdf() {
    if let Some(why) = Scheduler::unavailable() {
        eprintln!("SKIPPED kioskctl_lists_printers_and_prints_a_receipt_through_cups_pdf: {why}");
        return;
    }
    let scheduler = Scheduler::start();
    let work = tempfile::tempdir().unwrap();

    let none = kioskctl(&scheduler, work.path(), &["printers", "--json"]);
    assert_eq!(
        stdout_of(&none).trim(),
        "[]",
        "a fresh scheduler has no printers"
    );

    let title = format!("kioskctl-test-{}", std::process::id());
    let receipt = work.path().join(format!("{title}.pdf"));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/applications/most-natural-person.json");
    stdout_of(&kioskctl(
        &scheduler,
        work.path(),
        &[
            "pdf",
            "receipt",
            "--input",
            &fixture.to_string_lossy(),
            "--out",
            &receipt.to_string_lossy(),
            "--paper",
            "80mm",
        ],
    ));
    let no_default = kioskctl(
        &scheduler,
        work.path(),
        &["print", "--file", &receipt.to_string_lossy()],
    );
    assert_eq!(no_default.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&no_default.stderr).contains("PRINTER_NONE"),
        "no printer is reported: {}",
        String::from_utf8_lossy(&no_default.stderr)
    );

    scheduler.add_default_pdf_printer("kiosk-pdf");
    let listed: serde_json::Value = serde_json::from_str(&stdout_of(&kioskctl(
        &scheduler,
        work.path(),
        &["printers", "--json"],
    )))
    .unwrap();
    assert_eq!(listed[0]["name"], "kiosk-pdf", "{listed}");
    assert_eq!(listed[0]["isDefault"], true, "{listed}");

    let unknown = kioskctl(
        &scheduler,
        work.path(),
        &[
            "print",
            "--file",
            &receipt.to_string_lossy(),
            "--printer",
            "nope",
        ],
    );
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("PRINTER_NOT_FOUND"),
        "{unknown:?}"
    );

    let job: serde_json::Value = serde_json::from_str(&stdout_of(&kioskctl(
        &scheduler,
        work.path(),
        &[
            "print",
            "--file",
            &receipt.to_string_lossy(),
            "--wait",
            "90",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(job["printer"], "kiosk-pdf", "{job}");
    assert!(
        receipt.exists(),
        "kioskctl leaves the operator's own file in place"
    );
    remove_pdf_output(&title);
}
