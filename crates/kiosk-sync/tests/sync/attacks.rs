//! Attacks from the hall's network, against a real platformd behind a real man in the middle
//! on 127.0.0.1: a platform with the wrong key at enrolment, a swapped sealing key, forged
//! "accepted" answers, a replayed answer, a downgrade to plain HTTP and an endless answer.
//! Each leaves the kiosk unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use crate::common::mitm::{self, Mode};
use crate::common::{Server, client, item};
use kiosk_sync::{
    Backoff, EngineConfig, MemoryOutbox, MemoryState, SyncEngine, SyncError, Timeouts, TrustError,
};

fn config() -> EngineConfig {
    EngineConfig {
        concurrency: 2,
        backoff: Backoff {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(100),
        },
        batch: 8,
        pull_master: false,
    }
}

fn untrusted(e: &SyncError) -> Option<&TrustError> {
    match e {
        SyncError::Untrusted(t) => Some(t),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_refuses_a_platform_whose_key_does_not_match_the_code() {
    let server = Server::start().await;
    let code = server.enrolment_code("hall 1");
    let attacker = mitm::start(&server.url(), Mode::OwnEnrolment).await;
    let refused = kiosk_sync::enrol(&attacker.url, &code, Timeouts::default()).await;
    let err = refused.expect_err("an impostor platform is refused");
    assert_eq!(untrusted(&err), Some(&TrustError::KeyMismatch), "{err:?}");
    assert_eq!(
        kiosk_core::problem::UserFacing::code(&err),
        "PLATFORM_KEY_MISMATCH",
        "clear code"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_refuses_a_swapped_sealing_key_and_a_code_without_fingerprint() {
    let server = Server::start().await;
    let code = server.enrolment_code("hall 1");
    let attacker = mitm::start(&server.url(), Mode::SwapRecipient).await;
    let err = kiosk_sync::enrol(&attacker.url, &code, Timeouts::default())
        .await
        .expect_err("a swapped recipient breaks the signature");
    assert_eq!(untrusted(&err), Some(&TrustError::Forged), "{err:?}");

    let code = server.enrolment_code("hall 2");
    let secret_only: String = code.split('-').take(3).collect::<Vec<_>>().join("-");
    let err = kiosk_sync::enrol(&server.url(), &secret_only, Timeouts::default())
        .await
        .expect_err("no fingerprint, no enrolment");
    assert_eq!(
        untrusted(&err),
        Some(&TrustError::CodeWithoutFingerprint),
        "{err:?}"
    );
    // The full code still works against the real platform.
    let cred = kiosk_sync::enrol(&server.url(), &code, Timeouts::default())
        .await
        .unwrap();
    assert_eq!(
        cred.platform_recipient,
        server.platform.recipient(),
        "the real sealing key"
    );
}

/// A forged "accepted" (unsigned, or signed by another key) leaves the queue intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_accepted_answers_leave_the_queue_intact() {
    let server = Server::start().await;
    let attacker = mitm::start(&server.url(), Mode::ForgeAccepted { signer: None }).await;
    let cred = crate::common::enrol(&server, &attacker.url).await;
    for (round, signer) in [None, Some([9u8; 32])].into_iter().enumerate() {
        attacker.set(Mode::ForgeAccepted { signer });
        let outbox = Arc::new(MemoryOutbox::default());
        let (o, _) = item(&cred.platform_recipient, round as u64, 0, 100);
        let id = o.id.clone();
        outbox.push(o).unwrap();
        let engine = SyncEngine::new(client(cred.clone()), Arc::clone(&outbox), config());
        let report = engine.run_once().await.unwrap();
        assert_eq!(
            report.delivered, 0,
            "nothing counts as delivered: {report:?}"
        );
        let states = outbox.states().unwrap();
        assert!(
            matches!(states.get(&id), Some(MemoryState::Queued(_))),
            "still queued after forged answer {round}: {states:?}"
        );
        let error = outbox.last_error(&id).unwrap().unwrap_or_default();
        let expected = if round == 0 {
            "without the platform's signature"
        } else {
            "signature does not verify"
        };
        assert!(error.contains(expected), "{expected}: {error}");
    }
    assert!(
        server.platform.submissions().unwrap().is_empty(),
        "the real platform got nothing"
    );
}

/// A genuine answer to one submission, replayed as the answer to another, is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_answer_is_refused() {
    let server = Server::start().await;
    let attacker = mitm::start(&server.url(), Mode::ReplaySubmission).await;
    let cred = crate::common::enrol(&server, &attacker.url).await;
    let outbox = Arc::new(MemoryOutbox::default());
    let (first, _) = item(&cred.platform_recipient, 1, 0, 100);
    let first_id = first.id.clone();
    outbox.push(first).unwrap();
    let engine = SyncEngine::new(client(cred.clone()), Arc::clone(&outbox), config());
    let report = engine.run_once().await.unwrap();
    assert_eq!(report.delivered, 1, "the first is genuinely delivered");

    let (second, _) = item(&cred.platform_recipient, 2, 0, 100);
    let second_id = second.id.clone();
    outbox.push(second).unwrap();
    let report = engine.run_once().await.unwrap();
    assert_eq!(
        report.delivered, 0,
        "the replay is not a delivery: {report:?}"
    );
    let states = outbox.states().unwrap();
    assert!(
        matches!(states.get(&second_id), Some(MemoryState::Queued(_))),
        "the second stays queued: {states:?}"
    );
    assert!(
        matches!(states.get(&first_id), Some(MemoryState::Delivered(_))),
        "the first stays delivered"
    );
    let subs = server.platform.submissions().unwrap();
    assert_eq!(subs.len(), 1, "the platform only ever saw the first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_another_host_is_refused() {
    let server = Server::start().await;
    let mut cred = crate::common::enrol(&server, &server.url()).await;
    let code = server.enrolment_code("downgrade");
    for url in ["http://192.0.2.10:8470", "http://platform.example.gov.cn"] {
        let err = kiosk_sync::enrol(url, &code, Timeouts::default())
            .await
            .expect_err("no enrolment over plain HTTP");
        assert!(
            matches!(untrusted(&err), Some(TrustError::InsecureUrl(_))),
            "{url}: {err:?}"
        );
        cred.platform_url = url.to_owned();
        let err = kiosk_sync::PlatformClient::new(cred.clone(), Timeouts::default())
            .expect_err("no client over plain HTTP");
        assert_eq!(
            kiosk_core::problem::UserFacing::code(&err),
            "PLATFORM_URL_INSECURE",
            "{url}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_is_cut_at_its_cap() {
    let server = Server::start().await;
    let attacker = mitm::start(&server.url(), Mode::EndlessStatus).await;
    let cred = crate::common::enrol(&server, &attacker.url).await;
    let started = std::time::Instant::now();
    let err = client(cred).status(0, 100).await.expect_err("refused");
    assert_eq!(
        untrusted(&err),
        Some(&TrustError::TooLarge {
            limit: kiosk_sync::trust::limits::STATUS
        }),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "reading stopped at the cap, not at the 5 s timeout"
    );
}
