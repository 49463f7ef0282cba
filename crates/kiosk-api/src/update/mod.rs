//! Software updates from the enrolled platform: where the manifest is, when to check, when to
//! install, what the update banner shows, and the problems an update can be refused with.
//!
//! The download and the minisign verification are tauri-plugin-updater's (in the app); this
//! module holds the policy around them so it can be tested and shown without a window.

mod error;

pub use error::UpdateError;

use std::time::Duration;

use kiosk_core::Problem;
use serde::Serialize;
use ts_rs::TS;

use crate::{Kiosk, sync};

/// The manifest's name in platformd's `updates/` folder.
pub const MANIFEST_NAME: &str = "latest.json";

/// The update manifest served by the platform at `platform_url`.
pub fn manifest_url(platform_url: &str) -> String {
    format!(
        "{}/api/v1/updates/{MANIFEST_NAME}",
        platform_url.trim_end_matches('/')
    )
}

/// The manifest URL of the platform this kiosk is enrolled with.
pub fn endpoint(kiosk: &Kiosk) -> Result<String, Problem> {
    sync::sync_status(kiosk)?
        .platform_url
        .map(|url| manifest_url(&url))
        .ok_or_else(not_enrolled)
}

/// When to check and when to install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdatePolicy {
    /// Time between checks; `None` checks only at start.
    pub check_every: Option<Duration>,
    /// Local hour (0-23) at which a downloaded update installs unattended; `None` waits for an
    /// administrator.
    pub quiet_hour: Option<u8>,
}

impl Default for UpdatePolicy {
    /// The registry's defaults (a daily check, installs wait for an administrator).
    fn default() -> Self {
        let hours = kiosk_core::settings::UPDATE_CHECK_HOURS.number(None);
        Self {
            check_every: u64::try_from(hours)
                .ok()
                .filter(|h| *h > 0)
                .map(|h| Duration::from_secs(h * 3600)),
            quiet_hour: None,
        }
    }
}

/// The policy from the kiosk's settings (`update.check_hours`, `update.quiet_hour` in the
/// registry; unreadable or malformed values fall back to their defaults).
pub fn policy(kiosk: &Kiosk) -> UpdatePolicy {
    use kiosk_core::settings::{UPDATE_CHECK_HOURS, UPDATE_QUIET_HOUR};
    let stored = |key| kiosk.store().setting(key).ok().flatten();
    let hours = UPDATE_CHECK_HOURS.number(stored(UPDATE_CHECK_HOURS.key).as_deref());
    let hours = u64::try_from(hours).unwrap_or(0);
    UpdatePolicy {
        check_every: (hours > 0).then(|| Duration::from_secs(hours * 3600)),
        quiet_hour: UPDATE_QUIET_HOUR
            .optional(stored(UPDATE_QUIET_HOUR.key).as_deref())
            .and_then(|h| h.parse().ok()),
    }
}

impl UpdatePolicy {
    /// Whether an update that is ready installs by itself at `now_ms`.
    pub fn installs_now(&self, now_ms: i64) -> bool {
        self.quiet_hour == Some(china_clock::hour(now_ms))
    }
}

/// Where the updater stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum UpdatePhase {
    /// Nothing checked yet.
    #[default]
    Idle,
    /// Asking the platform.
    Checking,
    /// This is the newest version.
    UpToDate,
    /// A newer version is published.
    Available,
    /// Downloading it.
    Downloading,
    /// Downloaded and verified; installs on request or at the quiet hour.
    Ready,
    /// Installing.
    Installing,
    /// The last step failed (see `problem`).
    Failed,
}

/// What the update banner shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UpdateStatus {
    /// Where the updater stands.
    pub phase: UpdatePhase,
    /// The running version.
    pub current_version: String,
    /// The version offered, once known.
    pub version: Option<String>,
    /// Release notes of the version offered.
    pub notes: Option<String>,
    /// Bytes downloaded so far.
    #[ts(type = "number")]
    pub downloaded: u64,
    /// Size of the download when the platform announced it.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    /// Why the last step failed.
    pub problem: Option<Problem>,
    /// When the platform was last asked (ms since the epoch).
    #[ts(type = "number | null")]
    pub checked_at_ms: Option<i64>,
}

/// Records that the platform answered an update check at `now_ms` (what the operating limit
/// "days without an update check" counts from). A failure to record is logged, not raised: the
/// check itself succeeded.
pub fn record_check(kiosk: &Kiosk, now_ms: i64) {
    if let Err(error) = kiosk.store().set_setting(
        crate::limits::SETTING_LAST_UPDATE_CHECK,
        &now_ms.to_string(),
    ) {
        log::warn!("update check not recorded: {error}");
    }
}

/// Refused: the kiosk has no platform to ask.
pub fn not_enrolled() -> Problem {
    UpdateError::NotEnrolled.into()
}

/// Refused: the platform offers a version that is not newer than the running one.
pub fn downgrade_refused(current: &str, offered: &str) -> Problem {
    UpdateError::DowngradeRefused {
        current: current.into(),
        offered: offered.into(),
    }
    .into()
}

/// Refused: the download does not carry a valid signature from the release key.
pub fn signature_refused(detail: &str) -> Problem {
    UpdateError::SignatureInvalid {
        detail: detail.into(),
    }
    .into()
}

/// The platform could not be asked or the download broke off.
pub fn unreachable(detail: &str) -> Problem {
    UpdateError::Unreachable {
        detail: detail.into(),
    }
    .into()
}

/// The manifest the platform serves cannot be used.
pub fn manifest_invalid(detail: &str) -> Problem {
    UpdateError::ManifestInvalid {
        detail: detail.into(),
    }
    .into()
}

/// The package verified but could not be installed.
pub fn install_failed(detail: &str) -> Problem {
    UpdateError::InstallFailed {
        detail: detail.into(),
    }
    .into()
}

/// No update is waiting to be installed.
pub fn nothing_to_install() -> Problem {
    UpdateError::NotReady.into()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn manifest_url_is_under_the_platforms_updates_route() {
        assert_eq!(
            manifest_url("http://10.0.0.5:8443/"),
            "http://10.0.0.5:8443/api/v1/updates/latest.json"
        );
    }

    #[test]
    fn policy_defaults_to_daily_checks_and_reads_settings() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        assert_eq!(policy(&kiosk), UpdatePolicy::default());
        kiosk
            .store()
            .set_setting(crate::SETTING_UPDATE_CHECK_HOURS, "0")
            .unwrap();
        kiosk
            .store()
            .set_setting(crate::SETTING_UPDATE_QUIET_HOUR, "3")
            .unwrap();
        let p = policy(&kiosk);
        assert_eq!(p.check_every, None, "0 turns the periodic check off");
        assert_eq!(p.quiet_hour, Some(3));
        kiosk
            .store()
            .set_setting(crate::SETTING_UPDATE_QUIET_HOUR, "25")
            .unwrap();
        assert_eq!(
            policy(&kiosk).quiet_hour,
            None,
            "an impossible hour is ignored"
        );
    }

    #[test]
    fn quiet_hour_is_china_local_time() {
        // 2024-01-01T19:30:00Z is 03:30 in Beijing.
        let at = 1_704_137_400_000;
        assert_eq!(china_clock::hour(at), 3);
        let p = UpdatePolicy {
            check_every: None,
            quiet_hour: Some(3),
        };
        assert!(p.installs_now(at));
        assert!(!p.installs_now(at + 3_600_000));
        assert!(
            !UpdatePolicy::default().installs_now(at),
            "no quiet hour: never unattended"
        );
    }

    #[test]
    fn unenrolled_kiosk_has_no_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        assert_eq!(endpoint(&kiosk).unwrap_err().code, "UPDATE_NOT_ENROLLED");
    }
}
