//! platformd serving TLS itself (rustls) with a certificate made at runtime, and a kiosk that
//! enrols and syncs over it pinned to that certificate; without the pin (system roots) or
//! pinned to another certificate it cannot connect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use kiosk_sync::{Backoff, EngineConfig, MemoryOutbox, SyncEngine, SyncError, Timeouts};
use platform::{Platform, PlatformConfig, SystemClock};

fn self_signed() -> (String, String) {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    (made.cert.pem(), made.key_pair.serialize_pem())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_syncs_over_platformd_tls_pinned_to_its_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, &cert).unwrap();
    std::fs::write(&key_path, &key).unwrap();
    let config = platform::tls::server_config(&cert_path, &key_path).unwrap();
    let platform = Arc::new(
        Platform::open(
            &PlatformConfig {
                data_dir: dir.path().join("data"),
            },
            Arc::new(SystemClock { offset_ms: 0 }),
        )
        .unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(platform::tls::serve_tls(
        Arc::clone(&platform),
        listener,
        config,
        async move {
            let _ = stopped.await;
        },
    ));
    let url = format!("https://localhost:{port}");
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_secs(5),
    };

    let code = platform.issue_enrolment_code("tls kiosk").unwrap();
    let unpinned = kiosk_sync::enrol(&url, &code, timeouts).await;
    assert!(
        matches!(unpinned, Err(SyncError::Transient(_))),
        "the system roots do not know the certificate: {unpinned:?}"
    );
    let (other, _) = self_signed();
    let wrong = kiosk_sync::enrol_pinned(&url, &code, Some(&other), timeouts).await;
    assert!(
        matches!(wrong, Err(SyncError::Transient(_))),
        "pinned to another certificate: {wrong:?}"
    );

    let cred = kiosk_sync::enrol_pinned(&url, &code, Some(&cert), timeouts)
        .await
        .unwrap();
    assert_eq!(cred.pinned_tls.as_deref(), Some(cert.as_str()), "pin kept");
    let outbox = Arc::new(MemoryOutbox::default());
    let (item, _) = crate::common::item(&cred.platform_recipient, 1, 1, 2000);
    outbox.push(item).unwrap();
    let engine = SyncEngine::new(
        kiosk_sync::PlatformClient::new(cred, timeouts).unwrap(),
        Arc::clone(&outbox),
        EngineConfig {
            concurrency: 1,
            backoff: Backoff {
                base: Duration::from_millis(20),
                cap: Duration::from_millis(100),
            },
            batch: 4,
            pull_master: true,
        },
    );
    let report = engine.run_once().await.unwrap();
    assert_eq!(report.delivered, 1, "delivered over TLS: {report:?}");
    assert_eq!(platform.submissions().unwrap().len(), 1, "stored once");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
