//! Applications, their sealed payloads and attachments, and the sync outbox.

use std::collections::BTreeMap;

use kiosk_core::lifecycle::{LifecycleEvent, LifecycleState};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::columns;
use crate::seal::{PlatformRecipient, Sealer, Sealing};
use crate::{Refusal, StoreError};

/// An attachment handed in with an application (plaintext, before sealing).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// The profile's slot name, e.g. `businessLicence`.
    pub slot: String,
    /// MIME type, e.g. `image/jpeg`.
    pub media_type: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// An application to submit (plaintext, before sealing).
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// UUIDv7 chosen by the caller.
    pub id: Uuid,
    /// Application kind, e.g. `legal-entity`.
    pub kind: String,
    /// Platform profile, e.g. `tianjin`.
    pub profile: String,
    /// Masked summary (no raw ID numbers or names) shown on the queue screen.
    pub summary: serde_json::Value,
    /// The payload JSON bytes.
    pub payload: Vec<u8>,
    /// Attachments in order; a slot may take several files.
    pub attachments: Vec<NewAttachment>,
    /// Who submits (staff username or `visitor`), for the audit log.
    pub actor: String,
    /// The draft this submission replaces; deleted in the same transaction.
    pub replaces_draft: Option<Uuid>,
}

/// A draft being filled in (plaintext under the database key).
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// UUIDv7.
    pub id: Uuid,
    /// Application kind.
    pub kind: String,
    /// Platform profile.
    pub profile: String,
    /// Masked summary.
    pub summary: serde_json::Value,
    /// The payload JSON as typed so far.
    pub payload: Vec<u8>,
}

/// An attachment as listed (never its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    /// Slot name.
    pub slot: String,
    /// SHA-256 of the plaintext, lower-case hex.
    pub sha256: String,
    /// Plaintext size in bytes.
    pub size: i64,
    /// MIME type.
    pub media_type: String,
}

/// One line of the queue screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueEntry {
    /// Application id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Profile.
    pub profile: String,
    /// Lifecycle state.
    pub state: LifecycleState,
    /// Masked summary.
    pub summary: serde_json::Value,
    /// Created, Unix ms.
    pub created_at: i64,
    /// Last change, Unix ms.
    pub updated_at: i64,
    /// Upload attempts so far.
    pub attempts: i64,
    /// Next upload attempt, Unix ms, while in the outbox.
    pub next_attempt_at: Option<i64>,
    /// Why the last upload failed.
    pub last_error: Option<String>,
}

/// A platform status update as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusUpdate {
    /// The state the platform reported.
    pub state: String,
    /// The platform's message, if any.
    pub message: Option<String>,
    /// When it arrived, Unix ms.
    pub received_at: i64,
}

/// Everything the kiosk may show about one application.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueDetail {
    /// The queue line.
    pub entry: QueueEntry,
    /// Who can open the payload (`local`, `platform`, `draft`), `None` once purged.
    pub sealing: Option<String>,
    /// Attachments (metadata only).
    pub attachments: Vec<AttachmentInfo>,
    /// Platform status updates, oldest first.
    pub status_updates: Vec<StatusUpdate>,
}

/// Counts for the queue screen and monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueStats {
    /// Applications per lifecycle state (drafts included).
    pub by_state: BTreeMap<String, u64>,
    /// Outbox entries due for an attempt now.
    pub due_now: u64,
    /// Created time of the oldest application still waiting to upload, Unix ms.
    pub oldest_waiting_at: Option<i64>,
    /// Applications still sealed to the local identity (waiting for enrolment).
    pub sealed_locally: u64,
}

/// A sealed body as stored, for the sync worker to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBody {
    /// Who can open it.
    pub sealing: Sealing,
    /// The platform recipient it is sealed to, for [`Sealing::Platform`].
    pub recipient: Option<String>,
    /// age ciphertext (plaintext JSON for drafts).
    pub body: Vec<u8>,
}

/// A sealed attachment, for the sync worker to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedAttachment {
    /// Metadata, including the plaintext SHA-256 the platform checks.
    pub info: AttachmentInfo,
    /// The sealed bytes.
    pub sealed: SealedBody,
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub(crate) fn check_new(app: &NewApplication) -> Result<(), StoreError> {
    if app.attachments.iter().any(|a| a.slot.trim().is_empty()) {
        return Err(Refusal::AttachmentSlotEmpty.into());
    }
    Ok(())
}

/// An application's payload and attachments after sealing.
#[derive(Debug)]
pub(crate) struct SealedParts {
    recipient: Option<String>,
    payload: (Sealing, Vec<u8>),
    pub(crate) attachments: Vec<SealedPart>,
}

/// One sealed attachment and its plaintext metadata.
#[derive(Debug)]
pub(crate) struct SealedPart {
    pub(crate) info: AttachmentInfo,
    sealing: Sealing,
    body: Vec<u8>,
}

/// Hashes and seals the payload and every attachment, in parallel (one thread per part).
pub(crate) fn seal_all(
    sealer: &Sealer,
    platform: Option<&PlatformRecipient>,
    app: &NewApplication,
) -> Result<SealedParts, StoreError> {
    let seal_attachment = |a: &NewAttachment| -> Result<SealedPart, StoreError> {
        let (sealing, body) = sealer.seal(platform, &a.bytes)?;
        Ok(SealedPart {
            info: AttachmentInfo {
                slot: a.slot.clone(),
                sha256: sha256_hex(&a.bytes),
                size: i64::try_from(a.bytes.len()).unwrap_or(i64::MAX),
                media_type: a.media_type.clone(),
            },
            sealing,
            body,
        })
    };
    let (payload, attachments) = std::thread::scope(|scope| {
        let workers: Vec<_> = app
            .attachments
            .iter()
            .map(|a| scope.spawn(move || seal_attachment(a)))
            .collect();
        let payload = sealer.seal(platform, &app.payload);
        let attachments: Result<Vec<SealedPart>, StoreError> = workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(StoreError::Seal("a sealing thread panicked".into())))
            })
            .collect();
        (payload, attachments)
    });
    Ok(SealedParts {
        recipient: platform.map(PlatformRecipient::as_string),
        payload: payload?,
        attachments: attachments?,
    })
}

/// Inserts a sealed, submitted application, its attachments, outbox row and audit row in
/// the caller's transaction (replacing its draft, if any).
pub(crate) fn insert_submitted(
    tx: &Transaction<'_>,
    app: &NewApplication,
    sealed: &SealedParts,
    now: i64,
) -> Result<(), StoreError> {
    let id = app.id.to_string();
    if let Some(draft) = app.replaces_draft {
        tx.execute(
            "DELETE FROM applications WHERE id = ?1 AND state = 'draft'",
            [draft.to_string()],
        )?;
    }
    let state = LifecycleState::Draft.apply(LifecycleEvent::Submit)?;
    let summary = app.summary.to_string();
    let inserted = tx.execute(
        "INSERT INTO applications (id, kind, profile, state, summary, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT(id) DO NOTHING",
        params![id, app.kind, app.profile, state.as_str(), summary, now],
    )?;
    if inserted == 0 {
        return Err(Refusal::AlreadySubmitted.into());
    }
    let (sealing, body) = &sealed.payload;
    tx.execute(
        "INSERT INTO payloads (application_id, sealing, recipient, body) VALUES (?1, ?2, ?3, ?4)",
        params![id, sealing.as_str(), sealed.recipient, body],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO attachments
            (application_id, position, sha256, slot, media_type, size, sealing, recipient, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (position, part) in sealed.attachments.iter().enumerate() {
        insert.execute(params![
            id,
            i64::try_from(position).unwrap_or(i64::MAX),
            part.info.sha256,
            part.info.slot,
            part.info.media_type,
            part.info.size,
            part.sealing.as_str(),
            sealed.recipient,
            part.body
        ])?;
    }
    tx.execute(
        "INSERT INTO outbox (application_id, next_attempt_at) VALUES (?1, ?2)",
        params![id, now],
    )?;
    audit::append(
        tx,
        &AuditEntry {
            at: now,
            actor: app.actor.clone(),
            action: "application.submitted".into(),
            application_id: Some(id),
            detail: format!(
                "kind={} profile={} attachments={} sealing={}",
                app.kind,
                app.profile,
                app.attachments.len(),
                sealing.as_str()
            ),
        },
    )?;
    Ok(())
}

const ENTRY_COLUMNS: &str = "a.id, a.kind, a.profile, a.state, a.summary, a.created_at,
    a.updated_at, coalesce(o.attempts, 0), o.next_attempt_at, o.last_error";

fn read_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueueEntry> {
    let summary: String = r.get(4)?;
    Ok(QueueEntry {
        id: r.get(0)?,
        kind: r.get(1)?,
        profile: r.get(2)?,
        state: columns::parsed(r, 3, "lifecycle state", LifecycleState::parse)?,
        summary: serde_json::from_str(&summary).unwrap_or(serde_json::Value::Null),
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        attempts: r.get(7)?,
        next_attempt_at: r.get(8)?,
        last_error: r.get(9)?,
    })
}

/// Applications, newest first, optionally only one state; drafts only when asked for.
pub(crate) fn list(
    conn: &Connection,
    state: Option<LifecycleState>,
    limit: u32,
) -> Result<Vec<QueueEntry>, StoreError> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM applications a LEFT JOIN outbox o ON o.application_id = a.id
         WHERE (?1 IS NULL AND a.state != 'draft') OR a.state = ?1
         ORDER BY a.created_at DESC, a.id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![state.map(LifecycleState::as_str), limit],
        read_entry,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn not_found(id: &str) -> StoreError {
    StoreError::NotFound {
        what: "application",
        id: id.to_owned(),
    }
}

/// One application with attachments and status updates.
pub(crate) fn show(conn: &Connection, id: &str) -> Result<QueueDetail, StoreError> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM applications a LEFT JOIN outbox o ON o.application_id = a.id
         WHERE a.id = ?1"
    );
    let entry = conn
        .query_row(&sql, [id], read_entry)
        .optional()?
        .ok_or_else(|| not_found(id))?;
    let sealing = conn
        .query_row(
            "SELECT sealing FROM payloads WHERE application_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let mut stmt = conn.prepare_cached(
        "SELECT slot, sha256, size, media_type FROM attachments WHERE application_id = ?1
         ORDER BY position",
    )?;
    let attachments = stmt
        .query_map([id], |r| {
            Ok(AttachmentInfo {
                slot: r.get(0)?,
                sha256: r.get(1)?,
                size: r.get(2)?,
                media_type: r.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT state, message, received_at FROM status_updates WHERE application_id = ?1
         ORDER BY id",
    )?;
    let status_updates = stmt
        .query_map([id], |r| {
            Ok(StatusUpdate {
                state: r.get(0)?,
                message: r.get(1)?,
                received_at: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(QueueDetail {
        entry,
        sealing,
        attachments,
        status_updates,
    })
}

/// Counts per state and outbox figures.
pub(crate) fn stats(conn: &Connection, now: i64) -> Result<QueueStats, StoreError> {
    let mut by_state = BTreeMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT state, count(*) FROM applications GROUP BY state")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (state, n) = row?;
        by_state.insert(state, u64::try_from(n).unwrap_or(0));
    }
    let due_now: i64 = conn.query_row(
        &format!("SELECT count(*) FROM outbox o WHERE {}", due_at_1()),
        [now],
        |r| r.get(0),
    )?;
    let oldest_waiting_at = conn.query_row(
        "SELECT min(a.created_at) FROM outbox o JOIN applications a ON a.id = o.application_id",
        [],
        |r| r.get(0),
    )?;
    let sealed_locally: i64 = conn.query_row(
        "SELECT count(*) FROM payloads WHERE sealing = 'local'",
        [],
        |r| r.get(0),
    )?;
    Ok(QueueStats {
        by_state,
        due_now: u64::try_from(due_now).unwrap_or(0),
        oldest_waiting_at,
        sealed_locally: u64::try_from(sealed_locally).unwrap_or(0),
    })
}

fn read_sealed(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<SealedBody> {
    Ok(SealedBody {
        sealing: columns::parsed(r, at, "sealing", Sealing::parse)?,
        recipient: r.get(at + 1)?,
        body: r.get(at + 2)?,
    })
}

/// The sealed payload of an application.
pub(crate) fn sealed_payload(conn: &Connection, id: &str) -> Result<SealedBody, StoreError> {
    conn.query_row(
        "SELECT sealing, recipient, body FROM payloads WHERE application_id = ?1",
        [id],
        |r| read_sealed(r, 0),
    )
    .optional()?
    .ok_or_else(|| not_found(id))
}

/// The sealed attachments of an application, in the order handed in.
pub(crate) fn sealed_attachments(
    conn: &Connection,
    id: &str,
) -> Result<Vec<SealedAttachment>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slot, sha256, size, media_type, sealing, recipient, body FROM attachments
         WHERE application_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(SealedAttachment {
            info: AttachmentInfo {
                slot: r.get(0)?,
                sha256: r.get(1)?,
                size: r.get(2)?,
                media_type: r.get(3)?,
            },
            sealed: read_sealed(r, 4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A retry is never put off longer than this; one set further ahead than this from now was
/// scheduled before the clock was set back, and is due now rather than stalled until the
/// clock catches up. (`i64::MAX` parks an item on purpose and stays parked.)
pub const CLOCK_SET_BACK_SLACK_MS: i64 = 24 * 60 * 60 * 1000;

/// The SQL condition "outbox row `o` is due at `?1`" (see [`CLOCK_SET_BACK_SLACK_MS`]).
fn due_at_1() -> String {
    format!(
        "(o.next_attempt_at <= ?1 OR (o.next_attempt_at > ?1 + {CLOCK_SET_BACK_SLACK_MS} \
         AND o.next_attempt_at < {}))",
        i64::MAX
    )
}

/// Ids in the outbox due at `now`, oldest first; applications held for supervisor review
/// are never due.
pub(crate) fn due(conn: &Connection, now: i64, limit: u32) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT o.application_id FROM outbox o JOIN applications a ON a.id = o.application_id
         WHERE {} AND a.state = 'submitted'
           AND NOT EXISTS (SELECT 1 FROM reviews r
                           WHERE r.application_id = a.id AND r.status <> 'approved')
         ORDER BY o.next_attempt_at, a.created_at LIMIT ?2",
        due_at_1()
    ))?;
    let rows = stmt.query_map(params![now, limit], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Moves `id` one lifecycle step in the caller's transaction; returns the new state.
pub(crate) fn transition(
    tx: &Transaction<'_>,
    id: &str,
    event: LifecycleEvent,
    now: i64,
) -> Result<LifecycleState, StoreError> {
    let current: String = tx
        .query_row("SELECT state FROM applications WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| not_found(id))?;
    let from = LifecycleState::parse(&current)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown lifecycle state {current}")))?;
    let to = from.apply(event)?;
    tx.execute(
        "UPDATE applications SET state = ?2, updated_at = ?3,
            confirmed_at = CASE WHEN confirmed_at IS NULL AND ?4 THEN ?3 ELSE confirmed_at END
         WHERE id = ?1",
        params![id, to.as_str(), now, to.is_platform_confirmed()],
    )?;
    Ok(to)
}
