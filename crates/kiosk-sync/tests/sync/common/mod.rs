//! Test harness: an in-process platformd on 127.0.0.1:0, an enrolled kiosk client, sealed
//! test submissions, and a fault-injecting TCP proxy.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kiosk_sync::{
    AttachmentRef, Credential, Outgoing, OutgoingAttachment, PlatformClient, Timeouts,
};
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub mod drain;
pub mod mitm;

/// A running platformd on loopback.
pub use kiosk_testkit::platformd::Loopback as Server;

/// Enrols a kiosk with `server` and points its credential at `via` (the server itself or a
/// proxy in front of it).
pub async fn enrol(server: &Server, via: &str) -> Credential {
    let code = server.enrolment_code("test kiosk");
    let mut credential = kiosk_sync::enrol(&server.url(), &code, Timeouts::default())
        .await
        .unwrap();
    credential.platform_url = via.to_owned();
    credential
}

pub fn client(credential: Credential) -> PlatformClient {
    PlatformClient::new(
        credential,
        Timeouts {
            connect: Duration::from_secs(2),
            request: Duration::from_secs(5),
        },
    )
    .unwrap()
}

pub fn seal(recipient: &str, plain: &[u8]) -> Vec<u8> {
    let r = age::x25519::Recipient::from_str(recipient).unwrap();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).unwrap();
    w.write_all(plain).unwrap();
    w.finish().unwrap();
    out
}

/// Deterministic pseudo-random bytes.
pub use kiosk_testkit::noise::bytes;

pub fn uuid(n: u64) -> String {
    let h = format!("{n:032x}");
    format!(
        "{}-{}-7{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// A sealed submission with `attachments` attachments of `size` bytes; returns the plaintexts too.
pub fn item(recipient: &str, n: u64, attachments: usize, size: usize) -> (Outgoing, Vec<Vec<u8>>) {
    let payload = serde_json::json!({ "kind": "natural-person", "profile": "most", "account": { "accountName": format!("user{n}") }, "seq": n });
    let mut plains = Vec::new();
    let mut atts = Vec::new();
    for a in 0..attachments {
        let plain = bytes(n * 10 + a as u64 + 1, size + (n as usize % 7) * 13);
        let sha = hex::encode(sha2::Sha256::digest(&plain));
        atts.push(OutgoingAttachment {
            reference: AttachmentRef {
                slot: format!("slot{a}"),
                sha256: sha,
                size: plain.len() as u64,
                media_type: "image/jpeg".into(),
            },
            sealed: seal(recipient, &plain),
        });
        plains.push(plain);
    }
    (
        Outgoing {
            id: uuid(n),
            sealed_payload: seal(recipient, payload.to_string().as_bytes()),
            attachments: atts,
            attempts: 0,
        },
        plains,
    )
}

/// Fault statistics of a proxy.
#[derive(Debug, Default)]
pub struct FaultStats {
    pub connections: AtomicU64,
    pub dropped: AtomicU64,
    pub errors: AtomicU64,
    pub delayed: AtomicU64,
    pub cut: AtomicU64,
}

struct Rng(AtomicU64);

impl Rng {
    fn next(&self, below: u64) -> u64 {
        let mut x = self.0.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (x ^ (x >> 31)) % below.max(1)
    }
}

/// Copies `from` to `to` until EOF or `budget` bytes, then shuts the writer down.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    budget: u64,
) -> bool {
    let mut left = budget;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return false;
            }
            Ok(n) => n,
        };
        let take = (n as u64).min(left) as usize;
        if to.write_all(&buf[..take]).await.is_err() {
            return false;
        }
        left -= take as u64;
        if left == 0 {
            return true;
        }
    }
}

/// A TCP proxy in front of `upstream` that drops connections, answers 500/503 itself, delays,
/// and cuts connections after a random number of bytes in either direction (truncating
/// requests and responses).
pub async fn fault_proxy(
    upstream: SocketAddr,
    seed: u64,
) -> (SocketAddr, Arc<FaultStats>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stats = Arc::new(FaultStats::default());
    let rng = Arc::new(Rng(AtomicU64::new(seed)));
    let st = Arc::clone(&stats);
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let stats = Arc::clone(&st);
            let rng = Arc::clone(&rng);
            tokio::spawn(async move {
                stats.connections.fetch_add(1, Ordering::Relaxed);
                let roll = rng.next(100);
                if roll < 8 {
                    stats.dropped.fetch_add(1, Ordering::Relaxed);
                    return; // dropping `inbound` resets the connection
                }
                if roll < 18 {
                    stats.errors.fetch_add(1, Ordering::Relaxed);
                    let mut buf = [0u8; 1024];
                    let _ = inbound.read(&mut buf).await;
                    let status = if roll < 14 {
                        "503 Service Unavailable"
                    } else {
                        "500 Internal Server Error"
                    };
                    let _ = inbound
                        .write_all(format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes())
                        .await;
                    return;
                }
                if roll < 28 {
                    stats.delayed.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(10 + rng.next(70))).await;
                }
                let Ok(outbound) = TcpStream::connect(upstream).await else {
                    return;
                };
                let up_budget = 1024 + rng.next(1024 * 1024);
                let down_budget = 100 + rng.next(16 * 1024);
                let (ir, iw) = inbound.into_split();
                let (or, ow) = outbound.into_split();
                let mut up = tokio::spawn(pump(ir, ow, up_budget));
                let mut down = tokio::spawn(pump(or, iw, down_budget));
                // When either direction hits its budget, cut both; on a clean EOF let the other finish.
                let (cut, up_done) = tokio::select! {
                    r = &mut up => (matches!(r, Ok(true)), true),
                    r = &mut down => (matches!(r, Ok(true)), false),
                };
                if cut {
                    stats.cut.fetch_add(1, Ordering::Relaxed);
                } else {
                    // A clean EOF on one side: let the other direction finish (bounded).
                    let rest = if up_done { &mut down } else { &mut up };
                    let _ = tokio::time::timeout(Duration::from_secs(10), rest).await;
                }
                up.abort();
                down.abort();
            });
        }
    });
    (addr, stats, task)
}
