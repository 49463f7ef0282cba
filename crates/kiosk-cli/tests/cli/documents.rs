//! `kioskctl pdf`, `print`, `printers` and `report day` end to end: the built binary on the
//! rules engine's fixtures, the PDFs read back with poppler's `pdftotext`, hostile input,
//! and bad input refused with a stable code, both languages and exit code 1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/applications")
}

fn kioskctl(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A refusal: exit code 1, the stable code and a message in both languages on stderr.
fn refused(output: &Output, code: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "exit code: {stderr}");
    assert!(
        stderr.contains(&format!("错误 [{code}]")) && stderr.contains(&format!("error [{code}]")),
        "expected {code} in Chinese and English: {stderr}"
    );
}

/// Text of a PDF with all white space removed (wrapped values join up again).
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn pdf(dir: &Path, args: &[&str]) -> Output {
    kioskctl(dir, &[&["pdf"][..], args].concat())
}

#[test]
fn every_fixture_gets_a_receipt_on_both_papers_and_legal_entities_a_letter() {
    let dir = tempfile::tempdir().unwrap();
    let mut letters = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap().flatten() {
        let input = entry.path();
        let name = input.file_stem().unwrap().to_string_lossy().into_owned();
        let input = input.to_string_lossy().into_owned();
        for paper in ["a4", "80mm"] {
            let out = dir.path().join(format!("{name}-{paper}.pdf"));
            ok(&pdf(
                dir.path(),
                &[
                    "receipt",
                    "--input",
                    &input,
                    "--out",
                    &out.to_string_lossy(),
                    "--paper",
                    paper,
                    "--application-no",
                    "0190f1c2-7a00-7000-8000-00000000abcd",
                    "--hall-phone",
                    "022-12345678",
                ],
            ));
            let text = pdf_text(&out);
            assert!(text.contains("受理回执"), "{name} {paper}: {text}");
            assert!(
                text.contains("0190f1c2-7a00-7000-8000-00000000abcd"),
                "{name} {paper}: number printed"
            );
            assert!(text.contains("022-12345678"), "{name} {paper}: hall phone");
        }
        if name.ends_with("legal-entity") {
            let out = dir.path().join(format!("{name}-letter.pdf"));
            let stdout = ok(&pdf(
                dir.path(),
                &[
                    "risk-letter",
                    "--input",
                    &input,
                    "--out",
                    &out.to_string_lossy(),
                    "--json",
                ],
            ));
            let written: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            let number = written["applicationNo"].as_str().unwrap();
            assert_eq!(number.len(), 36, "a new UUID when the file has no id");
            let text = pdf_text(&out);
            for needle in ["风险承诺书", number, "法定代表人"] {
                assert!(text.contains(needle), "{name}: lacks {needle:?}: {text}");
            }
            letters += 1;
        }
    }
    assert!(letters >= 4, "legal-entity fixtures: {letters}");
}

#[test]
fn hostile_names_stay_on_the_page_and_never_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut app: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("tianjin-legal-entity.json")).unwrap(),
    )
    .unwrap();
    let long: String = "𠮷䶮<script>alert('x')</script>\u{200F}مرحبا&amp;超长单位名称"
        .repeat(20)
        .chars()
        .take(200)
        .collect();
    app["unit"]["name"] = serde_json::json!(long);
    app["legalRepresentative"]["name"] = serde_json::json!("䶮".repeat(200));
    app["unit"]["contactName"] = serde_json::json!("\u{202E}evil\u{202C}{unit_name}");
    let input = dir.path().join("hostile.json");
    std::fs::write(&input, app.to_string()).unwrap();
    let input = input.to_string_lossy().into_owned();
    let letter = dir.path().join("letter.pdf");
    let output = pdf(
        dir.path(),
        &[
            "risk-letter",
            "--input",
            &input,
            "--out",
            &letter.to_string_lossy(),
        ],
    );
    ok(&output);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("U+0645"),
        "the Arabic letters the font lacks are reported"
    );
    let text = pdf_text(&letter);
    assert!(
        text.contains("𠮷") && text.contains("䶮"),
        "rare characters are text"
    );
    assert!(
        text.contains("<script>"),
        "markup is printed as typed, not interpreted"
    );
    let info = Command::new("pdfinfo").arg(&letter).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(str::trim);
    assert_eq!(
        pages,
        Some("1"),
        "200-character fields shrink onto one page"
    );
    for paper in ["a4", "80mm"] {
        let receipt = dir.path().join(format!("receipt-{paper}.pdf"));
        ok(&pdf(
            dir.path(),
            &[
                "receipt",
                "--input",
                &input,
                "--out",
                &receipt.to_string_lossy(),
                "--paper",
                paper,
                "--hall-name",
                &"大厅".repeat(100),
            ],
        ));
        let text = pdf_text(&receipt);
        assert!(text.contains("受理回执"), "{paper}: {text}");
        assert!(
            !text.contains("䶮䶮"),
            "{paper}: the applicant's name is masked"
        );
    }
}

#[test]
fn bad_input_is_refused_with_a_stable_code_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let out = out.to_string_lossy();
    let natural = fixtures().join("tianjin-natural-person.json");
    let natural = natural.to_string_lossy();
    refused(
        &pdf(
            dir.path(),
            &[
                "risk-letter",
                "--input",
                "/no/such/file.json",
                "--out",
                &out,
            ],
        ),
        "INPUT_UNREADABLE",
    );
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"profile\": \"tianjin\", ").unwrap();
    refused(
        &pdf(
            dir.path(),
            &[
                "receipt",
                "--input",
                &broken.to_string_lossy(),
                "--out",
                &out,
            ],
        ),
        "APPLICATION_JSON_INVALID",
    );
    refused(
        &pdf(
            dir.path(),
            &["risk-letter", "--input", &natural, "--out", &out],
        ),
        "RISK_LETTER_NOT_APPLICABLE",
    );
    refused(
        &pdf(
            dir.path(),
            &[
                "receipt", "--input", &natural, "--out", &out, "--paper", "letter",
            ],
        ),
        "PAPER_UNKNOWN",
    );
    refused(
        &pdf(
            dir.path(),
            &[
                "receipt",
                "--input",
                &natural,
                "--out",
                "/no/such/dir/x.pdf",
            ],
        ),
        "DOC_WRITE_FAILED",
    );
    refused(
        &kioskctl(dir.path(), &["print", "--file", "/no/such/file.pdf"]),
        "PRINT_FILE_MISSING",
    );
    refused(
        &kioskctl(dir.path(), &["report", "day", "--date", "23.11.2026"]),
        "REPORT_DATE_INVALID",
    );
    assert!(!Path::new(&*out).exists(), "nothing written on refusal");
}

#[test]
fn day_report_of_an_empty_kiosk_prints_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("day.pdf");
    let stdout = ok(&kioskctl(
        dir.path(),
        &[
            "report",
            "day",
            "--date",
            "2026-11-23",
            "--pdf",
            &pdf_path.to_string_lossy(),
            "--json",
        ],
    ));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["date"], "2026-11-23");
    assert_eq!(report["total"], 0);
    let text = pdf_text(&pdf_path);
    assert!(
        text.contains("终端日报") && text.contains("2026-11-23"),
        "{text}"
    );
}
