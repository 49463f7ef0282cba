//! The engine against a real platformd over loopback: delivery, idempotency, status feed,
//! master data, refusals, and restart in the middle of a run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use crate::common::{Server, client, item};
use kiosk_sync::{Backoff, EngineConfig, MemoryOutbox, MemoryState, Outbox, SyncEngine};
use platform::status::ReviewAction;

/// The pause between rounds while retries wait.
const PAUSE: Duration = Duration::from_millis(20);

fn config() -> EngineConfig {
    EngineConfig {
        concurrency: 4,
        backoff: Backoff {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(200),
        },
        batch: 32,
        pull_master: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_delivers_each_submission_once_and_pulls_verdicts_and_master_data() {
    let server = Server::start().await;
    let cred = crate::common::enrol(&server, &server.url()).await;
    let recipient = cred.platform_recipient.clone();
    let outbox = Arc::new(MemoryOutbox::default());
    let mut plains = Vec::new();
    for n in 0..12 {
        let (o, p) = item(&recipient, n, 3, 20_000);
        outbox.push(o).unwrap();
        plains.push(p);
    }
    let engine = SyncEngine::new(client(cred.clone()), Arc::clone(&outbox), config());
    let report = crate::common::drain::drain(&engine, &*outbox, PAUSE, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(report.delivered, 12, "all delivered: {report:?}");
    assert_eq!(
        report.master_updated,
        kiosk_sync::master_datasets().count() as u64,
        "every master dataset the kiosk reads is fetched the first time"
    );
    let subs = server.platform.submissions().unwrap();
    assert_eq!(subs.len(), 12, "each submission stored once");
    for (n, p) in plains.iter().enumerate() {
        let sub = subs
            .iter()
            .find(|s| s.id == crate::common::uuid(n as u64))
            .expect("stored");
        assert_eq!(sub.payload["seq"], n as u64, "payload decrypted");
        for (a, plain) in sub.attachments.iter().zip(p) {
            assert_eq!(
                &server.platform.blob_bytes(&a.sha256).unwrap(),
                plain,
                "attachment byte-identical"
            );
        }
    }
    let progress = engine.progress();
    assert!(
        progress.bytes_sent > 12 * 3 * 20_000,
        "bytes counted: {progress:?}"
    );
    assert!(
        progress.last_success_at.is_some() && progress.online,
        "progress reports success"
    );

    // A reviewer decides; the next round pulls the verdicts. Master data is unchanged (304).
    server
        .platform
        .review(
            &crate::common::uuid(0),
            &ReviewAction::Approve { account_name: None },
        )
        .unwrap();
    server
        .platform
        .review(
            &crate::common::uuid(1),
            &ReviewAction::Reject {
                zh: "材料不清晰".into(),
                en: "Unreadable".into(),
            },
        )
        .unwrap();
    let again = engine.run_once().await.unwrap();
    assert_eq!(
        again.master_updated, 0,
        "ETags avoid refetching unchanged master data"
    );
    assert_eq!(again.status_events, 2, "two verdicts pulled: {again:?}");
    let states = outbox.states().unwrap();
    assert_eq!(
        states[&crate::common::uuid(0)],
        MemoryState::Delivered("verified".into()),
        "approved"
    );
    assert_eq!(
        states[&crate::common::uuid(1)],
        MemoryState::Delivered("rejected".into()),
        "rejected"
    );
    assert!(
        outbox
            .master("supervising-departments")
            .unwrap()
            .is_some_and(|b| String::from_utf8_lossy(&b).contains("TJ-BH-KJJ")),
        "the pickers' lists are cached"
    );
    for unread in ["platform-key", "units", "profiles", "templates"] {
        assert!(
            outbox.master(unread).unwrap().is_none(),
            "{unread}: nothing on the kiosk reads it, so it is not pulled"
        );
    }

    // Posting the same submission again returns the original receipt and stores nothing new.
    let (o, _) = item(&recipient, 3, 3, 20_000);
    let c = client(cred);
    let refs: Vec<_> = o.attachments.iter().map(|a| a.reference.clone()).collect();
    let first = c.submit(&o.id, &o.sealed_payload, &refs).await.unwrap();
    let second = c.submit(&o.id, &o.sealed_payload, &refs).await.unwrap();
    assert_eq!(first, second, "a repeat returns the original result");
    assert_eq!(
        server.platform.submissions().unwrap().len(),
        12,
        "no duplicate"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_go_to_needs_action_with_the_platform_reason_and_duplicates_need_action() {
    let server = Server::start().await;
    let cred = crate::common::enrol(&server, &server.url()).await;
    let outbox = Arc::new(MemoryOutbox::default());
    // Sealed to a different key: the platform cannot open it (422).
    let stranger = age::x25519::Identity::generate().to_public().to_string();
    let (bad, _) = item(&stranger, 1, 0, 0);
    outbox.push(bad).unwrap();
    // Same account name as an earlier one: accepted, but needs action.
    let (first, _) = item(&cred.platform_recipient, 2, 1, 1000);
    let (mut dup, _) = item(&cred.platform_recipient, 2, 1, 1000);
    dup.id = crate::common::uuid(99);
    outbox.push(first).unwrap();
    let engine = SyncEngine::new(client(cred), Arc::clone(&outbox), config());
    crate::common::drain::drain(&engine, &*outbox, PAUSE, Duration::from_secs(10))
        .await
        .unwrap();
    outbox.push(dup).unwrap();
    crate::common::drain::drain(&engine, &*outbox, PAUSE, Duration::from_secs(10))
        .await
        .unwrap();
    let states = outbox.states().unwrap();
    match &states[&crate::common::uuid(1)] {
        MemoryState::Refused(r) => assert_eq!(r.code, "PAYLOAD_UNREADABLE", "platform reason kept"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        states[&crate::common::uuid(2)],
        MemoryState::Delivered("accepted".into()),
        "first accepted"
    );
    assert_eq!(
        states[&crate::common::uuid(99)],
        MemoryState::Delivered("needs-action".into()),
        "the duplicate account name needs action"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engine_killed_mid_run_resumes_without_duplicates() {
    let server = Server::start().await;
    let cred = crate::common::enrol(&server, &server.url()).await;
    let outbox = Arc::new(MemoryOutbox::default());
    for n in 0..30 {
        outbox
            .push(item(&cred.platform_recipient, n, 3, 30_000).0)
            .unwrap();
    }
    let engine = Arc::new(SyncEngine::new(
        client(cred.clone()).with_chunk_size(8 * 1024),
        Arc::clone(&outbox),
        config(),
    ));
    let e = Arc::clone(&engine);
    let o = Arc::clone(&outbox);
    let task = tokio::spawn(async move {
        crate::common::drain::drain(&*e, &*o, PAUSE, Duration::from_secs(30)).await
    });
    // Let it get going, then kill it abruptly (in-flight uploads stay "uploading").
    tokio::time::sleep(Duration::from_millis(150)).await;
    task.abort();
    let _ = task.await;
    let interrupted = outbox
        .states()
        .unwrap()
        .values()
        .filter(|s| **s == MemoryState::Uploading)
        .count();
    let engine = SyncEngine::new(client(cred), Arc::clone(&outbox), config());
    crate::common::drain::drain(&engine, &*outbox, PAUSE, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        outbox.waiting().unwrap(),
        0,
        "all delivered after restart ({interrupted} were interrupted)"
    );
    let subs = server.platform.submissions().unwrap();
    assert_eq!(subs.len(), 30, "each stored exactly once");
    server.stop().await;
}
