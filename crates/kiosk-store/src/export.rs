//! Offline export bookkeeping: which applications may go into a bundle, and which went.
//!
//! Exporting never removes anything: an exported application stays `submitted` in the outbox
//! (so online sync still delivers it if the medium is lost; the platform keeps one copy per
//! id) until the platform confirms it, and only then does retention start.

use rusqlite::{Connection, Transaction, params};

use crate::StoreError;
use crate::audit::{self, AuditEntry};

/// Ids of approved, unsent applications sealed to the platform, oldest first: submitted, in
/// the outbox and not parked, not held by review, and (unless `again`) not exported before.
pub(crate) fn exportable(conn: &Connection, again: bool) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id FROM applications a
            JOIN outbox o ON o.application_id = a.id
            JOIN payloads p ON p.application_id = a.id
         WHERE a.state = 'submitted' AND p.sealing = 'platform'
           AND o.next_attempt_at < 9223372036854775807
           AND NOT EXISTS (SELECT 1 FROM attachments t
                           WHERE t.application_id = a.id AND t.sealing <> 'platform')
           AND NOT EXISTS (SELECT 1 FROM reviews r
                           WHERE r.application_id = a.id AND r.status <> 'approved')
           AND (?1 OR NOT EXISTS (SELECT 1 FROM exports e WHERE e.application_id = a.id))
         ORDER BY a.created_at, a.id",
    )?;
    let rows = stmt.query_map([again], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records that `ids` went into `bundle`, with one audit row each, in the caller's transaction.
pub(crate) fn mark_exported(
    tx: &Transaction<'_>,
    ids: &[String],
    bundle: &str,
    actor: &str,
    now: i64,
) -> Result<(), StoreError> {
    for id in ids {
        tx.execute(
            "INSERT OR IGNORE INTO exports (application_id, bundle, exported_at) VALUES (?1, ?2, ?3)",
            params![id, bundle, now],
        )?;
        audit::append(
            tx,
            &AuditEntry {
                at: now,
                actor: actor.to_owned(),
                action: "application.exported".into(),
                application_id: Some(id.clone()),
                detail: format!("bundle={bundle}"),
            },
        )?;
    }
    Ok(())
}

/// When the last bundle was written, Unix ms.
pub(crate) fn last_export_at(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn.query_row("SELECT max(exported_at) FROM exports", [], |r| r.get(0))?)
}

/// The bundles `id` went into, oldest first.
pub(crate) fn bundles_of(conn: &Connection, id: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT bundle FROM exports WHERE application_id = ?1 ORDER BY exported_at, bundle",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
