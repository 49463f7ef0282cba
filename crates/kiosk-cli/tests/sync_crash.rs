//! A kiosk killed with SIGKILL in the middle of `kioskctl sync --once` (behind a slow link),
//! then restarted: the platform holds each submission exactly once with byte-identical
//! attachments, and every kiosk record is final.
//!
//! Sizes: 12 applications × 3 attachments of 96 KiB, through a proxy throttled to ~1.5 MB/s
//! until the restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use kiosk_api::{Kiosk, clock};
use kiosk_core::lifecycle::LifecycleState;
use kiosk_store::queue::{NewApplication, NewAttachment};
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const APPLICATIONS: u64 = 12;
const ATTACHMENT_SIZE: usize = 96 * 1024;

/// Deterministic pseudo-random bytes.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x & 0xff) as u8
        })
        .collect()
}

fn kioskctl(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kioskctl"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Bytes per 16 KiB slice while throttled: ~1.5 MB/s.
const SLICE: usize = 16 * 1024;
const SLICE_PAUSE: Duration = Duration::from_millis(10);

/// A TCP proxy that forwards kiosk → platform slowly while `slow` is set.
async fn slow_proxy(upstream: std::net::SocketAddr, slow: Arc<AtomicBool>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let slow = Arc::clone(&slow);
            tokio::spawn(async move {
                let Ok(outbound) = TcpStream::connect(upstream).await else {
                    return;
                };
                let (mut ir, mut iw) = inbound.into_split();
                let (mut or, mut ow) = outbound.into_split();
                let up = async move {
                    let mut buf = vec![0u8; SLICE];
                    while let Ok(n) = ir.read(&mut buf).await {
                        if n == 0 || ow.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                        if slow.load(Ordering::Relaxed) {
                            tokio::time::sleep(SLICE_PAUSE).await;
                        }
                    }
                    let _ = ow.shutdown().await;
                };
                let down = async move {
                    let _ = tokio::io::copy(&mut or, &mut iw).await;
                    let _ = iw.shutdown().await;
                };
                tokio::join!(up, down);
            });
        }
    });
    addr
}

/// Waits for `child` to exit, up to `limit`; kills it (SIGKILL) if it does not.
async fn wait_until(mut child: Child, limit: Duration) -> Output {
    let until = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_killed_mid_sync_resumes_without_duplicates_or_loss() {
    let started = Instant::now();
    let platform_dir = tempfile::tempdir().unwrap();
    let platform = Arc::new(
        platform::Platform::open(
            &platform::PlatformConfig {
                data_dir: platform_dir.path().to_path_buf(),
            },
            Arc::new(platform::SystemClock::default()),
        )
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(platform::serve(
        Arc::clone(&platform),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    let slow = Arc::new(AtomicBool::new(true));
    let proxy = slow_proxy(upstream, Arc::clone(&slow)).await;

    // Queue the applications with the real store, then close it for kioskctl.
    let kiosk_dir = tempfile::tempdir().unwrap();
    let data = kiosk_dir.path().join("data");
    let mut plaintexts: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    {
        let kiosk = Kiosk::open(&data).unwrap();
        for n in 0..APPLICATIONS {
            let files: Vec<Vec<u8>> = (0..3)
                .map(|k| bytes(n * 10 + k + 1, ATTACHMENT_SIZE))
                .collect();
            let app = NewApplication {
                id: uuid::Uuid::now_v7(),
                kind: "person".into(),
                profile: "tianjin".into(),
                summary: serde_json::json!({ "n": n }),
                payload: serde_json::json!({ "accountName": format!("crash_user_{n}") })
                    .to_string()
                    .into_bytes(),
                attachments: files
                    .iter()
                    .enumerate()
                    .map(|(k, b)| NewAttachment {
                        slot: format!("slot{k}"),
                        media_type: "image/jpeg".into(),
                        bytes: b.clone(),
                    })
                    .collect(),
                actor: "visitor".into(),
                replaces_draft: None,
            };
            let id = tokio::task::block_in_place(|| kiosk.store().enqueue(app, clock::now_ms()))
                .unwrap()
                .id
                .to_string();
            plaintexts.push((id, files));
        }
    }
    let code = platform.issue_enrolment_code("crash test").unwrap();
    let enrol = kioskctl(
        &data,
        &[
            "enrol",
            "--platform",
            &format!("http://{proxy}"),
            "--code",
            &code,
        ],
    )
    .output()
    .unwrap();
    assert!(enrol.status.success(), "enrol: {}", describe(&enrol));

    // First run: killed once the platform holds a few submissions, i.e. mid-queue with
    // uploads in flight over the slow link.
    let child = kioskctl(&data, &["sync", "--once"]).spawn().unwrap();
    let until = Instant::now() + Duration::from_secs(15);
    let mut child = Some(child);
    let mut held_at_kill = 0;
    while Instant::now() < until {
        held_at_kill = platform.submissions().unwrap().len();
        if held_at_kill >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut killed = child.take().unwrap();
    let exited_early = killed.try_wait().unwrap();
    killed.kill().unwrap(); // SIGKILL on Unix
    let _ = killed.wait();
    assert!(
        exited_early.is_none(),
        "the first run was still syncing when killed"
    );
    assert!(
        (1..APPLICATIONS as usize).contains(&held_at_kill),
        "killed part-way: the platform held {held_at_kill} of {APPLICATIONS}"
    );

    // Restart on a normal link, round after round, until nothing waits any more (an upload
    // that failed mid-kill may be due only after its backoff).
    slow.store(false, Ordering::Relaxed);
    let mut waiting = u64::MAX;
    for _ in 0..8 {
        let output = wait_until(
            kioskctl(&data, &["sync", "--once", "--json"])
                .spawn()
                .unwrap(),
            Duration::from_secs(20),
        )
        .await;
        let status = kioskctl(&data, &["sync", "status", "--json"])
            .output()
            .unwrap();
        assert!(status.status.success(), "status: {}", describe(&status));
        let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        waiting = status["waiting"].as_u64().unwrap();
        if output.status.success() && waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(waiting, 0, "the restarted kiosk drained its queue");

    let held = platform.submissions().unwrap();
    assert_eq!(
        held.len(),
        APPLICATIONS as usize,
        "the platform holds each submission exactly once"
    );
    for (id, files) in &plaintexts {
        let sub = held
            .iter()
            .find(|s| &s.id == id)
            .unwrap_or_else(|| panic!("submission {id} held"));
        assert_eq!(sub.attachments.len(), 3, "all attachments of {id}");
        for (reference, plain) in sub.attachments.iter().zip(files) {
            assert_eq!(
                reference.sha256,
                hex::encode(sha2::Sha256::digest(plain)),
                "attachment order of {id}"
            );
            assert!(
                platform.blob_bytes(&reference.sha256).unwrap() == *plain,
                "attachment {} of {id} byte-identical",
                reference.slot
            );
        }
    }

    let kiosk = Kiosk::open(&data).unwrap();
    let entries = tokio::task::block_in_place(|| kiosk.store().list(None, 1000)).unwrap();
    assert_eq!(entries.len(), APPLICATIONS as usize, "every record listed");
    for entry in &entries {
        assert_eq!(
            entry.state,
            LifecycleState::Accepted,
            "record {} reached its final state",
            entry.id
        );
    }
    drop(kiosk);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "fast enough for CI (usually well under 30 s): {:?}",
        started.elapsed()
    );
    let _ = stop.send(());
    let _ = server.await;
    eprintln!(
        "killed with {held_at_kill}/{APPLICATIONS} held; took {:?}",
        started.elapsed()
    );
}
