//! Retention: delete payloads and attachments of platform-confirmed applications after a
//! number of days; the application row (masked summary) and the audit trail stay.

use kiosk_core::lifecycle::LifecycleEvent;
use rusqlite::{Connection, Transaction, params};
use serde::Serialize;

use crate::StoreError;
use crate::audit::{self, AuditEntry};
use crate::queue;
use crate::settings;

/// A day in milliseconds.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// What a purge removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurgeReport {
    /// Applications whose payload and attachments were deleted.
    pub applications: u64,
    /// Sealed bytes deleted.
    pub bytes: u64,
    /// Drafts deleted because they were abandoned.
    pub drafts: u64,
}

/// The retention period in days (setting `retention.days`, see `kiosk_core::settings`).
pub(crate) fn retention_days(conn: &Connection) -> Result<u32, StoreError> {
    let setting = kiosk_core::settings::RETENTION_DAYS;
    let stored = settings::get(conn, setting.key)?;
    Ok(u32::try_from(setting.number(stored.as_deref())).unwrap_or(1))
}

/// Purges every application confirmed at least `days` before `now`, in the caller's transaction.
pub(crate) fn purge_confirmed(
    tx: &Transaction<'_>,
    days: u32,
    now: i64,
    actor: &str,
) -> Result<PurgeReport, StoreError> {
    let cutoff = now - i64::from(days) * DAY_MS;
    let ids: Vec<(String, i64)> = {
        let mut stmt = tx.prepare(
            "SELECT a.id,
                    coalesce((SELECT sum(length(body)) FROM payloads p WHERE p.application_id = a.id), 0)
                  + coalesce((SELECT sum(length(body)) FROM attachments t WHERE t.application_id = a.id), 0)
             FROM applications a
             WHERE a.confirmed_at IS NOT NULL AND a.confirmed_at <= ?1
               AND a.state IN ('accepted', 'verified', 'rejected', 'needs-action')",
        )?;
        let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut report = PurgeReport::default();
    for (id, bytes) in ids {
        tx.execute("DELETE FROM payloads WHERE application_id = ?1", [&id])?;
        tx.execute("DELETE FROM attachments WHERE application_id = ?1", [&id])?;
        tx.execute("DELETE FROM outbox WHERE application_id = ?1", [&id])?;
        queue::transition(tx, &id, LifecycleEvent::Purge, now)?;
        audit::append(
            tx,
            &AuditEntry {
                at: now,
                actor: actor.to_owned(),
                action: "application.purged".into(),
                application_id: Some(id),
                detail: format!("retention_days={days}"),
            },
        )?;
        report.applications += 1;
        report.bytes += u64::try_from(bytes).unwrap_or(0);
    }
    Ok(report)
}

/// Deletes drafts not touched since `older_than` (Unix ms); returns how many.
pub(crate) fn purge_drafts(tx: &Transaction<'_>, older_than: i64) -> Result<u64, StoreError> {
    let n = tx.execute(
        "DELETE FROM applications WHERE state = 'draft' AND updated_at < ?1",
        params![older_than],
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
