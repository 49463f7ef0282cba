//! The error every endpoint answers with: an HTTP status and a JSON body `{code, zh, en}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A refused or failed request, rendered as `{code, zh, en}` with its HTTP status (plus
/// `attemptsLeft` after a wrong SMS code, and `retryAfter` with a `Retry-After` header when
/// the caller must wait).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {en}")]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable UPPER_SNAKE code.
    pub code: &'static str,
    /// Chinese message saying what to do next.
    pub zh: String,
    /// English message saying what to do next.
    pub en: String,
    /// Seconds to wait before asking again (sent as `Retry-After` and `retryAfter`).
    pub retry_after: Option<u64>,
    /// Tries left on an SMS code (`SMS_CODE_WRONG`).
    pub attempts_left: Option<i64>,
}

/// The JSON body of every error response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    code: &'a str,
    zh: &'a str,
    en: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts_left: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with any status.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            zh: zh.into(),
            en: en.into(),
            retry_after: None,
            attempts_left: None,
        }
    }

    /// 429: asked too often; wait `seconds` (at least 1).
    pub fn too_many(
        code: &'static str,
        seconds: u64,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            retry_after: Some(seconds.max(1)),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, code, zh, en)
        }
    }

    /// The same error, saying how many tries are left.
    pub fn with_attempts_left(mut self, left: i64) -> Self {
        self.attempts_left = Some(left);
        self
    }

    /// 400: the request is malformed.
    pub fn bad_request(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, zh, en)
    }

    /// 401: the request is not (validly) signed by an enrolled kiosk.
    pub fn unauthorized(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, zh, en)
    }

    /// 404: nothing here.
    pub fn not_found(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, zh, en)
    }

    /// 409: conflicts with what the platform already holds.
    pub fn conflict(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, zh, en)
    }

    /// 422: well-formed but refused on its content.
    pub fn unprocessable(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
    }

    /// 500: the platform itself failed (never used for malformed input).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "PLATFORM_INTERNAL",
            "平台内部错误，请稍后重试。",
            "The platform failed internally. Retry later.",
        )
    }

    /// 400 for a body that is not the expected JSON.
    pub fn bad_json(detail: &str) -> Self {
        Self::bad_request(
            "BAD_JSON",
            format!("请求内容不是有效的 JSON：{detail}"),
            format!("The request body is not the expected JSON: {detail}"),
        )
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        log::error!("database error: {e}");
        Self::internal()
    }
}

impl From<crate::storage::StoreError> for ApiError {
    fn from(e: crate::storage::StoreError) -> Self {
        use crate::storage::StoreError;
        log::error!("storage error: {e}");
        match e {
            StoreError::Postgres(_) | StoreError::Objects(_) => Self::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "STORAGE_UNAVAILABLE",
                "平台存储暂时不可用，请稍后重试（已排队的申请不会丢失）。",
                "The platform's storage is unavailable for now; try again later (queued applications are kept).",
            ),
            _ => Self::internal(),
        }
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        log::error!("file error: {e}");
        Self::internal()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            zh: &self.zh,
            en: &self.en,
            attempts_left: self.attempts_left,
            retry_after: self.retry_after,
        };
        let mut response = (self.status, Json(body)).into_response();
        response
            .extensions_mut()
            .insert(crate::metrics::ErrorCode(self.code));
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

/// Parses a JSON request body, answering 400 `BAD_JSON` when it does not fit `T`.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_json(&e.to_string()))
}
