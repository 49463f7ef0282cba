//! `kioskctl validate` and `kioskctl validate-application`: exit codes and output shape.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn kioskctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .output()
        .expect("kioskctl runs")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/applications")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_valid_resident_id_exits_0_with_the_documented_json_shape() {
    let out = kioskctl(&[
        "validate",
        "resident-id",
        "11010519491231002x",
        "--json",
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    for key in [
        "kind",
        "input",
        "valid",
        "normalized",
        "errors",
        "warnings",
        "derived",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["kind"], "resident-id");
    assert_eq!(v["valid"], true);
    assert_eq!(v["normalized"], "11010519491231002X");
    assert_eq!(v["derived"]["birthDate"], "1949-12-31");
    assert_eq!(v["derived"]["sex"], "female");
}

#[test]
fn an_invalid_uscc_exits_1_with_a_coded_bilingual_error() {
    let out = kioskctl(&["validate", "uscc", "91110108MA01ET88XM", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let error = &v["errors"][0];
    assert_eq!(error["code"], "USCC_CHECK_CHAR");
    assert!(error["zh"].as_str().unwrap().contains("校验位"), "{error}");
    assert!(!error["en"].as_str().unwrap().is_empty());
}

#[test]
fn text_output_names_the_problem_in_both_languages() {
    let out = kioskctl(&["validate", "mobile", "12345"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("MOBILE_FORMAT") && text.contains("手机号码"),
        "{text}"
    );
}

#[test]
fn an_unknown_kind_or_missing_value_is_a_usage_error() {
    assert_eq!(
        kioskctl(&["validate", "shoe-size", "42"]).status.code(),
        Some(2)
    );
    assert_eq!(kioskctl(&["validate", "uscc"]).status.code(), Some(2));
    assert_eq!(
        kioskctl(&["validate", "uscc", "x", "--today", "2026-02-30"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn passwords_are_never_echoed() {
    let out = kioskctl(&["validate", "password", "Secret#2026", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("Secret"), "{stdout}");
}

#[test]
fn every_documented_kind_is_accepted() {
    for kind in [
        "resident-id",
        "uscc",
        "mobile",
        "email",
        "hk-macao-permit",
        "taiwan-permit",
        "residence-permit",
        "foreign-pr",
        "passport",
        "birth-certificate",
        "account-name",
        "password",
    ] {
        let code = kioskctl(&["validate", kind, "x"]).status.code();
        assert_eq!(
            code,
            Some(1),
            "{kind} should be a known kind that refuses \"x\""
        );
    }
}

#[test]
fn a_fixture_application_validates_and_a_broken_one_does_not() {
    let file = fixture("tianjin-legal-entity.json");
    let out = kioskctl(&[
        "validate-application",
        "--profile",
        "tianjin",
        &file,
        "--json",
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["valid"], true);

    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replace(
        "\"holder\": \"天津示例新材料有限公司\"",
        "\"holder\": \"赵磊\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, broken).unwrap();
    let out = kioskctl(&[
        "validate-application",
        "--profile",
        "tianjin",
        path.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["errors"][0]["code"], "BANK_HOLDER_MISMATCH", "{v}");
    assert_eq!(v["errors"][0]["field"], "unit.bankAccount.holder", "{v}");
}

#[test]
fn validate_application_usage_errors_exit_2() {
    let file = fixture("tianjin-legal-entity.json");
    assert_eq!(
        kioskctl(&["validate-application", "--profile", "mars", &file])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kioskctl(&[
            "validate-application",
            "--profile",
            "tianjin",
            "/nonexistent/app.json"
        ])
        .status
        .code(),
        Some(2)
    );
}
