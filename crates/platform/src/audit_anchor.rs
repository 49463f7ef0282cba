//! The kiosks' audit anchors: each heartbeat may carry the head of the kiosk's keyed audit
//! chain (`auditHead: {seq, mac}`); the platform keeps the latest per kiosk, never lets its
//! sequence go backwards (a lower or rewritten head is recorded as an alert instead), and
//! gives it back signed so a kiosk can prove its tail was not cut.

use crate::sql_params as params;
use crate::storage::OptionalRow;
use serde::{Deserialize, Serialize};

use crate::{ApiError, Platform};

/// The head of a kiosk's audit chain as the kiosk reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditHead {
    /// Sequence number of the newest audit row.
    pub seq: u64,
    /// Its MAC, hex (16-128 characters).
    pub mac: String,
}

/// The anchor the platform holds for a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoredAnchor {
    /// Sequence number.
    pub seq: u64,
    /// MAC, lower-case hex.
    pub mac: String,
    /// When the platform received it, Unix ms.
    pub received_at: i64,
}

/// The answer to a heartbeat and to `GET /api/v1/kiosks/audit-head` (signed like every
/// kiosk answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AnchorAnswer {
    /// The latest audit head stored for this kiosk, if any.
    pub audit_head: Option<StoredAnchor>,
    /// How many times this kiosk offered a head behind (or rewriting) the stored one.
    pub alerts: u64,
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Platform {
    /// Records `head` as the anchor of `kiosk` unless it goes backwards or rewrites the
    /// stored head at the same sequence: then the stored anchor stays and an alert is kept.
    pub fn record_audit_head(&self, kiosk: &str, head: &AuditHead) -> Result<(), ApiError> {
        let mac = head.mac.trim().to_ascii_lowercase();
        if !(16..=128).contains(&mac.len()) || !mac.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ApiError::bad_request(
                "AUDIT_HEAD_INVALID",
                "审计链头格式错误：mac 须为 16-128 位十六进制字符。",
                "The audit head is malformed: mac must be 16-128 hex characters.",
            ));
        }
        let now = self.now_ms();
        let mut tx = self.write()?;
        let stored: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, mac FROM audit_anchors WHERE kiosk_id = ?1",
                params![kiosk],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let offered = to_i64(head.seq);
        let backwards = stored
            .as_ref()
            .is_some_and(|(seq, old)| offered < *seq || (offered == *seq && *old != mac));
        if backwards {
            let stored_seq = stored.map_or(0, |(seq, _)| seq);
            tx.execute(
                "INSERT INTO audit_anchor_alerts (kiosk_id, stored_seq, offered_seq, offered_mac, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![kiosk, stored_seq, offered, mac, now],
            )?;
            log::warn!(
                "kiosk {kiosk} offered audit head {offered} behind the stored {stored_seq}: alert recorded"
            );
        } else {
            tx.execute(
                "INSERT INTO audit_anchors (kiosk_id, seq, mac, received_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(kiosk_id) DO UPDATE SET seq = ?2, mac = ?3, received_at = ?4",
                params![kiosk, offered, mac, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The anchor held for `kiosk` and its alert count.
    pub fn audit_anchor(&self, kiosk: &str) -> Result<AnchorAnswer, ApiError> {
        let mut db = self.read()?;
        let audit_head = db
            .query_row(
                "SELECT seq, mac, received_at FROM audit_anchors WHERE kiosk_id = ?1",
                params![kiosk],
                |r| {
                    Ok(StoredAnchor {
                        seq: u64::try_from(r.get::<i64>(0)?).unwrap_or(0),
                        mac: r.get(1)?,
                        received_at: r.get(2)?,
                    })
                },
            )
            .optional()?;
        let alerts: i64 = db.query_row(
            "SELECT COUNT(*) FROM audit_anchor_alerts WHERE kiosk_id = ?1",
            params![kiosk],
            |r| r.get(0),
        )?;
        Ok(AnchorAnswer {
            audit_head,
            alerts: u64::try_from(alerts).unwrap_or(0),
        })
    }
}
