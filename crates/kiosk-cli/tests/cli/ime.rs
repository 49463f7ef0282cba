//! `kioskctl ime`: candidates and handwriting from the real Debian data, and stable error codes
//! for bad input and missing data.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kioskctl(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .env_remove("KIOSK_IME_PINYIN_DICT")
        .env_remove("KIOSK_IME_HANDWRITING_MODEL");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("kioskctl runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kiosk-ime/tests/fixtures/strokes")
        .join(name)
}

#[test]
fn pinyin_prints_ranked_candidates_as_json_and_text() {
    let out = kioskctl(&["ime", "pinyin", "zhangsan", "--json"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first_five: Vec<&str> = page["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .take(5)
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(first_five.contains(&"张三"), "{first_five:?}");
    assert_eq!(page["composition"], serde_json::json!(["zhang", "san"]));

    let out = kioskctl(
        &["ime", "pinyin", "beijingshichaoyangqu", "--page-size", "3"],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("bei jing shi chao yang qu\n"), "{text}");
    assert!(text.contains("  1. 北京市朝阳区"), "{text}");
    assert!(text.contains("page 1/"), "{text}");
    let out = kioskctl(
        &[
            "ime",
            "pinyin",
            "beijingshichaoyangqu",
            "--page",
            "2",
            "--page-size",
            "3",
        ],
        &[],
    );
    assert!(stdout(&out).contains("  4. "), "{}", stdout(&out));
}

#[test]
fn handwriting_reads_a_fixture() {
    let strokes = fixture("hand-u6728.json");
    let out = kioskctl(
        &[
            "ime",
            "handwriting",
            "--strokes",
            strokes.to_str().unwrap(),
            "--json",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let read: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first_five: Vec<&str> = read
        .as_array()
        .unwrap()
        .iter()
        .take(5)
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(first_five.contains(&"木"), "{first_five:?}");
}

#[test]
fn bad_input_is_refused_with_stable_codes() {
    let out = kioskctl(&["ime", "pinyin", "张三"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("IME_INPUT_INVALID"),
        "{}",
        stderr(&out)
    );

    let long = "a".repeat(65);
    let out = kioskctl(&["ime", "pinyin", &long], &[]);
    assert!(
        stderr(&out).contains("IME_INPUT_TOO_LONG"),
        "{}",
        stderr(&out)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"strokes\": [[[1, 2]]").unwrap();
    let out = kioskctl(
        &["ime", "handwriting", "--strokes", bad.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("IME_STROKES_JSON_INVALID"),
        "{}",
        stderr(&out)
    );

    let many = dir.path().join("many.json");
    let points: Vec<[u32; 2]> = (0..10_000).map(|i| [i % 300, i % 200]).collect();
    let ink = serde_json::json!({ "width": 300, "height": 300, "strokes": [points] });
    std::fs::write(&many, ink.to_string()).unwrap();
    let out = kioskctl(
        &["ime", "handwriting", "--strokes", many.to_str().unwrap()],
        &[],
    );
    assert!(
        stderr(&out).contains("IME_STROKES_TOO_MANY"),
        "{}",
        stderr(&out)
    );

    let out = kioskctl(
        &["ime", "handwriting", "--strokes", "/nonexistent.json"],
        &[],
    );
    assert!(
        stderr(&out).contains("IME_STROKES_FILE_UNREADABLE"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_data_names_the_debian_package() {
    let out = kioskctl(
        &["ime", "pinyin", "zhangsan"],
        &[(
            "KIOSK_IME_PINYIN_DICT",
            "/nonexistent/pinyin_simp.dict.yaml",
        )],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("IME_DATA_MISSING"), "{err}");
    assert!(err.contains("rime-data-pinyin-simp"), "{err}");

    let strokes = fixture("hand-u6728.json");
    let out = kioskctl(
        &["ime", "handwriting", "--strokes", strokes.to_str().unwrap()],
        &[(
            "KIOSK_IME_HANDWRITING_MODEL",
            "/nonexistent/handwriting.model",
        )],
    );
    let err = stderr(&out);
    assert!(err.contains("IME_DATA_MISSING"), "{err}");
    assert!(err.contains("tegaki-zinnia-simplified-chinese"), "{err}");
}
