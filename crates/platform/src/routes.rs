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

use crate::auth::{KioskId, read_body, require_admin, require_kiosk};
use crate::blobs::HEADER_UPLOAD_OFFSET;
use crate::error::parse_json;
use crate::{ApiError, JSON_LIMIT, Platform};

type Shared = State<Arc<Platform>>;

/// `GET /api/v1/health` response.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    protocol: &'static str,
}

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
        .route_layer(from_fn_with_state(Arc::clone(&platform), require_kiosk));
    let admin = Router::new()
        .route("/api/v1/admin/enrolment-codes", post(admin_code))
        .route("/api/v1/admin/submissions", get(admin_submissions))
        .route("/api/v1/admin/submissions/{id}/review", post(admin_review))
        .route_layer(from_fn_with_state(Arc::clone(&platform), require_admin));
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/enrol", post(enrol))
        .route("/api/v1/updates/{name}", get(update_file))
        .merge(kiosk)
        .merge(admin)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
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

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        protocol: "v1",
    })
}

async fn enrol(State(p): Shared, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_body(&parts.headers, body, JSON_LIMIT).await?;
    let answer = p.enrol(&parse_json(&bytes)?)?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

async fn master_index(State(p): Shared) -> Result<Response, ApiError> {
    Ok(Json(p.master_index()?).into_response())
}

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

async fn put_blob(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    Path(sha): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (status, state) = p.put_blob(&kiosk.0, &sha, &headers, &body).await?;
    Ok((
        status,
        [(HEADER_UPLOAD_OFFSET, state.received.to_string())],
        Json(state),
    )
        .into_response())
}

async fn post_submission(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = parse_json(&body)?;
    let (created, receipt) = p.submit(&kiosk.0, &request)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(receipt)).into_response())
}

/// Parses `after` and `limit` from a query string, refusing anything else malformed.
fn feed_query(query: Option<&str>) -> Result<(i64, u32), ApiError> {
    let mut after = 0;
    let mut limit = 100;
    let bad = || {
        ApiError::bad_request(
            "QUERY_INVALID",
            "查询参数须为 after=<整数>&limit=<整数>。",
            "Query parameters must be after=<integer>&limit=<integer>.",
        )
    };
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').ok_or_else(bad)?;
        match k {
            "after" => after = v.parse().map_err(|_| bad())?,
            "limit" => limit = v.parse().map_err(|_| bad())?,
            _ => return Err(bad()),
        }
    }
    Ok((after, limit))
}

async fn status_feed(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (after, limit) = feed_query(query.as_deref())?;
    Ok(Json(p.status_feed(&kiosk.0, after, limit)?).into_response())
}

async fn check(
    State(p): Shared,
    Extension(kiosk): Extension<KioskId>,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let key = match kind.as_str() {
        "account-name" => "accountName",
        "id-number" => "idNumber",
        "uscc" => "uscc",
        "real-name" => {
            return Ok(Json(p.check_real_name(&kiosk.0, &parse_json(&body)?)?).into_response());
        }
        _ => return Err(not_found().await),
    };
    let request: crate::checks::ValueCheck = parse_json(&body)?;
    Ok(Json(p.check_registered(key, &request.value)?).into_response())
}

async fn sms_send(State(p): Shared, body: Bytes) -> Result<Response, ApiError> {
    Ok(Json(p.sms_send(&parse_json(&body)?)?).into_response())
}

async fn sms_verify(State(p): Shared, body: Bytes) -> Result<Response, ApiError> {
    Ok(Json(p.sms_verify(&parse_json(&body)?)?).into_response())
}

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

async fn admin_code(State(p): Shared, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_body(&parts.headers, body, JSON_LIMIT).await?;
    let req: crate::admin::CodeRequest = parse_json(&bytes)?;
    let code = p.issue_enrolment_code(&req.kiosk_name)?;
    Ok((
        StatusCode::CREATED,
        Json(crate::admin::CodeResponse { code }),
    )
        .into_response())
}

async fn admin_submissions(State(p): Shared) -> Result<Response, ApiError> {
    Ok(Json(p.submissions()?).into_response())
}

async fn admin_review(
    State(p): Shared,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_body(&parts.headers, body, JSON_LIMIT).await?;
    let state = p.review(&id, &parse_json(&bytes)?)?;
    Ok(Json(crate::admin::ReviewResponse { state }).into_response())
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
        assert!(feed_query(Some("after=x")).is_err(), "non-numeric");
        assert!(feed_query(Some("evil=1")).is_err(), "unknown key");
    }
}
