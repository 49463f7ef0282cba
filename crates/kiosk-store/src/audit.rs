//! The append-only, keyed and chained audit log.
//!
//! `hash = HMAC-SHA256(audit key, prev_hash ‖ 0x1f ‖ seq ‖ 0x1f ‖ at ‖ 0x1f ‖ actor ‖ 0x1f ‖
//! action ‖ 0x1f ‖ application_id ‖ 0x1f ‖ detail ‖ 0x1f)` in lower-case hex; the first row's
//! `prev_hash` is [`GENESIS`]. The audit key is derived from the database key, so it shares its
//! protection and is never stored; the connection computes the MAC through the SQL function
//! [`MAC_FUNCTION`] registered when it is opened. Rows written before the chain was keyed carry a
//! plain SHA-256 of the same message; [`KEYED_FROM_SETTING`] records the first keyed row.
//!
//! The newest row's seq and hash are also kept in the `audit.head` setting, in the same
//! transaction, and sent to the platform with each heartbeat, so deleting the newest rows is
//! detected too. Triggers refuse `UPDATE` and `DELETE` on the table. Rows must never carry raw
//! ID numbers or names.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::StoreError;
use crate::settings;

/// `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Setting that records `<seq>:<hash>` of the newest row.
pub const HEAD_SETTING: &str = kiosk_core::settings::AUDIT_HEAD.key;

/// Setting that records the seq of the first keyed row.
pub const KEYED_FROM_SETTING: &str = kiosk_core::settings::AUDIT_KEYED_FROM.key;

/// The SQL function `tongban_audit_mac(message BLOB) -> TEXT` every store connection has.
pub const MAC_FUNCTION: &str = "tongban_audit_mac";

/// Registers [`MAC_FUNCTION`] on `conn`, keyed with the audit key derived from `key`.
pub(crate) fn register_mac(
    conn: &Connection,
    key: &crate::config::DatabaseKey,
) -> Result<(), StoreError> {
    use hmac::{Hmac, Mac};
    use rusqlite::functions::FunctionFlags;
    let audit_key = key.derive("tongban audit chain v1")?;
    conn.create_scalar_function(
        MAC_FUNCTION,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| {
            let message: Vec<u8> = ctx.get(0)?;
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&audit_key)
                .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
            mac.update(&message);
            Ok(hex::encode(mac.finalize().into_bytes()))
        },
    )?;
    Ok(())
}

/// One thing worth recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When, Unix milliseconds.
    pub at: i64,
    /// Who: a staff username, `visitor`, `kioskctl` or `system`.
    pub actor: String,
    /// What, e.g. `application.submitted`.
    pub action: String,
    /// Which application, if any.
    pub application_id: Option<String>,
    /// Non-personal detail (masked values only).
    pub detail: String,
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    /// Position in the log, from 1.
    pub seq: i64,
    /// When, Unix milliseconds.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Which application.
    pub application_id: Option<String>,
    /// Detail.
    pub detail: String,
    /// Hash of the previous row.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// Result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerdict {
    /// Rows checked.
    pub rows: u64,
    /// `None` when the chain is intact, else the first break found.
    pub broken_at: Option<AuditBreak>,
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditBreak {
    /// The first row (seq) that does not fit; for a deleted tail, the recorded head's seq.
    pub seq: i64,
    /// What is wrong, in English.
    pub reason: String,
}

/// The bytes a row's hash covers.
fn message(prev: &str, seq: i64, entry: &AuditEntry) -> Vec<u8> {
    let mut message = Vec::new();
    for part in [
        prev,
        &seq.to_string(),
        &entry.at.to_string(),
        &entry.actor,
        &entry.action,
        entry.application_id.as_deref().unwrap_or(""),
        &entry.detail,
    ] {
        message.extend_from_slice(part.as_bytes());
        message.push(0x1f);
    }
    message
}

/// The hash of a row: keyed from [`KEYED_FROM_SETTING`] on, plain SHA-256 before.
fn row_hash(
    conn: &Connection,
    keyed: bool,
    prev: &str,
    seq: i64,
    entry: &AuditEntry,
) -> Result<String, StoreError> {
    let message = message(prev, seq, entry);
    if keyed {
        let sql = format!("SELECT {MAC_FUNCTION}(?1)");
        Ok(conn.query_row(&sql, [message], |r| r.get(0))?)
    } else {
        Ok(hex::encode(Sha256::digest(&message)))
    }
}

fn keyed_from(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(settings::get(conn, KEYED_FROM_SETTING)?.and_then(|v| v.parse().ok()))
}

/// Appends `entry` inside the caller's transaction.
pub(crate) fn append(tx: &Transaction<'_>, entry: &AuditEntry) -> Result<i64, StoreError> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    if keyed_from(tx)?.is_none() {
        settings::set(tx, KEYED_FROM_SETTING, &seq.to_string())?;
    }
    let hash = row_hash(tx, true, &prev, seq, entry)?;
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, action, application_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.application_id,
            entry.detail,
            prev,
            hash
        ],
    )?;
    settings::set(tx, HEAD_SETTING, &format!("{seq}:{hash}"))?;
    Ok(seq)
}

/// Checks every row's link and hash, and the recorded head.
pub(crate) fn verify(conn: &Connection) -> Result<AuditVerdict, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, application_id, detail, prev_hash, hash
         FROM audit_log ORDER BY seq",
    )?;
    let rows = stmt.query_map([], read_row)?;
    let keyed_from = keyed_from(conn)?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0u64;
    let mut last: Option<(i64, String)> = None;
    for row in rows {
        let row = row?;
        count += 1;
        let broken = |reason: &str| AuditVerdict {
            rows: count,
            broken_at: Some(AuditBreak {
                seq: row.seq,
                reason: reason.to_owned(),
            }),
        };
        if row.seq != expected_seq {
            return Ok(broken("a row before this one was deleted (gap in seq)"));
        }
        if row.prev_hash != expected_prev {
            return Ok(broken("prev_hash does not match the previous row"));
        }
        let entry = AuditEntry {
            at: row.at,
            actor: row.actor.clone(),
            action: row.action.clone(),
            application_id: row.application_id.clone(),
            detail: row.detail.clone(),
        };
        let keyed = keyed_from.is_some_and(|from| row.seq >= from);
        if row_hash(conn, keyed, &row.prev_hash, row.seq, &entry)? != row.hash {
            return Ok(broken("row content does not match its hash (edited)"));
        }
        expected_prev = row.hash.clone();
        expected_seq += 1;
        last = Some((row.seq, row.hash));
    }
    let head = settings::get(conn, HEAD_SETTING)?;
    let recorded = head.as_deref().and_then(|h| h.split_once(':'));
    let actual = last
        .as_ref()
        .map(|(seq, hash)| (seq.to_string(), hash.as_str()));
    let matches = match (recorded, &actual) {
        (None, None) => true,
        (Some((seq, hash)), Some((aseq, ahash))) => seq == aseq && hash == *ahash,
        _ => false,
    };
    if !matches {
        let seq = recorded
            .and_then(|(s, _)| s.parse().ok())
            .unwrap_or(expected_seq);
        return Ok(AuditVerdict {
            rows: count,
            broken_at: Some(AuditBreak {
                seq,
                reason: "the newest rows were deleted or the head record was altered".into(),
            }),
        });
    }
    Ok(AuditVerdict {
        rows: count,
        broken_at: None,
    })
}

/// The newest row's seq and hash (what the platform keeps as the anchor), `None` for an
/// empty log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditHead {
    /// The newest row's position.
    pub seq: i64,
    /// The newest row's hash (HMAC).
    pub mac: String,
}

/// The newest row's seq and hash.
pub(crate) fn head(conn: &Connection) -> Result<Option<AuditHead>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(AuditHead {
                    seq: r.get(0)?,
                    mac: r.get(1)?,
                })
            },
        )
        .optional()?)
}

/// Checks the local log against `anchor`, a head the platform received earlier: the row at
/// the anchor's seq must still be there with the same hash. `None` when it is; else the break
/// (a deleted tail, or a rewritten row).
pub(crate) fn check_anchor(
    conn: &Connection,
    anchor: &AuditHead,
) -> Result<Option<AuditBreak>, StoreError> {
    let at: Option<String> = conn
        .query_row(
            "SELECT hash FROM audit_log WHERE seq = ?1",
            [anchor.seq],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match at {
        None => Some(AuditBreak {
            seq: anchor.seq,
            reason: format!(
                "the platform holds row {} but the kiosk's log ends before it (the newest rows were deleted)",
                anchor.seq
            ),
        }),
        Some(hash) if hash != anchor.mac => Some(AuditBreak {
            seq: anchor.seq,
            reason: format!(
                "row {} differs from the one the platform holds (the log was rewritten)",
                anchor.seq
            ),
        }),
        Some(_) => None,
    })
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        application_id: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// The newest `limit` rows, newest first.
pub(crate) fn recent(conn: &Connection, limit: u32) -> Result<Vec<AuditRow>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, application_id, detail, prev_hash, hash
         FROM audit_log ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], read_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
