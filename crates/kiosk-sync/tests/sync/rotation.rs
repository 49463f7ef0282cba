//! Platform key rotation: `platform::identity::rotate` (what `platformd rotate-identity`
//! runs) makes a new key signed by the old one; a kiosk pinned to the old key follows the
//! chain, keeps syncing and moves its pin. A key not chained to the pin stays refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use kiosk_sync::{MemoryOutbox, SyncEngine, Timeouts};
use platform::{Platform, PlatformConfig, SystemClock};

struct Running {
    platform: Arc<Platform>,
    url: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(dir: &Path) -> Running {
    let platform = Arc::new(
        Platform::open(
            &PlatformConfig {
                data_dir: dir.to_path_buf(),
            },
            Arc::new(SystemClock { offset_ms: 0 }),
        )
        .unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(platform::serve(
        Arc::clone(&platform),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    Running {
        platform,
        url,
        stop,
        task,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_follows_a_rotation_signed_by_its_pinned_key() {
    let dir = tempfile::tempdir().unwrap();
    let first = start(dir.path()).await;
    let code = first.platform.issue_enrolment_code("rotating").unwrap();
    let mut cred = kiosk_sync::enrol(&first.url, &code, Timeouts::default())
        .await
        .unwrap();
    let old_key = cred.platform_key.clone().unwrap();
    let _ = first.stop.send(());
    first.task.await.unwrap().unwrap();
    drop(first.platform);

    let (old, new) = platform::identity::rotate(dir.path(), kiosk_sync::now_ms()).unwrap();
    assert_ne!(old, new, "a new key");
    let second = start(dir.path()).await;
    assert_eq!(
        second.platform.signing_identity().fingerprint(),
        new,
        "serving with the new key"
    );
    cred.platform_url.clone_from(&second.url);
    let client = crate::common::client(cred.clone());
    let outbox = Arc::new(MemoryOutbox::default());
    let (item, _) = crate::common::item(&cred.platform_recipient, 5, 0, 100);
    outbox.push(item).unwrap();
    let engine = SyncEngine::new(
        client.clone(),
        Arc::clone(&outbox),
        kiosk_sync::EngineConfig {
            pull_master: false,
            ..kiosk_sync::EngineConfig::default()
        },
    );
    let report = engine.run_once().await.unwrap();
    assert_eq!(
        report.delivered, 1,
        "answers by the new key accepted: {report:?}"
    );
    assert_ne!(client.pinned_key_b64(), old_key, "the pin moved");
    assert_eq!(
        client.pinned_key_b64(),
        second.platform.signing_identity().public_key_b64(),
        "to the new key"
    );
    // A fresh enrolment code carries the new fingerprint.
    let code = second
        .platform
        .issue_enrolment_code("after rotation")
        .unwrap();
    assert!(
        new.starts_with(&code[15..].replace('-', "")),
        "new codes carry the new fingerprint"
    );
    let _ = second.stop.send(());
    second.task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_key_without_the_chain_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let first = start(dir.path()).await;
    let code = first.platform.issue_enrolment_code("lost key").unwrap();
    let mut cred = kiosk_sync::enrol(&first.url, &code, Timeouts::default())
        .await
        .unwrap();
    let _ = first.stop.send(());
    first.task.await.unwrap().unwrap();
    drop(first.platform);
    // The key is lost and replaced without a rotation: no chain leads to the new one.
    std::fs::remove_file(dir.path().join(platform::identity::SIGNING_KEY_FILE)).unwrap();
    platform::identity::SigningIdentity::create(dir.path()).unwrap();
    let second = start(dir.path()).await;
    cred.platform_url.clone_from(&second.url);
    let err = crate::common::client(cred)
        .status(0, 10)
        .await
        .expect_err("refused");
    assert_eq!(
        kiosk_core::problem::UserFacing::code(&err),
        "PLATFORM_ANSWER_FORGED",
        "{err:?}"
    );
    let _ = second.stop.send(());
    second.task.await.unwrap().unwrap();
}
