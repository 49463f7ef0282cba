//! Re-enrolment: refused without the explicit flag, audited with it, and an application
//! queued (sealed to the old platform) before a re-enrolment reaches the NEW platform readable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_api::{Kiosk, audit, clock, sync};
use kiosk_store::queue::{NewApplication, NewAttachment};
use kiosk_testkit::platformd::Loopback;

fn application(n: u8) -> NewApplication {
    NewApplication {
        id: uuid::Uuid::now_v7(),
        kind: "person".into(),
        profile: "tianjin".into(),
        summary: serde_json::json!({ "n": n }),
        payload: serde_json::json!({ "accountName": format!("re_enrol_user_{n}") })
            .to_string()
            .into_bytes(),
        attachments: vec![NewAttachment {
            slot: "idFront".into(),
            media_type: "image/jpeg".into(),
            bytes: vec![n; 10_000],
        }],
        actor: "visitor".into(),
        replaces_draft: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_enrolment_needs_the_flag_is_audited_and_keeps_unsent_work_readable() {
    let old = Loopback::start().await;
    let new = Loopback::start().await;
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    sync::enrol(&kiosk, &old.url(), &old.enrolment_code("hall 1"), false)
        .await
        .unwrap();
    // Queued while enrolled with the old platform: sealed to it (and to the local key).
    let id = tokio::task::block_in_place(|| {
        kiosk
            .store()
            .enqueue(application(3), clock::now_ms())
            .map(|a| a.id.to_string())
    })
    .unwrap();

    let refused = sync::enrol(&kiosk, &new.url(), &new.enrolment_code("hall 1"), false)
        .await
        .expect_err("an enrolled kiosk is not enrolled again by accident");
    assert_eq!(refused.code, "ALREADY_ENROLLED", "{refused:?}");
    assert_eq!(
        sync::sync_status(&kiosk).unwrap().platform_url.as_deref(),
        Some(old.url().as_str()),
        "the credential is untouched"
    );

    let enrolment = sync::enrol(&kiosk, &new.url(), &new.enrolment_code("hall 1"), true)
        .await
        .unwrap();
    assert_eq!(enrolment.resealed, 1, "the unsent application is re-sealed");
    let line = audit::recent(&kiosk, 20)
        .unwrap()
        .into_iter()
        .find(|l| l.action == "sync.re_enrol")
        .expect("re-enrolment audited");
    assert!(
        line.detail.contains(&old.url()) && line.detail.contains(&new.url()),
        "old and new platform on record: {}",
        line.detail
    );

    let report = sync::sync_once(&kiosk).await.unwrap();
    assert_eq!(
        report.delivered, 1,
        "delivered to the new platform: {report:?}"
    );
    let held = new.platform.submissions().unwrap();
    assert_eq!(held.len(), 1, "the new platform holds it");
    assert_eq!(held[0].id, id, "the same application");
    assert_eq!(
        held[0].payload["accountName"], "re_enrol_user_3",
        "and can read it"
    );
    assert!(
        old.platform.submissions().unwrap().is_empty(),
        "the old platform got nothing"
    );
    old.stop().await;
    new.stop().await;
}
