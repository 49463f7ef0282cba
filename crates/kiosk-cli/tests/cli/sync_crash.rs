//! A kiosk killed with SIGKILL in the middle of `kioskctl sync --once` (behind a slow link),
//! then restarted: the platform holds each submission exactly once with byte-identical
//! attachments, and every kiosk record is final.
//!
//! Sizes: 12 applications × 3 attachments of 96 KiB, through a proxy throttled to ~1.5 MB/s
//! until the restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use crate::common::{Link, Proxy, RunningPlatform, bytes, describe, kioskctl, wait_until};
use kiosk_api::{Kiosk, clock};
use kiosk_core::lifecycle::LifecycleState;
use kiosk_store::queue::{NewApplication, NewAttachment};
use sha2::Digest;

const APPLICATIONS: u64 = 12;
const ATTACHMENT_SIZE: usize = 96 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_killed_mid_sync_resumes_without_duplicates_or_loss() {
    let started = Instant::now();
    let running = RunningPlatform::start().await;
    let platform = &running.platform;
    let proxy = Proxy::start(running.addr(), Link::Slow).await;
    let proxy_addr = proxy.addr;

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
            &format!("http://{proxy_addr}"),
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
    proxy.set(Link::Normal);
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
    running.stop().await;
    eprintln!(
        "killed with {held_at_kill}/{APPLICATIONS} held; took {:?}",
        started.elapsed()
    );
}
