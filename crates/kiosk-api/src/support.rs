//! `kioskctl support-bundle`: a zip (stored, uncompressed: bundles are small) for technical support with the kiosk's logs, settings and
//! health — never personal data.
//!
//! What goes in: `manifest.json` (version, time, file list), `settings.json` (the kiosk's
//! settings), `health.json`, `db-check.json`, `queue-counts.json` (numbers per state),
//! `sync-status.json`, `doctor.json` when given, and `logs/*` (each line passed through
//! [`crate::logging::redact`] once more). What never goes in: the database, the key folder,
//! the sync credential, drafts, print files, attachments.

use std::io::Write;
use std::path::{Path, PathBuf};

use kiosk_core::Problem;
use serde::Serialize;
use ts_rs::TS;

mod error;

pub use error::SupportError;

use crate::doctor::DoctorReport;
use crate::{
    Kiosk, SETTING_DEFAULT_PROFILE, SETTING_HALL_NAME, SETTING_HALL_PHONE, SETTING_IDLE_TIMEOUT_S,
    SETTING_KIOSK_MODE, SETTING_KIOSK_NAME, SETTING_LANGUAGE, SETTING_PRINTER, SETTING_SCANNER, db,
    health, logging, queue, sync,
};

/// The settings copied into a bundle (all of them are about the kiosk, none about a visitor).
pub const BUNDLED_SETTINGS: &[&str] = &[
    SETTING_KIOSK_NAME,
    SETTING_KIOSK_MODE,
    SETTING_HALL_NAME,
    SETTING_HALL_PHONE,
    SETTING_PRINTER,
    SETTING_SCANNER,
    SETTING_IDLE_TIMEOUT_S,
    SETTING_DEFAULT_PROFILE,
    SETTING_LANGUAGE,
];

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SupportBundle {
    /// The zip file.
    pub path: String,
    /// Names of the entries in the zip.
    pub entries: Vec<String>,
    /// Size of the zip in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

fn bundle_problem(path: &Path, error: impl std::fmt::Display) -> Problem {
    SupportError::BundleFailed {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
    .into()
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}").into_bytes())
}

/// The log files of a data directory, oldest rotation last.
fn log_files(data_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(logging::logs_dir(data_dir))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.contains(".log"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Writes the bundle to `out` (a `.zip`). `doctor` is included when given; `now_ms` stamps the
/// manifest.
pub fn write_bundle(
    kiosk: &Kiosk,
    out: &Path,
    doctor: Option<&DoctorReport>,
    now_ms: i64,
) -> Result<SupportBundle, Problem> {
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let settings: serde_json::Map<String, serde_json::Value> = BUNDLED_SETTINGS
        .iter()
        .map(|key| {
            let value = kiosk.store().setting(key).ok().flatten();
            (
                (*key).to_owned(),
                value.map_or(serde_json::Value::Null, Into::into),
            )
        })
        .collect();
    entries.push(("settings.json".into(), json(&settings)));
    entries.push(("health.json".into(), json(&health::health(kiosk))));
    entries.push((
        "db-check.json".into(),
        match db::check(kiosk) {
            Ok(report) => json(&report),
            Err(problem) => json(&problem),
        },
    ));
    entries.push((
        "queue-counts.json".into(),
        match queue::stats(kiosk, now_ms) {
            Ok(counts) => json(&counts),
            Err(problem) => json(&problem),
        },
    ));
    entries.push((
        "sync-status.json".into(),
        match sync::sync_status(kiosk) {
            Ok(status) => json(&status),
            Err(problem) => json(&problem),
        },
    ));
    if let Some(report) = doctor {
        entries.push(("doctor.json".into(), json(report)));
    }
    for file in log_files(kiosk.data_dir()) {
        let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut clean = String::with_capacity(text.len());
        for line in text.lines() {
            clean.push_str(&logging::redact(line));
            clean.push('\n');
        }
        entries.push((format!("logs/{name}"), clean.into_bytes()));
    }
    let names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
    let manifest = serde_json::json!({
        "appVersion": env!("CARGO_PKG_VERSION"),
        "createdAtMs": now_ms,
        "entries": names,
        "note": "Logs, settings and health only. No database, keys, attachments or personal data.",
    });
    entries.insert(0, ("manifest.json".into(), json(&manifest)));

    let file = std::fs::File::create(out).map_err(|e| bundle_problem(out, e))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o600);
    for (name, bytes) in &entries {
        zip.start_file(name.as_str(), options)
            .map_err(|e| bundle_problem(out, e))?;
        zip.write_all(bytes).map_err(|e| bundle_problem(out, e))?;
    }
    zip.finish().map_err(|e| bundle_problem(out, e))?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    log::info!(
        "support bundle written: {} entries, {bytes} bytes",
        entries.len()
    );
    Ok(SupportBundle {
        path: out.display().to_string(),
        entries: entries.into_iter().map(|(n, _)| n).collect(),
        bytes,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn bundle_holds_settings_health_and_logs_but_no_database_or_keys() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        kiosk
            .store()
            .set_setting(SETTING_HALL_NAME, "滨海新区科技服务大厅")
            .unwrap();
        let logs = logging::logs_dir(dir.path());
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(logs.join("tongban.log"), "ok line\nleaked 13920200003\n").unwrap();
        let out = dir.path().join("bundle.zip");
        let bundle = write_bundle(&kiosk, &out, None, 1_700_000_000_000).unwrap();
        assert!(bundle.bytes > 0);
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
        for wanted in [
            "manifest.json",
            "settings.json",
            "health.json",
            "db-check.json",
            "logs/tongban.log",
        ] {
            assert!(
                names.iter().any(|n| n == wanted),
                "{wanted} missing from {names:?}"
            );
        }
        assert!(
            !names
                .iter()
                .any(|n| n.contains("db/") || n.contains("keys") || n.contains("credential")),
            "secrets in the bundle: {names:?}"
        );
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("settings.json").unwrap(), &mut text)
            .unwrap();
        assert!(text.contains("滨海新区科技服务大厅"), "{text}");
        let mut log = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("logs/tongban.log").unwrap(), &mut log)
            .unwrap();
        assert!(
            !log.contains("13920200003"),
            "a phone number in a log is redacted: {log}"
        );
    }
}
