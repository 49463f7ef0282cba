//! `kioskctl settings show|set`: values round-trip, bad values are refused with exit 1 and a
//! message in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn kioskctl(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .output()
        .unwrap()
}

/// Sets every `(key, value)` with `kioskctl settings set`, each of which must succeed.
fn set_all(data_dir: &Path, settings: &[(&str, &str)]) {
    for (key, value) in settings {
        let out = kioskctl(data_dir, &["settings", "set", key, value]);
        assert!(
            out.status.success(),
            "{key}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn settings_set_then_show_as_json() {
    let dir = tempfile::tempdir().unwrap();
    set_all(
        dir.path(),
        &[
            ("mode", "self-service"),
            ("idleTimeoutS", "35"),
            ("ui.default_profile", "shandong"),
        ],
    );
    let out = kioskctl(dir.path(), &["settings", "show", "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["mode"], "self-service", "{json}");
    assert_eq!(json["idleTimeoutS"], 35, "{json}");
    assert_eq!(json["defaultProfile"], "shandong", "{json}");
    assert_eq!(json["language"], "zh-CN", "{json}");
}

#[test]
fn settings_set_refuses_a_too_short_idle_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let out = kioskctl(dir.path(), &["settings", "set", "idleTimeoutS", "5"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SETTING_INVALID") && err.contains("30"),
        "{err}"
    );
    let show = kioskctl(dir.path(), &["settings", "show"]);
    assert!(
        String::from_utf8_lossy(&show.stdout).contains("120"),
        "the default is kept"
    );
}

#[test]
fn limit_thresholds_and_review_policy_are_set_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    set_all(
        dir.path(),
        &[
            ("limits.maxUnsent", "40"),
            ("limits.sync_health_minutes", "20"),
            ("reviewPolicies.tianjin", "sample:25"),
        ],
    );
    let out = kioskctl(dir.path(), &["settings", "show", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["limits"]["maxUnsent"], 40, "{json}");
    assert_eq!(json["limits"]["syncHealthMinutes"], 20, "{json}");
    let tianjin = json["reviewPolicies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"] == "tianjin")
        .unwrap();
    assert_eq!(
        tianjin["policy"],
        serde_json::json!({ "mode": "sample", "percent": 25 }),
        "{json}"
    );
    let out = kioskctl(dir.path(), &["settings", "set", "limits.maxUnsent", "0"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "zero unsent would stop the kiosk"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SETTING_INVALID"), "{err}");
}
