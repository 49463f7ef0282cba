//! The kiosk's health line: version, data directory, whether the database answers.

use kiosk_core::{KioskMode, Problem};
use serde::Serialize;
use ts_rs::TS;

use crate::{Kiosk, SETTING_KIOSK_MODE, SETTING_KIOSK_NAME};

/// Name shown until an administrator names the kiosk.
pub const DEFAULT_KIOSK_NAME: &str = kiosk_core::settings::KIOSK_NAME.default;

/// What the home screen and `kioskctl status` show about this kiosk.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HealthReport {
    /// Version of the running kiosk software.
    pub app_version: String,
    /// The data directory in use.
    pub data_dir: String,
    /// The kiosk's display name.
    pub kiosk_name: String,
    /// How the kiosk is operated.
    pub mode: KioskMode,
    /// Whether the local database answered a query.
    pub database_reachable: bool,
    /// No administrator account exists yet: the first screen says how to create one.
    pub needs_first_admin: bool,
    /// Why the database did not answer, when it did not.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_problem: Option<Problem>,
}

/// Checks the kiosk and reports its health. Never fails: problems are part of the report.
pub fn health(kiosk: &Kiosk) -> HealthReport {
    let identity = kiosk.with_store(|store| {
        store.ping()?;
        let name = store.setting(SETTING_KIOSK_NAME)?;
        let mode = store.setting(SETTING_KIOSK_MODE)?;
        Ok((name, mode, !store.has_admin()?))
    });
    let needs_first_admin = matches!(identity, Ok((_, _, true)));
    let (kiosk_name, mode, database_problem) = match identity {
        Ok((name, mode, _)) => (
            name.unwrap_or_else(|| DEFAULT_KIOSK_NAME.to_owned()),
            mode.as_deref()
                .and_then(KioskMode::parse)
                .unwrap_or_default(),
            None,
        ),
        Err(problem) => (
            DEFAULT_KIOSK_NAME.to_owned(),
            KioskMode::default(),
            Some(problem),
        ),
    };
    HealthReport {
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: kiosk.data_dir().display().to_string(),
        kiosk_name,
        mode,
        database_reachable: database_problem.is_none(),
        needs_first_admin,
        database_problem,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn fresh_kiosk_is_healthy_with_default_name_and_counter_mode() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let report = health(&kiosk);
        assert!(report.database_reachable, "{report:?}");
        assert_eq!(report.kiosk_name, DEFAULT_KIOSK_NAME);
        assert_eq!(report.mode, KioskMode::Counter);
        assert_eq!(report.data_dir, dir.path().display().to_string());
        assert!(report.needs_first_admin, "a new kiosk has no administrator");
    }
}
