//! `kioskctl doctor`: checks what a kiosk needs to work and says, in Chinese and English, what
//! to fix. Each check is a [`Check`] with a status; the report "needs fixing" when any check
//! failed. Warnings (an optional device missing, not enrolled yet) do not fail the report.
//!
//! Checks: data directory, key file, key protection (TPM, machine credential or plain files),
//! database integrity, printer (`lpstat`), scanner
//! (`scanimage -L`, with a timeout), platform reachability, clock skew against the platform's
//! `Date` header, the sync queue, sync health (`sync-health`: has auto-sync stalled while the
//! platform answers?) and every operating limit (`limit-<kind>`).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;

mod devices;
mod local;
mod operation;
mod platform;
use devices::{check_printer, check_scanner};
use local::{check_data_dir, check_database, check_key_file, check_key_protection};
use operation::{check_operation, check_sync, unix_ms};
use platform::check_platform;
pub use platform::clock_check;

/// Clock skew that fails the check (signatures and receipts use the clock).
pub const SKEW_FAIL: Duration = Duration::from_secs(120);
/// Clock skew that warns.
pub const SKEW_WARN: Duration = Duration::from_secs(30);

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum CheckStatus {
    /// Works.
    Ok,
    /// Works, but something deserves a look.
    Warn,
    /// Needs fixing.
    Fail,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Check {
    /// Stable name: `data-dir`, `key-file`, `key-protection`, `database`, `printer`, `scanner`, `platform`,
    /// `clock`, `sync`, `sync-health`, `limit-days-without-sync`, `limit-unsent-applications`,
    /// `limit-days-without-update-check`, `limit-free-disk-mb`.
    pub id: String,
    /// Outcome.
    pub status: CheckStatus,
    /// What was found, in Chinese.
    pub zh: String,
    /// What was found, in English.
    pub en: String,
    /// What to do, in Chinese (when not ok).
    pub fix_zh: Option<String>,
    /// What to do, in English (when not ok).
    pub fix_en: Option<String>,
}

impl Check {
    fn ok(id: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            status: CheckStatus::Ok,
            zh: zh.into(),
            en: en.into(),
            fix_zh: None,
            fix_en: None,
        }
    }

    fn bad(id: &str, status: CheckStatus, found: (String, String), fix: (&str, &str)) -> Self {
        Self {
            id: id.into(),
            status,
            zh: found.0,
            en: found.1,
            fix_zh: Some(fix.0.into()),
            fix_en: Some(fix.1.into()),
        }
    }
}

/// Every check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DoctorReport {
    /// Whether any check failed.
    pub needs_fixing: bool,
    /// The checks in the order they ran.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// The check named `id`.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// The outside world the checks probe; tests replace the commands and the clock.
#[derive(Debug, Clone)]
pub struct Probes {
    /// The CUPS `lpstat` program.
    pub lpstat: PathBuf,
    /// The SANE `scanimage` program.
    pub scanimage: PathBuf,
    /// Longest wait for `lpstat` and `scanimage` (scanner discovery can hang on USB/network).
    pub command_timeout: Duration,
    /// Longest wait for the platform.
    pub http_timeout: Duration,
    /// The local clock's reading.
    pub now: SystemTime,
}

impl Default for Probes {
    fn default() -> Self {
        Self {
            lpstat: "lpstat".into(),
            scanimage: "scanimage".into(),
            command_timeout: Duration::from_secs(15),
            http_timeout: Duration::from_secs(5),
            now: SystemTime::now(),
        }
    }
}

/// Runs every check on the kiosk in `data_dir`. Never creates the data directory: a missing
/// one fails the first check and the others that need it are skipped.
pub async fn doctor(data_dir: &Path, probes: &Probes) -> DoctorReport {
    let mut checks = vec![check_data_dir(data_dir)];
    if checks[0].status != CheckStatus::Fail {
        checks.push(check_key_file(data_dir));
        checks.push(check_key_protection(
            &kiosk_store::StoreConfig::in_data_dir(data_dir),
        ));
        match blocking(|| Kiosk::open(data_dir)) {
            Ok(kiosk) => {
                checks.extend(blocking(|| {
                    [
                        check_database(&kiosk),
                        check_printer(&kiosk, probes),
                        check_scanner(&kiosk, probes),
                    ]
                }));
                let platform = check_platform(&kiosk, probes).await;
                let reachable = platform
                    .iter()
                    .any(|c| c.id == "platform" && c.status == CheckStatus::Ok);
                checks.extend(platform);
                checks.push(blocking(|| check_sync(&kiosk)));
                checks.extend(blocking(|| {
                    check_operation(&kiosk, reachable, unix_ms(probes.now))
                }));
            }
            Err(problem) => checks.push(Check::bad(
                "database",
                CheckStatus::Fail,
                (problem.zh, problem.en),
                (
                    "检查密钥文件是否与数据库匹配；必要时从备份恢复整个数据目录（含 keys/）。",
                    "Check that the key file belongs to this database; if needed restore the whole data directory (with keys/) from a backup.",
                ),
            )),
        }
    }
    DoctorReport {
        needs_fixing: checks.iter().any(|c| c.status == CheckStatus::Fail),
        checks,
    }
}

/// Runs blocking work (store calls, probe commands) from async code without stalling a
/// multi-thread runtime's worker.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::{limits, sync};
    use kiosk_store::keys::ProtectionKind;

    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path
    }

    fn probes(dir: &Path) -> Probes {
        Probes {
            lpstat: script(
                dir,
                "lpstat",
                "echo 'printer HP_Receipt is idle.  enabled since x'\necho 'system default destination: HP_Receipt'",
            ),
            scanimage: script(
                dir,
                "scanimage",
                "echo \"device \\`genesys:libusb:001:004' is a Canon LiDE scanner\"",
            ),
            command_timeout: Duration::from_secs(5),
            http_timeout: Duration::from_secs(2),
            now: SystemTime::now(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn healthy_unenrolled_kiosk_passes_with_warnings_only() {
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        drop(Kiosk::open(dir.path()).unwrap());
        let report = doctor(dir.path(), &probes(tools.path())).await;
        assert!(!report.needs_fixing, "{report:#?}");
        for id in [
            "data-dir", "key-file", "database", "printer", "scanner", "sync",
        ] {
            assert_eq!(
                report.check(id).unwrap().status,
                CheckStatus::Ok,
                "{id}: {report:#?}"
            );
        }
        assert_eq!(report.check("printer").unwrap().en, "Printers: HP_Receipt");
        assert_eq!(
            report.check("platform").unwrap().status,
            CheckStatus::Warn,
            "not enrolled"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn missing_data_dir_fails_without_creating_it() {
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("typo");
        let report = doctor(&missing, &probes(tools.path())).await;
        assert!(report.needs_fixing);
        assert_eq!(report.checks.len(), 1, "nothing else runs: {report:#?}");
        assert!(
            !missing.exists(),
            "doctor must not create the data directory"
        );
        assert!(report.checks[0].fix_zh.is_some() && report.checks[0].fix_en.is_some());
    }

    #[test]
    fn key_protection_is_named_and_plain_files_warn() {
        use kiosk_store::keys::{KEYWRAP_FILE, ProtectionSettings};
        let dir = tempfile::tempdir().unwrap();
        let mut config = kiosk_store::StoreConfig::in_data_dir(dir.path());
        config.protection = ProtectionSettings::fixed(ProtectionKind::Plain);
        let plain = check_key_protection(&config);
        assert_eq!(plain.status, CheckStatus::Warn, "{plain:?}");
        assert!(
            plain.en.contains("plain files")
                && plain.fix_en.unwrap().contains("TONGBAN_KEY_PROTECTION")
        );

        let creds = dir.path().join("creds");
        std::fs::create_dir_all(&creds).unwrap();
        std::fs::write(creds.join(KEYWRAP_FILE), "ab".repeat(32)).unwrap();
        config.protection = ProtectionSettings {
            credentials_dir: creds,
            ..ProtectionSettings::fixed(ProtectionKind::MachineCredential)
        };
        let sealed = check_key_protection(&config);
        assert_eq!(sealed.status, CheckStatus::Ok, "{sealed:?}");
        assert!(sealed.en.contains("machine credential"), "{sealed:?}");

        config.protection.choice = Err("rot13".into());
        let bad = check_key_protection(&config);
        assert_eq!(bad.status, CheckStatus::Fail, "{bad:?}");
        assert!(bad.en.contains("rot13"), "{bad:?}");
    }

    #[cfg(unix)]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn key_readable_by_others_and_hanging_scanner_are_reported() {
        use std::os::unix::fs::PermissionsExt;
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        drop(Kiosk::open(dir.path()).unwrap());
        let key = kiosk_store::StoreConfig::in_data_dir(dir.path()).key_path();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut probes = probes(tools.path());
        probes.scanimage = script(tools.path(), "slow-scanimage", "sleep 5");
        probes.command_timeout = Duration::from_millis(300);
        probes.lpstat = tools.path().join("no-such-lpstat");
        let started = std::time::Instant::now();
        let report = doctor(dir.path(), &probes).await;
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "the scanner probe was not cut off"
        );
        assert!(report.needs_fixing);
        let key_check = report.check("key-file").unwrap();
        assert_eq!(key_check.status, CheckStatus::Fail, "{key_check:?}");
        assert!(key_check.fix_en.as_deref().unwrap().contains("chmod 600"));
        let scanner = report.check("scanner").unwrap();
        assert_eq!(
            scanner.status,
            CheckStatus::Warn,
            "no scanner configured: {scanner:?}"
        );
        assert!(scanner.en.contains("did not answer"), "{scanner:?}");
        assert_eq!(
            report.check("printer").unwrap().status,
            CheckStatus::Fail,
            "no CUPS"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn enrolled_kiosk_reaches_the_platform_and_compares_clocks() {
        let platform = kiosk_testkit::platformd::Loopback::start().await;
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        {
            let kiosk = Kiosk::open(dir.path()).unwrap();
            let code = platform.enrolment_code("doctor");
            sync::enrol(&kiosk, &platform.url(), &code, false)
                .await
                .unwrap();
        }
        let report = doctor(dir.path(), &probes(tools.path())).await;
        assert_eq!(
            report.check("platform").unwrap().status,
            CheckStatus::Ok,
            "{report:#?}"
        );
        assert_eq!(
            report.check("clock").unwrap().status,
            CheckStatus::Ok,
            "{report:#?}"
        );

        let mut skewed = probes(tools.path());
        skewed.now = SystemTime::now() + Duration::from_secs(600);
        let report = doctor(dir.path(), &skewed).await;
        let clock = report.check("clock").unwrap();
        assert_eq!(clock.status, CheckStatus::Fail, "{clock:?}");
        assert!(clock.en.contains("ahead of"), "{clock:?}");
        assert!(report.needs_fixing);

        // Something waits, the platform answers, but no sync succeeded for two hours.
        tokio::task::block_in_place(|| {
            let kiosk = Kiosk::open(dir.path()).unwrap();
            queue_one(&kiosk, unix_ms(SystemTime::now()) - 3 * 60 * 60 * 1000);
            let store = kiosk.store();
            let two_hours_ago = unix_ms(SystemTime::now()) - 2 * 60 * 60 * 1000;
            store
                .set_setting(sync::SETTING_LAST_SUCCESS_AT, &two_hours_ago.to_string())
                .unwrap();
            store
                .set_setting(sync::SETTING_LAST_ERROR, "HTTP 503 from the platform")
                .unwrap();
        });
        let report = doctor(dir.path(), &probes(tools.path())).await;
        let health = report.check("sync-health").unwrap();
        assert_eq!(health.status, CheckStatus::Warn, "{health:?}");
        assert!(
            health.en.contains("more than 60 minutes")
                && health.en.contains("120 min ago")
                && health.en.contains("HTTP 503 from the platform"),
            "last success, last error and the threshold: {health:?}"
        );
        assert!(health.fix_en.as_deref().unwrap().contains("Sync now"));

        platform.stop().await;
        let report = doctor(dir.path(), &probes(tools.path())).await;
        assert_eq!(
            report.check("platform").unwrap().status,
            CheckStatus::Fail,
            "platform stopped"
        );
        let health = report.check("sync-health").unwrap();
        assert_eq!(
            health.status,
            CheckStatus::Ok,
            "an unreachable platform is the platform check's finding, not a stalled sync: {health:?}"
        );
        assert!(health.en.contains("unreachable"), "{health:?}");
    }

    fn queue_one(kiosk: &Kiosk, at: i64) {
        kiosk
            .store()
            .enqueue(
                kiosk_store::queue::NewApplication {
                    id: uuid::Uuid::now_v7(),
                    kind: "person".into(),
                    profile: "tianjin".into(),
                    summary: serde_json::json!({}),
                    payload: b"{}".to_vec(),
                    attachments: vec![],
                    actor: "clerk".into(),
                    replaces_draft: None,
                },
                at,
            )
            .unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_operating_limit_is_reported_with_what_to_fix() {
        let tools = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        tokio::task::block_in_place(|| {
            let kiosk = Kiosk::open(dir.path()).unwrap();
            let now = unix_ms(SystemTime::now());
            kiosk
                .store()
                .set_setting(kiosk_core::settings::MAX_UNSENT.key, "1")
                .unwrap();
            kiosk
                .store()
                .set_setting(limits::SETTING_LAST_UPDATE_CHECK, &now.to_string())
                .unwrap();
            queue_one(&kiosk, now);
        });
        let report = doctor(dir.path(), &probes(tools.path())).await;
        let unsent = report.check("limit-unsent-applications").unwrap();
        assert_eq!(
            unsent.status,
            CheckStatus::Fail,
            "1 of 1 unsent: new work is refused: {unsent:?}"
        );
        assert!(unsent.en.contains("limit 1"), "{unsent:?}");
        assert!(unsent.fix_en.as_deref().unwrap().contains("review"));
        assert!(report.needs_fixing, "a reached limit needs fixing");
        for id in [
            "limit-days-without-sync",
            "limit-days-without-update-check",
            "limit-free-disk-mb",
        ] {
            let check = report.check(id).unwrap();
            assert_eq!(check.status, CheckStatus::Ok, "{check:?}");
        }
        assert_eq!(
            report.check("sync-health").unwrap().status,
            CheckStatus::Ok,
            "not enrolled: nothing to say about sync health"
        );
    }

    #[test]
    fn clock_skew_thresholds() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            clock_check(t + Duration::from_secs(5), t).status,
            CheckStatus::Ok
        );
        assert_eq!(
            clock_check(t, t + Duration::from_secs(45)).status,
            CheckStatus::Warn
        );
        assert_eq!(
            clock_check(t, t + Duration::from_secs(300)).status,
            CheckStatus::Fail
        );
        assert!(
            clock_check(t, t + Duration::from_secs(300))
                .en
                .contains("behind")
        );
    }
}
