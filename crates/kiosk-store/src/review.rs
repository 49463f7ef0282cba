//! Supervisor review rows: applications the review policy held back, and the decisions.
//!
//! The rule of what may follow what is [`kiosk_core::review`]; this module stores it. The
//! outbox query ([`crate::queue`]) skips applications whose review still holds them.

use kiosk_core::review::{ReviewDecision, ReviewStatus};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::audit::{self, AuditEntry};
use crate::columns;
use crate::{Refusal, StoreError};

/// One held (or decided) application as the review screen lists it: masked data only.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewEntry {
    /// Application id.
    pub id: String,
    /// Application kind.
    pub kind: String,
    /// Platform profile.
    pub profile: String,
    /// Masked summary.
    pub summary: serde_json::Value,
    /// Lifecycle state of the application.
    pub state: String,
    /// Submitted, Unix ms.
    pub created_at: i64,
    /// Review status.
    pub status: ReviewStatus,
    /// Held since, Unix ms.
    pub requested_at: i64,
    /// The supervisor who decided.
    pub decided_by: Option<String>,
    /// When, Unix ms.
    pub decided_at: Option<i64>,
    /// Approval remarks.
    pub remarks: Option<String>,
    /// Why it was returned.
    pub reason: Option<String>,
}

/// Holds `id` for review, in the caller's transaction.
pub(crate) fn insert_pending(tx: &Transaction<'_>, id: &str, now: i64) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO reviews (application_id, status, requested_at) VALUES (?1, 'pending', ?2)",
        params![id, now],
    )?;
    Ok(())
}

const COLUMNS: &str = "a.id, a.kind, a.profile, a.summary, a.state, a.created_at, r.status,
    r.requested_at, r.decided_by, r.decided_at, r.remarks, r.reason";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReviewEntry> {
    let summary: String = r.get(3)?;
    Ok(ReviewEntry {
        id: r.get(0)?,
        kind: r.get(1)?,
        profile: r.get(2)?,
        summary: serde_json::from_str(&summary).unwrap_or(serde_json::Value::Null),
        state: r.get(4)?,
        created_at: r.get(5)?,
        status: columns::parsed(r, 6, "review status", ReviewStatus::parse)?,
        requested_at: r.get(7)?,
        decided_by: r.get(8)?,
        decided_at: r.get(9)?,
        remarks: r.get(10)?,
        reason: r.get(11)?,
    })
}

/// Reviews, oldest first, optionally of one status.
pub(crate) fn list(
    conn: &Connection,
    status: Option<ReviewStatus>,
    limit: u32,
) -> Result<Vec<ReviewEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reviews r JOIN applications a ON a.id = r.application_id
         WHERE ?1 IS NULL OR r.status = ?1 ORDER BY r.requested_at, a.id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![status.map(ReviewStatus::as_str), limit], read)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The review of one application, `None` when it was never held.
pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<ReviewEntry>, StoreError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM reviews r JOIN applications a ON a.id = r.application_id
                 WHERE r.application_id = ?1"
            ),
            [id],
            read,
        )
        .optional()?)
}

/// Applies `decision` by `supervisor` to `id` with an audit row, in the caller's transaction.
pub(crate) fn decide(
    tx: &Transaction<'_>,
    id: &str,
    decision: &ReviewDecision,
    supervisor: &str,
    now: i64,
) -> Result<ReviewStatus, StoreError> {
    let current: Option<String> = tx
        .query_row(
            "SELECT status FROM reviews WHERE application_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let current = current.ok_or_else(|| Refusal::ReviewNotHeld { id: id.to_owned() })?;
    let from = ReviewStatus::parse(&current)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown review status {current}")))?;
    let to = from.decide(decision)?;
    let (remarks, reason) = match decision {
        ReviewDecision::Approve { remarks } => (remarks.clone(), None),
        ReviewDecision::Return { reason } => (None, Some(reason.trim().to_owned())),
    };
    tx.execute(
        "UPDATE reviews SET status = ?2, decided_by = ?3, decided_at = ?4,
            remarks = coalesce(?5, remarks), reason = coalesce(?6, reason)
         WHERE application_id = ?1",
        params![id, to.as_str(), supervisor, now, remarks, reason],
    )?;
    if to == ReviewStatus::Approved {
        // Released: due at once (it may have waited past its first attempt time).
        tx.execute(
            "UPDATE outbox SET next_attempt_at = min(next_attempt_at, ?2) WHERE application_id = ?1",
            params![id, now],
        )?;
    }
    // The reason and remarks are free text and may name the visitor: kept out of the audit log.
    audit::append(
        tx,
        &AuditEntry {
            at: now,
            actor: supervisor.to_owned(),
            action: format!("review.{}", to.as_str()),
            application_id: Some(id.to_owned()),
            detail: format!("from={} to={}", from.as_str(), to.as_str()),
        },
    )?;
    Ok(to)
}
