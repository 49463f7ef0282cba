//! Structured access logs: one line per request with method, route template, status, latency
//! and the kiosk id. Never the raw path, query or body (they may carry hashes or personal
//! data): only the route template as registered, e.g. `/api/v1/blobs/{sha}`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::HEADER_KIOSK_ID;

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

/// Middleware: logs one line when the response is ready.
pub async fn log_request(request: Request, next: Next) -> Response {
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
    let response = next.run(request).await;
    log::info!(
        target: TARGET,
        "method={method} route={route} status={} latency_ms={:.1} kiosk={kiosk}",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

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
