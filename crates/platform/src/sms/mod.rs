//! SMS verification: 6-digit codes (stored only as keyed hashes, at most one a minute per
//! phone and purpose, 5 wrong tries), delivered through an [`SmsProvider`], and the tokens a
//! right code earns (random, stored hashed, bound to the phone and purpose, valid 7 days,
//! consumed by one submission).

pub mod http;
pub mod provider;

use crate::storage::OptionalRow;
use crate::storage::Tx;
use base64::Engine;

use crate::sql_params as params;
use serde::{Deserialize, Serialize};

pub use provider::{
    DeliveryError, OUTBOX_FILE, OutboxEntry, OutboxProvider, SmsMessage, SmsProvider, outbox_codes,
    outbox_entries, outbox_latest_code,
};

use crate::db::{keyed_hash, random_bytes, sha256_hex};
use crate::{ApiError, Platform};

/// How long a code is valid, ms (verify-later codes: [`crate::PlatformSettings`]).
pub const CODE_VALIDITY_MS: i64 = 5 * 60 * 1000;
/// Minimum gap between two codes to the same phone and purpose, ms.
pub const RESEND_GAP_MS: i64 = 60 * 1000;
/// Wrong guesses allowed per code.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a verification token is valid, ms.
pub const TOKEN_VALIDITY_MS: i64 = 7 * 24 * 3600 * 1000;
/// Default validity of a verify-later code, ms (72 hours).
pub const DEFAULT_VERIFY_LATER_VALIDITY_MS: i64 = 72 * 3600 * 1000;

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A new registration (`register`).
    Register,
    /// Binding a legacy account (`bind`).
    Bind,
    /// A password reset or reset appeal (`reset-password`).
    ResetPassword,
    /// Verifying, after submission, a mobile that was not verified at the kiosk
    /// (`verify-later`).
    VerifyLater,
}

impl Purpose {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Bind => "bind",
            Self::ResetPassword => "reset-password",
            Self::VerifyLater => "verify-later",
        }
    }

    /// Parses a wire name, answering `400 SMS_PURPOSE_INVALID` otherwise.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        match text {
            "register" => Ok(Self::Register),
            "bind" => Ok(Self::Bind),
            "reset-password" => Ok(Self::ResetPassword),
            "verify-later" => Ok(Self::VerifyLater),
            _ => Err(ApiError::bad_request(
                "SMS_PURPOSE_INVALID",
                "验证码用途须为 register、bind、reset-password 或 verify-later。",
                "The code purpose must be register, bind, reset-password or verify-later.",
            )),
        }
    }
}

/// `POST /api/v1/sms/send` request.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SmsSend {
    /// Mobile number: mainland 11 digits (`+86`, spaces, hyphens allowed) or `+<country code>…`.
    pub phone: String,
    /// `register`, `bind`, `reset-password` or `verify-later`.
    pub purpose: String,
}

/// Never prints the number.
impl std::fmt::Debug for SmsSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSend")
            .field("phone", &crate::phone::mask_phone(&self.phone))
            .field("purpose", &self.purpose)
            .finish()
    }
}

/// `POST /api/v1/sms/verify` request.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SmsVerify {
    /// Phone the code went to (any accepted spelling).
    pub phone: String,
    /// Same purpose as when sent.
    pub purpose: String,
    /// The 6 digits the visitor typed.
    pub code: String,
}

/// Never prints the number or the code.
impl std::fmt::Debug for SmsVerify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsVerify")
            .field("phone", &crate::phone::mask_phone(&self.phone))
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

/// Answer of `send` (and of `status/resend-code`, with `maskedMobile`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmsSent {
    /// Until when the code is valid, Unix ms.
    pub expires_at: i64,
    /// Earliest time for another code, Unix ms.
    pub resend_after: i64,
}

/// Answer of a right code: the proof a submission carries.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmsVerified {
    /// Opaque token (base64url, 256 random bits), valid 7 days, for one submission with this
    /// phone: `account.smsVerification` or top-level `smsVerification`.
    pub token: String,
    /// When the code was verified, Unix ms.
    pub verified_at: i64,
}

/// Never prints the token.
impl std::fmt::Debug for SmsVerified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsVerified")
            .field("verified_at", &self.verified_at)
            .finish_non_exhaustive()
    }
}

/// What checking a code found (the caller commits before answering, so that a wrong try
/// counts even though the request fails).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeVerdict {
    /// Right: the code is now used.
    Right,
    /// Wrong; this many tries are left.
    Wrong(i64),
    /// No code was sent for this phone and purpose.
    None,
    /// The latest code was verified already.
    Used,
    /// Too many wrong tries.
    Locked,
    /// Older than its validity.
    Expired,
}

impl CodeVerdict {
    /// `Ok` for a right code, else the 422 answer.
    pub fn into_result(self) -> Result<(), ApiError> {
        let refuse = |code, zh: &str, en: &str| Err(ApiError::unprocessable(code, zh, en));
        match self {
            Self::Right => Ok(()),
            Self::Wrong(left) => Err(ApiError::unprocessable(
                "SMS_CODE_WRONG",
                format!("验证码不正确，还可再试 {left} 次。请核对短信后重新输入。"),
                format!(
                    "The code is wrong; {left} tries left. Check the message and enter it again."
                ),
            )
            .with_attempts_left(left)),
            Self::None => refuse(
                "SMS_CODE_NONE",
                "还没有给这个号码发送过验证码。请先点击“获取验证码”。",
                "No code was sent to this number for this purpose. Request a code first.",
            ),
            Self::Used => refuse(
                "SMS_CODE_USED",
                "这个验证码已经验证过，不能再用。如需再次验证，请重新获取验证码。",
                "This code was already verified and cannot be used again. Request a new code if you need to verify again.",
            ),
            Self::Locked => refuse(
                "SMS_CODE_LOCKED",
                "验证码输错 5 次，已失效。请重新获取验证码。",
                "The code was entered wrongly 5 times and no longer works. Request a new code.",
            ),
            Self::Expired => refuse(
                "SMS_CODE_EXPIRED",
                "验证码已过期。请重新获取验证码。",
                "The code has expired. Request a new code.",
            ),
        }
    }
}

/// Checks a typed code's shape: 6 ASCII digits (surrounding spaces ignored).
pub fn check_code_format(code: &str) -> Result<&str, ApiError> {
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(ApiError::bad_request(
            "SMS_CODE_FORMAT",
            "验证码是 6 位数字。请按短信内容输入。",
            "The code is 6 digits. Enter it as the message shows.",
        ))
    }
}

/// Checks `code` against the latest delivered code for `phone` and `purpose`; a right code is
/// marked used, a wrong one counts a try.
pub fn verify_code(
    db: &mut dyn Tx,
    secret: &[u8],
    blind: &crate::pii::BlindKey,
    phone: &str,
    purpose: Purpose,
    code: &str,
    now: i64,
) -> crate::storage::Result<CodeVerdict> {
    let latest: Option<(i64, String, i64, i64, Option<i64>)> = db
        .query_row(
            "SELECT id, code_hash, expires_at, attempts, used_at FROM sms_codes
             WHERE phone_index = ?1 AND purpose = ?2 AND failed_at IS NULL
             ORDER BY sent_at DESC, id DESC LIMIT 1",
            params![blind.phone(phone), purpose.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, hash, expires_at, attempts, used_at)) = latest else {
        return Ok(CodeVerdict::None);
    };
    if used_at.is_some() {
        return Ok(CodeVerdict::Used);
    }
    if attempts >= MAX_ATTEMPTS {
        return Ok(CodeVerdict::Locked);
    }
    if now >= expires_at {
        return Ok(CodeVerdict::Expired);
    }
    if same(&hash, &code_hash(secret, phone, purpose, code)) {
        db.execute(
            "UPDATE sms_codes SET used_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(CodeVerdict::Right)
    } else {
        db.execute(
            "UPDATE sms_codes SET attempts = attempts + 1 WHERE id = ?1",
            params![id],
        )?;
        Ok(CodeVerdict::Wrong(MAX_ATTEMPTS - attempts - 1))
    }
}

/// Constant-time comparison of two hex digests.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn code_hash(secret: &[u8], phone: &str, purpose: Purpose, code: &str) -> String {
    keyed_hash(secret, &["sms-code", phone, purpose.as_str(), code])
}

/// How a token is stored.
pub fn token_hash(token: &str) -> String {
    sha256_hex(format!("sms-token\n{token}").as_bytes())
}

/// Consumes `token` for application `application` if it is unused, unexpired and was issued
/// for `phone` and `purpose`. Returns whether it was.
pub fn consume_token(
    db: &mut dyn Tx,
    blind: &crate::pii::BlindKey,
    token: &str,
    phone: &str,
    purpose: Purpose,
    application: &str,
    now: i64,
) -> crate::storage::Result<bool> {
    let changed = db.execute(
        "UPDATE sms_tokens SET consumed_at = ?5, consumed_by = ?4
         WHERE token_hash = ?1 AND phone_index = ?2 AND purpose = ?3
           AND consumed_at IS NULL AND expires_at > ?5",
        params![
            token_hash(token),
            blind.phone(phone),
            purpose.as_str(),
            application,
            now
        ],
    )?;
    Ok(changed == 1)
}

/// A code recorded and waiting to be delivered.
#[derive(Debug)]
pub struct IssuedCode {
    row: i64,
    message: SmsMessage,
    sent: SmsSent,
}

/// Validity as people say it: "72 小时" / "5 分钟".
fn validity_zh(ms: i64) -> String {
    if ms % 3_600_000 == 0 {
        format!("{} 小时", ms / 3_600_000)
    } else {
        format!("{} 分钟", (ms / 60_000).max(1))
    }
}

fn too_soon(seconds: i64) -> ApiError {
    let seconds = u64::try_from(seconds).unwrap_or(1).max(1);
    ApiError::too_many(
        "SMS_TOO_SOON",
        seconds,
        format!("验证码发送过于频繁。请 {seconds} 秒后再获取。"),
        format!("Codes are sent at most once a minute. Request another in {seconds} seconds."),
    )
}

impl Platform {
    /// The validity of a code for `purpose`, ms.
    pub fn code_validity_ms(&self, purpose: Purpose) -> i64 {
        match purpose {
            Purpose::VerifyLater => self.settings.verify_later_validity_ms,
            _ => CODE_VALIDITY_MS,
        }
    }

    /// Records a new code for `phone` (normalised) and `purpose`, refusing with
    /// `429 SMS_TOO_SOON` within a minute of the last delivered one. `receipt` (verify-later
    /// codes of an application) goes into the text.
    pub fn issue_code(
        &self,
        phone: &str,
        purpose: Purpose,
        receipt: Option<&str>,
    ) -> Result<IssuedCode, ApiError> {
        let now = self.now_ms();
        let raw = random_bytes(4)?;
        let n = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) % 1_000_000;
        let code = format!("{n:06}");
        let validity = self.code_validity_ms(purpose);
        let mut tx = self.write()?;
        let last: Option<i64> = tx.query_row(
            "SELECT MAX(sent_at) FROM sms_codes
             WHERE phone_index = ?1 AND purpose = ?2 AND failed_at IS NULL",
            params![self.blind_key.phone(phone), purpose.as_str()],
            |r| r.get(0),
        )?;
        if let Some(last) = last
            && now - last < RESEND_GAP_MS
        {
            return Err(too_soon((last + RESEND_GAP_MS - now + 999) / 1000));
        }
        let row: i64 = tx.query_row(
            "INSERT INTO sms_codes (phone_index, purpose, code_hash, sent_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            params![
                self.blind_key.phone(phone),
                purpose.as_str(),
                code_hash(&self.secret, phone, purpose, &code),
                now,
                now + validity
            ],
            |r| r.get(0),
        )?;
        tx.commit()?;
        let valid = validity_zh(validity);
        let text = match (purpose, receipt) {
            (Purpose::VerifyLater, Some(receipt)) => format!(
                "【通办】您的申请（回执号 {receipt}）需要验证手机号，验证码是 {code}，{valid}内有效。请凭回执号在自助终端输入验证码。请勿告诉他人。"
            ),
            _ => format!("【通办】您的验证码是 {code}，{valid}内有效。请勿告诉他人。"),
        };
        Ok(IssuedCode {
            row,
            message: SmsMessage {
                to: phone.to_owned(),
                text,
                code,
                purpose: purpose.as_str().to_owned(),
                at: now,
            },
            sent: SmsSent {
                expires_at: now + validity,
                resend_after: now + RESEND_GAP_MS,
            },
        })
    }

    /// Delivers an issued code. When the provider fails, the code is discarded (it can never
    /// be verified, and does not hold back a new one) and the answer is
    /// `502 SMS_GATEWAY_FAILED`.
    pub async fn deliver_code(&self, issued: IssuedCode) -> Result<SmsSent, ApiError> {
        match self.sms.deliver(&issued.message).await {
            Ok(()) => Ok(issued.sent),
            Err(e) => {
                log::warn!(
                    "SMS ({}) not delivered by the {} provider: {e}",
                    issued.message.purpose,
                    self.sms.name()
                );
                let mut tx = self.write()?;
                tx.execute(
                    "UPDATE sms_codes SET failed_at = ?2 WHERE id = ?1",
                    params![issued.row, self.now_ms()],
                )?;
                tx.commit()?;
                Err(ApiError::new(
                    axum::http::StatusCode::BAD_GATEWAY,
                    "SMS_GATEWAY_FAILED",
                    "短信没有发出去（短信网关故障）。请稍后重新获取验证码；如一直失败，可选择稍后验证手机号，或到窗口办理。",
                    "The text message could not be sent (SMS gateway failure). Request the code again later; if it keeps failing, choose to verify the mobile later or go to the counter.",
                ))
            }
        }
    }

    /// `POST /api/v1/sms/send`: sends a new code.
    pub async fn sms_send(&self, request: &SmsSend) -> Result<SmsSent, ApiError> {
        let phone = crate::phone::require_phone(&request.phone)?;
        let purpose = Purpose::parse(&request.purpose)?;
        let issued = self.issue_code(&phone, purpose, None)?;
        self.deliver_code(issued).await
    }

    /// `POST /api/v1/sms/verify`: checks a code; a right one is used up and earns a token.
    pub fn sms_verify(&self, request: &SmsVerify) -> Result<SmsVerified, ApiError> {
        let phone = crate::phone::require_phone(&request.phone)?;
        let purpose = Purpose::parse(&request.purpose)?;
        let code = check_code_format(&request.code)?;
        let now = self.now_ms();
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(32)?);
        let mut tx = self.write()?;
        let verdict = verify_code(
            &mut *tx,
            &self.secret,
            &self.blind_key,
            &phone,
            purpose,
            code,
            now,
        )?;
        if verdict == CodeVerdict::Right {
            tx.execute(
                "INSERT INTO sms_tokens (token_hash, phone_index, purpose, issued_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    token_hash(&token),
                    self.blind_key.phone(&phone),
                    purpose.as_str(),
                    now,
                    now + TOKEN_VALIDITY_MS
                ],
            )?;
        }
        // Commit before answering: a wrong try must count even though the request fails.
        tx.commit()?;
        verdict.into_result()?;
        Ok(SmsVerified {
            token,
            verified_at: now,
        })
    }

    /// Where the outbox provider writes (`<data-dir>/sms-outbox.jsonl`).
    pub fn sms_outbox_path(&self) -> std::path::PathBuf {
        self.data_dir.join(OUTBOX_FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_round_trip_and_junk_is_refused() {
        for p in [
            Purpose::Register,
            Purpose::Bind,
            Purpose::ResetPassword,
            Purpose::VerifyLater,
        ] {
            assert_eq!(Purpose::parse(p.as_str()), Ok(p));
        }
        assert_eq!(
            Purpose::parse("login").map_err(|e| e.code),
            Err("SMS_PURPOSE_INVALID")
        );
    }

    #[test]
    fn code_shapes() {
        assert_eq!(check_code_format(" 012345 ").ok(), Some("012345"));
        for bad in ["01234", "0123456", "01234x", "０１２３４５", ""] {
            assert_eq!(
                check_code_format(bad).map_err(|e| e.code),
                Err("SMS_CODE_FORMAT"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn verdicts_distinguish_none_wrong_locked_expired_and_used() {
        let store = crate::storage::sqlite::SqliteStorage::in_memory(b"k").unwrap();
        let mut conn = crate::storage::Storage::begin(&store, crate::storage::Mode::Write).unwrap();
        let phone = "13800138000";
        let blind = crate::pii::BlindKey::from_secret(b"k");
        let add = |conn: &mut dyn Tx, code: &str, at: i64| {
            conn.execute(
                "INSERT INTO sms_codes (phone_index, purpose, code_hash, sent_at, expires_at)
                 VALUES (?1, 'register', ?2, ?3, ?4)",
                params![
                    blind.phone(phone),
                    code_hash(b"k", phone, Purpose::Register, code),
                    at,
                    at + CODE_VALIDITY_MS
                ],
            )
            .unwrap();
        };
        let check = |conn: &mut dyn Tx, code: &str, now: i64| {
            verify_code(conn, b"k", &blind, phone, Purpose::Register, code, now).unwrap()
        };
        assert_eq!(check(&mut *conn, "123456", 0), CodeVerdict::None);
        add(&mut *conn, "123456", 0);
        assert_eq!(
            check(&mut *conn, "123456", CODE_VALIDITY_MS),
            CodeVerdict::Expired,
            "valid for exactly 5 minutes"
        );
        add(&mut *conn, "222222", 1000);
        for left in (0..MAX_ATTEMPTS).rev() {
            assert_eq!(check(&mut *conn, "000000", 2000), CodeVerdict::Wrong(left));
        }
        assert_eq!(
            check(&mut *conn, "222222", 2000),
            CodeVerdict::Locked,
            "even the right code after 5 wrong tries"
        );
        add(&mut *conn, "333333", 3000);
        assert_eq!(
            verify_code(
                &mut *conn,
                b"other",
                &blind,
                phone,
                Purpose::Register,
                "333333",
                3000
            )
            .unwrap(),
            CodeVerdict::Wrong(4),
            "the hash is keyed by the platform secret"
        );
        assert_eq!(check(&mut *conn, "333333", 3000), CodeVerdict::Right);
        assert_eq!(check(&mut *conn, "333333", 3000), CodeVerdict::Used);
        assert_eq!(
            verify_code(
                &mut *conn,
                b"k",
                &blind,
                phone,
                Purpose::Bind,
                "333333",
                3000
            )
            .unwrap(),
            CodeVerdict::None,
            "codes are per purpose"
        );
    }

    #[test]
    fn verdict_answers_carry_codes_and_tries_left() {
        let wrong = CodeVerdict::Wrong(3).into_result().unwrap_err();
        assert_eq!(
            (wrong.code, wrong.attempts_left),
            ("SMS_CODE_WRONG", Some(3))
        );
        for (verdict, code) in [
            (CodeVerdict::None, "SMS_CODE_NONE"),
            (CodeVerdict::Used, "SMS_CODE_USED"),
            (CodeVerdict::Locked, "SMS_CODE_LOCKED"),
            (CodeVerdict::Expired, "SMS_CODE_EXPIRED"),
        ] {
            let e = verdict.into_result().unwrap_err();
            assert_eq!(
                (e.status.as_u16(), e.code),
                (422, code),
                "{verdict:?} is a 422"
            );
            assert!(!e.zh.is_empty() && !e.en.is_empty());
        }
        assert!(CodeVerdict::Right.into_result().is_ok());
    }

    #[test]
    fn validity_reads_naturally() {
        assert_eq!(validity_zh(CODE_VALIDITY_MS), "5 分钟");
        assert_eq!(validity_zh(DEFAULT_VERIFY_LATER_VALIDITY_MS), "72 小时");
    }
}
