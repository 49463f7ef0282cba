//! Structured access logs: one JSON object per request with method, route template, status,
//! latency, the kiosk id and the error code. Never the raw path, query or body (they may carry hashes or personal
//! data): only the route template as registered, e.g. `/api/v1/blobs/{sha}`.

use std::time::Instant;

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::Platform;
use crate::auth::HEADER_KIOSK_ID;
use crate::metrics::ErrorCode;

/// Target of the access log lines (filter with `RUST_LOG=platformd::access=info`).
pub const TARGET: &str = "platformd::access";

/// A kiosk id fit for a log line: at most 64 characters of `[0-9A-Za-z-]`, else `-`.
pub fn loggable_kiosk_id(value: Option<&str>) -> &str {
    match value {
        Some(v)
            if !v.is_empty()
                && v.len() <= 64
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            v
        }
        _ => "-",
    }
}

/// Middleware: logs one line when the response is ready (a JSON object: method, route
/// template, status, latency, kiosk id, error code) and counts the request in the metrics.
pub async fn log_request(
    State(platform): State<Arc<Platform>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |m| m.as_str().to_owned());
    let kiosk = loggable_kiosk_id(
        request
            .headers()
            .get(HEADER_KIOSK_ID)
            .and_then(|v| v.to_str().ok()),
    )
    .to_owned();
    let declared_bytes = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let code = response.extensions().get::<ErrorCode>().map(|c| c.0);
    platform
        .metrics()
        .observe(&route, status, seconds, declared_bytes, code);
    let line = serde_json::json!({
        "method": method.as_str(),
        "route": route,
        "status": status,
        "latencyMs": (seconds * 10_000.0).round() / 10.0,
        "kiosk": kiosk,
        "code": code,
    });
    log::info!(target: TARGET, "{line}");
    response
}

/// One log record as a JSON object line: `ts` (UTC), `level`, `target`, then the fields of a
/// message that is itself a JSON object (the access log), else the text as `msg`.
pub fn json_log_line(now_ms: i64, level: &str, target: &str, message: &str) -> String {
    let mut line = serde_json::Map::new();
    line.insert(
        "ts".into(),
        china_clock::china::utc_log_stamp(now_ms).into(),
    );
    line.insert("level".into(), level.into());
    line.insert("target".into(), target.into());
    match serde_json::from_str::<serde_json::Value>(message) {
        Ok(serde_json::Value::Object(fields)) => line.extend(fields),
        _ => {
            line.insert("msg".into(), message.into());
        }
    }
    serde_json::Value::Object(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_are_one_json_object_each() {
        let access = json_log_line(
            0,
            "INFO",
            TARGET,
            r#"{"route":"/api/v1/status","status":200}"#,
        );
        let v: serde_json::Value = serde_json::from_str(&access).unwrap();
        assert_eq!(v["ts"], "1970-01-01T00:00:00.000Z");
        assert_eq!(
            (v["route"].as_str(), v["status"].as_u64()),
            (Some("/api/v1/status"), Some(200))
        );
        let plain = json_log_line(0, "WARN", "platform::x", "line one\nline \"two\"");
        assert!(!plain.contains('\n'), "one line: {plain}");
        let v: serde_json::Value = serde_json::from_str(&plain).unwrap();
        assert_eq!(v["msg"], "line one\nline \"two\"");
    }

    #[test]
    fn only_plain_kiosk_ids_reach_the_log() {
        assert_eq!(loggable_kiosk_id(Some("k-01ab")), "k-01ab", "a plain id");
        assert_eq!(
            loggable_kiosk_id(Some("a b\nforged=1")),
            "-",
            "no injection"
        );
        assert_eq!(loggable_kiosk_id(Some(&"x".repeat(65))), "-", "too long");
        assert_eq!(loggable_kiosk_id(None), "-", "absent");
    }
}
