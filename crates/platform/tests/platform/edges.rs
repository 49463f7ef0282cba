//! The hardened edges, route by route: callers are authenticated before a body byte is read,
//! bodies are capped per route and cut off when they trickle, calls are rate-limited per kiosk
//! and per address, the status feed refuses bad cursors; each with a stable code and nothing
//! stored. Some run through the router, the slow and early-answer cases over real loopback
//! TCP connections.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Fixture, assert_problem, uuid};
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use base64::Engine;
use ed25519_dalek::Signer;
use platform::Clock as _;
use platform::auth::canonical_string;
use platform::db::sha256_hex;
use platform::edges::{EdgeSettings, SMALL_JSON_LIMIT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A request body of `chunks` × `chunk` bytes that counts how many bytes the server pulled.
fn counting_body(chunks: usize, chunk: usize) -> (Body, Arc<AtomicUsize>) {
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&pulled);
    let stream = futures_util::stream::iter(0..chunks).map(move |_| {
        counter.fetch_add(chunk, Ordering::SeqCst);
        Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; chunk]))
    });
    (Body::from_stream(stream), pulled)
}

use futures_util::StreamExt as _;

fn nonce() -> String {
    hex::encode(platform::db::random_bytes(16).unwrap())
}

/// Headers of a signed request, as text lines for a raw HTTP/1.1 request.
fn signed_head(f: &Fixture, method: &str, path: &str, body: &[u8], length: usize) -> String {
    let at = f.clock.now_ms();
    let n = nonce();
    let text = canonical_string(method, path, at, &n, &sha256_hex(body));
    let sig = base64::engine::general_purpose::STANDARD
        .encode(f.kiosk.key.sign(text.as_bytes()).to_bytes());
    format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {length}\r\nx-kiosk-id: {}\r\nx-kiosk-timestamp: {at}\r\nx-kiosk-nonce: {n}\r\nx-kiosk-signature: {sig}\r\n\r\n",
        f.kiosk.id
    )
}

/// Serves the fixture's platform on a free loopback port.
async fn serve(f: &Fixture) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(platform::serve(
        Arc::clone(&f.platform),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    (addr, stop)
}

/// Reads an HTTP/1.1 answer's status line and JSON body (the answer is not chunked, the
/// connection may stay open: read until the declared length).
async fn read_answer(stream: &mut tokio::net::TcpStream) -> (u16, serde_json::Value, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_owned)
                })
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length || n == 0 {
                let status = head.split(' ').nth(1).unwrap().parse().unwrap();
                return (
                    status,
                    serde_json::from_str(body).unwrap_or_default(),
                    head.to_owned(),
                );
            }
        }
        assert!(n > 0, "connection closed before an answer: {buf:?}");
    }
}

#[tokio::test]
async fn unauthenticated_bodies_are_never_read() {
    let f = Fixture::new().await;
    let blob = format!("/api/v1/blobs/{}", "a".repeat(64));
    // No signature at all, an unknown kiosk, a revoked-looking forged id, a stale clock.
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (vec![], "SIGNATURE_MISSING"),
        (
            vec![
                ("x-kiosk-id", "kiosk-0000000000000000".into()),
                ("x-kiosk-timestamp", f.clock.now_ms().to_string()),
                ("x-kiosk-nonce", nonce()),
                (
                    "x-kiosk-signature",
                    base64::engine::general_purpose::STANDARD.encode([1u8; 64]),
                ),
            ],
            "KIOSK_UNKNOWN",
        ),
        (
            vec![
                ("x-kiosk-id", f.kiosk.id.clone()),
                (
                    "x-kiosk-timestamp",
                    (f.clock.now_ms() - 3_600_000).to_string(),
                ),
                ("x-kiosk-nonce", nonce()),
                (
                    "x-kiosk-signature",
                    base64::engine::general_purpose::STANDARD.encode([1u8; 64]),
                ),
            ],
            "CLOCK_SKEW",
        ),
    ];
    for (path, method) in [(blob.as_str(), "PUT"), ("/api/v1/submissions", "POST")] {
        for (headers, code) in &cases {
            let (body, pulled) = counting_body(16, 64 * 1024);
            let mut req = Request::builder().method(method).uri(path);
            for (k, v) in headers {
                req = req.header(*k, v);
            }
            let a = f.answer(req.body(body).unwrap()).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path} {code}");
            assert_problem(&a.json, code);
            assert_eq!(
                pulled.load(Ordering::SeqCst),
                0,
                "{path} {code}: no body byte read"
            );
        }
    }
    // The admin API: a wrong credential, the body is not read either.
    let (body, pulled) = counting_body(16, 64 * 1024);
    let a = f
        .answer(
            Request::post("/api/v1/admin/enrolment-codes")
                .header("authorization", "Bearer wrong")
                .body(body)
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(pulled.load(Ordering::SeqCst), 0, "admin body not read");
    assert!(
        f.platform.submissions().unwrap().is_empty(),
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unauthenticated_upload_is_refused_while_the_client_is_still_sending() {
    let f = Fixture::new().await;
    let (addr, _stop) = serve(&f).await;
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PUT /api/v1/blobs/{} HTTP/1.1\r\nhost: x\r\ncontent-length: 8000000\r\nx-kiosk-id: kiosk-ffffffffffffffff\r\nx-kiosk-timestamp: {}\r\nx-kiosk-nonce: {}\r\nx-kiosk-signature: {}\r\n\r\n",
        "b".repeat(64),
        f.clock.now_ms(),
        nonce(),
        base64::engine::general_purpose::STANDARD.encode([2u8; 64])
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp.write_all(&[b'x'; 1024]).await.unwrap();
    // 1 KiB of 8 MB sent: the answer comes now, not after the rest.
    let (status, json, _) = tokio::time::timeout(Duration::from_secs(5), read_answer(&mut tcp))
        .await
        .expect("answered before the body was sent");
    assert_eq!(status, 401);
    assert_problem(&json, "KIOSK_UNKNOWN");
}

#[tokio::test]
async fn bodies_over_the_route_cap_are_refused_and_nothing_is_stored() {
    let f = Fixture::new().await;
    // Declared too large: refused from the headers.
    let big = vec![b' '; SMALL_JSON_LIMIT + 1];
    let a = f
        .send_by(&f.kiosk, "POST", "/api/v1/checks/uscc", big)
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_problem(&a.json, "BODY_TOO_LARGE");
    // A submission over 1 MiB.
    let mut huge = serde_json::json!({"id": uuid(1), "sealedPayload": "", "attachments": []})
        .to_string()
        .into_bytes();
    huge.extend(std::iter::repeat_n(b' ', platform::JSON_LIMIT));
    let a = f
        .send_by(&f.kiosk, "POST", "/api/v1/submissions", huge)
        .await;
    assert_problem(&a.json, "BODY_TOO_LARGE");
    // A body on a GET.
    let a = f
        .send_by(&f.kiosk, "GET", "/api/v1/status", b"x".to_vec())
        .await;
    assert_problem(&a.json, "BODY_TOO_LARGE");
    // Undeclared length (a stream) above the cap: cut off at the cap.
    let text = canonical_string(
        "POST",
        "/api/v1/sms/send",
        f.clock.now_ms(),
        &"ab".repeat(8),
        &sha256_hex(b""),
    );
    let (body, pulled) = counting_body(64, 4096);
    let a = f
        .answer(
            Request::post("/api/v1/sms/send")
                .header("x-kiosk-id", &f.kiosk.id)
                .header("x-kiosk-timestamp", f.clock.now_ms().to_string())
                .header("x-kiosk-nonce", "ab".repeat(8))
                .header(
                    "x-kiosk-signature",
                    base64::engine::general_purpose::STANDARD
                        .encode(f.kiosk.key.sign(text.as_bytes()).to_bytes()),
                )
                .body(body)
                .unwrap(),
        )
        .await;
    assert_problem(&a.json, "BODY_TOO_LARGE");
    assert!(
        pulled.load(Ordering::SeqCst) <= SMALL_JSON_LIMIT + 4096,
        "reading stopped at the cap"
    );
    assert!(
        f.platform.submissions().unwrap().is_empty(),
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_body_is_cut_off_with_a_stable_code() {
    let f = Fixture::with(|p| {
        p.with_edge_settings(EdgeSettings {
            body_base_ms: 400,
            body_min_bytes_per_s: 1_000_000,
            ..EdgeSettings::default()
        })
    })
    .await;
    let (addr, _stop) = serve(&f).await;
    let body = serde_json::json!({
        "id": uuid(2),
        "sealedPayload": base64::engine::general_purpose::STANDARD
            .encode(crate::common::seal(f.platform.recipient(), b"{\"kind\":\"real-name\"}")),
        "attachments": [],
    })
    .to_string()
    .into_bytes();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = signed_head(&f, "POST", "/api/v1/submissions", &body, body.len());
    tcp.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    // One byte every 100 ms: a slowloris.
    let answer = async {
        for b in &body[..20] {
            if tcp.write_all(&[*b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        read_answer(&mut tcp).await
    };
    let (status, json, _) = tokio::time::timeout(Duration::from_secs(10), answer)
        .await
        .expect("cut off");
    assert_eq!(status, 408, "{json}");
    assert_problem(&json, "BODY_TOO_SLOW");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "bounded: {:?}",
        started.elapsed()
    );
    assert!(
        f.platform.submissions().unwrap().is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn a_kiosk_over_its_call_rate_waits_as_told() {
    let f = Fixture::with(|p| {
        p.with_edge_settings(EdgeSettings {
            kiosk_calls_per_minute: 3,
            ..EdgeSettings::default()
        })
    })
    .await;
    for _ in 0..3 {
        let (s, _) = f.send("GET", "/api/v1/status?after=0", vec![]).await;
        assert_eq!(s, StatusCode::OK);
    }
    let a = f
        .send_by(&f.kiosk, "GET", "/api/v1/status?after=0", vec![])
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_problem(&a.json, "RATE_LIMITED");
    let wait: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let other = f.enrol("大厅 2 号机", 9).await;
    assert_eq!(
        f.send_by(&other, "GET", "/api/v1/status?after=0", vec![])
            .await
            .status,
        StatusCode::OK,
        "per kiosk"
    );
    f.clock.advance(i64::try_from(wait).unwrap() * 1000);
    let (s, _) = f.send("GET", "/api/v1/status?after=0", vec![]).await;
    assert_eq!(s, StatusCode::OK, "after Retry-After");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_calls_are_limited_per_address() {
    let f = Fixture::with(|p| {
        p.with_edge_settings(EdgeSettings {
            ip_calls_per_minute: 2,
            ..EdgeSettings::default()
        })
    })
    .await;
    let (addr, _stop) = serve(&f).await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(
            b"GET /api/v1/platform-keys HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        let (status, json, head) = read_answer(&mut tcp).await;
        codes.push((
            status,
            json["code"].clone(),
            head.to_lowercase().contains("retry-after:"),
        ));
    }
    assert_eq!(codes[0].0, 200);
    assert_eq!(codes[1].0, 200);
    assert_eq!(codes[2], (429, "RATE_LIMITED".into(), true), "{codes:?}");
}

#[tokio::test]
async fn the_status_feed_refuses_bad_cursors() {
    let f = Fixture::new().await;
    for (query, code) in [
        ("after=-1", "CURSOR_INVALID"),
        ("after=abc", "CURSOR_INVALID"),
        ("after=1000000", "CURSOR_INVALID"),
        ("after=1&after=2", "QUERY_INVALID"),
        ("limit=0", "QUERY_INVALID"),
        ("limit=100000", "QUERY_INVALID"),
    ] {
        let (s, j) = f
            .send("GET", &format!("/api/v1/status?{query}"), vec![])
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}");
        assert_problem(&j, code);
    }
    let (s, j) = f.send("GET", "/api/v1/status?after=0", vec![]).await;
    assert_eq!(
        (s, j["nextCursor"].as_i64()),
        (StatusCode::OK, Some(0)),
        "the start is fine"
    );
}

#[tokio::test]
async fn metrics_count_requests_errors_and_kiosks() {
    let f = Fixture::new().await;
    let _ = f.send("GET", "/api/v1/status?after=-5", vec![]).await;
    let _ = f
        .post(
            "/api/v1/kiosks/heartbeat",
            serde_json::json!({"version": "1.0.0", "queueDepth": 0}),
        )
        .await;
    let a = f
        .answer(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let resp = platform::routes::router(Arc::clone(&f.platform))
        .oneshot_text("/metrics")
        .await;
    assert!(
        resp.contains("platform_errors_total{code=\"CURSOR_INVALID\"} 1"),
        "{resp}"
    );
    assert!(
        resp.contains("platform_http_requests_total{route=\"/api/v1/status\",status=\"400\"} 1"),
        "{resp}"
    );
    assert!(
        resp.contains(&format!(
            "platform_kiosk_last_seen_seconds{{kiosk=\"{}\"}} ",
            f.kiosk.id
        )),
        "{resp}"
    );
    assert!(
        !resp.contains(&format!("kiosk=\"{}\"}} 0\n", f.kiosk.id)),
        "seen: {resp}"
    );
}

/// `GET path` through the router, answered as text.
trait OneshotText {
    async fn oneshot_text(self, path: &str) -> String;
}

impl OneshotText for axum::Router {
    async fn oneshot_text(self, path: &str) -> String {
        use tower::ServiceExt;
        let resp = self
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }
}

/// Every kiosk and admin route with a body: refused unread without credentials, refused over
/// its cap with credentials; nothing stored.
#[tokio::test]
async fn every_route_refuses_unauthenticated_and_oversize_bodies() {
    let f = Fixture::new().await;
    let blob = format!("/api/v1/blobs/{}", "c".repeat(64));
    let kiosk_routes = [
        ("PUT", blob.as_str()),
        ("POST", "/api/v1/submissions"),
        ("POST", "/api/v1/checks/account-name"),
        ("POST", "/api/v1/checks/real-name"),
        ("POST", "/api/v1/sms/send"),
        ("POST", "/api/v1/sms/verify"),
        ("POST", "/api/v1/status/lookup"),
        ("POST", "/api/v1/status/verify-mobile"),
        ("POST", "/api/v1/status/resend-code"),
        ("POST", "/api/v1/kiosks/heartbeat"),
        ("GET", "/api/v1/status"),
        ("GET", "/api/v1/master"),
        ("GET", "/api/v1/master/units"),
        ("GET", "/api/v1/kiosks/audit-head"),
        ("HEAD", blob.as_str()),
    ];
    for (method, path) in kiosk_routes {
        let (body, pulled) = counting_body(4, 64 * 1024);
        let a = f
            .answer(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .body(body)
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(pulled.load(Ordering::SeqCst), 0, "{method} {path}: unread");
        let cap = platform::edges::body_limit(&method.parse().unwrap(), path);
        let a = f.send_by(&f.kiosk, method, path, vec![b' '; cap + 1]).await;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{method} {path}");
        if method != "HEAD" {
            assert_problem(&a.json, "BODY_TOO_LARGE");
        }
    }
    let admin_routes = [
        ("POST", "/api/v1/admin/enrolment-codes"),
        ("GET", "/api/v1/admin/submissions"),
        ("POST", "/api/v1/admin/submissions/x/review"),
        ("POST", "/api/v1/admin/admins"),
        ("GET", "/api/v1/admin/admins"),
        ("POST", "/api/v1/admin/admins/fleet/disable"),
        ("POST", "/api/v1/admin/kiosks/x/revoke"),
        ("GET", "/api/v1/admin/audit"),
    ];
    for (method, path) in admin_routes {
        let (body, pulled) = counting_body(4, 64 * 1024);
        let a = f
            .answer(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header("authorization", "Bearer tba_wrong")
                    .body(body)
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_problem(&a.json, "ADMIN_TOKEN_INVALID");
        assert_eq!(pulled.load(Ordering::SeqCst), 0, "{method} {path}: unread");
    }
    let oversize = f
        .answer(
            Request::post("/api/v1/admin/enrolment-codes")
                .header("authorization", format!("Bearer {}", f.fleet_token))
                .header("content-length", (platform::JSON_LIMIT + 1).to_string())
                .body(Body::from(vec![b' '; platform::JSON_LIMIT + 1]))
                .unwrap(),
        )
        .await;
    assert_problem(&oversize.json, "BODY_TOO_LARGE");
    let enrol = f
        .answer(
            Request::post("/api/v1/enrol")
                .header("content-length", (platform::JSON_LIMIT + 1).to_string())
                .body(Body::from(vec![b' '; platform::JSON_LIMIT + 1]))
                .unwrap(),
        )
        .await;
    assert_problem(&enrol.json, "BODY_TOO_LARGE");
    assert!(
        f.platform.submissions().unwrap().is_empty(),
        "nothing stored"
    );
    let blobs: i64 = f
        .platform
        .read()
        .unwrap()
        .query_row("SELECT COUNT(*) FROM blobs", &[], |r| r.get(0))
        .unwrap();
    assert_eq!(blobs, 0, "no blob stored");
}

/// One `GET /api/v1/platform-keys` on a new connection with `X-Forwarded-For: forwarded`:
/// the status.
async fn keys_from(addr: std::net::SocketAddr, forwarded: &str) -> u16 {
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(
        format!(
            "GET /api/v1/platform-keys HTTP/1.1\r\nhost: x\r\nx-forwarded-for: {forwarded}\r\nconnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    read_answer(&mut tcp).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    let limited = EdgeSettings {
        ip_calls_per_minute: 2,
        ..EdgeSettings::default()
    };
    // Behind a trusted proxy (the loopback here): each client has its own window.
    let f = Fixture::with(|p| {
        p.with_edge_settings(limited)
            .with_trusted_proxies(vec!["127.0.0.1".parse().unwrap()])
    })
    .await;
    let (addr, _stop) = serve(&f).await;
    let mut statuses = Vec::new();
    for client in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        statuses.push(keys_from(addr, client).await);
    }
    assert_eq!(statuses, [200, 200, 200], "three clients, one call each");
    for _ in 0..2 {
        statuses.push(keys_from(addr, "1.2.3.4, 198.51.100.1").await);
    }
    assert_eq!(
        statuses[3..],
        [200, 429],
        "the proxy's entry counts, a forged left part does not"
    );
    // Without the flag the header is ignored: the loopback peer is the client.
    let f = Fixture::with(|p| p.with_edge_settings(limited)).await;
    let (addr, _stop) = serve(&f).await;
    let mut statuses = Vec::new();
    for client in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        statuses.push(keys_from(addr, client).await);
    }
    assert_eq!(statuses, [200, 200, 429], "one address: the peer's");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_request_head_gets_its_connection_closed() {
    let f = Fixture::with(|p| {
        p.with_edge_settings(EdgeSettings {
            header_read_timeout_ms: 600,
            ..EdgeSettings::default()
        })
    })
    .await;
    let (addr, _stop) = serve(&f).await;
    // Slowloris: a header byte every 100 ms, never the blank line.
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = tcp.into_split();
    let started = std::time::Instant::now();
    let trickle = tokio::spawn(async move {
        let head = b"GET /api/v1/health HTTP/1.1\r\nhost: x\r\n";
        if write.write_all(head).await.is_err() {
            return;
        }
        for byte in b"x-slow: ".iter().cycle() {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            if write.write_all(&[*byte]).await.is_err() {
                return;
            }
        }
    });
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    let took = started.elapsed();
    trickle.abort();
    assert!(closed.is_ok(), "the connection was not closed within 10 s");
    assert!(
        took >= std::time::Duration::from_millis(500) && took < std::time::Duration::from_secs(4),
        "closed after {took:?} (head timeout 600 ms)"
    );
    // A prompt caller is served as before.
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"GET /api/v1/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_answer(&mut tcp).await.0, 200);
}
