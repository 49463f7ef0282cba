//! The storage engines against real servers: PostgreSQL (transactions, the write lock, typed
//! NULLs, RETURNING) and S3 on SeaweedFS (put/get/size/delete), always, whatever
//! PLATFORM_TEST_BACKEND says: this is where the testkit itself is tested.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use platform::sql_params;
use platform::storage::objects::BlobStore;
use platform::storage::postgres::PgStorage;
use platform::storage::{Mode, Storage};

#[test]
fn postgres_and_s3_engines_work_against_real_servers() {
    let (pg, weed) = crate::common::shared_servers();
    let store = PgStorage::connect(&pg.new_database(), 4).unwrap();
    {
        let mut tx = store.begin(Mode::Write).unwrap();
        let id: i64 = tx
            .query_row(
                "INSERT INTO sms_codes (phone_index, purpose, code_hash, sent_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                sql_params!["phone-index", "register", "h", 1i64, 2i64],
                |r| r.get(0),
            )
            .unwrap();
        assert!(id >= 1);
        let none: Option<&str> = None;
        tx.execute(
            "INSERT INTO heartbeats (kiosk_id, received_at, version, hall, queue_depth)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            sql_params!["k", 5i64, "1.0", none, 0i64],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    {
        let mut tx = store.begin(Mode::Write).unwrap();
        tx.execute("DELETE FROM heartbeats", &[]).unwrap();
        // Dropped: rolled back.
    }
    let mut read = store.begin(Mode::Read).unwrap();
    let hall: Option<String> = read
        .query_row(
            "SELECT hall FROM heartbeats WHERE kiosk_id = ?1",
            sql_params!["k"],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hall, None, "typed NULL stored, the delete rolled back");
    drop(read);

    let config = crate::common::s3_storage(String::new(), weed);
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::open(&config.blobs, &config.s3, dir.path()).unwrap();
    assert_eq!(blobs.get("x").unwrap(), None);
    blobs.put("partial/k-x", vec![1, 2, 3]).unwrap();
    assert_eq!(blobs.size("partial/k-x").unwrap(), Some(3));
    assert_eq!(blobs.get("partial/k-x").unwrap(), Some(vec![1, 2, 3]));
    blobs.delete("partial/k-x").unwrap();
    assert_eq!(blobs.size("partial/k-x").unwrap(), None);
}

/// Two replicas (two `Platform`s with the same keys over one PostgreSQL database and one
/// bucket) receive the same submission at the same moment, 20 times: each is stored once, both
/// answers carry the same receipt, and the kiosk's status feed holds one event per submission.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_racing_on_one_submission_keep_exactly_one() {
    use axum::body::to_bytes;
    use std::sync::Arc;
    use tower::ServiceExt;

    let (pg, weed) = tokio::task::spawn_blocking(crate::common::shared_servers)
        .await
        .unwrap();
    let storage = crate::common::s3_storage(pg.new_database(), weed);
    let f = crate::common::Fixture::on(storage.clone(), |p| p).await;
    let second = tempfile::tempdir().unwrap();
    for name in [
        "platform-identity.txt",
        "platform-signing.key",
        "platform-secret",
        "admin-token",
    ] {
        std::fs::copy(f.dir.path().join(name), second.path().join(name)).unwrap();
    }
    let replica = Arc::new(
        platform::Platform::open_with(
            &platform::PlatformConfig {
                data_dir: second.path().to_path_buf(),
            },
            &storage,
            f.clock.clone(),
        )
        .unwrap(),
    );
    assert_eq!(
        replica.recipient(),
        f.platform.recipient(),
        "the shared identity"
    );
    let now = platform::Clock::now_ms(f.clock.as_ref());
    for n in 0..20u64 {
        let id = crate::common::uuid(0x5000 + n);
        let payload = serde_json::json!({"kind": "natural-person", "profile": "most", "manualFallback": true});
        let body = serde_json::json!({
            "id": id,
            "sealedPayload": base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                crate::common::seal(f.platform.recipient(), payload.to_string().as_bytes()),
            ),
            "attachments": [],
        })
        .to_string()
        .into_bytes();
        let nonce = || hex::encode(platform::db::random_bytes(16).unwrap());
        let a = f.signed("POST", "/api/v1/submissions", body.clone(), now, &nonce());
        let b = f.signed("POST", "/api/v1/submissions", body, now, &nonce());
        // Each on its own OS thread and runtime, released together (the handlers block on
        // the database, so two tasks of one runtime could run one after the other).
        let start = std::sync::Barrier::new(2);
        let send = |platform: Arc<platform::Platform>, request| {
            let start = &start;
            move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                start.wait();
                runtime
                    .block_on(platform::routes::router(platform).oneshot(request))
                    .unwrap()
            }
        };
        let (ra, rb) = std::thread::scope(|scope| {
            let ta = scope.spawn(send(Arc::clone(&f.platform), a));
            let tb = scope.spawn(send(Arc::clone(&replica), b));
            (ta.join().unwrap(), tb.join().unwrap())
        });
        let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
        statuses.sort_unstable();
        let ja: serde_json::Value =
            serde_json::from_slice(&to_bytes(ra.into_body(), usize::MAX).await.unwrap()).unwrap();
        let jb: serde_json::Value =
            serde_json::from_slice(&to_bytes(rb.into_body(), usize::MAX).await.unwrap()).unwrap();
        assert_eq!(
            statuses,
            [200, 201],
            "one stored it, one answered the repeat: {ja} {jb}"
        );
        assert_eq!(ja["receipt"], jb["receipt"], "the same receipt");
    }
    let stored = replica.submissions().unwrap();
    assert_eq!(stored.len(), 20, "each submission once");
    let feed = f.platform.status_feed(&f.kiosk.id, 0, 100).unwrap();
    assert_eq!(feed.events.len(), 20, "one status event each");
}
