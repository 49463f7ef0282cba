//! Offline export and `platformd import`, operating limits and purge-after-confirm, with the
//! real kiosk store and a real platformd (in process, over loopback HTTP for online sync).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_api::submit::{AttachmentUpload, Submission};
use kiosk_api::{Kiosk, clock, export, limits, submit, sync};
use kiosk_core::lifecycle::{LifecycleEvent, LifecycleState};
use kiosk_store::queue::{NewApplication, NewAttachment};

fn application(n: u8) -> NewApplication {
    NewApplication {
        id: uuid::Uuid::now_v7(),
        kind: "person".into(),
        profile: "tianjin".into(),
        summary: serde_json::json!({ "n": n }),
        payload: serde_json::json!({ "accountName": format!("export_user_{n}") })
            .to_string()
            .into_bytes(),
        attachments: vec![NewAttachment {
            slot: "idFront".into(),
            media_type: "image/jpeg".into(),
            bytes: vec![n; 20_000],
        }],
        actor: "visitor".into(),
        replaces_draft: None,
    }
}

struct World {
    platform: kiosk_testkit::platformd::Loopback,
    kiosk_dir: tempfile::TempDir,
    kiosk: Option<Kiosk>,
    usb: tempfile::TempDir,
}

impl World {
    async fn enrolled() -> Self {
        let platform = kiosk_testkit::platformd::Loopback::start().await;
        let kiosk_dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(kiosk_dir.path()).unwrap();
        let code = platform.enrolment_code("test");
        sync::enrol(&kiosk, &platform.url(), &code, false)
            .await
            .unwrap();
        Self {
            platform,
            kiosk_dir,
            kiosk: Some(kiosk),
            usb: tempfile::tempdir().unwrap(),
        }
    }

    fn kiosk(&self) -> &Kiosk {
        self.kiosk.as_ref().unwrap()
    }

    fn enqueue(&self, n: u8) -> String {
        tokio::task::block_in_place(|| {
            self.kiosk()
                .store()
                .enqueue(application(n), clock::now_ms())
                .unwrap()
                .id
                .to_string()
        })
    }

    fn export(&self) -> export::ExportReport {
        tokio::task::block_in_place(|| {
            export::export_bundle(
                self.kiosk(),
                self.usb.path(),
                "admin",
                false,
                clock::now_ms(),
            )
        })
        .unwrap()
    }

    async fn stop(self) {
        self.platform.stop().await;
    }
}

fn state(kiosk: &Kiosk, id: &str) -> LifecycleState {
    kiosk.store().show(id).unwrap().entry.state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_a_bundle_twice_stores_each_application_once_and_the_kiosk_learns_verdicts() {
    let world = World::enrolled().await;
    let ids = [world.enqueue(1), world.enqueue(2)];
    let report = world.export();
    assert_eq!(report.ids.len(), 2, "{report:?}");
    assert!(std::path::Path::new(&report.path).is_file());
    assert_eq!(
        state(world.kiosk(), &ids[0]),
        LifecycleState::Submitted,
        "exported, still waiting for confirmation"
    );

    let bytes = std::fs::read(&report.path).unwrap();
    let first = world.platform.import_bundle(&bytes).await.unwrap();
    assert_eq!((first.imported, first.duplicates), (2, 0), "{first:?}");
    let second = world.platform.import_bundle(&bytes).await.unwrap();
    assert_eq!((second.imported, second.duplicates), (0, 2), "{second:?}");
    assert_eq!(
        world.platform.submissions().unwrap().len(),
        2,
        "no duplicates"
    );

    world
        .platform
        .review(
            &ids[0],
            &platform::status::ReviewAction::Approve { account_name: None },
        )
        .unwrap();
    // Online sync comes back: the exported ones are still in the outbox and may go out again;
    // the platform answers with the original receipts and stores nothing twice.
    let pulled = sync::sync_once(world.kiosk()).await.unwrap();
    assert!(pulled.status_updates >= 1, "verdicts pulled: {pulled:?}");
    assert_eq!(state(world.kiosk(), &ids[0]), LifecycleState::Verified);
    assert_eq!(state(world.kiosk(), &ids[1]), LifecycleState::Accepted);
    assert_eq!(world.platform.submissions().unwrap().len(), 2);
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_after_online_sync_and_sync_after_export_never_duplicate() {
    let world = World::enrolled().await;
    let online = world.enqueue(1);
    sync::sync_once(world.kiosk()).await.unwrap();
    assert_eq!(state(world.kiosk(), &online), LifecycleState::Accepted);
    let offline = world.enqueue(2);
    let report = world.export();
    assert_eq!(report.ids, vec![offline.clone()], "only the unsent one");

    // The link came back before the stick reached the platform: both channels deliver it.
    let synced = sync::sync_once(world.kiosk()).await.unwrap();
    assert_eq!(synced.delivered, 1);
    let imported = world
        .platform
        .import_bundle(&std::fs::read(&report.path).unwrap())
        .await
        .unwrap();
    assert_eq!((imported.imported, imported.duplicates), (0, 1));
    assert_eq!(world.platform.submissions().unwrap().len(), 2);
    let nothing = tokio::task::block_in_place(|| {
        export::export_bundle(
            world.kiosk(),
            world.usb.path(),
            "admin",
            false,
            clock::now_ms(),
        )
    });
    assert_eq!(nothing.unwrap_err().code, "EXPORT_NOTHING");
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_or_foreign_bundle_is_refused_whole() {
    let world = World::enrolled().await;
    world.enqueue(1);
    world.enqueue(2);
    let report = world.export();
    let text = std::fs::read_to_string(&report.path).unwrap();
    let mut bundle: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sealed = bundle["items"][1]["sealedPayload"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut flipped = sealed.into_bytes();
    flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
    bundle["items"][1]["sealedPayload"] = String::from_utf8(flipped).unwrap().into();
    let err = world
        .platform
        .import_bundle(bundle.to_string().as_bytes())
        .await
        .unwrap_err();
    assert_eq!(err.code, "BUNDLE_TAMPERED", "{err:?}");
    assert!(err.en.contains("nothing was imported"), "{}", err.en);
    assert!(
        world.platform.submissions().unwrap().is_empty(),
        "not even the intact first item"
    );

    let mut manifest: serde_json::Value =
        serde_json::from_str(bundle["manifest"].as_str().unwrap()).unwrap();
    manifest["kioskId"] = "someone-else".into();
    let mut forged: serde_json::Value = serde_json::from_str(&text).unwrap();
    forged["manifest"] = manifest.to_string().into();
    let err = world
        .platform
        .import_bundle(forged.to_string().as_bytes())
        .await
        .unwrap_err();
    assert_eq!(err.code, "KIOSK_UNKNOWN", "{err:?}");

    let mut resigned: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Change the signature's first character (to another base64 letter).
    let signature = bundle["signature"].as_str().unwrap();
    let first = if signature.starts_with('A') { "B" } else { "A" };
    resigned["signature"] = format!("{first}{}", &signature[1..]).into();
    let err = world
        .platform
        .import_bundle(resigned.to_string().as_bytes())
        .await
        .unwrap_err();
    assert_eq!(err.code, "BUNDLE_TAMPERED", "{err:?}");
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_send_and_confirmation_loses_and_deletes_nothing() {
    let mut world = World::enrolled().await;
    let id = world.enqueue(1);
    let bundle = world.export();
    tokio::task::block_in_place(|| {
        let store = world.kiosk().store();
        store.set_setting("retention.days", "0").unwrap();
        store
            .apply_event(
                &id,
                LifecycleEvent::StartUpload,
                None,
                None,
                clock::now_ms(),
            )
            .unwrap();
    });
    // The platform got it (the request arrived) but the answer never reached the kiosk...
    world
        .platform
        .import_bundle(&std::fs::read(&bundle.path).unwrap())
        .await
        .unwrap();
    // ...because the kiosk died: drop the store mid-upload and open it again.
    drop(world.kiosk.take());
    world.kiosk = Some(Kiosk::open(world.kiosk_dir.path()).unwrap());
    let purged = tokio::task::block_in_place(|| {
        world
            .kiosk()
            .store()
            .purge(clock::now_ms() + 1, 60_000, "system")
    })
    .unwrap();
    assert_eq!(
        purged.applications, 0,
        "sent is not confirmed: nothing purged"
    );
    let detail = world.kiosk().store().show(&id).unwrap();
    assert_eq!(detail.entry.state, LifecycleState::Uploading);
    assert!(detail.sealing.is_some(), "payload still there");
    assert_eq!(detail.attachments.len(), 1, "attachment still there");

    let report = sync::sync_once(world.kiosk()).await.unwrap();
    assert_eq!(report.delivered, 1, "re-sent after the crash: {report:?}");
    assert_eq!(world.platform.submissions().unwrap().len(), 1, "one copy");
    assert_eq!(state(world.kiosk(), &id), LifecycleState::Accepted);
    let purged = tokio::task::block_in_place(|| {
        world
            .kiosk()
            .store()
            .purge(clock::now_ms() + 1, 60_000, "system")
    })
    .unwrap();
    assert_eq!(purged.applications, 1, "confirmed, retention 0: purged now");
    world.stop().await;
}

fn fixture_submission() -> (String, Vec<AttachmentUpload>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/applications/tianjin-legal-entity.json"
    );
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut files = Vec::new();
    if let Some(list) = value.get_mut("attachments").and_then(|a| a.as_array_mut()) {
        for (i, entry) in list.iter_mut().enumerate() {
            let bytes = vec![u8::try_from(i).unwrap(); 1000 + i];
            entry["sizeBytes"] = serde_json::json!(bytes.len());
            files.push(AttachmentUpload {
                slot: entry["slot"].as_str().unwrap().to_owned(),
                media_type: entry["mediaType"].as_str().unwrap().to_owned(),
                bytes,
            });
        }
    }
    (value.to_string(), files)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reached_limit_refuses_new_work_while_queued_work_still_syncs() {
    let world = World::enrolled().await;
    let now = clock::now_ms();
    let store = world.kiosk().store();
    let queued = world.enqueue(1);
    let (json, files) = fixture_submission();
    let try_submit = |files: Vec<AttachmentUpload>| {
        tokio::task::block_in_place(|| {
            submit::submit(
                world.kiosk(),
                Submission {
                    profile: "tianjin",
                    application: serde_json::from_str(&json).unwrap(),
                    attachments: files,
                    actor: "clerk",
                    draft_id: None,
                },
                now,
            )
        })
    };
    tokio::task::block_in_place(|| {
        store.set_setting(limits::SETTING_LAST_UPDATE_CHECK, &now.to_string())
    })
    .unwrap();
    let days_ago = |d: i64| (now - d * 24 * 60 * 60 * 1000).to_string();
    let cases: [(&str, String, &str, String); 4] = [
        (
            kiosk_core::settings::MAX_UNSENT.key,
            "1".into(),
            "",
            String::new(),
        ),
        (
            kiosk_core::settings::MAX_DAYS_WITHOUT_SYNC.key,
            "3".into(),
            kiosk_api::sync::SETTING_LAST_SUCCESS_AT,
            days_ago(4),
        ),
        (
            kiosk_core::settings::MAX_DAYS_WITHOUT_UPDATE_CHECK.key,
            "10".into(),
            limits::SETTING_LAST_UPDATE_CHECK,
            days_ago(11),
        ),
        (
            kiosk_core::settings::MIN_FREE_DISK_MB.key,
            "1000000000".into(),
            "",
            String::new(),
        ),
    ];
    for (key, value, input_key, input) in cases {
        tokio::task::block_in_place(|| {
            store.set_setting(key, &value).unwrap();
            if !input_key.is_empty() {
                store.set_setting(input_key, &input).unwrap();
            }
        });
        let refused = try_submit(files.clone()).unwrap_err();
        assert_eq!(refused.code, "LIMIT_REACHED", "{key}: {refused:?}");
        let report = limits::check(world.kiosk(), now).unwrap();
        assert!(!report.accepting_new, "{key}: {report:?}");
        // Put this limit back before the next one.
        tokio::task::block_in_place(|| {
            store.set_setting(key, "1000000").unwrap();
            if key == kiosk_core::settings::MIN_FREE_DISK_MB.key {
                store.set_setting(key, "1").unwrap();
            }
            if !input_key.is_empty() {
                store.set_setting(input_key, &now.to_string()).unwrap();
            }
        });
    }
    assert!(
        try_submit(files.clone()).is_ok(),
        "all limits lifted: accepted again"
    );
    tokio::task::block_in_place(|| store.set_setting(kiosk_core::settings::MAX_UNSENT.key, "1"))
        .unwrap();
    let report = sync::sync_once(world.kiosk()).await.unwrap();
    assert_eq!(report.delivered, 2, "queued work keeps syncing: {report:?}");
    assert_eq!(state(world.kiosk(), &queued), LifecycleState::Accepted);
    world.stop().await;
}
