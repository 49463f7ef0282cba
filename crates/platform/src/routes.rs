//! The HTTP surface: routes, request parsing and responses.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde::Serialize;

use crate::answer_signing::sign_answers;
use crate::auth::{KioskId, limit_by_ip, require_admin, require_kiosk};
use crate::blobs::HEADER_UPLOAD_OFFSET;
use crate::edges::read_bounded;
use crate::error::parse_json;
use crate::openapi::{EdgeResponses, SecuritySchemes};
use crate::{ApiError, JSON_LIMIT, Platform};

type Shared = State<Arc<Platform>>;

/// `GET /api/v1/health` response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    status: &'static str,
    /// platformd version.
    version: &'static str,
    /// Protocol version, `v1`.
    protocol: &'static str,
}

/// The OpenAPI document of every route (`docs/openapi.json`).
#[derive(Debug, utoipa::OpenApi)]
#[openapi(
    info(
        title = "Tongban platform protocol",
        version = "1",
        description = "The contract between Tongban kiosks and the central platform; platformd is the reference implementation. Read docs/protocol.md for signing, sealing, idempotency and the sync algorithm."
    ),
    paths(
        health, enrol, platform_keys, update_file, status_page, metrics, master_index, master_data, head_blob, put_blob,
        post_submission, status_feed, check, sms_send, sms_verify, status_lookup,
        status_verify_mobile, status_resend_code, heartbeat, audit_head, admin_code, admin_submissions,
        admin_submission, admin_open_submission, admin_review, admin_add, admin_list, admin_disable, kiosk_revoke, admin_audit
    ),
    components(schemas(
        crate::openapi::Problem, crate::checks::RealNameCheck, crate::checks::RealNameAnswer,
        crate::fleet::KioskRow
    )),
    modifiers(&SecuritySchemes, &EdgeResponses),
    tags(
        (name = "public", description = "Unsigned: health, enrolment, update files, the status page."),
        (name = "kiosk", description = "Signed by an enrolled kiosk (X-Kiosk-Id, X-Kiosk-Timestamp, X-Kiosk-Nonce, X-Kiosk-Signature). Every answer, whatever its status, is signed by the platform (X-Platform-Timestamp, X-Platform-Key, X-Platform-Signature over the request's method, path, nonce and kiosk id, the status, the time and the body: docs/protocol.md section 3.3)."),
        (name = "admin", description = "Bearer token of a named admin account (`platformd admin add`); role `reviewer` for submissions and reviews, `fleet-admin` for everything else. Every call is recorded in the admin audit. The bootstrap token <data-dir>/admin-token only creates admin accounts while none is enabled.")
    )
)]
pub struct ApiDoc;

/// The full router.
pub fn router(platform: Arc<Platform>) -> Router {
    let kiosk = Router::new()
        .route("/api/v1/master", get(master_index))
        .route("/api/v1/master/{name}", get(master_data))
        .route("/api/v1/blobs/{sha}", put(put_blob).head(head_blob))
        .route("/api/v1/submissions", post(post_submission))
        .route("/api/v1/status", get(status_feed))
        .route("/api/v1/checks/{kind}", post(check))
        .route("/api/v1/sms/send", post(sms_send))
        .route("/api/v1/sms/verify", post(sms_verify))
        .route("/api/v1/status/lookup", post(status_lookup))
        .route("/api/v1/status/verify-mobile", post(status_verify_mobile))
        .route("/api/v1/status/resend-code", post(status_resend_code))
        .route("/api/v1/kiosks/heartbeat", post(heartbeat))
        .route("/api/v1/kiosks/audit-head", get(audit_head))
        .route_layer(from_fn_with_state(Arc::clone(&platform), require_kiosk))
        .route_layer(from_fn_with_state(Arc::clone(&platform), sign_answers));
    let admin = Router::new()
        .route("/api/v1/admin/enrolment-codes", post(admin_code))
        .route("/api/v1/admin/submissions", get(admin_submissions))
        .route("/api/v1/admin/submissions/{id}", get(admin_submission))
        .route(
            "/api/v1/admin/submissions/{id}/open",
            post(admin_open_submission),
        )
        .route("/api/v1/admin/submissions/{id}/review", post(admin_review))
        .route("/api/v1/admin/admins", post(admin_add).get(admin_list))
        .route("/api/v1/admin/admins/{name}/disable", post(admin_disable))
        .route("/api/v1/admin/kiosks/{id}/revoke", post(kiosk_revoke))
        .route("/api/v1/admin/audit", get(admin_audit))
        .route_layer(from_fn_with_state(Arc::clone(&platform), require_admin));
    let public = Router::new()
        .route(
            "/api/v1/enrol",
            post(enrol).layer(from_fn_with_state(Arc::clone(&platform), sign_answers)),
        )
        .route("/api/v1/platform-keys", get(platform_keys))
        .route("/api/v1/updates/{name}", get(update_file))
        .route("/status", get(status_page))
        .route("/metrics", get(metrics))
        .route_layer(from_fn_with_state(Arc::clone(&platform), limit_by_ip));
    Router::new()
        .route("/api/v1/health", get(health))
        .merge(public)
        .merge(kiosk)
        .merge(admin)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(
            Arc::clone(&platform),
            crate::access_log::log_request,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(platform)
}

async fn not_found() -> ApiError {
    ApiError::not_found(
        "NO_SUCH_ENDPOINT",
        "没有这个接口。请核对协议版本与路径。",
        "There is no such endpoint. Check the protocol version and path.",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "该接口不支持这种请求方法。",
        "This endpoint does not support this method.",
    )
}

#[utoipa::path(get, path = "/api/v1/health", tag = "public",
    responses((status = 200, description = "The platform is up.", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        protocol: "v1",
    })
}

#[utoipa::path(post, path = "/api/v1/enrol", tag = "public",
    request_body = crate::enrol::EnrolRequest,
    responses(
        (status = 201, description = "Enrolled: the kiosk signs every later call with its key. The answer is signed (X-Platform-Timestamp, X-Platform-Key, X-Platform-Signature, for the request's X-Kiosk-Nonce) by `platformKey`, whose SHA-256 starts with the fingerprint in the enrolment code.", body = crate::enrol::EnrolResponse),
        (status = 400, description = "`PUBLIC_KEY_INVALID`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 403, description = "`ENROLMENT_CODE_INVALID` (unknown or expired).", body = crate::openapi::Problem),
        (status = 409, description = "`ENROLMENT_CODE_USED`.", body = crate::openapi::Problem)))]
async fn enrol(State(p): Shared, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_bounded(&p.edge_settings(), &parts.headers, body, JSON_LIMIT).await?;
    let answer = p.enrol(&parse_json(&bytes)?)?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[utoipa::path(get, path = "/api/v1/platform-keys", tag = "public",
    responses((status = 200, description = "The key signing answers now and every rotation (each signed by the previous key): a kiosk pinned to an earlier key follows the chain to the current one.", body = crate::identity::KeyChain)))]
async fn platform_keys(State(p): Shared) -> Json<crate::identity::KeyChain> {
    Json(p.key_chain())
}

#[utoipa::path(get, path = "/api/v1/master", tag = "kiosk", security(("kioskSignature" = [])),
    responses((status = 200, description = "Every dataset with its ETag.", body = crate::master::MasterIndex)))]
async fn master_index(State(p): Shared) -> Result<Response, ApiError> {
    Ok(Json(p.master_index()?).into_response())
}

#[utoipa::path(get, path = "/api/v1/master/{name}", tag = "kiosk", security(("kioskSignature" = [])),
    params(
        ("name" = String, Path, description = "`platform-key`, `supervising-departments`, `legal-entity-natures`, `industries`, `units`, `ethnic-groups`, `divisions`, `profiles`, `templates`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag the kiosk holds")),
    responses(
        (status = 200, description = "The dataset JSON, with a strong `ETag` header.", content_type = "application/json", body = Object),
        (status = 304, description = "Unchanged since the given ETag."),
        (status = 404, description = "`DATASET_UNKNOWN`.", body = crate::openapi::Problem)))]
async fn master_data(
    State(p): Shared,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (body, etag) = p.master_data(&name)?;
    let etag_value = HeaderValue::from_str(&etag).map_err(|_| ApiError::internal())?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    Ok((
        [
            (header::ETAG, etag_value),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body,
    )
        .into_response())
}

#[utoipa::path(head, path = "/api/v1/blobs/{sha}", tag = "kiosk", security(("kioskSignature" = [])),
    params(("sha" = String, Path, description = "Lower-case hex SHA-256 of the plaintext")),
    responses(
        (status = 200, description = "The platform holds the complete, verified blob."),
        (status = 404, description = "Not complete; header `X-Upload-Offset` says how many sealed bytes of this kiosk's upload the platform holds."),
        (status = 400, description = "`BLOB_NAME_INVALID` (no body on HEAD).")))]
async fn head_blob(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    let state = p.blob_state(&kiosk.0, &sha)?;
    let status = if state.complete {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((status, [(HEADER_UPLOAD_OFFSET, state.received.to_string())]).into_response())
}

#[utoipa::path(put, path = "/api/v1/blobs/{sha}", tag = "kiosk", security(("kioskSignature" = [])),
    params(
        ("sha" = String, Path, description = "Lower-case hex SHA-256 of the plaintext"),
        ("Content-Range" = Option<String>, Header, description = "`bytes START-END/TOTAL` of the sealed file; absent for the whole file")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The age-sealed bytes (a chunk or the whole file)"),
    responses(
        (status = 201, description = "Complete: decrypted and its SHA-256 verified.", body = crate::blobs::BlobState),
        (status = 202, description = "Chunk stored; `received` says how far.", body = crate::blobs::BlobState),
        (status = 200, description = "Already complete: nothing stored (no-op).", body = crate::blobs::BlobState),
        (status = 400, description = "`BLOB_NAME_INVALID`, `CONTENT_RANGE_INVALID`.", body = crate::openapi::Problem),
        (status = 409, description = "`UPLOAD_OFFSET_MISMATCH`: ask with HEAD and resume.", body = crate::openapi::Problem),
        (status = 413, description = "`BODY_TOO_LARGE` (chunk over 8 MiB), `BLOB_TOO_LARGE` (over 64 MiB).", body = crate::openapi::Problem),
        (status = 422, description = "`BLOB_HASH_MISMATCH`: undecryptable or wrong hash; discarded.", body = crate::openapi::Problem)))]
async fn put_blob(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    Path(sha): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (status, state) = p.put_blob(&kiosk.0, &sha, &headers, body).await?;
    Ok((
        status,
        [(HEADER_UPLOAD_OFFSET, state.received.to_string())],
        Json(state),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/submissions", tag = "kiosk", security(("kioskSignature" = [])),
    request_body = crate::submissions::SubmissionRequest,
    responses(
        (status = 201, description = "Received for the first time. `receipt` is the receipt code `XXXXX-XXXXX` of the id; `state` is `accepted`, or `needs-action` with `reason` `ACCOUNT_NAME_TAKEN`, `ID_NUMBER_REGISTERED`, `USCC_REGISTERED` or `MOBILE_REGISTERED`. The SMS proof (`account.smsVerification` / `smsVerification`) is consumed; without a valid one the mobile is recorded unverified and sent a verify-later code.", body = crate::submissions::SubmissionReceipt),
        (status = 200, description = "A repeat of the same submission: the original receipt.", body = crate::submissions::SubmissionReceipt),
        (status = 400, description = "`APPLICATION_ID_INVALID`, `SEALED_PAYLOAD_NOT_BASE64`, `BAD_JSON`, `BLOB_NAME_INVALID`.", body = crate::openapi::Problem),
        (status = 409, description = "`BLOBS_MISSING` (upload them, retry), `SUBMISSION_CONFLICT` (id used for other content).", body = crate::openapi::Problem),
        (status = 422, description = "`PAYLOAD_UNREADABLE`, `ATTACHMENT_SIZE_MISMATCH`: the application needs a person.", body = crate::openapi::Problem)))]
async fn post_submission(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = parse_json(&body)?;
    let (created, receipt) = p.submit(&kiosk.0, &request).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(receipt)).into_response())
}

/// Parses `after` and `limit` from a query string, refusing anything else malformed: unknown
/// or repeated keys, non-numbers, a negative cursor (`CURSOR_INVALID`), a page size outside
/// 1..=[`crate::status::MAX_PAGE`].
fn feed_query(query: Option<&str>) -> Result<(i64, u32), ApiError> {
    let mut after = None;
    let mut limit = None;
    let bad = || {
        ApiError::bad_request(
            "QUERY_INVALID",
            "查询参数须为 after=<整数>&limit=<1-500>，每个最多一次。",
            "Query parameters must be after=<integer>&limit=<1-500>, each at most once.",
        )
    };
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').ok_or_else(bad)?;
        let slot = match k {
            "after" => {
                let cursor: i64 = v.parse().map_err(|_| crate::status::cursor_invalid())?;
                if cursor < 0 {
                    return Err(crate::status::cursor_invalid());
                }
                after.replace(cursor).map(|_| ())
            }
            "limit" => {
                let n: u32 = v.parse().map_err(|_| bad())?;
                if !(1..=crate::status::MAX_PAGE).contains(&n) {
                    return Err(bad());
                }
                limit.replace(n).map(|_| ())
            }
            _ => return Err(bad()),
        };
        if slot.is_some() {
            return Err(bad());
        }
    }
    Ok((after.unwrap_or(0), limit.unwrap_or(100)))
}

#[utoipa::path(get, path = "/api/v1/status", tag = "kiosk", security(("kioskSignature" = [])),
    params(
        ("after" = Option<i64>, Query, description = "Last cursor applied (default 0)"),
        ("limit" = Option<u32>, Query, description = "Page size, 1-500 (default 100)")),
    responses(
        (status = 200, description = "This kiosk's events after the cursor, oldest first.", body = crate::status::StatusPage),
        (status = 400, description = "`CURSOR_INVALID` (not a number, negative, or past the end of the feed: this platform never gave it out), `QUERY_INVALID` (unknown or repeated key, limit outside 1-500). Nothing is read.", body = crate::openapi::Problem)))]
async fn status_feed(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (after, limit) = feed_query(query.as_deref())?;
    Ok(Json(p.status_feed(&kiosk.0, after, limit)?).into_response())
}

#[utoipa::path(post, path = "/api/v1/checks/{kind}", tag = "kiosk", security(("kioskSignature" = [])),
    params(("kind" = String, Path, description = "`account-name`, `id-number`, `uscc`, `mobile` (body `ValueCheck`, answer `RegisteredAnswer`) or `real-name` (body `RealNameCheck`, answer `RealNameAnswer`: `verified`, `mismatch`, `not-found`, `out-of-hours`). Checks reserve and record nothing.")),
    request_body(content = crate::checks::ValueCheck, description = "`ValueCheck`, or `RealNameCheck` for `real-name`"),
    responses(
        (status = 200, description = "`RegisteredAnswer`, or `RealNameAnswer` for `real-name`.", body = crate::checks::RegisteredAnswer),
        (status = 400, description = "`BAD_JSON`, `CHECK_VALUE_INVALID`, `PHONE_INVALID` (mobile).", body = crate::openapi::Problem),
        (status = 404, description = "`NO_SUCH_ENDPOINT` (unknown kind).", body = crate::openapi::Problem)))]
async fn check(
    State(p): Shared,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if kind == "real-name" {
        return Ok(Json(p.check_real_name(&parse_json(&body)?)).into_response());
    }
    let Some(registry) = crate::checks::registry_of(&kind) else {
        return Err(not_found().await);
    };
    let request: crate::checks::ValueCheck = parse_json(&body)?;
    Ok(Json(p.check_registered(registry, &request.value)?).into_response())
}

#[utoipa::path(post, path = "/api/v1/sms/send", tag = "kiosk", security(("kioskSignature" = [])),
    request_body = crate::sms::SmsSend,
    responses(
        (status = 200, description = "A 6-digit code was delivered (valid 5 minutes; verify-later codes 72 hours).", body = crate::sms::SmsSent),
        (status = 400, description = "`PHONE_INVALID`, `SMS_PURPOSE_INVALID`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 429, description = "`SMS_TOO_SOON`: one code per minute per phone and purpose; `Retry-After` header (seconds).", body = crate::openapi::Problem),
        (status = 502, description = "`SMS_GATEWAY_FAILED`: not delivered; the code is void.", body = crate::openapi::Problem)))]
async fn sms_send(State(p): Shared, body: Bytes) -> Result<Response, ApiError> {
    Ok(Json(p.sms_send(&parse_json(&body)?).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/sms/verify", tag = "kiosk", security(("kioskSignature" = [])),
    request_body = crate::sms::SmsVerify,
    responses(
        (status = 200, description = "Right: the code is used up; the token proves the phone to one submission (7 days).", body = crate::sms::SmsVerified),
        (status = 400, description = "`PHONE_INVALID`, `SMS_PURPOSE_INVALID`, `SMS_CODE_FORMAT`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 422, description = "`SMS_CODE_NONE`, `SMS_CODE_WRONG` (with `attemptsLeft`), `SMS_CODE_EXPIRED`, `SMS_CODE_USED`, `SMS_CODE_LOCKED`.", body = crate::openapi::Problem)))]
async fn sms_verify(State(p): Shared, body: Bytes) -> Result<Response, ApiError> {
    Ok(Json(p.sms_verify(&parse_json(&body)?)?).into_response())
}

#[utoipa::path(post, path = "/api/v1/status/lookup", tag = "kiosk", security(("kioskSignature" = [])),
    request_body = crate::lookup::StatusLookup,
    responses(
        (status = 200, description = "Matching applications from any kiosk, newest first, at most 10.", body = crate::lookup::LookupAnswer),
        (status = 400, description = "`STATUS_QUERY_INVALID`, `RECEIPT_INVALID`, `ID_LAST4_INVALID`, `ID_NUMBER_INVALID`, `PHONE_INVALID`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 404, description = "`STATUS_NOT_FOUND`: the same answer for every miss.", body = crate::openapi::Problem),
        (status = 429, description = "`STATUS_TOO_MANY_TRIES` (10 status calls per kiosk a minute, 5 misses per receipt or ID number an hour); `Retry-After` header.", body = crate::openapi::Problem)))]
async fn status_lookup(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    Ok(Json(p.status_lookup(&kiosk.0, &parse_json(&body)?)?).into_response())
}

#[utoipa::path(post, path = "/api/v1/status/verify-mobile", tag = "kiosk", security(("kioskSignature" = [])),
    request_body = crate::mobile::VerifyMobile,
    responses(
        (status = 200, description = "The application's mobile is verified.", body = crate::mobile::MobileVerified),
        (status = 400, description = "`RECEIPT_INVALID`, `SMS_CODE_FORMAT`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 404, description = "`STATUS_NOT_FOUND`.", body = crate::openapi::Problem),
        (status = 409, description = "`NO_MOBILE_TO_VERIFY`.", body = crate::openapi::Problem),
        (status = 422, description = "`SMS_CODE_NONE`, `SMS_CODE_WRONG` (with `attemptsLeft`), `SMS_CODE_EXPIRED`, `SMS_CODE_USED`, `SMS_CODE_LOCKED`.", body = crate::openapi::Problem),
        (status = 429, description = "`STATUS_TOO_MANY_TRIES`; `Retry-After` header.", body = crate::openapi::Problem)))]
async fn status_verify_mobile(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    Ok(Json(p.verify_mobile(&kiosk.0, &parse_json(&body)?)?).into_response())
}

#[utoipa::path(post, path = "/api/v1/status/resend-code", tag = "kiosk", security(("kioskSignature" = [])),
    request_body = crate::mobile::ResendCode,
    responses(
        (status = 200, description = "A new verify-later code was delivered.", body = crate::mobile::CodeResent),
        (status = 400, description = "`RECEIPT_INVALID`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 404, description = "`STATUS_NOT_FOUND`.", body = crate::openapi::Problem),
        (status = 409, description = "`NO_MOBILE_TO_VERIFY`.", body = crate::openapi::Problem),
        (status = 422, description = "`MOBILE_UNREACHABLE`: the recorded number cannot receive texts.", body = crate::openapi::Problem),
        (status = 429, description = "`SMS_TOO_SOON` or `STATUS_TOO_MANY_TRIES`; `Retry-After` header.", body = crate::openapi::Problem),
        (status = 502, description = "`SMS_GATEWAY_FAILED`.", body = crate::openapi::Problem)))]
async fn status_resend_code(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    Ok(Json(p.resend_code(&kiosk.0, &parse_json(&body)?).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/kiosks/heartbeat", tag = "kiosk", security(("kioskSignature" = [])),
    request_body = crate::fleet::Heartbeat,
    responses(
        (status = 200, description = "Stored as this kiosk's latest heartbeat; with `auditHead`, the audit anchor moved forward (a head behind the stored one is kept out and counted in `alerts`). The answer is the anchor the platform holds (signed).", body = crate::audit_anchor::AnchorAnswer),
        (status = 400, description = "`BAD_JSON`, `HEARTBEAT_VERSION_MISSING`, `AUDIT_HEAD_INVALID`.", body = crate::openapi::Problem)))]
async fn heartbeat(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    p.record_heartbeat(&kiosk.0, &parse_json(&body)?)?;
    Ok(Json(p.audit_anchor(&kiosk.0)?).into_response())
}

#[utoipa::path(get, path = "/api/v1/kiosks/audit-head", tag = "kiosk", security(("kioskSignature" = [])),
    responses((status = 200, description = "The audit anchor the platform holds for this kiosk (signed answer).", body = crate::audit_anchor::AnchorAnswer)))]
async fn audit_head(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
) -> Result<Response, ApiError> {
    Ok(Json(p.audit_anchor(&kiosk.0)?).into_response())
}

#[utoipa::path(get, path = "/status", tag = "public",
    responses((status = 200, description = "HTML table of halls and kiosks with their latest heartbeat (no personal data).", content_type = "text/html", body = String)))]
async fn status_page(State(p): Shared) -> Result<Response, ApiError> {
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        p.status_page()?,
    )
        .into_response())
}

#[utoipa::path(get, path = "/metrics", tag = "public",
    responses(
        (status = 200, description = "Prometheus text format 0.0.4: requests, latencies, request bytes and errors by code (this process); submissions by state, blobs, kiosks' last heartbeat (the shared store). No personal data.", content_type = "text/plain", body = String),
        (status = 429, description = "`RATE_LIMITED`: too many unsigned calls from this address; `Retry-After` header.", body = crate::openapi::Problem)))]
async fn metrics(State(p): Shared) -> Result<Response, ApiError> {
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        p.metrics_text()?,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/updates/{name}", tag = "public",
    params(("name" = String, Path, description = "A file of `<data-dir>/updates/`: `[A-Za-z0-9._-]`, no leading dot")),
    responses(
        (status = 200, description = "The file (`latest.json` or a signed artifact).", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 400, description = "`FILE_NAME_INVALID`.", body = crate::openapi::Problem),
        (status = 404, description = "`UPDATE_NOT_FOUND`.", body = crate::openapi::Problem)))]
async fn update_file(State(p): Shared, Path(name): Path<String>) -> Result<Response, ApiError> {
    let bytes = p.update_file(&name)?;
    let kind = if name.ends_with(".json") {
        "application/json"
    } else {
        "application/octet-stream"
    };
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        Body::from(bytes),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/admin/enrolment-codes", tag = "admin", security(("adminToken" = [])),
    request_body = crate::admin::CodeRequest,
    responses(
        (status = 201, description = "A one-time code (valid 24 hours).", body = crate::admin::CodeResponse),
        (status = 401, description = "`ADMIN_TOKEN_INVALID`.", body = crate::openapi::Problem)))]
async fn admin_code(State(p): Shared, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_bounded(&p.edge_settings(), &parts.headers, body, JSON_LIMIT).await?;
    let req: crate::admin::CodeRequest = parse_json(&bytes)?;
    let code = p.issue_enrolment_code(&req.kiosk_name)?;
    Ok((
        StatusCode::CREATED,
        Json(crate::admin::CodeResponse {
            code,
            platform_fingerprint: p.signing_identity().fingerprint().to_owned(),
        }),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/admin/submissions", tag = "admin", security(("adminToken" = [])),
    responses(
        (status = 200, description = "Every submission, oldest first, its personal data masked (names `张*`, ID and document numbers `110***********271X`, phones `139****0004`, e-mail, birth dates, addresses and other text `经***`; the account name masked; passwords and SMS proofs `(given)`). The full values: `POST /api/v1/admin/submissions/{id}/open`.", body = Vec<crate::submissions::SubmissionRecord>),
        (status = 401, description = "`ADMIN_TOKEN_INVALID`.", body = crate::openapi::Problem)))]
async fn admin_submissions(State(p): Shared) -> Result<Response, ApiError> {
    let list: Vec<_> = p
        .submissions()?
        .into_iter()
        .map(crate::submissions::SubmissionRecord::masked)
        .collect();
    Ok(Json(list).into_response())
}

#[utoipa::path(get, path = "/api/v1/admin/submissions/{id}", tag = "admin", security(("adminToken" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "One submission, its personal data masked as in the listing.", body = crate::submissions::SubmissionRecord),
        (status = 404, description = "`SUBMISSION_NOT_FOUND`.", body = crate::openapi::Problem)))]
async fn admin_submission(State(p): Shared, Path(id): Path<String>) -> Result<Response, ApiError> {
    let record = p
        .submission(&id)?
        .ok_or_else(crate::pii::submission_not_found)?;
    Ok(Json(record.masked()).into_response())
}

#[utoipa::path(post, path = "/api/v1/admin/submissions/{id}/open", tag = "admin", security(("adminToken" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "The submission with its personal data in full (passwords still `(given)`), for a reviewer who must read it. The opening is written to the admin audit first (action `OPEN personal-data`, the reviewer, `submission:<id>`, the time); nothing is answered if it cannot be.", body = crate::submissions::SubmissionRecord),
        (status = 404, description = "`SUBMISSION_NOT_FOUND`.", body = crate::openapi::Problem)))]
async fn admin_open_submission(
    State(p): Shared,
    Extension(by): Extension<crate::admins::Admin>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(p.open_submission(&by.name, &id)?).into_response())
}

#[utoipa::path(post, path = "/api/v1/admin/submissions/{id}/review", tag = "admin", security(("adminToken" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = crate::status::ReviewAction,
    responses(
        (status = 200, description = "The decision was recorded and a status event queued for the kiosk.", body = crate::admin::ReviewResponse),
        (status = 404, description = "`SUBMISSION_NOT_FOUND`.", body = crate::openapi::Problem),
        (status = 400, description = "`REASON_REQUIRED`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 409, description = "`ALREADY_DECIDED`; approval only: `MOBILE_UNVERIFIED` (the applicant's mobile is not verified yet), `ACCOUNT_NAME_TAKEN` / `ID_NUMBER_REGISTERED` / `USCC_REGISTERED` / `MOBILE_REGISTERED` (another submission holds it now).", body = crate::openapi::Problem)))]
async fn admin_review(
    State(p): Shared,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_bounded(&p.edge_settings(), &parts.headers, body, JSON_LIMIT).await?;
    let state = p.review(&id, &parse_json(&bytes)?)?;
    Ok(Json(crate::admin::ReviewResponse { state }).into_response())
}

#[utoipa::path(post, path = "/api/v1/admin/admins", tag = "admin", security(("adminToken" = [])),
    request_body = crate::admins::NewAdmin,
    responses(
        (status = 201, description = "The account and its bearer token (shown once; only its hash is kept).", body = crate::admins::AdminCreated),
        (status = 400, description = "`ADMIN_NAME_INVALID`, `BAD_JSON`.", body = crate::openapi::Problem),
        (status = 409, description = "`ADMIN_EXISTS`.", body = crate::openapi::Problem)))]
async fn admin_add(
    State(p): Shared,
    Extension(by): Extension<crate::admins::Admin>,
    request: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_bounded(&p.edge_settings(), &parts.headers, body, JSON_LIMIT).await?;
    let new: crate::admins::NewAdmin = parse_json(&bytes)?;
    let token = p.add_admin(new.name.trim(), new.role, &by.name)?;
    Ok((
        StatusCode::CREATED,
        Json(crate::admins::AdminCreated {
            name: new.name.trim().to_owned(),
            role: new.role,
            token,
        }),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/admin/admins", tag = "admin", security(("adminToken" = [])),
    responses((status = 200, description = "Every admin account (never a token).", body = Vec<crate::admins::AdminAccount>)))]
async fn admin_list(State(p): Shared) -> Result<Response, ApiError> {
    Ok(Json(p.list_admins()?).into_response())
}

#[utoipa::path(post, path = "/api/v1/admin/admins/{name}/disable", tag = "admin", security(("adminToken" = [])),
    params(("name" = String, Path, description = "Admin account name")),
    responses(
        (status = 204, description = "Disabled: its token no longer works."),
        (status = 404, description = "`ADMIN_NOT_FOUND`.", body = crate::openapi::Problem)))]
async fn admin_disable(State(p): Shared, Path(name): Path<String>) -> Result<Response, ApiError> {
    p.disable_admin(&name)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(post, path = "/api/v1/admin/kiosks/{id}/revoke", tag = "admin", security(("adminToken" = [])),
    params(("id" = String, Path, description = "Kiosk id")),
    responses(
        (status = 204, description = "Revoked: its signed calls get `401 KIOSK_REVOKED`; enrol it again with a new code (a new kiosk id)."),
        (status = 404, description = "`KIOSK_NOT_FOUND`.", body = crate::openapi::Problem)))]
async fn kiosk_revoke(State(p): Shared, Path(id): Path<String>) -> Result<Response, ApiError> {
    p.revoke_kiosk(&id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("adminToken" = [])),
    responses((status = 200, description = "The latest 500 admin actions, newest first.", body = Vec<crate::admins::AuditEntry>)))]
async fn admin_audit(State(p): Shared) -> Result<Response, ApiError> {
    Ok(Json(p.admin_audit(500)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_query_defaults_and_refuses_junk() {
        assert_eq!(feed_query(None).ok(), Some((0, 100)), "defaults");
        assert_eq!(
            feed_query(Some("after=5&limit=2")).ok(),
            Some((5, 2)),
            "given"
        );
        let code = |q: &str| feed_query(Some(q)).err().map(|e| e.code);
        assert_eq!(code("after=x"), Some("CURSOR_INVALID"), "non-numeric");
        assert_eq!(code("after=-1"), Some("CURSOR_INVALID"), "negative");
        assert_eq!(code("after=99999999999999999999"), Some("CURSOR_INVALID"));
        assert_eq!(code("evil=1"), Some("QUERY_INVALID"), "unknown key");
        assert_eq!(code("after=1&after=2"), Some("QUERY_INVALID"), "twice");
        assert_eq!(code("limit=0"), Some("QUERY_INVALID"), "empty page");
        assert_eq!(code("limit=501"), Some("QUERY_INVALID"), "page too big");
        assert_eq!(code("after"), Some("QUERY_INVALID"), "no value");
    }
}
