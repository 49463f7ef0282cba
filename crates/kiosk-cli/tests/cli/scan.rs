//! `kioskctl scan normalize` and `kioskctl scan sources`, run as a user would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn kioskctl(args: &[&str], sane_dir: Option<&Path>) -> Output {
    let data = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command.arg("--data-dir").arg(data.path()).args(args);
    if let Some(dir) = sane_dir {
        command.env("SANE_CONFIG_DIR", dir);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn normalize_writes_a_jpeg_within_the_slot_and_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("page.png"), dir.path().join("out.jpg"));
    std::fs::write(&input, kiosk_testkit::png::page(900, 600)).unwrap();
    let out = kioskctl(
        &[
            "scan",
            "normalize",
            "--in",
            input.to_str().unwrap(),
            "--out",
            output.to_str().unwrap(),
            "--slot",
            "id-front",
            "--json",
        ],
        None,
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["width"], 900);
    assert_eq!(json["sourceFormat"], "png");
    let jpeg = std::fs::read(&output).unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG was written");
    assert!(jpeg.len() <= 1_000_000);
}

#[test]
fn normalize_with_watermark_and_tight_max_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("page.png"), dir.path().join("out.jpg"));
    std::fs::write(&input, kiosk_testkit::png::page(1200, 800)).unwrap();
    let out = kioskctl(
        &[
            "scan",
            "normalize",
            "--in",
            input.to_str().unwrap(),
            "--out",
            output.to_str().unwrap(),
            "--slot",
            "id-back",
            "--max-bytes",
            "150000",
            "--watermark",
            "测试平台",
            "--date",
            "2026-11-23",
            "--font",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        ],
        None,
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert!(
        std::fs::metadata(&output).unwrap().len() <= 150_000,
        "max-bytes honoured"
    );
}

#[test]
fn impossible_byte_limit_fails_with_a_problem_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("page.png");
    std::fs::write(&input, kiosk_testkit::png::page(900, 600)).unwrap();
    let out = kioskctl(
        &[
            "scan",
            "normalize",
            "--in",
            input.to_str().unwrap(),
            "--out",
            dir.path().join("o.jpg").to_str().unwrap(),
            "--max-bytes",
            "500",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("CAPTURE_CANNOT_FIT") && err.contains("错误"),
        "{err}"
    );
}

#[test]
fn unknown_slot_and_corrupt_input_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.jpg");
    let mut png = kiosk_testkit::png::page(900, 600);
    png.truncate(png.len() / 3);
    std::fs::write(&input, &png).unwrap();
    let out_path = dir.path().join("o.jpg");
    let out = kioskctl(
        &[
            "scan",
            "normalize",
            "--in",
            input.to_str().unwrap(),
            "--out",
            out_path.to_str().unwrap(),
            "--slot",
            "passport",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("CAPTURE_UNKNOWN_SLOT"),
        "{}",
        text(&out.stderr)
    );
    let out = kioskctl(
        &[
            "scan",
            "normalize",
            "--in",
            input.to_str().unwrap(),
            "--out",
            out_path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("CAPTURE_CORRUPT_IMAGE"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_path.exists(), "nothing written");
}

#[test]
fn sources_lists_sane_test_scanner_and_a_working_reader() {
    let sane = tempfile::tempdir().unwrap();
    std::fs::write(sane.path().join("dll.conf"), "test\n").unwrap();
    let reader = kiosk_testkit::idcard_sim::IdCardSim::with_cards(&[]);
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["scan", "sources", "--json"])
        .env("SANE_CONFIG_DIR", sane.path())
        .env("KIOSK_ID_READER", reader.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sources: Vec<(&str, &str)> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s["id"].as_str()?, s["kind"].as_str()?)))
        .collect();
    assert!(sources.contains(&("test:0", "scanner")), "{sources:?}");
    let pty = reader.path().to_str().unwrap();
    assert!(sources.contains(&(pty, "id-card-reader")), "{sources:?}");
}

#[test]
fn check_keeps_a_real_pdf_with_a_first_page_preview_and_refuses_what_the_slot_does_not_take() {
    let dir = tempfile::tempdir().unwrap();
    // A real PDF as the kiosk itself writes it (printpdf), not a hand-made one.
    let receipt = dir.path().join("receipt.pdf");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/applications/most-natural-person.json"
    );
    let out = kioskctl(
        &[
            "pdf",
            "receipt",
            "--input",
            fixture,
            "--out",
            receipt.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let pdf = std::fs::read(&receipt).unwrap();
    let flow = ["--profile", "tianjin", "--kind", "legal-entity"];
    let mut args = vec!["scan", "check", "--slot", "business-licence", "--json"];
    args.extend(flow);
    args.push(receipt.to_str().unwrap());
    let out = kioskctl(&args, None);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["mediaType"], "application/pdf");
    assert_eq!(json["size"], pdf.len() as u64, "kept as it is");
    assert!(json["pages"].as_u64().is_some_and(|n| n >= 1), "{json}");
    assert!(
        json["thumbnail"]
            .as_str()
            .is_some_and(|t| t.starts_with("data:image/jpeg;base64,")),
        "a first-page preview"
    );

    let docx = dir.path().join("letter.docx");
    std::fs::write(&docx, kiosk_testkit::documents::docx()).unwrap();
    let mut args = vec!["scan", "check", "--slot", "risk-commitment"];
    args.extend(flow);
    args.push(docx.to_str().unwrap());
    let out = kioskctl(&args, None);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("letter.docx"),
        "{}",
        text(&out.stdout)
    );

    let out = kioskctl(
        &[
            "scan",
            "check",
            "--slot",
            "id-front",
            "--profile",
            "tianjin",
            receipt.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("[ATTACHMENT_TYPE]") && err.contains("JPG、PNG"),
        "{err}"
    );

    let renamed = dir.path().join("licence.docx");
    std::fs::write(&renamed, &pdf).unwrap();
    let mut args = vec!["scan", "check", "--slot", "business-licence"];
    args.extend(flow);
    args.push(renamed.to_str().unwrap());
    let out = kioskctl(&args, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[ATTACHMENT_TYPE_MISMATCH]"),
        "{}",
        text(&out.stderr)
    );
}
