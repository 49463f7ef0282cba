//! Read query of the end-of-day report: the applications taken in during a time window,
//! with who took them in and how many attachments they carried (never their content).

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::StoreError;

/// One application taken in during the window (drafts excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DayRow {
    /// Application kind, e.g. `legal-entity`.
    pub kind: String,
    /// Current lifecycle state name, e.g. `submitted`.
    pub state: String,
    /// Who submitted it (staff user name or `visitor`), from the audit log; empty if unknown.
    pub operator: String,
    /// Number of attachments still stored for it.
    pub attachments: u64,
    /// Their total plaintext size in bytes.
    pub attachment_bytes: u64,
}

/// Applications created in `[from, to)` (Unix ms), oldest first.
pub(crate) fn rows(conn: &Connection, from: i64, to: i64) -> Result<Vec<DayRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.kind, a.state, COALESCE(l.actor, ''),
                (SELECT count(*) FROM attachments t WHERE t.application_id = a.id),
                (SELECT COALESCE(sum(t.size), 0) FROM attachments t WHERE t.application_id = a.id)
         FROM applications a
         LEFT JOIN (SELECT application_id, min(actor) AS actor FROM audit_log
                    WHERE action = 'application.submitted' AND at >= ?1 AND at < ?2
                    GROUP BY application_id) l ON l.application_id = a.id
         WHERE a.state != 'draft' AND a.created_at >= ?1 AND a.created_at < ?2
         ORDER BY a.created_at, a.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(DayRow {
            kind: r.get(0)?,
            state: r.get(1)?,
            operator: r.get(2)?,
            attachments: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
            attachment_bytes: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
