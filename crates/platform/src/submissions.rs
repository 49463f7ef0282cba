//! Sealed submissions: idempotent by application id, checked for uniqueness by kind
//! ([`crate::uniqueness`]), their mobile verified or queued for verification
//! ([`crate::mobile`]), then reviewed. The receipt is the application's receipt code
//! ([`crate::receipt`]), which the kiosk could print before sending.

use crate::sql_params as params;
use crate::storage::OptionalRow;
use crate::storage::Tx;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::db::sha256_hex;
use crate::{ApiError, Platform, uniqueness};

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
    /// The receipt code `XXXXX-XXXXX` derived from the id (older submissions keep their
    /// `TB…` number).
    pub receipt: String,
    /// `accepted` (waiting for review) or `needs-action`.
    pub state: String,
    /// Why, for `needs-action`.
    pub reason: Option<Reason>,
    /// When the platform received it, Unix ms.
    pub received_at: i64,
}

/// A stored submission as the admin sees it.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionRecord {
    /// The application id.
    pub id: String,
    /// The kiosk that sent it.
    pub kiosk_id: String,
    /// Receipt code.
    pub receipt: String,
    /// Application kind from the payload (empty if none).
    pub kind: String,
    /// Platform profile from the payload (empty if none).
    pub profile: String,
    /// Current state: `accepted`, `needs-action`, `verified`, `rejected`.
    pub state: String,
    /// The applicant asked for manual review (`manualReview` or `manualFallback`).
    pub manual_review: bool,
    /// Its mobile still waits for verification (approval is refused until then).
    pub mobile_unverified: bool,
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

/// Leaves out the payload: it holds names, ID numbers and phones.
impl std::fmt::Debug for SubmissionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubmissionRecord")
            .field("id", &self.id)
            .field("kiosk_id", &self.kiosk_id)
            .field("receipt", &self.receipt)
            .field("kind", &self.kind)
            .field("profile", &self.profile)
            .field("state", &self.state)
            .field("manual_review", &self.manual_review)
            .field("mobile_unverified", &self.mobile_unverified)
            .field("received_at", &self.received_at)
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

/// Keys of a payload a reviewer never sees: the visitor's chosen and old passwords.
const SECRET_KEYS: [&str; 3] = ["password", "passwordConfirmation", "legacyPassword"];

/// A payload as a reviewer reads it: everything but the passwords, which are replaced by a
/// mark saying that one was given.
pub fn for_review(mut payload: serde_json::Value) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if SECRET_KEYS.contains(&key.as_str()) {
                        *inner = serde_json::Value::String("(given)".into());
                    } else {
                        walk(inner);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut payload);
    payload
}

/// A payload as the platform stores it: each password (and its confirmation, and a legacy
/// password) replaced by `{"sealed": "<base64 age ciphertext>"}` sealed to the platform's
/// recipient, so the database never holds one in plaintext; only the platform key opens it.
pub fn seal_secrets(
    mut payload: serde_json::Value,
    recipient: &age::x25519::Recipient,
) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value, recipient: &age::x25519::Recipient) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    let sealed_already = inner
                        .as_object()
                        .is_some_and(|m| m.len() == 1 && m.contains_key("sealed"));
                    if SECRET_KEYS.contains(&key.as_str()) && !sealed_already {
                        let plain = match &*inner {
                            serde_json::Value::String(text) => text.clone(),
                            other => other.to_string(),
                        };
                        let sealed = age::encrypt(recipient, plain.as_bytes())
                            .map(|c| base64::engine::general_purpose::STANDARD.encode(c))
                            .unwrap_or_default();
                        *inner = serde_json::json!({ "sealed": sealed });
                    } else {
                        walk(inner, recipient);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| walk(v, recipient)),
            _ => {}
        }
    }
    walk(&mut payload, recipient);
    payload
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

fn text_at<'a>(payload: &'a serde_json::Value, pointer: &str) -> Option<&'a str> {
    payload
        .pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Whether the applicant asked for manual review (`manualReview` or `manualFallback` true).
pub fn wants_manual_review(payload: &serde_json::Value) -> bool {
    ["/manualReview", "/manualFallback"]
        .iter()
        .any(|p| payload.pointer(p) == Some(&serde_json::Value::Bool(true)))
}

/// Migration 2's Rust step: receipt code, kind, profile, manual-review flag and lookup keys
/// of every submission received before.
pub fn backfill_v2(tx: &mut dyn Tx, secret: &[u8]) -> crate::storage::Result<()> {
    let rows: Vec<(String, String)> =
        tx.query_map("SELECT id, payload FROM submissions", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    for (id, payload) in rows {
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap_or_default();
        tx.execute(
            "UPDATE submissions SET receipt_code = ?2, kind = ?3, profile = ?4, manual_review = ?5
             WHERE id = ?1",
            params![
                id,
                crate::receipt::receipt_code(&id),
                text_at(&payload, "/kind"),
                text_at(&payload, "/profile"),
                wants_manual_review(&payload)
            ],
        )?;
        crate::lookup::record_lookup_keys(tx, secret, &id, &payload)?;
    }
    Ok(())
}

/// Appends a status event to the kiosk's feed (`account_name` as stored: sealed,
/// [`Platform::seal_text`]).
pub fn push_event(
    tx: &mut dyn Tx,
    kiosk: &str,
    application: &str,
    state: &str,
    account_name: Option<&str>,
    reason: Option<&Reason>,
    at: i64,
) -> crate::storage::Result<()> {
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
    /// with the same content answers `(false, original receipt)`. A mobile left unverified is
    /// sent its first verify-later code after the submission is stored.
    pub async fn submit(
        &self,
        kiosk: &str,
        request: &SubmissionRequest,
    ) -> Result<(bool, SubmissionReceipt), ApiError> {
        let (created, receipt, verify_later) = self.store_submission(kiosk, request)?;
        if let Some(phone) = verify_later {
            self.send_verify_later(&receipt.id, &receipt.receipt, &phone)
                .await;
        }
        Ok((created, receipt))
    }

    /// Stores a submission in one transaction; the third value is the mobile to send a
    /// verify-later code to.
    fn store_submission(
        &self,
        kiosk: &str,
        request: &SubmissionRequest,
    ) -> Result<(bool, SubmissionReceipt, Option<String>), ApiError> {
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
            return Ok((false, existing, None));
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
        let mut tx = self.write()?;
        // Under the write lock: a replica (or a retry) that stored this id meanwhile wins,
        // and this request answers with its receipt.
        let raced: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM submissions WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        if raced.is_some() {
            drop(tx);
            if let Some(existing) = self.existing_receipt(kiosk, &id, &request_hash)? {
                return Ok((false, existing, None));
            }
            return Err(ApiError::internal());
        }
        let mut missing = Vec::new();
        for a in &request.attachments {
            let size: Option<i64> = tx
                .query_row(
                    "SELECT size FROM blobs WHERE sha256 = ?1",
                    params![&a.sha256],
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
        let wanted = uniqueness::reservations(&payload, None);
        let reason = uniqueness::conflict(&mut *tx, &self.blind_key, &wanted, &id)?
            .map(uniqueness::Unique::conflict);
        if reason.is_none() {
            uniqueness::reserve(&mut *tx, &self.blind_key, &id, &wanted)?;
        }
        let state = if reason.is_some() {
            "needs-action"
        } else {
            "accepted"
        };
        let code = crate::receipt::receipt_code(&id);
        let receipt = crate::receipt::display(&code);
        tx.execute(
            "INSERT INTO submissions (id, kiosk_id, request_hash, received_at, payload, attachments,
                state, reason_code, reason_zh, reason_en, receipt, updated_at, receipt_code,
                kind, profile, manual_review)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?4, ?12, ?13, ?14, ?15)",
            params![
                id,
                kiosk,
                request_hash,
                now,
                crate::pii::seal_payload(&payload, self.recipient_key()),
                attachments_json,
                state,
                reason.as_ref().map(|r| &r.code),
                reason.as_ref().map(|r| &r.zh),
                reason.as_ref().map(|r| &r.en),
                receipt,
                code,
                text_at(&payload, "/kind"),
                text_at(&payload, "/profile"),
                wants_manual_review(&payload)
            ],
        )?;
        let verify_later = match crate::mobile::record_submission_mobile(
            &mut *tx,
            &self.blind_key,
            self.recipient_key(),
            &id,
            &payload,
            now,
        )? {
            crate::mobile::MobileOutcome::Unverified { phone } => phone,
            _ => None,
        };
        crate::lookup::record_lookup_keys(&mut *tx, &self.secret, &id, &payload)?;
        push_event(&mut *tx, kiosk, &id, state, None, reason.as_ref(), now)?;
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
            verify_later,
        ))
    }

    fn existing_receipt(
        &self,
        kiosk: &str,
        id: &str,
        request_hash: &str,
    ) -> Result<Option<SubmissionReceipt>, ApiError> {
        let mut db = self.read()?;
        let row: Option<(String, String, String, i64)> = db
            .query_row(
                "SELECT kiosk_id, request_hash, receipt, received_at FROM submissions WHERE id = ?1",
                params![id],
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
            params![id],
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

    /// All submissions, oldest first, opened (payloads and account names in full; passwords
    /// still sealed inside): for the operator's own tools. The admin API shows them masked
    /// ([`SubmissionRecord::masked`]) unless a reviewer opens one
    /// ([`Platform::open_submission`]).
    pub fn submissions(&self) -> Result<Vec<SubmissionRecord>, ApiError> {
        self.submissions_where("", &[])
    }

    /// One submission, opened (see [`Platform::submissions`]).
    pub fn submission(&self, id: &str) -> Result<Option<SubmissionRecord>, ApiError> {
        Ok(self
            .submissions_where("WHERE id = ?1", params![id.to_lowercase()])?
            .pop())
    }

    fn submissions_where(
        &self,
        filter: &str,
        args: &[crate::storage::Value],
    ) -> Result<Vec<SubmissionRecord>, ApiError> {
        let mut db = self.read()?;
        let rows = db.query_map(
            &format!(
                "SELECT id, kiosk_id, receipt, state, account_name, reason_code, reason_zh, reason_en,
                    received_at, attachments, payload, COALESCE(kind, ''), COALESCE(profile, ''),
                    manual_review,
                    EXISTS (SELECT 1 FROM submission_mobiles m
                            WHERE m.application_id = submissions.id AND m.verified_at IS NULL)
                 FROM submissions {filter} ORDER BY seq"
            ),
            args,
            |r| {
                let attachments: String = r.get(9)?;
                let payload: String = r.get(10)?;
                let account_name: Option<String> = r.get(4)?;
                Ok((
                    SubmissionRecord {
                        id: r.get(0)?,
                        kiosk_id: r.get(1)?,
                        receipt: r.get(2)?,
                        kind: r.get(11)?,
                        profile: r.get(12)?,
                        state: r.get(3)?,
                        manual_review: r.get(13)?,
                        mobile_unverified: r.get(14)?,
                        account_name: None,
                        reason: reason_of(r.get(5)?, r.get(6)?, r.get(7)?),
                        received_at: r.get(8)?,
                        attachments: serde_json::from_str(&attachments).unwrap_or_default(),
                        payload: serde_json::Value::Null,
                    },
                    payload,
                    account_name,
                ))
            },
        )?;
        drop(db);
        rows.into_iter()
            .map(|(mut record, payload, account_name)| {
                record.payload = self.open_payload(&payload)?;
                record.account_name = account_name.map(|a| self.open_text(&a)).transpose()?;
                Ok(record)
            })
            .collect()
    }
}

impl SubmissionRecord {
    /// The record as the admin listing shows it by default: the payload masked
    /// ([`crate::pii::mask_payload`]), the account name masked.
    pub fn masked(mut self) -> Self {
        self.payload = crate::pii::mask_payload(self.payload);
        self.account_name = self.account_name.as_deref().map(crate::pii::mask_text);
        self
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
mod review_tests {
    use super::*;

    #[test]
    fn stored_payloads_hold_passwords_only_sealed() {
        let identity = age::x25519::Identity::generate();
        let stored = seal_secrets(
            serde_json::json!({"account": {"password": "Kx9!pQ2#mZ", "accountName": "a1"}, "legacyPassword": "old"}),
            &identity.to_public(),
        );
        let text = stored.to_string();
        assert!(
            !text.contains("Kx9!") && !text.contains("\"old\""),
            "{text}"
        );
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(stored["account"]["password"]["sealed"].as_str().unwrap())
            .unwrap();
        assert_eq!(
            age::decrypt(&identity, &sealed).unwrap(),
            b"Kx9!pQ2#mZ",
            "the platform key opens it"
        );
        assert_eq!(stored["account"]["accountName"], "a1");
    }

    #[test]
    fn reviewers_never_see_passwords() {
        let shown = for_review(serde_json::json!({
            "account": { "password": "Kx9!pQ2#mZ", "passwordConfirmation": "Kx9!pQ2#mZ", "accountName": "a1" },
            "legacyPassword": "old", "person": { "name": "张三" }
        }));
        let text = shown.to_string();
        assert!(
            !text.contains("Kx9!") && !text.contains("\"old\""),
            "{text}"
        );
        assert_eq!(shown["person"]["name"], "张三");
    }
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
    fn manual_review_is_asked_for_by_either_flag() {
        assert!(wants_manual_review(
            &serde_json::json!({"manualReview": true})
        ));
        assert!(wants_manual_review(
            &serde_json::json!({"manualFallback": true})
        ));
        assert!(!wants_manual_review(
            &serde_json::json!({"manualFallback": false})
        ));
        assert!(!wants_manual_review(
            &serde_json::json!({"manualReview": "yes"})
        ));
    }
}
