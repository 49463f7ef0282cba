//! SMS verification codes (6 digits, valid 5 minutes, single use, at most 5 tries) and the
//! gateway that delivers them.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::db::{random_bytes, sha256_hex};
use crate::{ApiError, Platform};

/// How long a code is valid, ms.
pub const CODE_VALIDITY_MS: i64 = 5 * 60 * 1000;
/// Minimum gap between two codes to the same phone and purpose, ms.
pub const RESEND_GAP_MS: i64 = 60 * 1000;
/// Wrong guesses allowed per code.
pub const MAX_ATTEMPTS: i64 = 5;

/// Delivers a text message. The default writes it to the `sms_log` table.
pub trait SmsGateway: Send + Sync {
    /// Sends `text` to `phone`; `db` is the platform database (inside the caller's lock).
    fn send(&self, db: &Connection, phone: &str, text: &str, now_ms: i64) -> Result<(), ApiError>;
}

/// The development gateway: messages go to the `sms_log` table.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogTableGateway;

impl SmsGateway for LogTableGateway {
    fn send(&self, db: &Connection, phone: &str, text: &str, now_ms: i64) -> Result<(), ApiError> {
        db.execute(
            "INSERT INTO sms_log (phone, text, at) VALUES (?1, ?2, ?3)",
            params![phone, text, now_ms],
        )?;
        Ok(())
    }
}

/// A mobile an application registered without an SMS code (the kiosk was offline): it stays
/// unverified until a code sent to it is verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnverifiedMobile {
    /// The application that gave it.
    pub application_id: String,
    /// The mobile number.
    pub phone: String,
    /// When the application arrived, Unix ms.
    pub recorded_at: i64,
    /// When a code sent to it was verified, Unix ms; absent while unverified.
    pub verified_at: Option<i64>,
}

/// The mobile of an application that says it is verified later (`account.smsDeferred` or a
/// top-level `smsDeferred` is `true`): the registering person's, the primary agent's, the legal
/// representative's or the binding's mobile, whichever comes first.
pub fn deferred_mobile(payload: &serde_json::Value) -> Option<&str> {
    let deferred = ["/account/smsDeferred", "/smsDeferred"]
        .iter()
        .any(|p| payload.pointer(p) == Some(&serde_json::Value::Bool(true)));
    if !deferred {
        return None;
    }
    [
        "/person/mobile",
        "/primaryAgent/mobile",
        "/legalRepresentative/mobile",
        "/mobile",
    ]
    .iter()
    .find_map(|p| payload.pointer(p).and_then(serde_json::Value::as_str))
    .map(str::trim)
    .filter(|m| !m.is_empty())
}

/// Records `phone` of application `id` as unverified (inside the submission's transaction).
pub fn record_unverified(
    db: &Connection,
    id: &str,
    phone: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    db.execute(
        "INSERT OR IGNORE INTO unverified_mobiles (application_id, phone, recorded_at)
         VALUES (?1, ?2, ?3)",
        params![id, phone, now_ms],
    )?;
    Ok(())
}

/// `POST /api/v1/sms/send` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SmsSend {
    /// Mainland mobile number, 11 digits starting with 1.
    pub phone: String,
    /// What the code is for (`register`, `bind`, `reset-password`).
    pub purpose: String,
}

/// `POST /api/v1/sms/verify` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SmsVerify {
    /// Phone the code went to.
    pub phone: String,
    /// Same purpose as when sent.
    pub purpose: String,
    /// The 6 digits the visitor typed.
    pub code: String,
}

/// Answer of `send`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmsSent {
    /// Until when the code is valid, Unix ms.
    pub expires_at: i64,
    /// Earliest time for another code, Unix ms.
    pub resend_after: i64,
}

/// Answer of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmsVerdict {
    /// Whether the code was right (and is now used up).
    pub valid: bool,
    /// Chinese explanation.
    pub zh: String,
    /// English explanation.
    pub en: String,
}

fn check_phone(phone: &str) -> Result<(), ApiError> {
    if phone.len() == 11 && phone.starts_with('1') && phone.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "PHONE_INVALID",
            "手机号码须为 11 位数字，以 1 开头。",
            "The mobile number must be 11 digits starting with 1.",
        ))
    }
}

fn check_purpose(purpose: &str) -> Result<(), ApiError> {
    if matches!(purpose, "register" | "bind" | "reset-password") {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "SMS_PURPOSE_INVALID",
            "验证码用途须为 register、bind 或 reset-password。",
            "The code purpose must be register, bind or reset-password.",
        ))
    }
}

impl Platform {
    /// Sends a new code.
    pub fn sms_send(&self, request: &SmsSend) -> Result<SmsSent, ApiError> {
        check_phone(&request.phone)?;
        check_purpose(&request.purpose)?;
        let now = self.now_ms();
        let db = self.db()?;
        let last: Option<i64> = db
            .query_row(
                "SELECT MAX(sent_at) FROM sms_codes WHERE phone = ?1 AND purpose = ?2",
                params![request.phone, request.purpose],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(last) = last
            && now - last < RESEND_GAP_MS
        {
            return Err(ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "SMS_TOO_SOON",
                "验证码发送过于频繁，请 60 秒后再试。",
                "Codes are sent at most once a minute. Try again in 60 seconds.",
            ));
        }
        let raw = random_bytes(4)?;
        let n = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) % 1_000_000;
        let code = format!("{n:06}");
        db.execute(
            "INSERT INTO sms_codes (phone, purpose, code_hash, sent_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                request.phone,
                request.purpose,
                sha256_hex(format!("{}:{code}", request.phone).as_bytes()),
                now,
                now + CODE_VALIDITY_MS
            ],
        )?;
        let text = format!("【通办】您的验证码是 {code}，5 分钟内有效。请勿告诉他人。");
        self.sms.send(&db, &request.phone, &text, now)?;
        Ok(SmsSent {
            expires_at: now + CODE_VALIDITY_MS,
            resend_after: now + RESEND_GAP_MS,
        })
    }

    /// Checks a code; a right code is used up.
    pub fn sms_verify(&self, request: &SmsVerify) -> Result<SmsVerdict, ApiError> {
        check_phone(&request.phone)?;
        check_purpose(&request.purpose)?;
        let now = self.now_ms();
        let db = self.db()?;
        let latest: Option<(i64, String, i64, i64)> = db
            .query_row(
                "SELECT id, code_hash, expires_at, attempts FROM sms_codes
                 WHERE phone = ?1 AND purpose = ?2 AND used_at IS NULL
                 ORDER BY sent_at DESC LIMIT 1",
                params![request.phone, request.purpose],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let verdict = |valid: bool, zh: &str, en: &str| SmsVerdict {
            valid,
            zh: zh.into(),
            en: en.into(),
        };
        let Some((id, hash, expires_at, attempts)) = latest else {
            return Ok(verdict(false, "请先获取验证码。", "Request a code first."));
        };
        if now >= expires_at {
            return Ok(verdict(
                false,
                "验证码已过期（5 分钟有效），请重新获取。",
                "The code expired (valid 5 minutes). Request a new one.",
            ));
        }
        if attempts >= MAX_ATTEMPTS {
            return Ok(verdict(
                false,
                "错误次数过多，请重新获取验证码。",
                "Too many wrong tries. Request a new code.",
            ));
        }
        let given = sha256_hex(format!("{}:{}", request.phone, request.code.trim()).as_bytes());
        if given == hash {
            db.execute(
                "UPDATE sms_codes SET used_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            db.execute(
                "UPDATE unverified_mobiles SET verified_at = ?2 WHERE phone = ?1 AND verified_at IS NULL",
                params![request.phone, now],
            )?;
            Ok(verdict(true, "验证码正确。", "The code is correct."))
        } else {
            db.execute(
                "UPDATE sms_codes SET attempts = attempts + 1 WHERE id = ?1",
                [id],
            )?;
            Ok(verdict(
                false,
                "验证码错误，请核对短信后重新输入。",
                "Wrong code. Check the message and enter it again.",
            ))
        }
    }

    /// Mobiles given without an SMS code (the kiosk was offline), oldest first.
    pub fn unverified_mobiles(&self) -> Result<Vec<UnverifiedMobile>, ApiError> {
        let db = self.db()?;
        let mut statement = db.prepare(
            "SELECT application_id, phone, recorded_at, verified_at FROM unverified_mobiles
             ORDER BY recorded_at, application_id",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(UnverifiedMobile {
                application_id: r.get(0)?,
                phone: r.get(1)?,
                recorded_at: r.get(2)?,
                verified_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The last message sent to `phone` through the log-table gateway (for tests and demos).
    pub fn last_sms(&self, phone: &str) -> Result<Option<String>, ApiError> {
        Ok(self
            .db()?
            .query_row(
                "SELECT text FROM sms_log WHERE phone = ?1 ORDER BY id DESC LIMIT 1",
                [phone],
                |r| r.get(0),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_explicit_deferral_marks_a_mobile_unverified() {
        let person = serde_json::json!({
            "account": { "smsDeferred": true },
            "person": { "mobile": "13800000001" },
        });
        assert_eq!(deferred_mobile(&person), Some("13800000001"));
        let entity = serde_json::json!({
            "account": { "smsDeferred": true },
            "legalRepresentative": { "mobile": "13800000002" },
        });
        assert_eq!(deferred_mobile(&entity), Some("13800000002"));
        let binding = serde_json::json!({ "smsDeferred": true, "mobile": "13800000003" });
        assert_eq!(deferred_mobile(&binding), Some("13800000003"));
        let with_code = serde_json::json!({
            "account": { "smsCode": "123456" },
            "person": { "mobile": "13800000001" },
        });
        assert_eq!(deferred_mobile(&with_code), None, "a code was given");
        let no_flag = serde_json::json!({
            "account": { "smsDeferred": "yes" },
            "person": { "mobile": "13800000001" },
        });
        assert_eq!(
            deferred_mobile(&no_flag),
            None,
            "only the boolean true counts"
        );
    }
}
