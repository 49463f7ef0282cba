//! Privacy at rest and in answers: passwords stored only sealed, never in the admin listing,
//! attachment files owner-only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{Fixture, application, seal, uuid, with_token};
use platform::Clock as _;
use platform::db::sha256_hex;

#[tokio::test]
async fn passwords_are_sealed_at_rest_and_left_out_of_the_admin_listing() {
    let f = Fixture::new().await;
    let app = application("most-natural-person");
    let password = app["account"]["password"].as_str().unwrap().to_owned();
    let token = f.sms_token("18610100007", "register").await; // its mobile
    let a = f.submit(&uuid(1), &with_token(app, &token)).await;
    assert!(a.status.is_success(), "{}", a.json);
    let raw: String = f
        .platform
        .read()
        .unwrap()
        .query_row("SELECT payload FROM submissions", &[], |r| r.get(0))
        .unwrap();
    assert!(
        !raw.contains(&password),
        "no plaintext password in platform.db"
    );
    assert!(raw.contains("\"sealed\""), "sealed to the platform key");
    if f.platform.database_engine() == "sqlite" {
        let db_file = std::fs::read(f.dir.path().join("platform.db")).unwrap();
        assert!(
            !db_file
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "not in the database file either"
        );
    }
    let listing = f
        .answer(f.admin("GET", "/api/v1/admin/submissions", serde_json::Value::Null))
        .await;
    assert_eq!(listing.status, StatusCode::OK);
    let text = listing.json.to_string();
    assert!(
        !text.contains(&password) && !text.contains("\"sealed\""),
        "{text}"
    );
    assert_eq!(listing.json[0]["payload"]["account"]["password"], "(given)");
}

#[cfg(unix)]
#[tokio::test]
async fn attachment_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    // Local blob files on every backend run (PostgreSQL runs keep blobs in S3 otherwise).
    let f = Fixture::on(platform::StorageConfig::default(), |p| p).await;
    let plain = vec![7u8; 20_000];
    let sha = sha256_hex(&plain);
    let sealed = seal(f.platform.recipient(), &plain);
    let total = sealed.len();
    let half = total / 2;
    for (range, bytes) in [(0..half, &sealed[..half]), (half..total, &sealed[half..])] {
        let mut req = f.signed(
            "PUT",
            &format!("/api/v1/blobs/{sha}"),
            bytes.to_vec(),
            f.clock.now_ms(),
            &hex::encode(platform::db::random_bytes(16).unwrap()),
        );
        req.headers_mut().insert(
            "content-range",
            format!("bytes {}-{}/{total}", range.start, range.end - 1)
                .parse()
                .unwrap(),
        );
        let (s, j) = f.call(req).await;
        assert!(s.is_success(), "{j}");
    }
    let mut files = 0;
    let mut dirs = vec![f.dir.path().join("blobs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                dirs.push(entry.path());
            } else {
                files += 1;
                assert_eq!(
                    meta.permissions().mode() & 0o777,
                    0o600,
                    "{:?}",
                    entry.path()
                );
            }
        }
    }
    assert!(files >= 1, "the blob was written");
}
