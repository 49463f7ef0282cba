//! Per-kiosk request signatures (Ed25519) and the middleware that checks them.
//!
//! A kiosk signs `canonical_string(method, path_and_query, timestamp, nonce, sha256(body))`
//! and sends `X-Kiosk-Id`, `X-Kiosk-Timestamp` (Unix ms), `X-Kiosk-Nonce` (16-64 hex
//! characters) and `X-Kiosk-Signature` (base64 of the 64-byte signature). The platform refuses
//! timestamps more than [`MAX_SKEW_MS`] away from its clock and nonces it has already seen.

use std::net::IpAddr;
use std::sync::Arc;

use crate::sql_params as params;
use crate::storage::OptionalRow;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};

use crate::{ApiError, Platform};

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

/// The signature headers of a request, checked (kiosk known and not revoked, clock close,
/// nonce well-formed) before a byte of its body is read. The signature itself covers the
/// body's hash, so it is verified once the (capped) body has arrived.
pub struct SignedHeaders {
    kiosk_id: String,
    timestamp: i64,
    nonce: String,
    signature: Signature,
    key: VerifyingKey,
}

impl std::fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("kiosk_id", &self.kiosk_id)
            .finish_non_exhaustive()
    }
}

impl SignedHeaders {
    /// The kiosk the headers name (known and not revoked).
    pub fn kiosk_id(&self) -> &str {
        &self.kiosk_id
    }
}

fn kiosk_unknown() -> ApiError {
    ApiError::unauthorized(
        "KIOSK_UNKNOWN",
        "平台不认识这台终端（未注册）。请联系管理员重新注册。",
        "The platform does not know this kiosk (not enrolled). Ask an administrator to enrol it.",
    )
}

/// `401 KIOSK_REVOKED`: an administrator revoked the kiosk.
pub fn kiosk_revoked() -> ApiError {
    ApiError::unauthorized(
        "KIOSK_REVOKED",
        "这台终端已被管理员停用。请联系管理员取得新的注册码并重新注册。",
        "An administrator revoked this kiosk. Ask for a new enrolment code and enrol again.",
    )
}

impl Platform {
    /// Checks the signature headers of a request before its body is read: present and
    /// well-formed, the clock within [`MAX_SKEW_MS`], the kiosk enrolled and not revoked.
    pub fn check_signed_headers(&self, headers: &HeaderMap) -> Result<SignedHeaders, ApiError> {
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
        let row: Option<(Vec<u8>, Option<i64>)> = self
            .read()?
            .query_row(
                "SELECT public_key, revoked_at FROM kiosks WHERE id = ?1",
                params![kiosk_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let key = match row {
            None => return Err(kiosk_unknown()),
            Some((_, Some(_))) => return Err(kiosk_revoked()),
            Some((key, None)) => key,
        };
        let key = <[u8; 32]>::try_from(key.as_slice())
            .ok()
            .and_then(|k| VerifyingKey::from_bytes(&k).ok())
            .ok_or_else(kiosk_unknown)?;
        Ok(SignedHeaders {
            kiosk_id: kiosk_id.to_owned(),
            timestamp,
            nonce: nonce.to_owned(),
            signature,
            key,
        })
    }

    /// Verifies the signature of checked headers over the request and its body, and spends
    /// the nonce (a replay is refused).
    pub fn check_signature(
        &self,
        signed: &SignedHeaders,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<(), ApiError> {
        let text = canonical_string(
            method,
            path_and_query,
            signed.timestamp,
            &signed.nonce,
            &crate::db::sha256_hex(body),
        );
        signed
            .key
            .verify_strict(text.as_bytes(), &signed.signature)
            .map_err(|_| bad_signature())?;
        let now = self.now_ms();
        let mut db = self.write_atomic()?;
        let inserted = db.execute(
            "INSERT INTO nonces (kiosk_id, nonce, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![signed.kiosk_id, signed.nonce, now],
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
        Ok(())
    }

    /// Checks a signed request and returns the kiosk that signed it.
    pub fn verify_request(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<String, ApiError> {
        let signed = self.check_signed_headers(headers)?;
        self.check_signature(&signed, method, path_and_query, body)?;
        Ok(signed.kiosk_id)
    }
}

/// Counts a refused or unsigned call against the caller's IP address: a `429` when that
/// address is over its limit, else `refusal` itself.
fn refuse_counted(platform: &Platform, ip: Option<IpAddr>, refusal: ApiError) -> ApiError {
    match platform.count_ip_call(ip) {
        Err(limited) => limited,
        Ok(()) => refusal,
    }
}

/// Middleware: checks the kiosk's signature headers (before reading any body byte), its
/// call rate, then reads the body (capped per route, before a deadline), verifies the
/// signature and passes the [`KioskId`] on.
pub async fn require_kiosk(
    State(platform): State<Arc<Platform>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (mut parts, body) = request.into_parts();
    let ip = platform.client_ip(&parts.extensions, &parts.headers);
    let signed = platform
        .check_signed_headers(&parts.headers)
        .map_err(|e| refuse_counted(&platform, ip, e))?;
    platform.count_call(platform.edge_settings().kiosk_limit(), signed.kiosk_id())?;
    let limit = crate::edges::body_limit(&parts.method, parts.uri.path());
    let bytes =
        crate::edges::read_bounded(&platform.edge_settings(), &parts.headers, body, limit).await?;
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    platform
        .check_signature(&signed, parts.method.as_str(), &path, &bytes)
        .map_err(|e| refuse_counted(&platform, ip, e))?;
    parts.extensions.insert(KioskId(signed.kiosk_id));
    Ok(next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await)
}

/// Middleware of unsigned public routes: counts the call against the caller's IP address.
pub async fn limit_by_ip(
    State(platform): State<Arc<Platform>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    platform.count_ip_call(platform.client_ip(request.extensions(), request.headers()))?;
    Ok(next.run(request).await)
}

fn admin_token_invalid() -> ApiError {
    ApiError::unauthorized(
        "ADMIN_TOKEN_INVALID",
        "管理接口需要有效的管理员令牌（platformd admin add 创建账号时显示）。",
        "The admin API needs a valid admin account token (shown by platformd admin add when the account is made).",
    )
}

/// Whether two secrets are equal, in time independent of where they differ.
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Middleware of the admin API: requires `Authorization: Bearer <admin account token>` (before
/// any body byte is read), the role the route needs, and records the call and its answer in
/// the admin audit. The bootstrap token only creates admin accounts while none is enabled.
pub async fn require_admin(
    State(platform): State<Arc<Platform>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let ip = platform.client_ip(request.extensions(), request.headers());
    let given = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .trim()
        .to_owned();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(String::new, |m| m.as_str().to_owned());
    let action = format!("{} {route}", request.method());
    let admin = match platform.admin_by_token(&given)? {
        Some(admin) => admin,
        None if route == "/api/v1/admin/admins"
            && request.method() == axum::http::Method::POST
            && same_secret(&given, platform.admin_token())
            && !platform.has_admins()? =>
        {
            crate::admins::Admin {
                name: "bootstrap".into(),
                role: crate::admins::Role::FleetAdmin,
            }
        }
        None => return Err(refuse_counted(&platform, ip, admin_token_invalid())),
    };
    let target = request.uri().path().to_owned();
    if admin.role != crate::admins::role_needed(&route) {
        let refusal = ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "ADMIN_ROLE_FORBIDDEN",
            format!("管理员账号 {} 的角色无权执行此操作。", admin.name),
            format!(
                "The role of admin account {} does not allow this action.",
                admin.name
            ),
        );
        platform.record_admin_action(
            &admin.name,
            &action,
            Some(&target),
            403,
            Some(refusal.code),
        )?;
        return Err(refusal);
    }
    let name = admin.name.clone();
    let mut request = request;
    request.extensions_mut().insert(admin);
    let response = next.run(request).await;
    let code = response
        .extensions()
        .get::<crate::metrics::ErrorCode>()
        .map(|c| c.0);
    platform.record_admin_action(
        &name,
        &action,
        Some(&target),
        response.status().as_u16(),
        code,
    )?;
    Ok(response)
}

/// Shorthand used by handlers: the verified kiosk id from the extension.
pub type KioskExt = axum::Extension<KioskId>;
