//! The mobile of each submission: verified at the kiosk (a token from `sms/verify`) or
//! verified later (a `verify-later` code sent on receipt and checked through
//! `status/verify-mobile`). A reviewer cannot approve a submission whose mobile is unverified.

use crate::storage::OptionalRow;
use crate::storage::Tx;

use crate::sql_params as params;
use serde::{Deserialize, Serialize};

use crate::rate_limit::{STATUS_CALLS_PER_KIOSK, STATUS_FAILURES_PER_SUBJECT, enforce, record};
use crate::sms::{CodeVerdict, Purpose, check_code_format, consume_token, verify_code};
use crate::{ApiError, Platform};

/// Where a payload's SMS mobile is, in order: the first present one counts.
pub const MOBILE_POINTERS: [&str; 4] = [
    "/person/mobile",
    "/primaryAgent/mobile",
    "/legalRepresentative/mobile",
    "/mobile",
];

fn text_at<'a>(payload: &'a serde_json::Value, pointer: &str) -> Option<&'a str> {
    payload
        .pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The mobile the SMS code of `payload` goes to (as typed).
pub fn sms_mobile(payload: &serde_json::Value) -> Option<&str> {
    MOBILE_POINTERS.iter().find_map(|p| text_at(payload, p))
}

/// The verification token a payload carries (`account.smsVerification` or `smsVerification`).
pub fn sms_token(payload: &serde_json::Value) -> Option<&str> {
    text_at(payload, "/account/smsVerification").or_else(|| text_at(payload, "/smsVerification"))
}

/// Whether a payload says its mobile is verified later (`account.smsDeferred` or
/// `smsDeferred` is the boolean `true`).
pub fn sms_deferred(payload: &serde_json::Value) -> bool {
    ["/account/smsDeferred", "/smsDeferred"]
        .iter()
        .any(|p| payload.pointer(p) == Some(&serde_json::Value::Bool(true)))
}

/// The code purpose whose token a submission of `kind` carries; `None` for kinds that carry
/// no SMS proof (`real-name`, unknown kinds).
pub fn expected_purpose(kind: &str) -> Option<Purpose> {
    match kind {
        "natural-person" | "legal-entity" | "expert" => Some(Purpose::Register),
        "legacy-binding" => Some(Purpose::Bind),
        "password-reset-appeal" => Some(Purpose::ResetPassword),
        _ => None,
    }
}

/// What receiving a submission found about its mobile (Debug masks the number).
#[derive(Clone, PartialEq, Eq)]
pub enum MobileOutcome {
    /// Nothing to verify (no mobile, or a kind without SMS proof).
    NotApplicable,
    /// A valid token was consumed: verified.
    Verified,
    /// Recorded unverified; a verify-later code goes to `phone` when it is a valid number.
    Unverified {
        /// The normalised number, when it is one.
        phone: Option<String>,
    },
}

impl std::fmt::Debug for MobileOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotApplicable => f.write_str("NotApplicable"),
            Self::Verified => f.write_str("Verified"),
            Self::Unverified { phone } => f
                .debug_struct("Unverified")
                .field("phone", &phone.as_deref().map(crate::phone::mask_phone))
                .finish(),
        }
    }
}

/// Records the mobile of submission `id` in the caller's transaction (sealed to
/// `recipient`): a valid token for it (unused, unexpired, this number, the kind's purpose) is
/// consumed and the mobile is verified; a deferral or a missing, invalid or expired token
/// leaves it unverified.
pub fn record_submission_mobile(
    db: &mut dyn Tx,
    blind: &crate::pii::BlindKey,
    recipient: &age::x25519::Recipient,
    id: &str,
    payload: &serde_json::Value,
    now: i64,
) -> crate::storage::Result<MobileOutcome> {
    let Some(typed) = sms_mobile(payload) else {
        return Ok(MobileOutcome::NotApplicable);
    };
    let kind = text_at(payload, "/kind").unwrap_or_default();
    let Some(purpose) = expected_purpose(kind) else {
        return Ok(MobileOutcome::NotApplicable);
    };
    let phone = crate::phone::normalise_phone(typed);
    let stored = phone
        .clone()
        .unwrap_or_else(|| typed.chars().take(32).collect());
    let verified = match (&phone, sms_token(payload)) {
        (Some(phone), Some(token)) => consume_token(db, blind, token, phone, purpose, id, now)?,
        _ => false,
    };
    db.execute(
        "INSERT INTO submission_mobiles (application_id, phone_sealed, recorded_at, verified_at,
            method)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        params![
            id,
            crate::pii::seal_text(&stored, recipient),
            now,
            verified.then_some(now),
            verified.then_some("sms-token")
        ],
    )?;
    Ok(if verified {
        MobileOutcome::Verified
    } else {
        MobileOutcome::Unverified { phone }
    })
}

/// Whether submission `id` has a mobile still waiting for verification.
pub fn is_unverified(db: &mut dyn Tx, id: &str) -> crate::storage::Result<bool> {
    db.query_row(
        "SELECT 1 FROM submission_mobiles WHERE application_id = ?1 AND verified_at IS NULL",
        params![id],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

/// A mobile recorded unverified when its application arrived.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnverifiedMobile {
    /// The application that gave it.
    pub application_id: String,
    /// The mobile number (normalised).
    pub phone: String,
    /// When the application arrived, Unix ms.
    pub recorded_at: i64,
    /// When a verify-later code sent to it was verified, Unix ms; absent while unverified.
    pub verified_at: Option<i64>,
}

/// Masks the number.
impl std::fmt::Debug for UnverifiedMobile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnverifiedMobile")
            .field("application_id", &self.application_id)
            .field("phone", &crate::phone::mask_phone(&self.phone))
            .field("recorded_at", &self.recorded_at)
            .field("verified_at", &self.verified_at)
            .finish()
    }
}

/// `POST /api/v1/status/verify-mobile` request.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyMobile {
    /// The receipt code (`XXXXX-XXXXX`, any case, hyphen optional).
    pub receipt: String,
    /// The 6-digit verify-later code.
    pub code: String,
}

/// Never prints the code.
impl std::fmt::Debug for VerifyMobile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyMobile")
            .field("receipt", &self.receipt)
            .finish_non_exhaustive()
    }
}

/// Answer of `status/verify-mobile`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MobileVerified {
    /// When, Unix ms.
    pub verified_at: i64,
}

/// `POST /api/v1/status/resend-code` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResendCode {
    /// The receipt code.
    pub receipt: String,
}

/// Answer of `status/resend-code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CodeResent {
    /// Until when the code is valid, Unix ms.
    pub expires_at: i64,
    /// Earliest time for another code, Unix ms.
    pub resend_after: i64,
    /// The number it went to, masked (`139****0004`).
    pub masked_mobile: String,
}

/// `400 RECEIPT_INVALID`.
pub fn receipt_invalid() -> ApiError {
    ApiError::bad_request(
        "RECEIPT_INVALID",
        "回执号应为 10 位字母和数字（如 KG695-HRKAD）。请按回执单核对后重新输入。",
        "A receipt code is 10 letters and digits (e.g. KG695-HRKAD). Check the printed receipt and enter it again.",
    )
}

/// `409 NO_MOBILE_TO_VERIFY`.
fn nothing_to_verify() -> ApiError {
    ApiError::conflict(
        "NO_MOBILE_TO_VERIFY",
        "这份申请的手机号无需再验证（已验证，或申请没有登记手机号）。",
        "This application's mobile needs no verification (it is verified already, or the application gives none).",
    )
}

/// The key failed attempts on receipt `code` are counted under.
pub fn receipt_failure_key(code: &str) -> String {
    format!("receipt:{code}")
}

impl Platform {
    /// Ids of the submissions with receipt code `code` (canonical), counting the kiosk's call
    /// and, when there is none, a failure for the receipt. The caller commits.
    pub(crate) fn submissions_by_receipt(
        &self,
        db: &mut dyn Tx,
        kiosk: &str,
        code: &str,
        now: i64,
    ) -> Result<Vec<String>, ApiError> {
        enforce(db, STATUS_CALLS_PER_KIOSK, kiosk, now)?;
        record(db, STATUS_CALLS_PER_KIOSK, kiosk, now)?;
        let failure_key = receipt_failure_key(code);
        enforce(db, STATUS_FAILURES_PER_SUBJECT, &failure_key, now)?;
        let ids: Vec<String> = db.query_map(
            "SELECT id FROM submissions WHERE receipt_code = ?1 ORDER BY seq",
            params![code],
            |r| r.get(0),
        )?;
        if ids.is_empty() {
            record(db, STATUS_FAILURES_PER_SUBJECT, &failure_key, now)?;
        }
        Ok(ids)
    }

    /// The unverified mobile of the application with receipt `receipt`, counting the call.
    fn pending_mobile(
        &self,
        db: &mut dyn Tx,
        kiosk: &str,
        receipt: &str,
        now: i64,
    ) -> Result<Result<(String, String), ApiError>, ApiError> {
        let code = crate::receipt::parse(receipt).ok_or_else(receipt_invalid)?;
        let ids = self.submissions_by_receipt(db, kiosk, &code, now)?;
        if ids.is_empty() {
            return Ok(Err(crate::lookup::not_found()));
        }
        for id in ids {
            let phone: Option<String> = db
                .query_row(
                    "SELECT phone_sealed FROM submission_mobiles
                     WHERE application_id = ?1 AND verified_at IS NULL",
                    params![&id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(phone) = phone {
                return Ok(Ok((id, self.open_text(&phone)?)));
            }
        }
        Ok(Err(nothing_to_verify()))
    }

    /// `POST /api/v1/status/verify-mobile`: verifies the unverified mobile of the application
    /// with this receipt using its latest verify-later code.
    pub fn verify_mobile(
        &self,
        kiosk: &str,
        request: &VerifyMobile,
    ) -> Result<MobileVerified, ApiError> {
        let typed = check_code_format(&request.code)?;
        let now = self.now_ms();
        let mut tx = self.write()?;
        let found = self.pending_mobile(&mut *tx, kiosk, &request.receipt, now);
        let (id, phone) = match found {
            Ok(Ok(pending)) => pending,
            Ok(Err(refusal)) => {
                tx.commit()?;
                return Err(refusal);
            }
            Err(e) => return Err(e),
        };
        let verdict = verify_code(
            &mut *tx,
            &self.secret,
            &self.blind_key,
            &phone,
            Purpose::VerifyLater,
            typed,
            now,
        )?;
        if verdict == CodeVerdict::Right {
            tx.execute(
                "UPDATE submission_mobiles SET verified_at = ?2, method = 'verify-later'
                 WHERE application_id = ?1",
                params![id, now],
            )?;
            log::info!("mobile of submission {id} verified later");
        }
        tx.commit()?;
        verdict.into_result()?;
        Ok(MobileVerified { verified_at: now })
    }

    /// `POST /api/v1/status/resend-code`: sends a new verify-later code to the unverified
    /// mobile of the application with this receipt.
    pub async fn resend_code(
        &self,
        kiosk: &str,
        request: &ResendCode,
    ) -> Result<CodeResent, ApiError> {
        let now = self.now_ms();
        let (id, phone) = {
            let mut tx = self.write()?;
            let found = self.pending_mobile(&mut *tx, kiosk, &request.receipt, now);
            match found {
                Ok(Ok(pending)) => {
                    tx.commit()?;
                    pending
                }
                Ok(Err(refusal)) => {
                    tx.commit()?;
                    return Err(refusal);
                }
                Err(e) => return Err(e),
            }
        };
        if crate::phone::normalise_phone(&phone).as_deref() != Some(phone.as_str()) {
            return Err(ApiError::unprocessable(
                "MOBILE_UNREACHABLE",
                "这份申请登记的手机号无法接收短信。请到窗口办理。",
                "The mobile this application gives cannot receive text messages. Go to the counter.",
            ));
        }
        let receipt = self.receipt_of(&id)?;
        let issued = self.issue_code(&phone, Purpose::VerifyLater, Some(&receipt))?;
        let sent = self.deliver_code(issued).await?;
        Ok(CodeResent {
            expires_at: sent.expires_at,
            resend_after: sent.resend_after,
            masked_mobile: crate::phone::mask_phone(&phone),
        })
    }

    /// The receipt string of submission `id` as the kiosk was told it.
    fn receipt_of(&self, id: &str) -> Result<String, ApiError> {
        Ok(self.read()?.query_row(
            "SELECT receipt FROM submissions WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )?)
    }

    /// Sends the first verify-later code of a just-received submission. Never fails the
    /// submission: a code sent within the last minute, or a delivery failure, is logged and
    /// the visitor asks for a new one with `status/resend-code`.
    pub async fn send_verify_later(&self, id: &str, receipt: &str, phone: &str) {
        match self.issue_code(phone, Purpose::VerifyLater, Some(receipt)) {
            Ok(issued) => {
                if let Err(e) = self.deliver_code(issued).await {
                    log::warn!("verify-later code for submission {id} not sent: {}", e.code);
                }
            }
            Err(e) => log::info!("verify-later code for submission {id} not sent: {}", e.code),
        }
    }

    /// Every mobile recorded unverified when its application arrived, with when it was
    /// verified later (if it was), oldest first.
    pub fn unverified_mobiles(&self) -> Result<Vec<UnverifiedMobile>, ApiError> {
        let mut db = self.read()?;
        let rows = db.query_map(
            "SELECT application_id, phone_sealed, recorded_at, verified_at FROM submission_mobiles
             WHERE method IS NULL OR method <> 'sms-token'
             ORDER BY recorded_at, application_id",
            &[],
            |r| {
                Ok(UnverifiedMobile {
                    application_id: r.get(0)?,
                    phone: r.get(1)?,
                    recorded_at: r.get(2)?,
                    verified_at: r.get(3)?,
                })
            },
        )?;
        drop(db);
        rows.into_iter()
            .map(|mut row| {
                row.phone = self.open_text(&row.phone)?;
                Ok(row)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sms_mobile_is_the_first_present_in_order() {
        let entity = serde_json::json!({
            "legalRepresentative": { "mobile": "13800000002" },
            "primaryAgent": { "mobile": " 13800000003 " },
        });
        assert_eq!(sms_mobile(&entity), Some("13800000003"), "the agent first");
        let binding = serde_json::json!({ "mobile": "13800000004" });
        assert_eq!(sms_mobile(&binding), Some("13800000004"));
        let blank = serde_json::json!({ "person": { "mobile": "" }, "mobile": "13800000005" });
        assert_eq!(sms_mobile(&blank), Some("13800000005"), "blank is absent");
        assert_eq!(sms_mobile(&serde_json::json!({})), None);
    }

    #[test]
    fn tokens_and_deferrals_are_read_from_both_places() {
        let account =
            serde_json::json!({ "account": { "smsVerification": "t1", "smsDeferred": true } });
        assert_eq!(sms_token(&account), Some("t1"));
        assert!(sms_deferred(&account));
        let top = serde_json::json!({ "smsVerification": "t2", "smsDeferred": "yes" });
        assert_eq!(sms_token(&top), Some("t2"));
        assert!(!sms_deferred(&top), "only the boolean true defers");
    }

    #[test]
    fn each_kind_has_its_purpose() {
        assert_eq!(expected_purpose("expert"), Some(Purpose::Register));
        assert_eq!(expected_purpose("legacy-binding"), Some(Purpose::Bind));
        assert_eq!(
            expected_purpose("password-reset-appeal"),
            Some(Purpose::ResetPassword)
        );
        assert_eq!(expected_purpose("real-name"), None);
    }

    #[test]
    fn a_valid_token_verifies_once_and_anything_else_leaves_the_mobile_unverified() {
        let store = crate::storage::sqlite::SqliteStorage::in_memory(b"k").unwrap();
        let mut db = crate::storage::Storage::begin(&store, crate::storage::Mode::Write).unwrap();
        let blind = crate::pii::BlindKey::from_secret(b"k");
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public();
        db.execute(
            "INSERT INTO sms_tokens (token_hash, phone_index, purpose, issued_at, expires_at)
             VALUES (?1, ?2, 'register', 0, 1000)",
            params![crate::sms::token_hash("good"), blind.phone("13800138000")],
        )
        .unwrap();
        let record_submission_mobile =
            |db: &mut dyn Tx, id: &str, payload: &serde_json::Value, now: i64| {
                record_submission_mobile(db, &blind, &recipient, id, payload, now)
            };
        let payload = |token: &str, mobile: &str| {
            serde_json::json!({
                "kind": "natural-person",
                "account": { "smsVerification": token },
                "person": { "mobile": mobile },
            })
        };
        assert_eq!(
            record_submission_mobile(&mut *db, "a", &payload("good", "138 0013 8000"), 10).unwrap(),
            MobileOutcome::Verified
        );
        assert_eq!(
            record_submission_mobile(&mut *db, "b", &payload("good", "13800138000"), 10).unwrap(),
            MobileOutcome::Unverified {
                phone: Some("13800138000".into())
            },
            "a token is consumed once"
        );
        assert!(!is_unverified(&mut *db, "a").unwrap());
        assert!(is_unverified(&mut *db, "b").unwrap());
        assert_eq!(
            record_submission_mobile(&mut *db, "c", &payload("nope", "12"), 10).unwrap(),
            MobileOutcome::Unverified { phone: None },
            "an invalid number is recorded but cannot be sent a code"
        );
        let real_name =
            serde_json::json!({ "kind": "real-name", "person": { "mobile": "13800138000" } });
        assert_eq!(
            record_submission_mobile(&mut *db, "d", &real_name, 10).unwrap(),
            MobileOutcome::NotApplicable
        );
    }
}
