//! Sealed submissions: idempotent by application id, checked for uniqueness, then reviewed.

use base64::Engine;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::db::sha256_hex;
use crate::{ApiError, Platform};

/// One attachment a submission refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttachmentRef {
    /// Slot name (`idFront`, `businessLicence`, ...).
    pub slot: String,
    /// Plaintext SHA-256, lower-case hex; the blob must have been uploaded first.
    pub sha256: String,
    /// Plaintext size in bytes.
    pub size: u64,
    /// MIME type.
    pub media_type: String,
}

/// `POST /api/v1/submissions` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubmissionRequest {
    /// The application UUID: the idempotency key.
    pub id: String,
    /// The age-sealed payload JSON, base64.
    pub sealed_payload: String,
    /// Attachments (uploaded before as blobs).
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

/// A reason the platform gives, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// Stable code.
    pub code: String,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// `POST /api/v1/submissions` response (the same for a repeat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionReceipt {
    /// The application id.
    pub id: String,
    /// The platform's receipt number.
    pub receipt: String,
    /// `accepted` (waiting for review) or `needs-action`.
    pub state: String,
    /// Why, for `needs-action`.
    pub reason: Option<Reason>,
    /// When the platform received it, Unix ms.
    pub received_at: i64,
}

/// A stored submission as the admin sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionRecord {
    /// The application id.
    pub id: String,
    /// The kiosk that sent it.
    pub kiosk_id: String,
    /// Receipt number.
    pub receipt: String,
    /// Current state: `accepted`, `needs-action`, `verified`, `rejected`.
    pub state: String,
    /// Platform account name assigned on approval.
    pub account_name: Option<String>,
    /// Last reason given.
    pub reason: Option<Reason>,
    /// Received, Unix ms.
    pub received_at: i64,
    /// Attachments.
    pub attachments: Vec<AttachmentRef>,
    /// The decrypted payload.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// Checks an application id: a hyphenated UUID.
pub fn check_uuid(id: &str) -> Result<(), ApiError> {
    let ok = id.len() == 36
        && id.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "APPLICATION_ID_INVALID",
            "申请编号须为 UUID。",
            "The application id must be a UUID.",
        ))
    }
}

/// The values that must be unique across the platform, found anywhere in a payload.
const UNIQUE_KEYS: [(&str, &str, &str, &str); 3] = [
    (
        "accountName",
        "ACCOUNT_NAME_TAKEN",
        "账号名已被注册。请换一个账号名后重新提交。",
        "The account name is already registered. Choose another and submit again.",
    ),
    (
        "idNumber",
        "ID_NUMBER_REGISTERED",
        "该证件号码已注册过账号。请找回原账号，或到窗口办理。",
        "This ID number already has an account. Recover that account or go to the counter.",
    ),
    (
        "uscc",
        "USCC_REGISTERED",
        "该统一社会信用代码已注册过单位账号。请联系本单位管理员。",
        "This unified social credit code already has a unit account. Contact your unit's administrator.",
    ),
];

/// The first string value under `key` anywhere in `value` (depth-first).
fn find_str<'a>(value: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    match value {
        serde_json::Value::Object(map) => map
            .get(key)
            .and_then(|v| v.as_str())
            .or_else(|| map.values().find_map(|v| find_str(v, key))),
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_str(v, key)),
        _ => None,
    }
}

/// Normalises a unique value for comparison.
fn unique_form(kind: &str, value: &str) -> String {
    let v = value.trim();
    if kind == "accountName" {
        v.to_lowercase()
    } else {
        v.to_uppercase()
    }
}

/// Whether `value` of `kind` is already registered.
pub fn is_registered(tx: &rusqlite::Connection, kind: &str, value: &str) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT 1 FROM registry WHERE kind = ?1 AND value = ?2",
        params![kind, unique_form(kind, value)],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

/// Appends a status event to the kiosk's feed.
pub fn push_event(
    tx: &Transaction<'_>,
    kiosk: &str,
    application: &str,
    state: &str,
    account_name: Option<&str>,
    reason: Option<&Reason>,
    at: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO status_events (kiosk_id, application_id, state, account_name,
            reason_code, reason_zh, reason_en, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            kiosk,
            application,
            state,
            account_name,
            reason.map(|r| &r.code),
            reason.map(|r| &r.zh),
            reason.map(|r| &r.en),
            at
        ],
    )?;
    Ok(())
}

impl Platform {
    /// Receives a submission. The first call stores it and answers `(true, receipt)`; a repeat
    /// with the same content answers `(false, original receipt)`.
    pub fn submit(
        &self,
        kiosk: &str,
        request: &SubmissionRequest,
    ) -> Result<(bool, SubmissionReceipt), ApiError> {
        check_uuid(&request.id)?;
        let id = request.id.to_lowercase();
        for a in &request.attachments {
            crate::blobs::check_sha(&a.sha256)?;
        }
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(request.sealed_payload.as_bytes())
            .map_err(|_| {
                ApiError::bad_request(
                    "SEALED_PAYLOAD_NOT_BASE64",
                    "sealedPayload 须为 base64 编码。",
                    "sealedPayload must be base64.",
                )
            })?;
        let plain = self.unseal(&sealed);
        // Idempotency compares what was sealed, not the ciphertext: re-sealing the same
        // application (a fresh age envelope) is still the same submission.
        let attachments_json =
            serde_json::to_string(&request.attachments).map_err(|_| ApiError::internal())?;
        let request_hash = sha256_hex(
            format!(
                "{id}\n{}\n{attachments_json}",
                sha256_hex(plain.as_deref().unwrap_or(&sealed))
            )
            .as_bytes(),
        );
        if let Some(existing) = self.existing_receipt(kiosk, &id, &request_hash)? {
            return Ok((false, existing));
        }
        let payload: serde_json::Value = plain
            .and_then(|plain| serde_json::from_slice(&plain).ok())
            .filter(serde_json::Value::is_object)
            .ok_or_else(|| {
                ApiError::unprocessable(
                    "PAYLOAD_UNREADABLE",
                    "平台无法解密或解析申请内容（可能加密到了错误的平台公钥）。请到窗口人工办理。",
                    "The platform cannot decrypt or parse the application (maybe sealed to a wrong platform key). Handle it at the counter.",
                )
            })?;
        let now = self.now_ms();
        let mut db = self.db()?;
        let tx = db.transaction()?;
        let mut missing = Vec::new();
        for a in &request.attachments {
            let size: Option<i64> = tx
                .query_row(
                    "SELECT size FROM blobs WHERE sha256 = ?1",
                    [&a.sha256],
                    |r| r.get(0),
                )
                .optional()?;
            match size {
                None => missing.push(a.sha256.clone()),
                Some(s) if u64::try_from(s).ok() != Some(a.size) => {
                    return Err(ApiError::unprocessable(
                        "ATTACHMENT_SIZE_MISMATCH",
                        "附件大小与平台收到的不一致。请重新提交。",
                        "An attachment's size differs from the blob the platform holds. Submit again.",
                    ));
                }
                Some(_) => {}
            }
        }
        if !missing.is_empty() {
            return Err(ApiError::conflict(
                "BLOBS_MISSING",
                format!(
                    "平台尚未收到 {} 个附件。请先上传附件再提交。",
                    missing.len()
                ),
                format!(
                    "The platform lacks {} attachment(s): {}. Upload them first.",
                    missing.len(),
                    missing.join(",")
                ),
            ));
        }
        let mut reason = None;
        for (key, code, zh, en) in UNIQUE_KEYS {
            if let Some(value) = find_str(&payload, key)
                && is_registered(&tx, key, value)?
            {
                reason = Some(Reason {
                    code: code.into(),
                    zh: zh.into(),
                    en: en.into(),
                });
                break;
            }
        }
        if reason.is_none() {
            for (key, ..) in UNIQUE_KEYS {
                if let Some(value) = find_str(&payload, key) {
                    tx.execute(
                        "INSERT INTO registry (kind, value, submission_id) VALUES (?1, ?2, ?3)",
                        params![key, unique_form(key, value), id],
                    )?;
                }
            }
        }
        let state = if reason.is_some() {
            "needs-action"
        } else {
            "accepted"
        };
        let seq: i64 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM submissions",
            [],
            |r| r.get(0),
        )?;
        let receipt = format!("TB{seq:08}");
        tx.execute(
            "INSERT INTO submissions (id, kiosk_id, request_hash, received_at, payload, attachments,
                state, reason_code, reason_zh, reason_en, receipt, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?4)",
            params![
                id,
                kiosk,
                request_hash,
                now,
                payload.to_string(),
                attachments_json,
                state,
                reason.as_ref().map(|r| &r.code),
                reason.as_ref().map(|r| &r.zh),
                reason.as_ref().map(|r| &r.en),
                receipt
            ],
        )?;
        if let Some(phone) = crate::sms::deferred_mobile(&payload) {
            crate::sms::record_unverified(&tx, &id, phone, now)?;
        }
        push_event(&tx, kiosk, &id, state, None, reason.as_ref(), now)?;
        tx.commit()?;
        log::info!("submission {id} from {kiosk}: {state}");
        Ok((
            true,
            SubmissionReceipt {
                id,
                receipt,
                state: state.into(),
                reason,
                received_at: now,
            },
        ))
    }

    fn existing_receipt(
        &self,
        kiosk: &str,
        id: &str,
        request_hash: &str,
    ) -> Result<Option<SubmissionReceipt>, ApiError> {
        let db = self.db()?;
        let row: Option<(String, String, String, i64)> = db
            .query_row(
                "SELECT kiosk_id, request_hash, receipt, received_at FROM submissions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((owner, hash, receipt, received_at)) = row else {
            return Ok(None);
        };
        if owner != kiosk || hash != request_hash {
            return Err(ApiError::conflict(
                "SUBMISSION_CONFLICT",
                "该申请编号已用于另一份不同的申请。",
                "This application id was already used for a different submission.",
            ));
        }
        // The original answer: the state and reason recorded when it was first received.
        let first: (String, Option<String>, Option<String>, Option<String>) = db.query_row(
            "SELECT state, reason_code, reason_zh, reason_en FROM status_events
             WHERE application_id = ?1 ORDER BY cursor LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(Some(SubmissionReceipt {
            id: id.to_owned(),
            receipt,
            state: first.0,
            reason: reason_of(first.1, first.2, first.3),
            received_at,
        }))
    }

    /// All submissions, oldest first.
    pub fn submissions(&self) -> Result<Vec<SubmissionRecord>, ApiError> {
        let db = self.db()?;
        let mut stmt = db.prepare(
            "SELECT id, kiosk_id, receipt, state, account_name, reason_code, reason_zh, reason_en,
                    received_at, attachments, payload
             FROM submissions ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            let attachments: String = r.get(9)?;
            let payload: String = r.get(10)?;
            Ok(SubmissionRecord {
                id: r.get(0)?,
                kiosk_id: r.get(1)?,
                receipt: r.get(2)?,
                state: r.get(3)?,
                account_name: r.get(4)?,
                reason: reason_of(r.get(5)?, r.get(6)?, r.get(7)?),
                received_at: r.get(8)?,
                attachments: serde_json::from_str(&attachments).unwrap_or_default(),
                payload: serde_json::from_str(&payload).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Builds a reason from nullable columns.
pub fn reason_of(code: Option<String>, zh: Option<String>, en: Option<String>) -> Option<Reason> {
    Some(Reason {
        code: code?,
        zh: zh.unwrap_or_default(),
        en: en.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_check_accepts_hyphenated_uuids_only() {
        assert!(
            check_uuid("0192f0c1-2b3c-7d4e-8f90-123456789abc").is_ok(),
            "v7 uuid"
        );
        assert!(
            check_uuid("0192f0c12b3c7d4e8f90123456789abc").is_err(),
            "no hyphens"
        );
        assert!(
            check_uuid("../../../../../../../../../etc/passwd").is_err(),
            "junk"
        );
    }

    #[test]
    fn unique_values_are_found_at_any_depth() {
        let v = serde_json::json!({"unit": {"uscc": "91110000X"}, "people": [{"idNumber": "11"}]});
        assert_eq!(find_str(&v, "uscc"), Some("91110000X"), "nested object");
        assert_eq!(find_str(&v, "idNumber"), Some("11"), "inside an array");
        assert_eq!(find_str(&v, "accountName"), None, "absent");
    }
}
