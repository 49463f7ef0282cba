//! `kioskctl idcard list|read` against the simulated reader on a pseudo-terminal, run as an
//! administrator would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use kiosk_testkit::idcard_sim::{Fault, IdCardSim, SimConfig, fake_wlt_decoder};

fn kioskctl(args: &[&str], env: &[(&str, &str)]) -> Output {
    let data = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command
        .arg("--data-dir")
        .arg(data.path())
        .args(args)
        .env_remove("KIOSK_ID_READER")
        // No vendor decoder unless a test names one: the vendors' install paths stay empty here.
        .env("KIOSK_WLT_DECODER", "/nonexistent/libwlt2bmp.so");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn path(sim: &IdCardSim) -> &str {
    sim.path().to_str().unwrap()
}

#[test]
fn read_prints_the_card_masked_unless_revealed() {
    let sim = IdCardSim::with_cards(&["zhang-san"]);
    let masked = json(&kioskctl(
        &["idcard", "read", "--device", path(&sim), "--json"],
        &[],
    ));
    assert_eq!(masked["card"]["number"], "110***********002X");
    assert_eq!(masked["card"]["name"], "张*");
    assert_eq!(masked["card"]["validUntil"], "long-term");
    assert_eq!(masked["card"]["documentType"], "resident-id");
    assert!(masked.get("chip").is_none());
    let printed = masked.to_string();
    assert!(
        !printed.contains("11010519491231002X") && !printed.contains("张三"),
        "{printed}"
    );
    assert_eq!(masked["photo"]["available"], false);
    assert_eq!(
        masked["photo"]["problem"]["code"], "ID_PHOTO_DECODER_MISSING",
        "no photo is made up"
    );

    let revealed = json(&kioskctl(
        &[
            "idcard",
            "read",
            "--device",
            path(&sim),
            "--json",
            "--reveal",
        ],
        &[],
    ));
    assert_eq!(revealed["chip"]["number"], "11010519491231002X");
    assert_eq!(revealed["chip"]["name"], "张三");

    let plain = kioskctl(&["idcard", "read", "--device", path(&sim)], &[]);
    assert!(plain.status.success());
    let shown = text(&plain.stdout);
    assert!(
        shown.contains("110***********002X") && shown.contains("长期"),
        "{shown}"
    );
}

#[test]
fn read_shows_what_the_card_fills_into_a_form() {
    let sim = IdCardSim::with_cards(&["li-si"]);
    let out = json(&kioskctl(
        &[
            "idcard",
            "read",
            "--device",
            path(&sim),
            "--json",
            "--profile",
            "most",
            "--kind",
            "natural-person",
        ],
        &[],
    ));
    let fields: Vec<(String, String)> = out["form"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let value = |p: &str| {
        fields
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(value("person.sex"), Some("male"));
    assert_eq!(value("person.ethnicity"), Some("03"));
    assert_eq!(value("person.document.number"), Some("110***********1233"));
    assert_eq!(value("person.document.validity.until"), Some("2038-06-01"));
    assert_eq!(out["form"]["problems"], serde_json::json!([]));
}

#[test]
fn the_photo_is_written_only_through_a_decoder_library() {
    let sim = IdCardSim::with_cards(&["zhang-san"]);
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.png");
    let refused = kioskctl(
        &[
            "idcard",
            "read",
            "--device",
            path(&sim),
            "--photo-out",
            photo.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("ID_PHOTO_DECODER_MISSING"));
    assert!(
        text(&refused.stdout).contains("110***********002X"),
        "the card is still shown"
    );
    assert!(!photo.exists(), "no photo is made up");

    let library = fake_wlt_decoder(dir.path());
    let written = kioskctl(
        &[
            "idcard",
            "read",
            "--device",
            path(&sim),
            "--photo-out",
            photo.to_str().unwrap(),
            "--json",
        ],
        &[("KIOSK_WLT_DECODER", library.to_str().unwrap())],
    );
    let out = json(&written);
    assert_eq!(out["photo"]["available"], true);
    assert!(std::fs::read(&photo).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn list_shows_the_configured_reader_ready() {
    let sim = IdCardSim::with_cards(&["li-si"]);
    let out = json(&kioskctl(
        &["idcard", "list", "--json"],
        &[("KIOSK_ID_READER", path(&sim))],
    ));
    let readers = out["readers"].as_array().unwrap();
    let ours = readers
        .iter()
        .find(|r| r["path"] == path(&sim))
        .expect("the configured pty is listed");
    assert_eq!(ours["state"], "ready", "{ours}");
    assert_eq!(ours["kind"], "configured");
    assert_eq!(out["offered"], true);
    let read = json(&kioskctl(
        &["idcard", "read", "--json"],
        &[("KIOSK_ID_READER", path(&sim))],
    ));
    assert_eq!(read["device"], path(&sim), "the first ready reader is used");
}

#[test]
fn failures_and_bad_input_exit_1_with_their_codes() {
    let empty = IdCardSim::start(SimConfig::default());
    let code = |out: &Output| {
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        let err = text(&out.stderr);
        err.split(['[', ']']).nth(1).unwrap_or_default().to_owned()
    };
    let read = |device: &str, extra: &[&str]| {
        let mut args = vec!["idcard", "read", "--device", device];
        args.extend_from_slice(extra);
        kioskctl(&args, &[])
    };
    assert_eq!(code(&read(path(&empty), &[])), "ID_READER_NO_CARD");
    assert_eq!(code(&read("/dev/ttyUSB-none", &[])), "ID_READER_NOT_FOUND");
    assert_eq!(code(&read("/dev/null", &[])), "ID_READER_NOT_SERIAL");
    assert_eq!(
        code(&read(path(&empty), &["--timeout-ms", "5"])),
        "CLI_TIMEOUT_RANGE"
    );
    assert_eq!(
        code(&read(path(&empty), &["--profile", "most", "--kind", "nap"])),
        "CLI_KIND_UNKNOWN"
    );
    assert_eq!(
        code(&read(
            path(&empty),
            &[
                "--profile",
                "most",
                "--kind",
                "natural-person",
                "--role",
                "boss"
            ]
        )),
        "CLI_ROLE_UNKNOWN"
    );
    let silent = IdCardSim::start(SimConfig {
        fault: Fault::Silent,
        ..SimConfig::default()
    });
    let started = std::time::Instant::now();
    assert_eq!(
        code(&read(path(&silent), &["--timeout-ms", "300"])),
        "ID_READER_TIMEOUT"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    let none = kioskctl(
        &["idcard", "read"],
        &[("KIOSK_ID_READER", "/dev/ttyUSB-none")],
    );
    assert_eq!(code(&none), "ID_READER_NONE");
}
