//! Retention: purge confirmed applications' payloads after N days, expire drafts.

use kiosk_core::Problem;
use kiosk_store::settings::RETENTION_DAYS;
use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;

/// Drafts untouched this long are deleted by a purge (30 minutes).
pub const DRAFT_MAX_AGE_MS: i64 = 30 * 60 * 1000;

/// What a purge removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurgeSummary {
    /// Applications whose payload and attachments were deleted.
    #[ts(type = "number")]
    pub applications: u64,
    /// Bytes deleted.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Abandoned drafts deleted.
    #[ts(type = "number")]
    pub drafts: u64,
}

fn summary(r: kiosk_store::PurgeReport) -> PurgeSummary {
    PurgeSummary {
        applications: r.applications,
        bytes: r.bytes,
        drafts: r.drafts,
    }
}

/// Purges now (`kioskctl purge`); `actor` goes to the audit log.
pub fn purge(kiosk: &Kiosk, actor: &str, now: i64) -> Result<PurgeSummary, Problem> {
    Ok(summary(kiosk.store().purge(
        now,
        DRAFT_MAX_AGE_MS,
        actor,
    )?))
}

/// The automatic daily purge: call it from a timer (e.g. hourly); it purges at most once a
/// day and returns `None` when it was not due.
pub fn purge_if_due(kiosk: &Kiosk, now: i64) -> Result<Option<PurgeSummary>, Problem> {
    Ok(kiosk
        .store()
        .purge_if_due(now, DRAFT_MAX_AGE_MS)?
        .map(summary))
}

/// The retention period in days.
pub fn retention_days(kiosk: &Kiosk) -> Result<u32, Problem> {
    let stored = kiosk.store().setting(RETENTION_DAYS)?;
    let days = kiosk_core::settings::RETENTION_DAYS.number(stored.as_deref());
    Ok(u32::try_from(days).unwrap_or(1))
}

/// Sets the retention period (0–365 days, the registry's range; 0 deletes at the first purge
/// after the platform confirms).
pub fn set_retention_days(kiosk: &Kiosk, days: u32) -> Result<(), Problem> {
    let setting = kiosk_core::settings::RETENTION_DAYS;
    let value = setting.check(setting.name, &days.to_string())?;
    Ok(kiosk.store().set_setting(RETENTION_DAYS, &value)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn retention_defaults_to_seven_days_and_refuses_nonsense() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        assert_eq!(retention_days(&kiosk).unwrap(), 7);
        set_retention_days(&kiosk, 3).unwrap();
        assert_eq!(retention_days(&kiosk).unwrap(), 3);
        assert_eq!(
            set_retention_days(&kiosk, 366).unwrap_err().code,
            "SETTING_INVALID"
        );
        set_retention_days(&kiosk, 0).unwrap();
        assert_eq!(retention_days(&kiosk).unwrap(), 0, "delete once confirmed");
        assert!(
            purge_if_due(&kiosk, 10).unwrap().is_some(),
            "first run is due"
        );
        assert!(purge_if_due(&kiosk, 11).unwrap().is_none(), "once a day");
    }
}
