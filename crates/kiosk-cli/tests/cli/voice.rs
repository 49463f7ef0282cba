//! `kioskctl voice say`: a step spoken by the real espeak-ng into a WAV file, checked through
//! its header; stable error codes when the engine is missing or an argument is.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn kioskctl(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .env_remove("KIOSK_VOICE_ESPEAK");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("kioskctl runs")
}

fn le32(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

#[test]
fn say_writes_a_wav_of_plausible_length() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("more-time.wav");
    let run = kioskctl(
        &[
            "voice",
            "say",
            "--step",
            "more-time",
            "--slow",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
        &[],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["text"], "还需要更多时间吗？需要的话，请点需要。");
    let wav = std::fs::read(&out).unwrap();
    assert_eq!(&wav[0..4], b"RIFF");
    assert_eq!(&wav[8..16], b"WAVEfmt ");
    assert_eq!(le32(&wav, 4), wav.len() - 8);
    let rate = le32(&wav, 24);
    let data = le32(&wav, 40);
    let ms = data * 1000 / (rate * 2);
    // 18 syllables, slow: a few seconds.
    assert!((2_000..=12_000).contains(&ms), "{ms} ms");
    assert_eq!(report["durationMs"].as_u64().unwrap() as usize, ms);
}

#[test]
fn a_form_step_is_read_from_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q.wav");
    let run = kioskctl(
        &[
            "voice",
            "say",
            "--step",
            "person",
            "--profile",
            "zhengzhou",
            "--kind",
            "natural-person",
            "--field",
            "person.name",
            "--index",
            "1",
            "--total",
            "4",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}{}",
        text,
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(text.starts_with("第1题，共4题："), "{text}");
    assert!(std::fs::metadata(&out).unwrap().len() > 10_000);
}

#[test]
fn a_missing_engine_or_argument_has_a_stable_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.wav");
    let run = kioskctl(
        &[
            "voice",
            "say",
            "--step",
            "home",
            "--out",
            out.to_str().unwrap(),
        ],
        &[("KIOSK_VOICE_ESPEAK", "/nonexistent/espeak-ng")],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("VOICE_ENGINE_MISSING")
            || String::from_utf8_lossy(&run.stdout).contains("VOICE_ENGINE_MISSING")
    );
    assert!(!out.exists());
    let run = kioskctl(
        &[
            "voice",
            "say",
            "--step",
            "consent",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.status.code(), Some(1));
}
