//! Trust in the platform: the enrolment code's key fingerprint, signed answers, the
//! transport rule (HTTPS outside loopback) and answer size caps.
//!
//! The platform signs every answer to enrolment and to a signed request (see
//! `docs/protocol.md`, "Signed answers"): Ed25519 over [`answer_string`] with the key whose
//! fingerprint the enrolment code carries. The kiosk pins that key in its credential and acts
//! on no answer whose signature does not verify with it, whose nonce is not the one it sent,
//! or whose timestamp is stale.

use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::Digest;

/// Header with the platform's signing time, Unix ms.
pub const HEADER_PLATFORM_TIMESTAMP: &str = "x-platform-timestamp";
/// Header with the signer's public key, base64.
pub const HEADER_PLATFORM_KEY: &str = "x-platform-key";
/// Header with the base64 answer signature.
pub const HEADER_PLATFORM_SIGNATURE: &str = "x-platform-signature";
/// Largest accepted distance between an answer's timestamp and the kiosk clock, ms.
pub const MAX_ANSWER_SKEW_MS: i64 = 5 * 60 * 1000;
/// Length of an enrolment code's secret part.
pub const CODE_SECRET_CHARS: usize = 12;
/// Fewest fingerprint characters an enrolment code must carry (80 bits).
pub const CODE_FINGERPRINT_MIN_CHARS: usize = 20;

/// Size caps per kind of answer, bytes: reading stops at the cap.
pub mod limits {
    /// The enrolment answer.
    pub const ENROL: usize = 64 * 1024;
    /// Small answers: health, heartbeat, blob chunks, errors.
    pub const SMALL: usize = 64 * 1024;
    /// JSON answers: submission receipts, online checks.
    pub const JSON: usize = 1024 * 1024;
    /// A page of the status feed.
    pub const STATUS: usize = 4 * 1024 * 1024;
    /// A master dataset.
    pub const MASTER: usize = 16 * 1024 * 1024;
}

/// Why an answer (or a platform) is not trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    /// The enrolment code lacks the platform's key fingerprint.
    #[error("the enrolment code carries no platform key fingerprint")]
    CodeWithoutFingerprint,
    /// The platform's key does not match the fingerprint in the code (or the echo of the
    /// kiosk's own key differs).
    #[error("the platform's key does not match the enrolment code")]
    KeyMismatch,
    /// The answer has no (well-formed) signature.
    #[error("the answer is not signed")]
    Unsigned,
    /// The signature does not verify with the pinned key for this request: forged, altered,
    /// or an answer to another request (replay).
    #[error("the answer's signature does not verify for this request")]
    Forged,
    /// The answer's timestamp is too far from the kiosk clock.
    #[error("the answer is {skew_ms} ms away from the kiosk clock")]
    Stale {
        /// Distance, ms.
        skew_ms: i64,
    },
    /// The answer is larger than the cap for its kind.
    #[error("the answer exceeds {limit} bytes")]
    TooLarge {
        /// The cap, bytes.
        limit: usize,
    },
    /// The platform URL is plain HTTP to a host other than loopback, or not HTTP at all.
    #[error("insecure platform URL: {0}")]
    InsecureUrl(String),
    /// The credential has no pinned platform key (enrolled before answers were signed).
    #[error("the credential has no pinned platform key")]
    NoPinnedKey,
    /// The pinned TLS certificate (PEM) given at enrolment is unusable.
    #[error("the pinned TLS certificate is unusable: {0}")]
    PinnedCertInvalid(String),
}

impl TrustError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CodeWithoutFingerprint => "ENROLMENT_CODE_NO_FINGERPRINT",
            Self::KeyMismatch => "PLATFORM_KEY_MISMATCH",
            Self::Unsigned => "PLATFORM_ANSWER_UNSIGNED",
            Self::Forged => "PLATFORM_ANSWER_FORGED",
            Self::Stale { .. } => "PLATFORM_ANSWER_STALE",
            Self::TooLarge { .. } => "PLATFORM_ANSWER_TOO_LARGE",
            Self::InsecureUrl(_) => "PLATFORM_URL_INSECURE",
            Self::NoPinnedKey => "PLATFORM_KEY_NOT_PINNED",
            Self::PinnedCertInvalid(_) => "PINNED_CERT_INVALID",
        }
    }

    /// Chinese message saying what to do next.
    pub fn zh(&self) -> String {
        match self {
            Self::CodeWithoutFingerprint => "注册码不完整：缺少平台密钥指纹（注册码应有 8 组，每组 4 个字符）。请向管理员索取完整的注册码。".into(),
            Self::KeyMismatch => "应答方的密钥与注册码中的平台指纹不符，可能不是真正的平台。已拒绝注册；请核对平台地址与注册码，并通知管理员。".into(),
            Self::Unsigned => "收到一份没有平台签名的应答（可能被伪造），未据此做任何更改；申请仍保存在本机，稍后自动重试。若持续出现请通知管理员检查网络。".into(),
            Self::Forged => "收到一份签名无法验证的平台应答（可能被伪造或重放），未据此做任何更改；申请仍保存在本机，稍后自动重试。若持续出现请通知管理员检查网络。".into(),
            Self::Stale { .. } => "平台应答的时间与本机时钟相差超过 5 分钟，未予采用。请校准终端时钟；若时钟正确，请通知管理员检查网络。".into(),
            Self::TooLarge { limit } => format!("平台应答超过 {limit} 字节上限，已停止读取，未据此做任何更改。请通知管理员。"),
            Self::InsecureUrl(_) => "平台地址不安全：除本机（127.0.0.1、::1、localhost）外只允许 https://。请改用 https 地址。".into(),
            Self::NoPinnedKey => "本终端的注册凭据没有平台公钥（旧版注册）。请管理员使用新的注册码重新注册（--re-enrol）。".into(),
            Self::PinnedCertInvalid(_) => "注册时指定的平台 TLS 证书无法使用（应为 PEM 格式的 CA 或服务器证书）。请管理员核对证书文件后重新注册。".into(),
        }
    }

    /// English message saying what to do next.
    pub fn en(&self) -> String {
        match self {
            Self::CodeWithoutFingerprint => "The enrolment code is incomplete: it lacks the platform key fingerprint (a code has 8 groups of 4 characters). Ask an administrator for the full code.".into(),
            Self::KeyMismatch => "The key of whoever answered does not match the platform fingerprint in the enrolment code; it may not be the real platform. Enrolment refused: check the platform URL and the code, and tell an administrator.".into(),
            Self::Unsigned => "A platform answer without the platform's signature (possibly forged) was ignored; nothing changed, applications stay on this kiosk and are retried later. If it persists, ask an administrator to check the network.".into(),
            Self::Forged => "A platform answer whose signature does not verify (forged or replayed) was ignored; nothing changed, applications stay on this kiosk and are retried later. If it persists, ask an administrator to check the network.".into(),
            Self::Stale { skew_ms } => format!("A platform answer {skew_ms} ms away from this kiosk's clock (over 5 minutes) was ignored. Fix the kiosk clock; if it is right, ask an administrator to check the network."),
            Self::TooLarge { limit } => format!("A platform answer exceeded the {limit}-byte cap; reading stopped and nothing changed. Tell an administrator."),
            Self::InsecureUrl(url) => format!("Insecure platform URL {url}: only https:// is allowed except for this machine (127.0.0.1, ::1, localhost). Use the https address."),
            Self::NoPinnedKey => "This kiosk's credential has no platform key (an older enrolment). An administrator must re-enrol it with a new code (--re-enrol).".into(),
            Self::PinnedCertInvalid(m) => format!("The platform TLS certificate given at enrolment is unusable ({m}); it must be a PEM CA or server certificate. An administrator should check the file and enrol again."),
        }
    }
}

/// Checks the transport rule: `https://` anywhere, `http://` only to loopback.
pub fn check_transport(url: &str) -> Result<(), TrustError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| TrustError::InsecureUrl(url.to_owned()))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = match parsed.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if loopback {
                Ok(())
            } else {
                Err(TrustError::InsecureUrl(url.to_owned()))
            }
        }
        _ => Err(TrustError::InsecureUrl(url.to_owned())),
    }
}

/// A parsed enrolment code: the secret the platform checks and the fingerprint prefix the
/// kiosk checks.
#[derive(Clone, PartialEq, Eq)]
pub struct EnrolmentCode {
    /// The 12-character secret.
    pub secret: String,
    /// Upper-case hex prefix of the platform key fingerprint.
    pub fingerprint: String,
}

impl std::fmt::Debug for EnrolmentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolmentCode")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl EnrolmentCode {
    /// Parses a typed code (case, spaces and dashes do not matter):
    /// 12 secret characters, then at least 20 hex characters of the fingerprint.
    pub fn parse(typed: &str) -> Result<Self, TrustError> {
        let normalised: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        let secret: String = normalised.chars().take(CODE_SECRET_CHARS).collect();
        let fingerprint: String = normalised.chars().skip(CODE_SECRET_CHARS).collect();
        if secret.chars().count() < CODE_SECRET_CHARS
            || fingerprint.len() < CODE_FINGERPRINT_MIN_CHARS
            || fingerprint.len() > 64
            || !fingerprint.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(TrustError::CodeWithoutFingerprint);
        }
        Ok(Self {
            secret,
            fingerprint,
        })
    }
}

/// The fingerprint of a platform key: SHA-256 of its 32 bytes, upper-case hex.
pub fn fingerprint_of(key: &VerifyingKey) -> String {
    hex::encode_upper(sha2::Sha256::digest(key.as_bytes()))
}

/// Decodes a base64 Ed25519 public key.
pub fn decode_key(b64: &str) -> Option<VerifyingKey> {
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
}

/// One platform key rotation (`GET /api/v1/platform-keys`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyLink {
    /// The previous public key, base64.
    pub previous: String,
    /// The next public key, base64.
    pub next: String,
    /// When, Unix ms.
    pub at: i64,
    /// base64 signature by `previous` over [`rotation_string`].
    pub signature: String,
}

/// `GET /api/v1/platform-keys`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyChain {
    /// The key signing answers now, base64.
    pub current: String,
    /// Every rotation, oldest first.
    pub links: Vec<KeyLink>,
}

/// The bytes an old platform key signs to hand over to a new one.
pub fn rotation_string(previous_b64: &str, next_b64: &str, at_ms: i64) -> String {
    format!("TONGBAN-KEY-ROTATION-V1\n{previous_b64}\n{next_b64}\n{at_ms}")
}

/// Follows the rotation chain from the `pinned` key to `target`: every step must be signed
/// by the key before it. Returns the target when the chain leads there, else
/// [`TrustError::KeyMismatch`].
pub fn follow_chain(
    pinned: &VerifyingKey,
    target: &VerifyingKey,
    links: &[KeyLink],
) -> Result<VerifyingKey, TrustError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut current = *pinned;
    for _ in 0..=links.len() {
        if current == *target {
            return Ok(current);
        }
        let here = b64.encode(current.as_bytes());
        let step = links
            .iter()
            .find_map(|link| {
                if link.previous != here {
                    return None;
                }
                let next = decode_key(&link.next)?;
                let signature = b64
                    .decode(&link.signature)
                    .ok()
                    .and_then(|b| Signature::from_slice(&b).ok())?;
                let text = rotation_string(&link.previous, &link.next, link.at);
                current
                    .verify_strict(text.as_bytes(), &signature)
                    .ok()
                    .map(|()| next)
            })
            .ok_or(TrustError::KeyMismatch)?;
        current = step;
    }
    Err(TrustError::KeyMismatch)
}

/// What the platform signs for one answer (the same fields as platformd's).
#[derive(Debug, Clone, Copy)]
pub struct AnswerParts<'a> {
    /// The request's method.
    pub method: &'a str,
    /// The request's path and query.
    pub path_and_query: &'a str,
    /// The nonce the kiosk sent with the request.
    pub nonce: &'a str,
    /// The kiosk id sent with the request (empty at enrolment).
    pub kiosk_id: &'a str,
    /// The answer's HTTP status.
    pub status: u16,
    /// The platform's signing time, Unix ms.
    pub timestamp_ms: i64,
    /// SHA-256 of the answer body, lower-case hex (of no bytes for `HEAD`).
    pub body_sha256_hex: &'a str,
    /// The answer's `ETag` (empty when none).
    pub etag: &'a str,
    /// The answer's `X-Upload-Offset` (empty when none).
    pub upload_offset: &'a str,
}

/// The bytes the platform signs for an answer.
pub fn answer_string(p: &AnswerParts<'_>) -> String {
    format!(
        "TONGBAN-ANSWER-V1\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        p.method,
        p.path_and_query,
        p.nonce,
        p.kiosk_id,
        p.status,
        p.timestamp_ms,
        p.body_sha256_hex,
        p.etag,
        p.upload_offset
    )
}

/// The request an answer must belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// Method sent.
    pub method: String,
    /// Path and query sent.
    pub path_and_query: String,
    /// Nonce sent.
    pub nonce: String,
    /// Kiosk id sent (empty at enrolment).
    pub kiosk_id: String,
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Verifies that an answer was signed by `key` for `exchange`, recently.
pub fn verify_answer(
    key: &VerifyingKey,
    exchange: &Exchange,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
    now_ms: i64,
) -> Result<(), TrustError> {
    let timestamp: i64 = header(headers, HEADER_PLATFORM_TIMESTAMP)
        .parse()
        .map_err(|_| TrustError::Unsigned)?;
    let signature = base64::engine::general_purpose::STANDARD
        .decode(header(headers, HEADER_PLATFORM_SIGNATURE))
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or(TrustError::Unsigned)?;
    let hashed: &[u8] = if exchange.method == "HEAD" { &[] } else { body };
    let text = answer_string(&AnswerParts {
        method: &exchange.method,
        path_and_query: &exchange.path_and_query,
        nonce: &exchange.nonce,
        kiosk_id: &exchange.kiosk_id,
        status,
        timestamp_ms: timestamp,
        body_sha256_hex: &hex::encode(sha2::Sha256::digest(hashed)),
        etag: header(headers, "etag"),
        upload_offset: header(headers, "x-upload-offset"),
    });
    key.verify_strict(text.as_bytes(), &signature)
        .map_err(|_| TrustError::Forged)?;
    let skew = now_ms.saturating_sub(timestamp);
    if skew.abs() > MAX_ANSWER_SKEW_MS {
        return Err(TrustError::Stale { skew_ms: skew });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_rule_allows_https_and_loopback_http_only() {
        assert!(
            check_transport("https://platform.example.gov.cn").is_ok(),
            "https"
        );
        assert!(
            check_transport("http://127.0.0.1:8470").is_ok(),
            "v4 loopback"
        );
        assert!(check_transport("http://[::1]:8470").is_ok(), "v6 loopback");
        assert!(
            check_transport("http://localhost:8470").is_ok(),
            "localhost"
        );
        for bad in [
            "http://platform.example.gov.cn",
            "http://10.0.0.5:8470",
            "http://127.0.0.1.evil.example",
            "ftp://127.0.0.1",
            "not a url",
        ] {
            assert!(
                matches!(check_transport(bad), Err(TrustError::InsecureUrl(_))),
                "{bad} refused"
            );
        }
    }

    #[test]
    fn codes_need_the_fingerprint() {
        let code = EnrolmentCode::parse("abcd-efgh-jk23-3f9a-1c2b-7d4e-8a6b-5c0d");
        assert_eq!(
            code.ok().map(|c| (c.secret, c.fingerprint)),
            Some(("ABCDEFGHJK23".into(), "3F9A1C2B7D4E8A6B5C0D".into())),
            "split"
        );
        for bad in [
            "ABCD-EFGH-JK23",
            "ABCD-EFGH-JK23-3F9A",
            "ABCD-EFGH-JK23-ZZZZ-1C2B-7D4E-8A6B-5C0D",
        ] {
            assert_eq!(
                EnrolmentCode::parse(bad),
                Err(TrustError::CodeWithoutFingerprint),
                "{bad}"
            );
        }
    }

    fn signed(
        key: &ed25519_dalek::SigningKey,
        ex: &Exchange,
        status: u16,
        body: &[u8],
        at: i64,
    ) -> reqwest::header::HeaderMap {
        use ed25519_dalek::Signer;
        let text = answer_string(&AnswerParts {
            method: &ex.method,
            path_and_query: &ex.path_and_query,
            nonce: &ex.nonce,
            kiosk_id: &ex.kiosk_id,
            status,
            timestamp_ms: at,
            body_sha256_hex: &hex::encode(sha2::Sha256::digest(body)),
            etag: "",
            upload_offset: "",
        });
        let mut headers = reqwest::header::HeaderMap::new();
        let sig =
            base64::engine::general_purpose::STANDARD.encode(key.sign(text.as_bytes()).to_bytes());
        for (name, value) in [
            (HEADER_PLATFORM_TIMESTAMP, at.to_string()),
            (HEADER_PLATFORM_SIGNATURE, sig),
        ] {
            if let Ok(v) = value.parse() {
                headers.insert(name, v);
            }
        }
        headers
    }

    #[test]
    fn stale_and_altered_answers_are_refused() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let public = key.verifying_key();
        let ex = Exchange {
            method: "POST".into(),
            path_and_query: "/api/v1/submissions".into(),
            nonce: "00112233445566778899aabbccddeeff".into(),
            kiosk_id: "kiosk-1".into(),
        };
        let now = 1_800_000_000_000;
        let body = br#"{"state":"accepted"}"#;
        let good = signed(&key, &ex, 201, body, now);
        assert_eq!(
            verify_answer(&public, &ex, 201, &good, body, now + 1000),
            Ok(()),
            "fresh"
        );
        assert_eq!(
            verify_answer(&public, &ex, 201, &good, body, now + MAX_ANSWER_SKEW_MS + 1),
            Err(TrustError::Stale {
                skew_ms: MAX_ANSWER_SKEW_MS + 1
            }),
            "stale"
        );
        assert_eq!(
            verify_answer(&public, &ex, 200, &good, body, now),
            Err(TrustError::Forged),
            "status altered"
        );
        assert_eq!(
            verify_answer(&public, &ex, 201, &good, br#"{"state":"rejected"}"#, now),
            Err(TrustError::Forged),
            "body altered"
        );
        let other = Exchange {
            nonce: "ff".repeat(16),
            ..ex.clone()
        };
        assert_eq!(
            verify_answer(&public, &other, 201, &good, body, now),
            Err(TrustError::Forged),
            "answer to another request"
        );
        assert_eq!(
            verify_answer(
                &public,
                &ex,
                201,
                &reqwest::header::HeaderMap::new(),
                body,
                now
            ),
            Err(TrustError::Unsigned),
            "no signature"
        );
    }

    #[test]
    fn the_chain_is_followed_only_through_valid_signatures() {
        use ed25519_dalek::Signer;
        let b64 = base64::engine::general_purpose::STANDARD;
        let keys: Vec<_> = (1u8..=3)
            .map(|n| ed25519_dalek::SigningKey::from_bytes(&[n; 32]))
            .collect();
        let link = |a: &ed25519_dalek::SigningKey,
                    b: &ed25519_dalek::SigningKey,
                    signer: &ed25519_dalek::SigningKey| {
            let (p, n) = (
                b64.encode(a.verifying_key().as_bytes()),
                b64.encode(b.verifying_key().as_bytes()),
            );
            KeyLink {
                signature: b64.encode(
                    signer
                        .sign(rotation_string(&p, &n, 7).as_bytes())
                        .to_bytes(),
                ),
                previous: p,
                next: n,
                at: 7,
            }
        };
        let (k1, k2, k3) = (&keys[0], &keys[1], &keys[2]);
        let good = [link(k1, k2, k1), link(k2, k3, k2)];
        assert_eq!(
            follow_chain(&k1.verifying_key(), &k3.verifying_key(), &good),
            Ok(k3.verifying_key()),
            "two rotations"
        );
        let attacker = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        let forged = [link(k1, &attacker, &attacker)];
        assert_eq!(
            follow_chain(&k1.verifying_key(), &attacker.verifying_key(), &forged),
            Err(TrustError::KeyMismatch),
            "a link not signed by the pinned key"
        );
        assert_eq!(
            follow_chain(&k2.verifying_key(), &k1.verifying_key(), &good),
            Err(TrustError::KeyMismatch),
            "never backwards"
        );
    }

    proptest::proptest! {
        #[test]
        fn code_parsing_never_panics(s in "\\PC{0,80}") {
            let _ = EnrolmentCode::parse(&s);
            let _ = check_transport(&s);
        }
    }
}
