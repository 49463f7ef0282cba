//! The per-kiosk status feed and the reviewer actions that feed it.

use crate::sql_params as params;
use crate::storage::OptionalRow;
use serde::{Deserialize, Serialize};

use crate::submissions::{Reason, push_event, reason_of};
use crate::{ApiError, Platform, uniqueness};

/// The account name an approval assigns: the reviewer's choice, else the requested one
/// (`account.accountName`, a top-level `accountName`, the legacy account of a binding), else
/// for registrations `HJ_` and the start of the id; references to existing accounts
/// (`real-name`, `password-reset-appeal`) get none.
pub fn approved_account_name(
    payload: &serde_json::Value,
    chosen: Option<&str>,
    id: &str,
) -> Option<String> {
    let text = |p: &str| {
        payload
            .pointer(p)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let requested = chosen
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or_else(|| text("/account/accountName"))
        .or_else(|| text("/accountName"))
        .or_else(|| text("/legacyAccountName"));
    match (requested, text("/kind").unwrap_or_default()) {
        (Some(name), _) => Some(name.to_owned()),
        (None, "real-name" | "password-reset-appeal" | "legacy-binding") => None,
        (None, _) => Some(format!("HJ_{}", id.get(..8).unwrap_or(id))),
    }
}

/// Largest page of the status feed.
pub const MAX_PAGE: u32 = 500;

/// One verdict or state change for an application of the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusEvent {
    /// Position in the kiosk's feed; pass the last one seen as `after`.
    pub cursor: i64,
    /// The application id.
    pub application_id: String,
    /// `accepted`, `needs-action`, `verified` or `rejected`.
    pub state: String,
    /// The platform account name, once verified.
    pub account_name: Option<String>,
    /// Why, for `needs-action` and `rejected`.
    pub reason: Option<Reason>,
    /// When, Unix ms.
    pub at: i64,
}

/// A page of the status feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusPage {
    /// Events after the requested cursor, oldest first.
    pub events: Vec<StatusEvent>,
    /// The cursor to ask with next time (unchanged when there was nothing new).
    pub next_cursor: i64,
}

/// A reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case", tag = "action")]
pub enum ReviewAction {
    /// Approve: the account becomes active under `account_name` (default: the requested one).
    Approve {
        /// Account name to assign.
        #[serde(default, rename = "accountName")]
        account_name: Option<String>,
    },
    /// Reject with a reason.
    Reject {
        /// Chinese reason.
        zh: String,
        /// English reason.
        #[serde(default)]
        en: String,
    },
    /// Ask the applicant for more evidence.
    RequestEvidence {
        /// Chinese reason.
        zh: String,
        /// English reason.
        #[serde(default)]
        en: String,
    },
}

/// `400 CURSOR_INVALID`: a status cursor that is not one this platform gave out.
pub fn cursor_invalid() -> ApiError {
    ApiError::bad_request(
        "CURSOR_INVALID",
        "状态游标无效（须为本平台给出的非负整数）。终端应从 0 重新读取状态。",
        "The status cursor is invalid (it must be a non-negative integer this platform gave out). The kiosk reads the feed again from 0.",
    )
}

impl Platform {
    /// Events for `kiosk` after `after`, at most `limit`. A cursor past the end of the feed
    /// (from another platform, or a restored older database) is refused with
    /// [`cursor_invalid`] instead of answering an empty page forever.
    pub fn status_feed(&self, kiosk: &str, after: i64, limit: u32) -> Result<StatusPage, ApiError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let mut db = self.read()?;
        let end: i64 = db.query_row(
            "SELECT COALESCE(MAX(cursor), 0) FROM status_events",
            params![],
            |r| r.get(0),
        )?;
        if after < 0 || after > end {
            return Err(cursor_invalid());
        }
        let events: Vec<StatusEvent> = db.query_map(
            "SELECT cursor, application_id, state, account_name, reason_code, reason_zh, reason_en, at
             FROM status_events WHERE kiosk_id = ?1 AND cursor > ?2 ORDER BY cursor LIMIT ?3",
            params![kiosk, after, limit],
            |r| {
                Ok(StatusEvent {
                    cursor: r.get(0)?,
                    application_id: r.get(1)?,
                    state: r.get(2)?,
                    account_name: r.get(3)?,
                    reason: reason_of(r.get(4)?, r.get(5)?, r.get(6)?),
                    at: r.get(7)?,
                })
            },
        )?;
        drop(db);
        let mut events = events;
        for event in &mut events {
            if let Some(stored) = event.account_name.take() {
                event.account_name = Some(self.open_text(&stored)?);
            }
        }
        let next_cursor = events.last().map_or(after, |e| e.cursor);
        Ok(StatusPage {
            events,
            next_cursor,
        })
    }

    /// Applies a reviewer decision to submission `id` (from `accepted` or `needs-action`).
    pub fn review(&self, id: &str, action: &ReviewAction) -> Result<String, ApiError> {
        let now = self.now_ms();
        let mut tx = self.write()?;
        let row: Option<(String, String, String)> = tx
            .query_row(
                "SELECT kiosk_id, state, payload FROM submissions WHERE id = ?1",
                params![id.to_lowercase()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((kiosk, state, payload)) = row else {
            return Err(ApiError::not_found(
                "SUBMISSION_NOT_FOUND",
                "没有这个申请编号。",
                "There is no submission with this id.",
            ));
        };
        if !matches!(state.as_str(), "accepted" | "needs-action") {
            return Err(ApiError::conflict(
                "ALREADY_DECIDED",
                format!("该申请已审核完毕（{state}）。"),
                format!("This submission was already decided ({state})."),
            ));
        }
        let id = id.to_lowercase();
        let payload = self.open_payload(&payload)?;
        let (next, account, reason) = match action {
            ReviewAction::Approve { account_name } => {
                if crate::mobile::is_unverified(&mut *tx, &id)? {
                    return Err(ApiError::conflict(
                        "MOBILE_UNVERIFIED",
                        "申请人的手机号还没有验证，不能通过审核。请申请人凭回执号在自助终端输入验证码（可重新获取），验证后再审核；或退回申请。",
                        "The applicant's mobile is not verified yet, so the application cannot be approved. The applicant enters the code at a kiosk with the receipt code (a new code can be requested); review again after that, or reject.",
                    ));
                }
                let name = approved_account_name(&payload, account_name.as_deref(), &id);
                // Re-reserve what the approved account holds: a submission that was in
                // needs-action holds nothing, and the reviewer may have changed the name.
                let wanted = uniqueness::reservations(&payload, name.as_deref());
                uniqueness::release(&mut *tx, &id)?;
                if let Some(taken) = uniqueness::conflict(&mut *tx, &self.blind_key, &wanted, &id)?
                {
                    let reason = taken.conflict();
                    return Err(ApiError::conflict(
                        taken.conflict_code(),
                        format!(
                            "不能通过：{}（可指定另一个账号名，或退回申请。）",
                            reason.zh
                        ),
                        format!(
                            "Cannot approve: {} (Approve with another account name, or reject.)",
                            reason.en
                        ),
                    ));
                }
                uniqueness::reserve(&mut *tx, &self.blind_key, &id, &wanted)?;
                ("verified", name, None)
            }
            ReviewAction::Reject { zh, en } => (
                "rejected",
                None,
                Some(Reason {
                    code: "REJECTED".into(),
                    zh: zh.clone(),
                    en: en.clone(),
                }),
            ),
            ReviewAction::RequestEvidence { zh, en } => (
                "needs-action",
                None,
                Some(Reason {
                    code: "MORE_EVIDENCE".into(),
                    zh: zh.clone(),
                    en: en.clone(),
                }),
            ),
        };
        if reason.is_some() {
            // Rejected or back in needs-action: what it reserved is free again.
            uniqueness::release(&mut *tx, &id)?;
        }
        if reason.as_ref().is_some_and(|r| r.zh.trim().is_empty()) {
            return Err(ApiError::bad_request(
                "REASON_REQUIRED",
                "退回或要求补正时必须填写原因。",
                "A reason is required to reject or to request evidence.",
            ));
        }
        let sealed_account = account.as_deref().map(|a| self.seal_text(a));
        tx.execute(
            "UPDATE submissions SET state = ?2, account_name = ?3, reason_code = ?4,
                reason_zh = ?5, reason_en = ?6, updated_at = ?7 WHERE id = ?1",
            params![
                id,
                next,
                sealed_account,
                reason.as_ref().map(|r| &r.code),
                reason.as_ref().map(|r| &r.zh),
                reason.as_ref().map(|r| &r.en),
                now
            ],
        )?;
        push_event(
            &mut *tx,
            &kiosk,
            &id,
            next,
            sealed_account.as_deref(),
            reason.as_ref(),
            now,
        )?;
        tx.commit()?;
        Ok(next.to_owned())
    }
}
