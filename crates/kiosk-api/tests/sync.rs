//! Enrolment and sync of the real kiosk store against an in-process platformd on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use kiosk_api::{Kiosk, clock, sync};
use kiosk_core::lifecycle::LifecycleState;
use kiosk_store::queue::{NewApplication, NewAttachment};

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
async fn enrol_reseals_the_queue_and_sync_delivers_it_once_then_pulls_verdicts() {
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(platform::serve(
        Arc::clone(&platform),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));

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
    let enrolment = sync::enrol(&kiosk, &url, &code).await.unwrap();
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

    let _ = stop.send(());
    let _ = server.await;
}
