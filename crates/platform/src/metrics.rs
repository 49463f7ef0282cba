//! `GET /metrics`: the operator's figures in the Prometheus text format (version 0.0.4).
//!
//! Two sources:
//! - this process's counters (requests, latencies, request bytes, errors by code, refused
//!   calls): each replica counts its own share, and Prometheus scrapes every replica (sum them
//!   with `sum without (instance)`);
//! - the shared store (submissions by state, stored blobs and their bytes, each kiosk's last
//!   heartbeat): the same on every replica.
//!
//! Labels carry route templates, error codes, states and kiosk ids only: never a path, a
//! query or personal data.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// Upper bounds of the latency histogram buckets, seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The error code an [`crate::ApiError`] response carries (a response extension), so that the
/// access log and the metrics can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode(pub &'static str);

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Counters {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    request_bytes: BTreeMap<String, u64>,
    errors: BTreeMap<&'static str, u64>,
    rate_limited: BTreeMap<&'static str, u64>,
}

/// This process's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    counters: Mutex<Counters>,
}

/// Figures read from the shared store for one scrape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreFigures {
    /// Submissions per state.
    pub submissions: Vec<(String, i64)>,
    /// Complete blobs held.
    pub blobs: i64,
    /// Their sealed bytes.
    pub blob_bytes: i64,
    /// Each enrolled kiosk's last heartbeat, Unix ms (`None`: never).
    pub kiosks_last_seen: Vec<(String, Option<i64>)>,
    /// Enrolled kiosks that are revoked.
    pub kiosks_revoked: i64,
}

/// A label value with `\`, `"` and newlines escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Counters) -> T) -> Option<T> {
        self.counters.lock().ok().map(|mut c| f(&mut c))
    }

    /// Counts one answered request.
    pub fn observe(
        &self,
        route: &str,
        status: u16,
        seconds: f64,
        request_bytes: u64,
        code: Option<&'static str>,
    ) {
        self.with(|c| {
            *c.requests.entry((route.to_owned(), status)).or_default() += 1;
            let h = c.latency.entry(route.to_owned()).or_default();
            h.count += 1;
            h.sum += seconds;
            for (slot, bound) in h.buckets.iter_mut().zip(BUCKETS) {
                if seconds <= bound {
                    *slot += 1;
                }
            }
            *c.request_bytes.entry(route.to_owned()).or_default() += request_bytes;
            if let Some(code) = code {
                *c.errors.entry(code).or_default() += 1;
            }
        });
    }

    /// Counts a call refused by the rate limit of `scope`.
    pub fn count_rate_limited(&self, scope: &'static str) {
        self.with(|c| *c.rate_limited.entry(scope).or_default() += 1);
    }

    /// The exposition text: this process's counters and the store's figures.
    pub fn render(&self, store: &StoreFigures) -> String {
        let mut out = String::new();
        let _ = self.with(|c| render_counters(&mut out, c));
        render_store(&mut out, store);
        out
    }
}

fn render_counters(out: &mut String, c: &Counters) {
    out.push_str("# HELP platform_http_requests_total Requests answered, by route template and status.\n# TYPE platform_http_requests_total counter\n");
    for ((route, status), n) in &c.requests {
        let _ = writeln!(
            out,
            "platform_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
            label(route)
        );
    }
    out.push_str("# HELP platform_http_request_duration_seconds Time to answer, by route template.\n# TYPE platform_http_request_duration_seconds histogram\n");
    for (route, h) in &c.latency {
        let route = label(route);
        for (bound, n) in BUCKETS.iter().zip(h.buckets) {
            let _ = writeln!(
                out,
                "platform_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "platform_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(
            out,
            "platform_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
            h.sum
        );
        let _ = writeln!(
            out,
            "platform_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
            h.count
        );
    }
    out.push_str("# HELP platform_http_request_bytes_total Declared request body bytes, by route template.\n# TYPE platform_http_request_bytes_total counter\n");
    for (route, n) in &c.request_bytes {
        let _ = writeln!(
            out,
            "platform_http_request_bytes_total{{route=\"{}\"}} {n}",
            label(route)
        );
    }
    out.push_str("# HELP platform_errors_total Error answers, by stable error code.\n# TYPE platform_errors_total counter\n");
    for (code, n) in &c.errors {
        let _ = writeln!(out, "platform_errors_total{{code=\"{code}\"}} {n}");
    }
    out.push_str("# HELP platform_rate_limited_total Calls refused by a rate limit, by limit.\n# TYPE platform_rate_limited_total counter\n");
    for (scope, n) in &c.rate_limited {
        let _ = writeln!(out, "platform_rate_limited_total{{limit=\"{scope}\"}} {n}");
    }
}

fn render_store(out: &mut String, s: &StoreFigures) {
    out.push_str("# HELP platform_submissions Submissions held, by state.\n# TYPE platform_submissions gauge\n");
    for (state, n) in &s.submissions {
        let _ = writeln!(
            out,
            "platform_submissions{{state=\"{}\"}} {n}",
            label(state)
        );
    }
    let _ = writeln!(
        out,
        "# HELP platform_blobs Complete attachment blobs held.\n# TYPE platform_blobs gauge\nplatform_blobs {}",
        s.blobs
    );
    let _ = writeln!(
        out,
        "# HELP platform_blob_bytes Sealed bytes of the blobs held.\n# TYPE platform_blob_bytes gauge\nplatform_blob_bytes {}",
        s.blob_bytes
    );
    let _ = writeln!(
        out,
        "# HELP platform_kiosks_revoked Revoked kiosks.\n# TYPE platform_kiosks_revoked gauge\nplatform_kiosks_revoked {}",
        s.kiosks_revoked
    );
    out.push_str("# HELP platform_kiosk_last_seen_seconds Each kiosk's latest heartbeat, Unix seconds (0: never).\n# TYPE platform_kiosk_last_seen_seconds gauge\n");
    for (kiosk, at) in &s.kiosks_last_seen {
        let secs = at.map_or(0.0, |ms| ms as f64 / 1000.0);
        let _ = writeln!(
            out,
            "platform_kiosk_last_seen_seconds{{kiosk=\"{}\"}} {secs}",
            label(kiosk)
        );
    }
}

impl crate::Platform {
    /// The store's figures for `/metrics`.
    pub fn store_figures(&self) -> Result<StoreFigures, crate::ApiError> {
        let mut db = self.read()?;
        let submissions = db.query_map(
            "SELECT state, COUNT(*) FROM submissions GROUP BY state ORDER BY state",
            crate::sql_params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        // SUM is NUMERIC on PostgreSQL: cast back to a 64-bit integer.
        let (blobs, blob_bytes) = db.query_row(
            "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM blobs",
            crate::sql_params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let kiosks_last_seen = db.query_map(
            "SELECT k.id, h.received_at FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk_id = k.id
             WHERE k.revoked_at IS NULL ORDER BY k.id",
            crate::sql_params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let kiosks_revoked = db.query_row(
            "SELECT COUNT(*) FROM kiosks WHERE revoked_at IS NOT NULL",
            crate::sql_params![],
            |r| r.get(0),
        )?;
        Ok(StoreFigures {
            submissions,
            blobs,
            blob_bytes,
            kiosks_last_seen,
            kiosks_revoked,
        })
    }

    /// The `/metrics` text.
    pub fn metrics_text(&self) -> Result<String, crate::ApiError> {
        Ok(self.metrics().render(&self.store_figures()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_format_has_help_type_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("/api/v1/status", 200, 0.02, 0, None);
        m.observe("/api/v1/status", 401, 0.3, 10, Some("SIGNATURE_INVALID"));
        let text = m.render(&StoreFigures {
            submissions: vec![("accepted".into(), 2)],
            kiosks_last_seen: vec![("kiosk-\"x\"".into(), Some(1_500))],
            ..StoreFigures::default()
        });
        assert!(
            text.contains(
                "platform_http_requests_total{route=\"/api/v1/status\",status=\"401\"} 1"
            )
        );
        assert!(text.contains(
            "platform_http_request_duration_seconds_bucket{route=\"/api/v1/status\",le=\"0.025\"} 1"
        ));
        assert!(text.contains(
            "platform_http_request_duration_seconds_bucket{route=\"/api/v1/status\",le=\"+Inf\"} 2"
        ));
        assert!(text.contains("platform_errors_total{code=\"SIGNATURE_INVALID\"} 1"));
        assert!(text.contains("platform_submissions{state=\"accepted\"} 2"));
        assert!(text.contains("platform_kiosk_last_seen_seconds{kiosk=\"kiosk-\\\"x\\\"\"} 1.5"));
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            assert_eq!(line.rsplit(' ').count(), 2, "name{{labels}} value: {line}");
        }
    }
}
