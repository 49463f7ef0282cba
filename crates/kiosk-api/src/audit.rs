//! The audit log: verify the keyed chain, locally and against the anchor the platform holds
//! (the head each heartbeat sends), and show recent rows.

use kiosk_core::Problem;
use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;

/// Outcome of checking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditReport {
    /// Rows checked.
    #[ts(type = "number")]
    pub rows: u64,
    /// Whether every row is intact and none is missing.
    pub intact: bool,
    /// The first row that does not fit, when broken.
    #[ts(optional)]
    #[ts(type = "number")]
    pub broken_at_seq: Option<i64>,
    /// Why, in English, when broken.
    #[ts(optional)]
    pub reason: Option<String>,
}

/// One audit row as shown to an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditLine {
    /// Position.
    #[ts(type = "number")]
    pub seq: i64,
    /// When, Unix ms.
    #[ts(type = "number")]
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Which application.
    #[ts(optional)]
    pub application_id: Option<String>,
    /// Non-personal detail.
    pub detail: String,
}

/// Where the platform's anchor stands in a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AnchorCheck {
    /// The row the platform anchored is here, unchanged.
    Matches,
    /// The platform holds no anchor yet (no heartbeat since the log began).
    NoneYet,
    /// Not enrolled, or the platform could not be asked: only the local chain was checked.
    NotChecked,
}

/// Checks the chain locally, then against the anchor the platform holds: a tail deleted
/// together with the local head record is found only there.
pub async fn verify_anchored(kiosk: &Kiosk) -> Result<(AuditReport, AnchorCheck), Problem> {
    let report = verify(kiosk)?;
    if !report.intact {
        return Ok((report, AnchorCheck::NotChecked));
    }
    let anchor = match crate::sync::audit_anchor(kiosk).await {
        Ok(anchor) => anchor,
        Err(problem) => {
            log::warn!("audit anchor not fetched: {}", problem.code);
            return Ok((report, AnchorCheck::NotChecked));
        }
    };
    let Some(head) = anchor.audit_head else {
        return Ok((report, AnchorCheck::NoneYet));
    };
    let anchor = kiosk_store::AuditHead {
        seq: i64::try_from(head.seq).unwrap_or(i64::MAX),
        mac: head.mac,
    };
    match kiosk.store().check_audit_anchor(anchor)? {
        None => Ok((report, AnchorCheck::Matches)),
        Some(broken) => Ok((
            AuditReport {
                rows: report.rows,
                intact: false,
                broken_at_seq: Some(broken.seq),
                reason: Some(broken.reason),
            },
            AnchorCheck::Matches,
        )),
    }
}

/// Checks the whole chain (an edited or deleted row breaks it).
pub fn verify(kiosk: &Kiosk) -> Result<AuditReport, Problem> {
    let verdict = kiosk.store().verify_audit()?;
    Ok(AuditReport {
        rows: verdict.rows,
        intact: verdict.broken_at.is_none(),
        broken_at_seq: verdict.broken_at.as_ref().map(|b| b.seq),
        reason: verdict.broken_at.map(|b| b.reason),
    })
}

/// The newest `limit` rows, newest first.
pub fn recent(kiosk: &Kiosk, limit: u32) -> Result<Vec<AuditLine>, Problem> {
    Ok(kiosk
        .store()
        .recent_audit(limit)?
        .into_iter()
        .map(|r| AuditLine {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            application_id: r.application_id,
            detail: r.detail,
        })
        .collect())
}
