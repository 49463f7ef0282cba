//! Kiosk enrolment: administrators issue one-time codes; a kiosk redeems one with its public key.

use crate::sql_params as params;
use crate::storage::OptionalRow;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::db::{random_bytes, sha256_hex};
use crate::{ApiError, Platform};

/// How long an enrolment code stays valid, ms (24 hours).
pub const CODE_VALIDITY_MS: i64 = 24 * 3600 * 1000;

/// Alphabet of enrolment codes: upper-case letters and digits without look-alikes.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// `POST /api/v1/enrol` request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time code from `platformd enrolment-code`: its 12-character secret, or the
    /// whole code (secret and platform fingerprint; a fingerprint not this platform's is
    /// refused).
    pub code: String,
    /// The kiosk's Ed25519 public key, base64 (32 bytes).
    pub public_key: String,
}

/// `POST /api/v1/enrol` response.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnrolResponse {
    /// The id the kiosk sends in `X-Kiosk-Id` from now on.
    pub kiosk_id: String,
    /// The name the administrator gave the kiosk.
    pub kiosk_name: String,
    /// The platform's age recipient to seal submissions to.
    pub platform_recipient: String,
    /// The platform's Ed25519 signing key, base64 (32 bytes): its SHA-256 starts with the
    /// fingerprint in the enrolment code; it signs this answer and every later one.
    pub platform_key: String,
    /// The kiosk public key this enrolment registered (echoed so the kiosk can check that
    /// nobody swapped it on the way).
    pub public_key: String,
    /// Platform time, Unix ms (lets the kiosk notice a wrong clock).
    pub server_time: i64,
}

/// Length of the secret part of an enrolment code.
pub const CODE_SECRET_CHARS: usize = 12;

/// Splits a normalised code into its secret and the (possibly empty) fingerprint part.
fn split_code(normalised: &str) -> (&str, &str) {
    match normalised.char_indices().nth(CODE_SECRET_CHARS) {
        Some((at, _)) => normalised.split_at(at),
        None => (normalised, ""),
    }
}

/// Groups `text` in fours joined by dashes (`ABCD-EFGH-...`).
fn in_groups(text: &str) -> String {
    text.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Normalises a typed code: upper case, without spaces and dashes.
fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

impl Platform {
    /// Issues a one-time enrolment code for a kiosk called `kiosk_name` (shown once, stored
    /// hashed): 12 secret characters followed by the first 20 hex characters of the
    /// platform's key fingerprint, in groups of four (`ABCD-EFGH-JK23-3F9A-...`). The kiosk
    /// enrols only with a platform whose signing key matches the fingerprint.
    pub fn issue_enrolment_code(&self, kiosk_name: &str) -> Result<String, ApiError> {
        let name = kiosk_name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(ApiError::bad_request(
                "KIOSK_NAME_INVALID",
                "终端名称须为 1-64 个字符。",
                "The kiosk name must be 1-64 characters.",
            ));
        }
        let raw = random_bytes(12)?;
        let code: String = raw
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        let now = self.now_ms();
        let mut tx = self.write()?;
        tx.execute(
            "INSERT INTO enrolment_codes (code_hash, kiosk_name, issued_at, expires_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                sha256_hex(code.as_bytes()),
                name,
                now,
                now + CODE_VALIDITY_MS
            ],
        )?;
        tx.commit()?;
        Ok(in_groups(&format!(
            "{code}{}",
            self.signing_identity().code_fingerprint()
        )))
    }

    /// Redeems a code: registers the public key and returns the new kiosk id.
    pub fn enrol(&self, request: &EnrolRequest) -> Result<EnrolResponse, ApiError> {
        let key = base64::engine::general_purpose::STANDARD
            .decode(request.public_key.trim())
            .ok()
            .and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok())
            .filter(|k| ed25519_dalek::VerifyingKey::from_bytes(k).is_ok())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "PUBLIC_KEY_INVALID",
                    "终端公钥格式错误（应为 base64 编码的 32 字节 Ed25519 公钥）。",
                    "The kiosk public key is malformed (expected base64 of a 32-byte Ed25519 key).",
                )
            })?;
        let normalised = normalise(&request.code);
        let (secret, fingerprint) = split_code(&normalised);
        if !fingerprint.is_empty()
            && !self
                .signing_identity()
                .fingerprint()
                .starts_with(fingerprint)
        {
            return Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "ENROLMENT_CODE_INVALID",
                "注册码无效或已过期。请核对后重试，或向管理员申请新的注册码。",
                "The enrolment code is invalid or expired. Check it, or ask an administrator for a new one.",
            ));
        }
        let code_hash = sha256_hex(secret.as_bytes());
        let now = self.now_ms();
        let kiosk_id = format!("kiosk-{}", hex::encode(random_bytes(8)?));
        let mut tx = self.write()?;
        let found: Option<(String, i64, Option<i64>)> = tx
            .query_row(
                "SELECT kiosk_name, expires_at, used_at FROM enrolment_codes WHERE code_hash = ?1",
                params![&code_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let name = match found {
            Some((name, expires, None)) if expires > now => name,
            Some((_, _, Some(_))) => {
                return Err(ApiError::conflict(
                    "ENROLMENT_CODE_USED",
                    "该注册码已被使用。请向管理员申请新的注册码。",
                    "This enrolment code was already used. Ask an administrator for a new one.",
                ));
            }
            _ => {
                return Err(ApiError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    "ENROLMENT_CODE_INVALID",
                    "注册码无效或已过期。请核对后重试，或向管理员申请新的注册码。",
                    "The enrolment code is invalid or expired. Check it, or ask an administrator for a new one.",
                ));
            }
        };
        tx.execute(
            "UPDATE enrolment_codes SET used_at = ?2, kiosk_id = ?3 WHERE code_hash = ?1",
            params![code_hash, now, kiosk_id],
        )?;
        tx.execute(
            "INSERT INTO kiosks (id, name, public_key, enrolled_at) VALUES (?1, ?2, ?3, ?4)",
            params![kiosk_id, name, key.to_vec(), now],
        )?;
        tx.commit()?;
        log::info!("kiosk {kiosk_id} enrolled");
        Ok(EnrolResponse {
            kiosk_id,
            kiosk_name: name,
            platform_recipient: self.recipient.clone(),
            platform_key: self.signing_identity().public_key_b64().to_owned(),
            public_key: base64::engine::general_purpose::STANDARD.encode(key),
            server_time: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_ignores_case_spaces_and_dashes() {
        assert_eq!(
            normalise(" abcd-efgh-jk23 "),
            "ABCDEFGHJK23",
            "typed codes are lenient"
        );
    }

    #[test]
    fn codes_split_into_secret_and_fingerprint() {
        assert_eq!(
            split_code("ABCDEFGHJK23"),
            ("ABCDEFGHJK23", ""),
            "secret only"
        );
        assert_eq!(
            split_code("ABCDEFGHJK233F9A1C"),
            ("ABCDEFGHJK23", "3F9A1C"),
            "with fingerprint"
        );
        assert_eq!(split_code("ABC"), ("ABC", ""), "short");
        assert_eq!(in_groups("ABCDEFGHJK"), "ABCD-EFGH-JK", "groups of four");
    }
}
