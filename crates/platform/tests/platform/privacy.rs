//! Privacy at rest, in answers and in logs: personal data and passwords stored only sealed or
//! as blind indexes (both backends), never in the admin listing unmasked, never logged;
//! attachment files owner-only and sealed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Fixture, application, seal, uuid, with_token};
use axum::http::StatusCode;
use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use platform::Clock as _;
use platform::db::sha256_hex;
use platform::storage::Mode;
use platform::{ManualClock, Platform, PlatformConfig, StorageConfig};

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
    // Stored sealed (an ID photo is personal data); the platform opens it.
    let mut dirs = vec![f.dir.path().join("blobs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                assert!(
                    !bytes.windows(64).any(|w| w == &plain[..64]),
                    "{path:?} holds the plaintext"
                );
            }
        }
    }
    assert_eq!(f.platform.blob_bytes(&sha).unwrap(), plain);
}

/// Every place the store holds one of `needles` in plaintext: on SQLite the raw bytes of the
/// database file and its WAL; on PostgreSQL every text, varchar, json and bytea column of
/// every table of the schema (read through SQL).
fn plaintext_hits(f: &Fixture, needles: &[&str]) -> Vec<String> {
    plaintext_hits_in(&f.platform, f.dir.path(), needles)
}

/// [`plaintext_hits`] of `platform`, whose data directory is `dir`.
fn plaintext_hits_in(platform: &Platform, dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    if platform.database_engine() == "sqlite" {
        for name in ["platform.db", "platform.db-wal"] {
            let Ok(bytes) = std::fs::read(dir.join(name)) else {
                continue;
            };
            for needle in needles {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    hits.push(format!("{name}: {needle}"));
                }
            }
        }
        return hits;
    }
    let mut db = platform.read().unwrap();
    let columns: Vec<(String, String, String)> = db
        .query_map(
            "SELECT table_name::text, column_name::text, data_type::text
             FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND data_type IN ('text', 'character varying', 'bytea', 'json', 'jsonb')
             ORDER BY table_name, column_name",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(columns.len() > 20, "the schema's columns: {columns:?}");
    for (table, column, data_type) in columns {
        let select = if data_type == "bytea" {
            format!("SELECT \"{column}\" FROM \"{table}\"")
        } else {
            format!("SELECT convert_to(\"{column}\"::text, 'UTF8') FROM \"{table}\"")
        };
        let rows = db.query(&select, &[]).unwrap();
        for row in rows {
            let bytes: Option<Vec<u8>> = row.get(0).unwrap();
            let Some(bytes) = bytes else { continue };
            for needle in needles {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    hits.push(format!("{table}.{column}: {needle}"));
                }
            }
        }
    }
    hits
}

/// What the at-rest scans look for: the names, ID numbers, phones, account names, e-mail and
/// an address of the applications submitted below.
const PERSONAL: [&str; 12] = [
    "吴涛",
    "110108199202031378",
    "18610100007",
    "wu_tao1992",
    "赵磊",
    "陈静",
    "120101198209155739",
    "13920200003",
    "13920200004",
    "tjshili2021",
    "contact@example.com",
    "经济技术开发区第三大街",
];

#[tokio::test]
async fn no_personal_data_is_stored_in_plaintext() {
    let f = Fixture::new().await;
    // A registration verified at the kiosk (SMS code and token rows), then approved.
    let token = f.sms_token("18610100007", "register").await;
    let person = with_token(application("most-natural-person"), &token);
    let a = f.submit(&uuid(1), &person).await;
    assert_eq!(a.json["state"], "accepted", "{}", a.json);
    // A unit whose agent verifies later (a verify-later code goes out).
    let unit = crate::common::deferred(application("tianjin-legal-entity"));
    let b = f.submit(&uuid(2), &unit).await;
    assert!(b.status.is_success(), "{}", b.json);
    // The live checks and a status lookup by ID number and mobile.
    for (kind, value) in [
        ("id-number", "110108199202031378"),
        ("mobile", "18610100007"),
        ("account-name", "wu_tao1992"),
    ] {
        // Profile `most` does not reserve mobiles: that check answers false.
        let expected = kind != "mobile";
        let c = f
            .post(
                &format!("/api/v1/checks/{kind}"),
                serde_json::json!({ "value": value }),
            )
            .await;
        assert_eq!(c.json["registered"], expected, "{kind}: {}", c.json);
    }
    let real = f
        .post(
            "/api/v1/checks/real-name",
            serde_json::json!({"name": "吴涛", "idNumber": "110108199202031378"}),
        )
        .await;
    assert_eq!(real.status, StatusCode::OK, "{}", real.json);
    let lookup = f
        .post(
            "/api/v1/status/lookup",
            serde_json::json!({"idNumber": "110108199202031378", "mobile": "18610100007"}),
        )
        .await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.json);
    let approved = f
        .review(&uuid(1), serde_json::json!({"action": "approve"}))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.json);
    let hits = plaintext_hits(&f, &PERSONAL);
    assert!(hits.is_empty(), "personal data in plaintext: {hits:?}");
    // The platform still reads them: the duplicate checks fire on a second registration.
    let again = f.submit(&uuid(3), &person).await;
    assert_eq!(
        again.json["reason"]["code"], "ACCOUNT_NAME_TAKEN",
        "{}",
        again.json
    );
}

#[tokio::test]
async fn the_scan_finds_a_value_left_clear() {
    let f = Fixture::new().await;
    assert!(
        plaintext_hits(&f, &PERSONAL).is_empty(),
        "an empty platform"
    );
    f.platform
        .write_with(|tx| {
            tx.execute(
                "INSERT INTO rate_events (scope, key, at) VALUES ('t', '110108199202031378', 1)",
                &[],
            )?;
            Ok(())
        })
        .unwrap();
    let hits = plaintext_hits(&f, &PERSONAL);
    assert!(
        hits.iter().any(|h| h.contains("110108199202031378")),
        "the scan sees a clear ID number: {hits:?}"
    );
}

/// Rows as the previous platformd wrote them: payload, account names, registry values, SMS
/// phones and submission mobiles in plaintext. One statement a line, literals only, for both
/// engines.
fn old_rows(code_hash: &str) -> Vec<String> {
    let id = uuid(1);
    let payload = application("most-natural-person").to_string();
    vec![
        format!(
            "INSERT INTO submissions (id, kiosk_id, request_hash, received_at, payload, attachments,
                state, account_name, receipt, updated_at, receipt_code, kind, profile, manual_review)
             VALUES ('{id}', 'kiosk-old', 'h', 5, '{payload}', '[]', 'verified', 'wu_tao1992',
                'KG695-HRKAD', 5, 'KG695HRKAD', 'natural-person', 'most', 0)"
        ),
        format!(
            "INSERT INTO status_events (kiosk_id, application_id, state, account_name, at)
             VALUES ('kiosk-old', '{id}', 'verified', 'wu_tao1992', 6)"
        ),
        format!("INSERT INTO registry (kind, value, submission_id) VALUES ('accountName', 'wu_tao1992', '{id}')"),
        format!("INSERT INTO registry (kind, value, submission_id) VALUES ('idNumber', '110108199202031378', '{id}')"),
        format!(
            "INSERT INTO submission_mobiles (application_id, phone, recorded_at, verified_at, method)
             VALUES ('{id}', '18610100007', 5, 5, 'sms-token')"
        ),
        format!(
            "INSERT INTO sms_codes (phone, purpose, code_hash, sent_at, expires_at)
             VALUES ('18610100007', 'register', '{code_hash}', {}, {})",
            crate::common::TEN_AM_CST - 1000,
            crate::common::TEN_AM_CST + 300_000
        ),
        "INSERT INTO sms_tokens (token_hash, phone, purpose, issued_at, expires_at)
         VALUES ('t', '18610100007', 'register', 5, 6)"
            .to_owned(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_database_is_sealed_on_start_and_its_duplicates_still_fire() {
    let dir = tempfile::tempdir().unwrap();
    let storage = crate::common::test_storage();
    let clock = Arc::new(ManualClock::new(crate::common::TEN_AM_CST));
    let config = PlatformConfig {
        data_dir: dir.path().to_path_buf(),
    };
    // The keys first (on a throwaway SQLite file), then the old database beside them.
    drop(
        Platform::open_with(
            &config,
            &StorageConfig {
                database: platform::storage::DatabaseUrl::Sqlite(Some(dir.path().join("keys.db"))),
                ..StorageConfig::default()
            },
            clock.clone(),
        )
        .unwrap(),
    );
    for name in ["keys.db", "keys.db-wal", "keys.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(name));
    }
    let secret = hex::decode(
        std::fs::read_to_string(dir.path().join("platform-secret"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let code = "482913";
    let code_hash =
        platform::db::keyed_hash(&secret, &["sms-code", "18610100007", "register", code]);
    let old: Box<dyn platform::storage::Storage> = match &storage.database {
        platform::storage::DatabaseUrl::Postgres(url) => {
            Box::new(platform::storage::postgres::PgStorage::connect_at_version(url, 2, 2).unwrap())
        }
        platform::storage::DatabaseUrl::Sqlite(_) => {
            Box::new(platform::storage::sqlite::SqliteStorage::new(
                platform::db::open_at(&dir.path().join("platform.db"), &secret, 4).unwrap(),
            ))
        }
    };
    {
        let mut tx = old.begin(Mode::Write).unwrap();
        for sql in old_rows(&code_hash) {
            tx.execute(&sql, &[]).unwrap();
        }
        tx.commit().unwrap();
    }
    drop(old);
    let before = ["吴涛", "110108199202031378", "18610100007", "wu_tao1992"];

    let platform = Platform::open_with(&config, &storage, clock.clone()).unwrap();
    let hits = plaintext_hits_in(&platform, dir.path(), &before);
    assert!(
        hits.is_empty(),
        "plaintext left after the upgrade: {hits:?}"
    );
    // Everything still reads and still fires.
    let record = platform.submission(&uuid(1)).unwrap().unwrap();
    assert_eq!(record.payload["person"]["name"], "吴涛");
    assert_eq!(record.account_name.as_deref(), Some("wu_tao1992"));
    let feed = platform.status_feed("kiosk-old", 0, 10).unwrap();
    assert_eq!(feed.events[0].account_name.as_deref(), Some("wu_tao1992"));
    assert!(
        platform
            .check_registered(platform::uniqueness::Unique::IdNumber, "110108199202031378")
            .unwrap()
            .registered,
        "the live ID number check fires"
    );
    assert!(
        platform
            .check_registered(platform::uniqueness::Unique::AccountName, "WU_TAO1992")
            .unwrap()
            .registered,
        "the live account name check fires (case-insensitive)"
    );
    let mut again = application("most-natural-person");
    again["account"]["accountName"] = "someone_else".into();
    let sealed = seal(platform.recipient(), again.to_string().as_bytes());
    let (_, receipt) = platform
        .submit(
            "kiosk-old",
            &platform::submissions::SubmissionRequest {
                id: uuid(2),
                sealed_payload: base64::engine::general_purpose::STANDARD.encode(sealed),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(
        receipt.reason.map(|r| r.code),
        Some("ID_NUMBER_REGISTERED".to_owned()),
        "the duplicate check on submission fires"
    );
    // A code sent before the upgrade still verifies (its phone is now a blind index).
    let verified = platform.sms_verify(
        &serde_json::from_value(serde_json::json!({
            "phone": "18610100007", "purpose": "register", "code": code
        }))
        .unwrap(),
    );
    assert!(verified.is_ok(), "{verified:?}");
    // Once only: a second start changes nothing.
    assert_eq!(platform.upgrade_personal_data().unwrap(), None);
}

/// The environment of a `platformd` process on this run's backend (PostgreSQL + S3 with
/// `PLATFORM_TEST_BACKEND=postgres`, else the embedded default).
fn backend_envs() -> Vec<(String, String)> {
    if !crate::common::test_backend_is_postgres() {
        return Vec::new();
    }
    let (pg, weed) = crate::common::shared_servers();
    let url = pg.new_database();
    let storage = crate::common::s3_storage(url.clone(), weed);
    let platform::storage::objects::BlobsUrl::S3 { bucket, prefix } = &storage.blobs else {
        unreachable!()
    };
    vec![
        ("PLATFORM_DATABASE".to_owned(), url),
        (
            "PLATFORM_BLOBS".to_owned(),
            format!("s3://{bucket}/{prefix}"),
        ),
        ("AWS_ENDPOINT_URL".to_owned(), weed.endpoint.clone()),
        ("AWS_ACCESS_KEY_ID".to_owned(), weed.access_key.clone()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), weed.secret_key.clone()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_personal_reaches_the_logs() {
    use crate::common::fleet::{Replica, SimKiosk, fleet_admin_token, platformd};
    let dir = tempfile::tempdir().unwrap();
    let mut envs = tokio::task::spawn_blocking(backend_envs).await.unwrap();
    // Everything platformd logs, at every level, as JSON lines (the default format).
    envs.push(("RUST_LOG".to_owned(), "trace".to_owned()));
    let recipient = platformd(dir.path(), &[], &envs, &["recipient"])
        .trim()
        .to_owned();
    let admin = fleet_admin_token(dir.path(), &[], &envs);
    let replica = Replica::start(dir.path(), &[], &envs);
    let base = format!("http://127.0.0.1:{}", replica.port);
    let kiosk = SimKiosk::enrol(&base, &admin, "大厅 1 号机", [9u8; 32]).await;
    let post = |path: &'static str, body: serde_json::Value| {
        let kiosk = &kiosk;
        async move {
            kiosk
                .signed("POST", path, body.to_string().into_bytes())
                .await
                .unwrap()
        }
    };
    // A code to the mobile, a wrong try, the live checks, a submission, a lookup.
    let (s, _) = post(
        "/api/v1/sms/send",
        serde_json::json!({"phone": "18610100007", "purpose": "register"}),
    )
    .await;
    assert_eq!(s, 200);
    // A wrong try: the code the phone received, every digit off by one.
    let sent = platform::sms::outbox_latest_code(
        &dir.path().join(platform::sms::OUTBOX_FILE),
        "18610100007",
    )
    .unwrap()
    .expect("the platform texted a code");
    let wrong: String = sent
        .chars()
        .map(|digit| {
            let digit = digit.to_digit(10).expect("a code of digits");
            char::from_digit((digit + 1) % 10, 10).expect("a digit")
        })
        .collect();
    let (s, _) = post(
        "/api/v1/sms/verify",
        serde_json::json!({"phone": "18610100007", "purpose": "register", "code": wrong}),
    )
    .await;
    assert!(s == 422, "a wrong code: {s}");
    for (kind, value) in [
        ("id-number", "110108199202031378"),
        ("mobile", "18610100007"),
        ("account-name", "wu_tao1992"),
    ] {
        let (s, _) = kiosk
            .signed(
                "POST",
                &format!("/api/v1/checks/{kind}"),
                serde_json::json!({ "value": value })
                    .to_string()
                    .into_bytes(),
            )
            .await
            .unwrap();
        assert_eq!(s, 200, "{kind}");
    }
    let (s, _) = post(
        "/api/v1/checks/real-name",
        serde_json::json!({"name": "吴涛", "idNumber": "110108199202031378"}),
    )
    .await;
    assert_eq!(s, 200);
    let app = crate::common::deferred(application("most-natural-person"));
    let body = serde_json::json!({
        "id": uuid(1),
        "sealedPayload": base64::engine::general_purpose::STANDARD
            .encode(seal(&recipient, app.to_string().as_bytes())),
        "attachments": [],
    });
    let (s, answer) = post("/api/v1/submissions", body.clone()).await;
    assert_eq!(s, 201, "{}", String::from_utf8_lossy(&answer));
    let mut twin = app.clone();
    twin["account"]["accountName"] = "another_name".into();
    let body = serde_json::json!({
        "id": uuid(2),
        "sealedPayload": base64::engine::general_purpose::STANDARD
            .encode(seal(&recipient, twin.to_string().as_bytes())),
        "attachments": [],
    });
    let (s, answer) = post("/api/v1/submissions", body).await;
    assert_eq!(s, 201);
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer["reason"]["code"], "ID_NUMBER_REGISTERED", "{answer}");
    let (s, _) = post(
        "/api/v1/status/lookup",
        serde_json::json!({"idNumber": "110108199202031378", "mobile": "18610100007"}),
    )
    .await;
    assert_eq!(s, 200);
    drop(replica);
    let mut logs = String::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "log") {
            logs.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    assert!(
        logs.contains("\"route\":\"/api/v1/submissions\""),
        "the access log was captured: {logs:.2000}"
    );
    assert!(
        logs.contains(&format!("submission {} from", uuid(1))),
        "the application log was captured too: {logs:.2000}"
    );
    for personal in ["110108199202031378", "吴涛", "18610100007", "wu_tao1992"] {
        assert!(
            !logs.contains(personal),
            "{personal} in the logs: {}",
            logs.lines()
                .filter(|l| l.contains(personal))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[tokio::test]
async fn a_blob_stored_in_plaintext_by_an_older_platformd_still_reads() {
    let f = Fixture::new().await;
    let plain = b"an attachment from before blobs were sealed".to_vec();
    let sha = sha256_hex(&plain);
    f.platform
        .blob_store()
        .put(&Platform::blob_key(&sha), plain.clone())
        .unwrap();
    assert_eq!(f.platform.blob_bytes(&sha).unwrap(), plain);
}
