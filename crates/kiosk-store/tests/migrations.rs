//! Migrations: valid, applied from an empty database and from every earlier version, with
//! data written at each step surviving the upgrade.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kiosk_core::UserFacing;
use kiosk_store::migrations::{current_version, latest_version, migrations};
use kiosk_store::{Store, StoreConfig};
use rusqlite::Connection;

/// Creates the key files (as an older kiosk left them) and a raw connection to a new
/// database in `dir`.
fn raw_database(dir: &std::path::Path) -> (StoreConfig, Connection) {
    use age::secrecy::ExposeSecret;
    let config = StoreConfig::in_data_dir(dir);
    std::fs::create_dir_all(&config.key_dir).unwrap();
    std::fs::create_dir_all(&config.db_dir).unwrap();
    let key = "0123456789abcdef".repeat(4);
    std::fs::write(config.key_path(), &key).unwrap();
    let identity = age::x25519::Identity::generate();
    std::fs::write(
        config.local_identity_path(),
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    kiosk_store::prepare_sqlcipher();
    let conn = Connection::open(config.database_path()).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
        .unwrap();
    (config, conn)
}

/// Writes data that the schema at `version` can hold (as an older kiosk would have).
fn write_data_of_version(conn: &Connection, version: usize) {
    let sql = match version {
        1 => "INSERT INTO settings (key, value) VALUES ('kiosk.name', '一号终端');",
        2 => {
            "INSERT INTO applications (id, kind, profile, state, summary, created_at, updated_at)
               VALUES ('app-1', 'legal-entity', 'tianjin', 'submitted', '{}', 1, 1);
             INSERT INTO payloads (application_id, sealing, body) VALUES ('app-1', 'local', x'00');
             INSERT INTO attachments
               (application_id, position, sha256, slot, media_type, size, sealing, body)
               VALUES ('app-1', 0, printf('%064d', 0), 'licence', 'image/jpeg', 1, 'local', x'00');
             INSERT INTO outbox (application_id, next_attempt_at) VALUES ('app-1', 1);"
        }
        3 => {
            "INSERT INTO staff (username, display_name, role, password_hash, created_at)
               VALUES ('clerk', '王工', 'operator', 'x', 1);"
        }
        4 => "",
        5 => {
            "INSERT INTO master_data (kind, code, value, updated_at) VALUES ('hall', 'h1', '{}', 1);"
        }
        6 => {
            "INSERT INTO reviews (application_id, status, requested_at) VALUES ('app-1', 'approved', 1);
             INSERT INTO exports (application_id, bundle, exported_at) VALUES ('app-1', 'b1', 1);"
        }
        7 => {
            "INSERT INTO throttle (key, failures, locked_until) VALUES ('status-lookup', 5, 4102444800000);"
        }
        other => panic!("no test data for schema version {other}: extend this test"),
    };
    conn.execute_batch(sql).unwrap();
}

fn assert_data_up_to(store: &Store, version: usize) {
    if version >= 1 {
        assert_eq!(
            store.setting("kiosk.name").unwrap().as_deref(),
            Some("一号终端")
        );
    }
    if version >= 2 {
        let detail = store.show("app-1").unwrap();
        assert_eq!(detail.attachments.len(), 1, "attachment kept from v2");
        assert_eq!(detail.entry.next_attempt_at, Some(1));
    }
    if version >= 3 {
        assert_eq!(store.staff().unwrap().len(), 1, "staff kept from v3");
    }
    if version >= 6 {
        let review = store
            .review_of("app-1")
            .unwrap()
            .expect("review kept from v6");
        assert_eq!(review.status.as_str(), "approved");
        assert_eq!(store.bundles_of("app-1").unwrap(), vec!["b1".to_owned()]);
    }
    if version >= 7 {
        let throttled = store.status_lookup_admit(2).unwrap_err();
        assert_eq!(
            throttled.code(),
            "STATUS_LOOKUP_THROTTLED",
            "throttle kept from v7"
        );
    }
    let check = store.check().unwrap();
    assert!(check.is_ok(), "{check:?}");
}

#[test]
fn migrations_validate() {
    migrations().unwrap().validate().unwrap();
    assert!(latest_version() >= 5);
}

#[test]
fn from_every_earlier_version_to_latest_keeps_the_data() {
    for start in 0..=latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let (config, mut conn) = raw_database(dir.path());
        migrations().unwrap().to_version(&mut conn, start).unwrap();
        assert_eq!(current_version(&conn).unwrap(), start);
        for v in 1..=start {
            write_data_of_version(&conn, v);
        }
        drop(conn);
        let store = Store::open_with(config).unwrap();
        assert_data_up_to(&store, start);
        assert_eq!(
            store.check().unwrap().schema_version,
            latest_version(),
            "from {start}"
        );
    }
}

#[test]
fn step_by_step_with_data_written_between_steps() {
    let dir = tempfile::tempdir().unwrap();
    let (config, mut conn) = raw_database(dir.path());
    for v in 1..=latest_version() {
        migrations().unwrap().to_version(&mut conn, v).unwrap();
        write_data_of_version(&conn, v);
    }
    drop(conn);
    let store = Store::open_with(config).unwrap();
    assert_data_up_to(&store, latest_version());
}

#[test]
fn a_database_from_newer_software_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (config, conn) = raw_database(dir.path());
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open_with(config).unwrap_err();
    assert!(
        matches!(err, kiosk_store::StoreError::SchemaTooNew { found: 99, .. }),
        "{err:?}"
    );
}
