//! Enrolment and sync of the real kiosk store against an in-process platformd on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use kiosk_api::{Kiosk, clock, sync};
use kiosk_core::lifecycle::LifecycleState;
use kiosk_store::queue::{NewApplication, NewAttachment};

use kiosk_testkit::platformd::Loopback;

fn application(n: u8) -> NewApplication {
    NewApplication {
        id: uuid::Uuid::now_v7(),
        kind: "person".into(),
        profile: "tianjin".into(),
        summary: serde_json::json!({ "n": n }),
        payload: serde_json::json!({ "accountName": format!("sync_user_{n}") })
            .to_string()
            .into_bytes(),
        attachments: vec![NewAttachment {
            slot: "idFront".into(),
            media_type: "image/jpeg".into(),
            bytes: vec![n; 40_000],
        }],
        actor: "visitor".into(),
        replaces_draft: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_upload_moves_to_needs_action_with_the_platforms_reason() {
    let running = Loopback::start().await;
    let kiosk_dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(kiosk_dir.path()).unwrap();
    let mut unreadable = application(7);
    // A payload the platform cannot parse as an application: a validation refusal (422).
    unreadable.payload = b"[\"not an application object\"]".to_vec();
    let id = tokio::task::block_in_place(|| {
        kiosk
            .store()
            .enqueue(unreadable, clock::now_ms())
            .map(|a| a.id.to_string())
    })
    .unwrap();
    let code = running.enrolment_code("test");
    sync::enrol(&kiosk, &running.url(), &code, false)
        .await
        .unwrap();

    let report = sync::sync_once(&kiosk).await.unwrap();
    assert_eq!(
        (report.delivered, report.refused, report.retried),
        (0, 1, 0),
        "refused once, not retried: {report:?}"
    );
    let detail = kiosk.store().show(&id).unwrap();
    assert_eq!(
        detail.entry.state,
        LifecycleState::NeedsAction,
        "a refusal needs a person"
    );
    let reason = detail
        .status_updates
        .last()
        .and_then(|u| u.message.clone())
        .unwrap_or_default();
    assert!(
        reason.starts_with("PAYLOAD_UNREADABLE:"),
        "the platform's reason is kept: {reason:?}"
    );
    let status = sync::sync_status(&kiosk).unwrap();
    assert_eq!(status.waiting, 0, "nothing left to upload: {status:?}");
    let again = sync::sync_once(&kiosk).await.unwrap();
    assert_eq!(again.refused, 0, "never sent again: {again:?}");
    assert!(
        running.platform.submissions().unwrap().is_empty(),
        "the platform holds nothing"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrol_reseals_the_queue_and_sync_delivers_it_once_then_pulls_verdicts() {
    let running = Loopback::start().await;
    let (platform, url) = (&running.platform, &running.url());

    let kiosk_dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(kiosk_dir.path()).unwrap();
    // The store's writer blocks for its reply: announce that to the runtime.
    let first = tokio::task::block_in_place(|| {
        let first = kiosk.store().enqueue(application(1), clock::now_ms());
        kiosk
            .store()
            .enqueue(application(2), clock::now_ms())
            .unwrap();
        first
    })
    .unwrap()
    .id
    .to_string();
    assert!(
        !sync::sync_status(&kiosk).unwrap().enrolled,
        "not enrolled yet"
    );

    let code = platform.issue_enrolment_code("test").unwrap();
    let enrolment = sync::enrol(&kiosk, url, &code, false).await.unwrap();
    assert_eq!(
        enrolment.resealed, 2,
        "queued applications re-sealed to the platform key"
    );

    let report = sync::sync_once(&kiosk).await.unwrap();
    assert_eq!(report.delivered, 2, "both delivered: {report:?}");
    let again = sync::sync_once(&kiosk).await.unwrap();
    assert_eq!(again.delivered, 0, "nothing delivered twice");
    let held = platform.submissions().unwrap();
    assert_eq!(held.len(), 2, "the platform holds each once");
    let sha = &held[0].attachments[0].sha256;
    assert_eq!(
        platform.blob_bytes(sha).unwrap().len(),
        40_000,
        "attachment arrived whole"
    );

    platform
        .review(
            &first,
            &platform::status::ReviewAction::Approve { account_name: None },
        )
        .unwrap();
    let pulled = sync::sync_once(&kiosk).await.unwrap();
    assert!(pulled.status_updates >= 1, "verdict pulled: {pulled:?}");
    let state = kiosk.store().show(&first).unwrap().entry.state;
    assert_eq!(
        state,
        LifecycleState::Verified,
        "the approval reached the kiosk"
    );
    let status = sync::sync_status(&kiosk).unwrap();
    assert_eq!(
        (status.waiting, status.delivered),
        (0, 2),
        "status figures: {status:?}"
    );

    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_syncs_reports_progress_posts_heartbeats_and_notices_the_platform_going_away() {
    let running = Loopback::start().await;
    let kiosk_dir = tempfile::tempdir().unwrap();
    let kiosk = Arc::new(Kiosk::open(kiosk_dir.path()).unwrap());
    tokio::task::block_in_place(|| {
        for n in 20..23 {
            kiosk
                .store()
                .enqueue(application(n), clock::now_ms())
                .unwrap();
        }
        kiosk
            .store()
            .set_setting(kiosk_api::SETTING_HALL_NAME, "河西区政务服务中心")
            .unwrap();
    });
    let seen = Arc::new(std::sync::Mutex::new(Vec::<sync::SyncStatus>::new()));
    let sink = Arc::clone(&seen);
    let config = sync::WorkerConfig {
        poll: std::time::Duration::from_millis(100),
        pull_every: std::time::Duration::from_millis(100),
        heartbeat_every: std::time::Duration::from_millis(100),
        backoff: kiosk_sync::Backoff {
            base: std::time::Duration::from_millis(50),
            cap: std::time::Duration::from_millis(200),
        },
        ..sync::WorkerConfig::default()
    };
    let (worker, task) = sync::SyncWorker::new(Arc::clone(&kiosk), config, move |status| {
        sink.lock().unwrap().push(status)
    });
    let task = tokio::spawn(task);

    let not_enrolled = worker.sync_now().await.unwrap_err();
    assert_eq!(
        not_enrolled.code, "KIOSK_NOT_ENROLLED",
        "no round before enrolment"
    );
    let code = running.enrolment_code("worker");
    sync::enrol_and_start(&kiosk, Some(&worker), &running.url(), &code, false)
        .await
        .unwrap();
    let report = sync::sync_now(&kiosk, Some(&worker)).await.unwrap();
    let held = running.platform.submissions().unwrap().len();
    assert_eq!(
        held, 3,
        "the worker delivered the queue (report of the forced round: {report:?})"
    );
    let status = sync::current_status(&kiosk, Some(&worker)).unwrap();
    assert!(status.online, "online after a round: {status:?}");
    assert_eq!(status.waiting, 0, "queue drained: {status:?}");
    assert!(status.bytes_sent >= 3 * 40_000, "bytes counted: {status:?}");
    assert!(status.last_success_at.is_some(), "success time: {status:?}");
    assert_eq!(status.last_error, None, "no error: {status:?}");

    // Heartbeat: the platform lists this kiosk with its hall and an empty queue.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let beat = loop {
        let rows = running.platform.kiosks().unwrap();
        if let Some(beat) = rows
            .iter()
            .find_map(|k| k.heartbeat.clone())
            .filter(|b| b.queue_depth == 0)
        {
            break beat;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "a heartbeat arrived: {rows:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(beat.hall.as_deref(), Some("河西区政务服务中心"));
    assert_eq!(beat.version, env!("CARGO_PKG_VERSION"));
    assert!(beat.disk_free_bytes.is_some_and(|b| b > 0), "disk free");
    assert!(beat.last_sync_at.is_some(), "last sync reported");

    // The platform goes away: the worker reports offline with the error, stored for the CLI.
    running.stop().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let last = seen.lock().unwrap().last().cloned();
        if last.as_ref().is_some_and(|s| !s.online) {
            assert!(
                last.unwrap().last_error.is_some(),
                "the error travels with the event"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "offline noticed: {last:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let stored = tokio::task::block_in_place(|| sync::sync_status(&kiosk)).unwrap();
    assert!(
        !stored.online && stored.last_error.is_some(),
        "kioskctl sees it too: {stored:?}"
    );
    assert!(
        seen.lock().unwrap().iter().any(|s| s.in_flight > 0)
            || seen.lock().unwrap().iter().any(|s| s.bytes_sent > 0),
        "progress was emitted along the way"
    );
    worker.stop();
    tokio::time::timeout(std::time::Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
}

/// The app's worker and `kioskctl sync --once` may run a round on the same data at the same
/// time: each application still reaches the platform once and neither round fails (before the
/// round lock, one round's start reset the other's uploads in flight and the second
/// acknowledgement was refused as "platform-accepted on accepted").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_rounds_at_once_on_one_kiosk_deliver_each_application_once() {
    let running = Loopback::start().await;
    let kiosk_dir = tempfile::tempdir().unwrap();
    let app = Kiosk::open(kiosk_dir.path()).unwrap();
    let code = running.enrolment_code("test");
    sync::enrol(&app, &running.url(), &code, false)
        .await
        .unwrap();
    tokio::task::block_in_place(|| {
        for n in 0..8 {
            app.store()
                .enqueue(application(n), clock::now_ms())
                .unwrap();
        }
    });
    // A second handle on the same folder, as kioskctl opens it next to the running app.
    let cli = Kiosk::open(kiosk_dir.path()).unwrap();

    let (by_app, by_cli) = tokio::join!(sync::sync_once(&app), sync::sync_once(&cli));
    let (by_app, by_cli) = (by_app.unwrap(), by_cli.unwrap());
    assert_eq!(
        by_app.delivered + by_cli.delivered,
        8,
        "each delivered by one round: {by_app:?} {by_cli:?}"
    );
    assert_eq!(running.platform.submissions().unwrap().len(), 8);
    let status = sync::sync_status(&app).unwrap();
    assert_eq!((status.waiting, status.delivered), (0, 8), "{status:?}");
    running.stop().await;
}
