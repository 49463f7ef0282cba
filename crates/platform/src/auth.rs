//! Per-kiosk request signatures (Ed25519) and the middleware that checks them.
//!
//! A kiosk signs `canonical_string(method, path_and_query, timestamp, nonce, sha256(body))`
//! and sends `X-Kiosk-Id`, `X-Kiosk-Timestamp` (Unix ms), `X-Kiosk-Nonce` (16-64 hex
//! characters) and `X-Kiosk-Signature` (base64 of the 64-byte signature). The platform refuses
//! timestamps more than [`MAX_SKEW_MS`] away from its clock and nonces it has already seen.

use std::sync::Arc;

use crate::sql_params as params;
use crate::storage::OptionalRow;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};

use crate::{ApiError, BLOB_CHUNK_LIMIT, JSON_LIMIT, Platform};

/// Header naming the kiosk.
pub const HEADER_KIOSK_ID: &str = "x-kiosk-id";
/// Header with the signing time, Unix ms.
pub const HEADER_TIMESTAMP: &str = "x-kiosk-timestamp";
/// Header with a fresh random nonce.
pub const HEADER_NONCE: &str = "x-kiosk-nonce";
/// Header with the base64 signature.
pub const HEADER_SIGNATURE: &str = "x-kiosk-signature";
/// Largest accepted distance between the kiosk's timestamp and the platform clock.
pub const MAX_SKEW_MS: i64 = 5 * 60 * 1000;

/// The enrolled kiosk that signed the current request (a request extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskId(pub String);

/// The bytes a kiosk signs.
pub fn canonical_string(
    method: &str,
    path_and_query: &str,
    timestamp_ms: i64,
    nonce: &str,
    body_sha256_hex: &str,
) -> String {
    format!("TONGBAN-V1\n{method}\n{path_and_query}\n{timestamp_ms}\n{nonce}\n{body_sha256_hex}")
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ApiError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "SIGNATURE_MISSING",
                format!("请求缺少签名头 {name}。请先完成终端注册。"),
                format!("The request lacks the signature header {name}. Enrol the kiosk first."),
            )
        })
}

fn bad_signature() -> ApiError {
    ApiError::unauthorized(
        "SIGNATURE_INVALID",
        "请求签名无效。请检查终端注册是否有效，必要时重新注册。",
        "The request signature is invalid. Check the kiosk's enrolment; re-enrol if needed.",
    )
}

impl Platform {
    /// Checks a signed request and returns the kiosk that signed it.
    pub fn verify_request(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<String, ApiError> {
        let kiosk_id = header(headers, HEADER_KIOSK_ID)?;
        let timestamp: i64 = header(headers, HEADER_TIMESTAMP)?
            .parse()
            .map_err(|_| bad_signature())?;
        let nonce = header(headers, HEADER_NONCE)?;
        if !(16..=64).contains(&nonce.len()) || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad_signature());
        }
        let signature = base64::engine::general_purpose::STANDARD
            .decode(header(headers, HEADER_SIGNATURE)?)
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or_else(bad_signature)?;
        let now = self.now_ms();
        if (now - timestamp).abs() > MAX_SKEW_MS {
            return Err(ApiError::unauthorized(
                "CLOCK_SKEW",
                "终端时间与平台相差超过 5 分钟。请校准终端时钟后重试。",
                "The kiosk clock differs from the platform by more than 5 minutes. Fix the clock and retry.",
            ));
        }
        let key: Option<Vec<u8>> = self
            .read()?
            .query_row(
                "SELECT public_key FROM kiosks WHERE id = ?1 AND revoked_at IS NULL",
                params![kiosk_id],
                |r| r.get(0),
            )
            .optional()?;
        let key = key
            .and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok())
            .and_then(|k| VerifyingKey::from_bytes(&k).ok())
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "KIOSK_UNKNOWN",
                    "平台不认识这台终端（未注册或已停用）。请联系管理员重新注册。",
                    "The platform does not know this kiosk (not enrolled or revoked). Ask an administrator to re-enrol it.",
                )
            })?;
        let text = canonical_string(
            method,
            path_and_query,
            timestamp,
            nonce,
            &crate::db::sha256_hex(body),
        );
        key.verify_strict(text.as_bytes(), &signature)
            .map_err(|_| bad_signature())?;
        let mut db = self.write_atomic()?;
        let inserted = db.execute(
            "INSERT INTO nonces (kiosk_id, nonce, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            crate::sql_params![kiosk_id, nonce, now],
        )?;
        if inserted == 0 {
            return Err(ApiError::unauthorized(
                "REPLAYED",
                "该请求已处理过（重放）。终端会用新的随机数重试。",
                "This exact request was seen before (replay). The kiosk retries with a fresh nonce.",
            ));
        }
        if now % 64 == 0 {
            db.execute(
                "DELETE FROM nonces WHERE at < ?1",
                crate::sql_params![now - 2 * MAX_SKEW_MS],
            )?;
        }
        db.commit()?;
        Ok(kiosk_id.to_owned())
    }
}

/// Reads a request body up to `limit` bytes, answering 413 above it and 400 when unreadable.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "BODY_TOO_LARGE",
            format!("请求内容超过 {limit} 字节上限。大文件请分段上传。"),
            format!("The request body exceeds {limit} bytes. Upload large files in chunks."),
        )
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    to_bytes(body, limit).await.map_err(|e| {
        if format!("{e:?}").contains("LengthLimit") {
            too_large()
        } else {
            ApiError::bad_request(
                "BODY_UNREADABLE",
                "请求内容不完整或无法读取。请重试。",
                "The request body was incomplete or unreadable. Retry.",
            )
        }
    })
}

/// Middleware: buffers the body, checks the kiosk signature, and passes the [`KioskId`] on.
pub async fn require_kiosk(
    State(platform): State<Arc<Platform>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (mut parts, body) = request.into_parts();
    let limit = if parts.uri.path().starts_with("/api/v1/blobs/") {
        BLOB_CHUNK_LIMIT
    } else {
        JSON_LIMIT
    };
    let bytes = read_body(&parts.headers, body, limit).await?;
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let kiosk = platform.verify_request(parts.method.as_str(), &path, &parts.headers, &bytes)?;
    parts.extensions.insert(KioskId(kiosk));
    Ok(next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await)
}

/// Middleware: requires `Authorization: Bearer <admin token>` on the admin API.
pub async fn require_admin(
    State(platform): State<Arc<Platform>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let given = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let expected = platform.admin_token();
    let same = given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(ApiError::unauthorized(
            "ADMIN_TOKEN_INVALID",
            "管理接口需要有效的管理令牌（数据目录中的 admin-token）。",
            "The admin API needs the valid admin token (file admin-token in the data directory).",
        ));
    }
    Ok(next.run(request).await)
}

/// Shorthand used by handlers: the verified kiosk id from the extension.
pub type KioskExt = axum::Extension<KioskId>;
