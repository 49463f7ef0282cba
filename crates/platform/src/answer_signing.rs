//! Signed answers: every answer to enrolment and to a signed kiosk request carries
//! `X-Platform-Timestamp` (Unix ms), `X-Platform-Key` (the signer's public key, base64) and
//! `X-Platform-Signature` (base64 Ed25519 over [`answer_string`]). The string binds the
//! answer to the request it answers (method, path, the request's `X-Kiosk-Nonce`, the kiosk
//! id), to its status and time, and to its body and the headers a kiosk acts on, so a kiosk
//! can refuse a forged, replayed or stale answer before it drops or changes anything.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{HEADER_KIOSK_ID, HEADER_NONCE};
use crate::{ApiError, Platform};

/// Header with the platform's signing time, Unix ms.
pub const HEADER_PLATFORM_TIMESTAMP: &str = "x-platform-timestamp";
/// Header with the signer's public key, base64.
pub const HEADER_PLATFORM_KEY: &str = "x-platform-key";
/// Header with the base64 answer signature.
pub const HEADER_PLATFORM_SIGNATURE: &str = "x-platform-signature";

/// What the platform signs for one answer.
#[derive(Debug, Clone, Copy)]
pub struct AnswerParts<'a> {
    /// The request's method.
    pub method: &'a str,
    /// The request's path and query.
    pub path_and_query: &'a str,
    /// The request's `X-Kiosk-Nonce` (empty when it had none).
    pub nonce: &'a str,
    /// The request's `X-Kiosk-Id` (empty at enrolment).
    pub kiosk_id: &'a str,
    /// The answer's HTTP status.
    pub status: u16,
    /// The signing time, Unix ms.
    pub timestamp_ms: i64,
    /// SHA-256 of the answer body, lower-case hex (of no bytes for `HEAD`).
    pub body_sha256_hex: &'a str,
    /// The answer's `ETag` (empty when none).
    pub etag: &'a str,
    /// The answer's `X-Upload-Offset` (empty when none).
    pub upload_offset: &'a str,
}

/// The bytes the platform signs for an answer; the kiosk rebuilds the same.
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

fn header_text(headers: &axum::http::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Middleware: signs the answer to the request it wraps (see the module documentation).
pub async fn sign_answers(
    State(platform): State<Arc<Platform>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    let nonce = header_text(request.headers(), HEADER_NONCE);
    let kiosk_id = header_text(request.headers(), HEADER_KIOSK_ID);
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return ApiError::internal().into_response();
    };
    let hashed: &[u8] = if method == Method::HEAD { &[] } else { &bytes };
    let timestamp = platform.now_ms();
    let text = answer_string(&AnswerParts {
        method: method.as_str(),
        path_and_query: &path,
        nonce: &nonce,
        kiosk_id: &kiosk_id,
        status: parts.status.as_u16(),
        timestamp_ms: timestamp,
        body_sha256_hex: &crate::db::sha256_hex(hashed),
        etag: &header_text(&parts.headers, "etag"),
        upload_offset: &header_text(&parts.headers, crate::blobs::HEADER_UPLOAD_OFFSET),
    });
    let identity = platform.signing_identity();
    let signature = identity.sign(text.as_bytes());
    for (name, value) in [
        (HEADER_PLATFORM_TIMESTAMP, timestamp.to_string()),
        (HEADER_PLATFORM_KEY, identity.public_key_b64().to_owned()),
        (HEADER_PLATFORM_SIGNATURE, signature),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            parts.headers.insert(name, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
