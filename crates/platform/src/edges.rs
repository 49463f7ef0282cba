//! The hardened edges of the HTTP surface: what a caller may send before it is trusted.
//!
//! - every route has a body cap ([`body_limit`]): nothing on `GET`/`HEAD`, small JSON for the
//!   checks, SMS, status and heartbeat calls, [`crate::JSON_LIMIT`] for submissions and admin
//!   calls, [`crate::BLOB_CHUNK_LIMIT`] per blob chunk (a blob is uploaded in chunks, never
//!   whole);
//! - a body must arrive before a deadline ([`EdgeSettings::body_deadline`]): a base time plus
//!   the time its size takes at a minimum rate, so a client that trickles bytes
//!   (slowloris) is cut off with `408 BODY_TOO_SLOW`;
//! - callers are counted per kiosk (signed calls) and per IP address (unsigned calls and
//!   failed signatures) in fixed one-minute windows in the database's `edge_counters` table,
//!   so replicas sharing a database count together; above the limit they get
//!   `429 RATE_LIMITED` with `Retry-After` (the seconds until the next window).
//!
//! The caller is authenticated (kiosk headers, key, clock, revocation; admin credential)
//! before any of these reads a body byte: see [`crate::auth`].

use std::net::IpAddr;
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{HeaderMap, Method, StatusCode};

use crate::rate_limit::Limit;
use crate::storage::Tx;
use crate::{ApiError, BLOB_CHUNK_LIMIT, JSON_LIMIT, Platform};

/// Largest body of the small kiosk calls (checks, SMS, status, heartbeat), bytes.
pub const SMALL_JSON_LIMIT: usize = 64 * 1024;

/// Limits at the edge; change with [`Platform::with_edge_settings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeSettings {
    /// Time any body gets, ms, before its size is counted.
    pub body_base_ms: u64,
    /// The slowest accepted upload rate, bytes per second (added time: size / rate).
    pub body_min_bytes_per_s: u64,
    /// Signed calls per kiosk per minute.
    pub kiosk_calls_per_minute: i64,
    /// Unsigned calls (and refused signatures) per IP address per minute.
    pub ip_calls_per_minute: i64,
    /// Time a request head (request line and headers) gets to arrive, ms; a connection that
    /// is slower is closed ([`crate::serving`]).
    pub header_read_timeout_ms: u64,
}

impl Default for EdgeSettings {
    fn default() -> Self {
        Self {
            body_base_ms: 15_000,
            body_min_bytes_per_s: 32 * 1024,
            kiosk_calls_per_minute: 1_200,
            ip_calls_per_minute: 300,
            header_read_timeout_ms: 10_000,
        }
    }
}

impl EdgeSettings {
    /// The time a request head gets (at least 100 ms).
    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_millis(self.header_read_timeout_ms.max(100))
    }

    /// How long a body of at most `size` bytes may take to arrive.
    pub fn body_deadline(&self, size: usize) -> Duration {
        let rate = self.body_min_bytes_per_s.max(1);
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        Duration::from_millis(
            self.body_base_ms
                .saturating_add(size.saturating_mul(1000) / rate),
        )
    }

    /// The per-kiosk call limit.
    pub fn kiosk_limit(&self) -> Limit {
        Limit {
            scope: "edge-kiosk",
            max: self.kiosk_calls_per_minute.max(1),
            window_ms: 60_000,
        }
    }

    /// The per-IP limit of unsigned calls.
    pub fn ip_limit(&self) -> Limit {
        Limit {
            scope: "edge-ip",
            max: self.ip_calls_per_minute.max(1),
            window_ms: 60_000,
        }
    }
}

/// The largest body `method` on `path` accepts, bytes.
pub fn body_limit(method: &Method, path: &str) -> usize {
    if *method == Method::GET || *method == Method::HEAD {
        return 0;
    }
    if path.starts_with("/api/v1/blobs/") {
        BLOB_CHUNK_LIMIT
    } else if path == "/api/v1/submissions" || path.starts_with("/api/v1/admin/") {
        JSON_LIMIT
    } else {
        SMALL_JSON_LIMIT
    }
}

/// `413 BODY_TOO_LARGE`.
pub fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
        format!("请求内容超过本接口 {limit} 字节的上限。大文件请分段上传。"),
        format!(
            "The request body exceeds this endpoint's limit of {limit} bytes. Upload large files in chunks."
        ),
    )
}

/// `408 BODY_TOO_SLOW`.
pub fn too_slow() -> ApiError {
    ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        "BODY_TOO_SLOW",
        "请求内容传输过慢，已中断。请检查网络后重试。",
        "The request body arrived too slowly and was cut off. Check the network and retry.",
    )
}

/// `429 RATE_LIMITED` with the wait.
pub fn rate_limited(seconds: u64) -> ApiError {
    ApiError::too_many(
        "RATE_LIMITED",
        seconds,
        format!("请求过于频繁，请 {seconds} 秒后再试。"),
        format!("Too many requests. Retry in {seconds} seconds."),
    )
}

/// The body length the caller declared, if any.
fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

/// Reads a body of at most `limit` bytes before its deadline: `413 BODY_TOO_LARGE` above the
/// limit (at once when the declared length says so), `408 BODY_TOO_SLOW` after the deadline,
/// `400 BODY_UNREADABLE` when the connection breaks.
pub async fn read_bounded(
    settings: &EdgeSettings,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let declared = declared_length(headers);
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let deadline = settings.body_deadline(declared.unwrap_or(limit));
    match tokio::time::timeout(deadline, to_bytes(body, limit)).await {
        Err(_) => Err(too_slow()),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            if format!("{e:?}").contains("LengthLimit") {
                Err(too_large(limit))
            } else {
                Err(ApiError::bad_request(
                    "BODY_UNREADABLE",
                    "请求内容不完整或无法读取。请重试。",
                    "The request body was incomplete or unreadable. Retry.",
                ))
            }
        }
    }
}

/// Counts one call of `key` in the current fixed window of `limit` (table `edge_counters`,
/// one upsert): `Ok` while the count is within the limit, else the seconds until the next
/// window. Windows older than the previous one are pruned now and then.
pub fn count_in_window(
    db: &mut dyn Tx,
    limit: Limit,
    key: &str,
    now: i64,
) -> crate::storage::Result<Result<(), u64>> {
    let window = limit.window_ms.max(1);
    let start = now - now.rem_euclid(window);
    let count: i64 = db.query_row(
        "INSERT INTO edge_counters (scope, key, window_start, count) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (scope, key, window_start) DO UPDATE SET count = edge_counters.count + 1
         RETURNING count",
        crate::sql_params![limit.scope, key, start],
        |r| r.get(0),
    )?;
    if count == 1 && now % 16 == 0 {
        db.execute(
            "DELETE FROM edge_counters WHERE window_start < ?1",
            crate::sql_params![start - window],
        )?;
    }
    if count <= limit.max {
        return Ok(Ok(()));
    }
    let wait_ms = start + window - now;
    Ok(Err(u64::try_from((wait_ms + 999) / 1000)
        .unwrap_or(1)
        .max(1)))
}

impl Platform {
    /// Counts a call against `limit` for `key`, answering `429 RATE_LIMITED` when used up.
    pub fn count_call(&self, limit: Limit, key: &str) -> Result<(), ApiError> {
        let now = self.now_ms();
        // One upsert in the shared store (every replica counts in the same row); it needs no
        // order with other writes.
        let mut db = self.write_atomic()?;
        let counted = count_in_window(&mut *db, limit, key, now)?;
        db.commit()?;
        if let Err(seconds) = counted {
            self.metrics().count_rate_limited(limit.scope);
            return Err(rate_limited(seconds));
        }
        Ok(())
    }

    /// Counts an unsigned call from `ip` (no address known: not counted).
    pub fn count_ip_call(&self, ip: Option<IpAddr>) -> Result<(), ApiError> {
        match ip {
            Some(ip) => self.count_call(self.edge_settings().ip_limit(), &ip.to_string()),
            None => Ok(()),
        }
    }
}

/// The address of the connection's other end, when the server recorded it.
pub fn peer_ip(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_canonical())
}

/// The client's address for the per-address limits: the peer, unless the peer is one of the
/// `trusted` proxies (`--trusted-proxy`); then the `X-Forwarded-For` entries are read from
/// the right (each proxy appends the address it saw) and the first one that is not a trusted
/// proxy is the client. An entry that is not an address stops the walk at the hop before it
/// (a client can write anything to the left of what the trusted proxies appended).
pub fn client_ip(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer.map(|p| p.to_canonical())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let entries: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Ok(hop) = entry.parse::<IpAddr>().map(|ip| ip.to_canonical()) else {
            break;
        };
        client = hop;
        if !trusted.contains(&hop) {
            break;
        }
    }
    Some(client)
}

impl Platform {
    /// The client's address of a request (see [`client_ip`]; trusted proxies:
    /// [`Platform::with_trusted_proxies`]).
    pub fn client_ip(
        &self,
        extensions: &axum::http::Extensions,
        headers: &axum::http::HeaderMap,
    ) -> Option<IpAddr> {
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        client_ip(peer_ip(extensions), &forwarded, self.trusted_proxies())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_has_its_cap() {
        assert_eq!(body_limit(&Method::GET, "/api/v1/status"), 0);
        assert_eq!(body_limit(&Method::HEAD, "/api/v1/blobs/ab"), 0);
        assert_eq!(
            body_limit(&Method::PUT, "/api/v1/blobs/ab"),
            BLOB_CHUNK_LIMIT
        );
        assert_eq!(body_limit(&Method::POST, "/api/v1/submissions"), JSON_LIMIT);
        assert_eq!(
            body_limit(&Method::POST, "/api/v1/checks/uscc"),
            SMALL_JSON_LIMIT
        );
    }

    #[test]
    fn a_window_counts_then_opens_again() {
        let store = crate::storage::sqlite::SqliteStorage::in_memory(b"k").unwrap();
        let mut tx = crate::storage::Storage::begin(&store, crate::storage::Mode::Atomic).unwrap();
        let db = &mut *tx;
        let limit = Limit {
            scope: "t",
            max: 2,
            window_ms: 60_000,
        };
        let at = 120_000 + 15_000;
        assert_eq!(count_in_window(db, limit, "a", at).unwrap(), Ok(()));
        assert_eq!(count_in_window(db, limit, "a", at + 1).unwrap(), Ok(()));
        assert_eq!(
            count_in_window(db, limit, "a", at + 2).unwrap(),
            Err(45),
            "until the window ends at 180 s"
        );
        assert_eq!(
            count_in_window(db, limit, "b", at).unwrap(),
            Ok(()),
            "per key"
        );
        assert_eq!(count_in_window(db, limit, "a", 180_000).unwrap(), Ok(()));
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let lb = ip("10.0.0.2");
        let trusted = [lb, ip("10.0.0.3")];
        assert_eq!(
            client_ip(Some(ip("203.0.113.7")), &["198.51.100.1"], &trusted),
            Some(ip("203.0.113.7")),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_ip(Some(lb), &["198.51.100.1"], &trusted),
            Some(ip("198.51.100.1"))
        );
        assert_eq!(
            client_ip(Some(lb), &["1.2.3.4, 198.51.100.1", "10.0.0.3"], &trusted),
            Some(ip("198.51.100.1")),
            "the rightmost address no trusted proxy owns; a forged left part is ignored"
        );
        assert_eq!(
            client_ip(Some(lb), &["junk, 198.51.100.1"], &trusted),
            Some(ip("198.51.100.1"))
        );
        assert_eq!(
            client_ip(Some(lb), &["198.51.100.1, junk"], &trusted),
            Some(lb),
            "an unreadable hop stops the walk at the proxy"
        );
        assert_eq!(client_ip(Some(lb), &[], &trusted), Some(lb), "no header");
        assert_eq!(
            client_ip(Some(ip("::ffff:10.0.0.2")), &["198.51.100.1"], &trusted),
            Some(ip("198.51.100.1")),
            "an IPv4-mapped peer is the same proxy"
        );
        assert_eq!(client_ip(None, &["198.51.100.1"], &trusted), None);
    }

    #[test]
    fn the_deadline_grows_with_the_size() {
        let s = EdgeSettings {
            body_base_ms: 1_000,
            body_min_bytes_per_s: 1_000,
            ..EdgeSettings::default()
        };
        assert_eq!(s.body_deadline(0), Duration::from_secs(1));
        assert_eq!(s.body_deadline(5_000), Duration::from_secs(6));
        assert_eq!(
            EdgeSettings::default().body_deadline(BLOB_CHUNK_LIMIT),
            Duration::from_secs(15 + 256),
            "an 8 MiB chunk at 32 KiB/s"
        );
    }
}
