//! The storage engines against real servers: PostgreSQL (transactions, the write lock, typed
//! NULLs, RETURNING) and S3 on SeaweedFS (put/get/size/delete), always, whatever
//! PLATFORM_TEST_BACKEND says: this is where the testkit itself is tested.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use platform::sql_params;
use platform::storage::objects::BlobStore;
use platform::storage::postgres::PgStorage;
use platform::storage::{Mode, Storage};

#[test]
fn postgres_and_s3_engines_work_against_real_servers() {
    let (pg, weed) = common::shared_servers();
    let store = PgStorage::connect(&pg.new_database(), 4).unwrap();
    {
        let mut tx = store.begin(Mode::Write).unwrap();
        let id: i64 = tx
            .query_row(
                "INSERT INTO sms_codes (phone, purpose, code_hash, sent_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                sql_params!["13800138000", "register", "h", 1i64, 2i64],
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

    let config = common::s3_storage(String::new(), weed);
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::open(&config.blobs, &config.s3, dir.path()).unwrap();
    assert_eq!(blobs.get("x").unwrap(), None);
    blobs.put("partial/k-x", vec![1, 2, 3]).unwrap();
    assert_eq!(blobs.size("partial/k-x").unwrap(), Some(3));
    assert_eq!(blobs.get("partial/k-x").unwrap(), Some(vec![1, 2, 3]));
    blobs.delete("partial/k-x").unwrap();
    assert_eq!(blobs.size("partial/k-x").unwrap(), None);
}
