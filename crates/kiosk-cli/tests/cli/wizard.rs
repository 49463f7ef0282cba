//! `kioskctl wizard field`: one field checked as the visitor leaves it, through the same
//! kiosk-api function as the screen.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn field(path: &str, application: &serde_json::Value) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.json");
    std::fs::write(&file, application.to_string()).unwrap();
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(["wizard", "field", "--json", "--profile", "tianjin"])
        .args(["--kind", "natural-person", "--path", path])
        .arg(&file)
        .env_remove("KIOSK_DATA_DIR")
        .output()
        .expect("kioskctl runs")
}

fn passport(country: &str, number: &str) -> serde_json::Value {
    serde_json::json!({ "person": { "document": {
        "docType": "passport", "country": country, "number": number
    } } })
}

fn problems(output: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn a_passport_number_follows_the_rules_of_its_country() {
    let foreign = field("person.document.number", &passport("USA", "561234789"));
    assert!(foreign.status.success());
    assert!(problems(&foreign).is_empty());

    let chinese = field("person.document.number", &passport("CHN", "561234789"));
    assert_eq!(chinese.status.code(), Some(1));
    let found = problems(&chinese);
    assert_eq!(found[0]["code"], "PASSPORT_CHINESE_FORMAT");
    assert_eq!(found[0]["field"], "person.document.number");
    assert!(found[0]["zh"].as_str().unwrap().contains("E"));
}

#[test]
fn a_path_the_form_does_not_ask_is_named() {
    let out = field("person.shoeSize", &passport("USA", "1"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(problems(&out)[0]["code"], "FIELD_UNKNOWN");
}
