//! 200 submissions with attachments through a fault-injecting proxy: every one reaches the
//! platform exactly once with byte-identical attachments, and every outbox entry ends final.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::common::{Server, client, fault_proxy, item};
use kiosk_sync::{Backoff, EngineConfig, MemoryOutbox, MemoryState, Outbox, SyncEngine};

/// The pause between rounds while retries wait.
const PAUSE: Duration = Duration::from_millis(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_submissions_survive_a_faulty_network_exactly_once() {
    let started = Instant::now();
    // One kiosk sending 200 submissions (~2,000 calls) as fast as the faults allow: far over a
    // real kiosk's call rate, so the platform's per-kiosk limit is lifted for this test.
    let server = Server::start_with(Arc::new(platform::SystemClock::default()), |p| {
        p.with_edge_settings(platform::edges::EdgeSettings {
            kiosk_calls_per_minute: 1_000_000,
            ..platform::edges::EdgeSettings::default()
        })
    })
    .await;
    let (proxy, stats, proxy_task) = fault_proxy(server.addr(), 0x5EED).await;
    let cred = crate::common::enrol(&server, &format!("http://{proxy}")).await;
    let outbox = Arc::new(MemoryOutbox::default());
    let mut plains = Vec::new();
    for n in 0..200 {
        let (o, p) = item(&cred.platform_recipient, n, 3, 12_000);
        outbox.push(o).unwrap();
        plains.push(p);
    }
    let config = EngineConfig {
        concurrency: 4,
        backoff: Backoff {
            base: Duration::from_millis(10),
            cap: Duration::from_millis(150),
        },
        batch: 50,
        pull_master: false,
    };
    let engine = SyncEngine::new(
        client(cred).with_chunk_size(8 * 1024),
        Arc::clone(&outbox),
        config,
    );
    let report = crate::common::drain::drain(&engine, &*outbox, PAUSE, Duration::from_secs(45))
        .await
        .unwrap();
    assert_eq!(outbox.waiting().unwrap(), 0, "outbox drained: {report:?}");
    let states = outbox.states().unwrap();
    assert!(
        states
            .values()
            .all(|s| *s == MemoryState::Delivered("accepted".into())),
        "every entry reached its final state"
    );
    let subs = server.platform.submissions().unwrap();
    assert_eq!(subs.len(), 200, "each submission held exactly once");
    for (n, p) in plains.iter().enumerate() {
        let sub = subs
            .iter()
            .find(|s| s.id == crate::common::uuid(n as u64))
            .expect("stored");
        for (a, plain) in sub.attachments.iter().zip(p) {
            assert_eq!(
                &server.platform.blob_bytes(&a.sha256).unwrap(),
                plain,
                "attachment {n} byte-identical"
            );
        }
    }
    let faults = stats.dropped.load(Ordering::Relaxed)
        + stats.errors.load(Ordering::Relaxed)
        + stats.cut.load(Ordering::Relaxed);
    assert!(faults >= 20, "the proxy really injected faults: {stats:?}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "fast enough for CI"
    );
    assert!(report.retried > 0, "the engine had to retry: {report:?}");
    eprintln!(
        "faults: {stats:?}; report: {report:?}; took {:?}",
        started.elapsed()
    );
    proxy_task.abort();
    server.stop().await;
}
