//! The audit log's anchor at the platform: each heartbeat sends the head of the keyed chain,
//! and `audit verify` finds a kiosk whose log was rolled back to an older copy (the newest
//! rows gone, the local head record consistent with what is left).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use kiosk_api::audit::{self, AnchorCheck};
use kiosk_api::{Kiosk, sync};
use kiosk_store::AuditEntry;
use kiosk_testkit::platformd::Loopback;

fn note(kiosk: &Kiosk, n: i64) {
    tokio::task::block_in_place(|| {
        kiosk
            .store()
            .audit(AuditEntry {
                at: 1_700_000_000_000 + n,
                actor: "kioskctl".into(),
                action: "test.entry".into(),
                application_id: None,
                detail: format!("n={n}"),
            })
            .unwrap()
    });
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_rolled_back_to_an_older_copy_is_found_through_the_platform_anchor() {
    let platform = Loopback::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kiosk");
    let kiosk = Kiosk::open(&data).unwrap();
    sync::enrol(
        &kiosk,
        &platform.url(),
        &platform.enrolment_code("hall 1"),
        false,
    )
    .await
    .unwrap();
    let (_, before) = audit::verify_anchored(&kiosk).await.unwrap();
    assert_eq!(before, AnchorCheck::NoneYet, "no heartbeat yet");
    for n in 0..3 {
        note(&kiosk, n);
    }
    // An older copy of the data directory, taken now.
    drop(kiosk);
    let snapshot = dir.path().join("snapshot");
    copy_dir(&data, &snapshot);
    let kiosk = Kiosk::open(&data).unwrap();
    for n in 3..6 {
        note(&kiosk, n);
    }
    sync::send_heartbeat(&kiosk).await.unwrap();
    let (report, anchor) = audit::verify_anchored(&kiosk).await.unwrap();
    assert!(report.intact, "{report:?}");
    assert_eq!(anchor, AnchorCheck::Matches);

    // The newest rows are removed by putting the older copy back.
    drop(kiosk);
    std::fs::remove_dir_all(&data).unwrap();
    copy_dir(&snapshot, &data);
    let kiosk = Kiosk::open(&data).unwrap();
    assert!(
        audit::verify(&kiosk).unwrap().intact,
        "locally the older copy is consistent"
    );
    let (report, _) = audit::verify_anchored(&kiosk).await.unwrap();
    assert!(
        !report.intact,
        "the platform's anchor finds the missing tail"
    );
    assert!(
        report
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("deleted")),
        "{report:?}"
    );
}
