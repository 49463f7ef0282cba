//! Purge only after confirmation, with a real `kioskctl` process: the platform receives an
//! application but its answer never reaches the kiosk, and the kiosk is SIGKILLed while it
//! waits. The restarted kiosk purges nothing until the platform's status feed confirms the
//! application, then purges it; the platform holds it exactly once, byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use crate::common::{Link, Proxy, RunningPlatform, bytes, describe, kioskctl, wait_until};
use kiosk_api::{Kiosk, clock};
use kiosk_core::lifecycle::LifecycleState;
use kiosk_store::queue::{NewApplication, NewAttachment};
use sha2::Digest;

/// `kioskctl purge --json`: how many applications it purged.
fn purge_now(data: &std::path::Path) -> u64 {
    let out = kioskctl(data, &["purge", "--json"]).output().unwrap();
    assert!(out.status.success(), "purge: {}", describe(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    summary["applications"].as_u64().unwrap()
}

/// The application's state and whether its payload and attachments are still on disk.
fn on_kiosk(data: &std::path::Path, id: &str) -> (LifecycleState, bool, usize) {
    let kiosk = Kiosk::open(data).unwrap();
    let detail = tokio::task::block_in_place(|| kiosk.store().show(id)).unwrap();
    let payload = tokio::task::block_in_place(|| kiosk.store().sealed_payload(id)).is_ok();
    (detail.entry.state, payload, detail.attachments.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_killed_before_the_platform_answers_purges_only_after_the_status_feed_confirms() {
    let started = Instant::now();
    let running = RunningPlatform::start().await;
    let platform = &running.platform;
    let proxy = Proxy::start(running.addr(), Link::Normal).await;

    let kiosk_dir = tempfile::tempdir().unwrap();
    let data = kiosk_dir.path().join("data");
    let files: Vec<Vec<u8>> = (0..2).map(|k| bytes(k + 7, 40 * 1024)).collect();
    let id = {
        let kiosk = Kiosk::open(&data).unwrap();
        // Retention 0: purge as soon as confirmed.
        tokio::task::block_in_place(|| kiosk.store().set_setting("retention.days", "0")).unwrap();
        let app = NewApplication {
            id: uuid::Uuid::now_v7(),
            kind: "person".into(),
            profile: "tianjin".into(),
            summary: serde_json::json!({ "n": 1 }),
            payload: br#"{"accountName":"purge_user"}"#.to_vec(),
            attachments: files
                .iter()
                .enumerate()
                .map(|(k, b)| NewAttachment {
                    slot: format!("slot{k}"),
                    media_type: "image/jpeg".into(),
                    bytes: b.clone(),
                })
                .collect(),
            actor: "clerk".into(),
            replaces_draft: None,
        };
        tokio::task::block_in_place(|| kiosk.store().enqueue(app, clock::now_ms()))
            .unwrap()
            .id
            .to_string()
    };
    let code = platform.issue_enrolment_code("purge crash").unwrap();
    let url = format!("http://{}", proxy.addr);
    let enrol = kioskctl(&data, &["enrol", "--platform", &url, "--code", &code])
        .output()
        .unwrap();
    assert!(enrol.status.success(), "enrol: {}", describe(&enrol));

    // Sent: the platform holds it; the answer is lost; the kiosk dies waiting.
    proxy.set(Link::SubmitAnswersLost);
    let mut child = kioskctl(&data, &["sync", "--once"]).spawn().unwrap();
    let until = Instant::now() + Duration::from_secs(15);
    while platform.submissions().unwrap().is_empty() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        platform.submissions().unwrap().len(),
        1,
        "the platform received the application"
    );
    tokio::time::sleep(Duration::from_millis(100)).await; // the answer is on its way (and dropped)
    assert!(
        child.try_wait().unwrap().is_none(),
        "kioskctl is still waiting for the platform's answer when killed"
    );
    child.kill().unwrap(); // SIGKILL on Unix
    let _ = child.wait();

    // Restarted: sent is not confirmed.
    assert_eq!(purge_now(&data), 0, "nothing purged before confirmation");
    let (state, payload, attachments) = on_kiosk(&data, &id);
    assert_eq!(state, LifecycleState::Uploading, "interrupted mid-upload");
    assert!(payload, "the sealed payload is still on the kiosk");
    assert_eq!(attachments, 2, "both attachments are still on the kiosk");

    // Uploads cannot get through; only the status feed (GET) does: it confirms receipt.
    proxy.set(Link::GetOnly);
    let round = wait_until(
        kioskctl(&data, &["sync", "--once", "--json"])
            .spawn()
            .unwrap(),
        Duration::from_secs(20),
    )
    .await;
    let (state, payload, _) = on_kiosk(&data, &id);
    assert_eq!(
        state,
        LifecycleState::Accepted,
        "the status feed confirmed receipt: {}",
        describe(&round)
    );
    assert!(payload, "confirmed, not yet purged");
    let updates = {
        let kiosk = Kiosk::open(&data).unwrap();
        tokio::task::block_in_place(|| kiosk.store().show(&id))
            .unwrap()
            .status_updates
    };
    assert!(
        updates.iter().any(|u| u.state == "accepted")
            && updates.iter().all(|u| {
                !u.message
                    .as_deref()
                    .is_some_and(|m| m.contains("platform receipt"))
            }),
        "confirmed by the status feed, not by an upload's answer: {updates:?}"
    );
    assert_eq!(purge_now(&data), 1, "confirmed, retention 0: purged now");
    let (state, payload, attachments) = on_kiosk(&data, &id);
    assert_eq!(state, LifecycleState::Purged);
    assert!(
        !payload && attachments == 0,
        "payload and attachments deleted"
    );

    // Back online: nothing is sent again, nothing was lost or duplicated.
    proxy.set(Link::Normal);
    let round = wait_until(
        kioskctl(&data, &["sync", "--once", "--json"])
            .spawn()
            .unwrap(),
        Duration::from_secs(20),
    )
    .await;
    assert!(round.status.success(), "sync: {}", describe(&round));
    let held = platform.submissions().unwrap();
    assert_eq!(held.len(), 1, "the platform holds the application once");
    assert_eq!(held[0].id, id);
    assert_eq!(held[0].attachments.len(), 2, "with both attachments");
    for (reference, plain) in held[0].attachments.iter().zip(&files) {
        assert_eq!(
            reference.sha256,
            hex::encode(sha2::Sha256::digest(plain)),
            "attachment {} in order",
            reference.slot
        );
        assert!(
            platform.blob_bytes(&reference.sha256).unwrap() == *plain,
            "attachment {} byte-identical",
            reference.slot
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "fast enough for CI: {:?}",
        started.elapsed()
    );
    running.stop().await;
}
