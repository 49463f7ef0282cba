//! A platform on a manual clock with enrolled kiosks that sign their calls, driven through the
//! router; payloads sealed the way the kiosk seals them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use platform::auth::canonical_string;
use platform::db::sha256_hex;
use platform::{Clock, ManualClock, Platform, PlatformConfig};
use tower::ServiceExt;

pub mod fleet;
pub mod logs;
pub mod servers;

/// Which storage the fixtures run on: `PLATFORM_TEST_BACKEND=postgres` (PostgreSQL + S3 on
/// SeaweedFS, started once per test binary) or the embedded default (SQLite + files).
pub fn test_backend_is_postgres() -> bool {
    match std::env::var("PLATFORM_TEST_BACKEND").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Ok("") | Err(_) => false,
        Ok(other) => panic!("PLATFORM_TEST_BACKEND={other}: use sqlite or postgres"),
    }
}

/// The servers shared by this test binary's fixtures (stopped when the process exits).
#[allow(unsafe_code)]
pub fn shared_servers() -> &'static (servers::Postgres, servers::Weed) {
    static SERVERS: std::sync::OnceLock<(servers::Postgres, servers::Weed)> =
        std::sync::OnceLock::new();
    extern "C" fn stop_servers() {
        if let Some((pg, weed)) = SERVERS.get() {
            pg.stop();
            weed.stop();
        }
    }
    SERVERS.get_or_init(|| {
        // Started from a thread that lives as long as the process: the kernel's parent-death
        // signal follows the thread that forked a child, not the process.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let started =
                std::panic::catch_unwind(|| (servers::Postgres::start(), servers::Weed::start()));
            let _ = tx.send(started);
            loop {
                std::thread::park();
            }
        });
        let servers = match rx.recv().unwrap() {
            Ok(servers) => servers,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        // SAFETY: registering a plain extern "C" function.
        unsafe { libc::atexit(stop_servers) };
        servers
    })
}

/// The storage a fixture's platform runs on: the default, or a fresh PostgreSQL database and
/// a fresh prefix in the shared bucket.
pub fn test_storage() -> platform::StorageConfig {
    logs::capture_logs();
    if !test_backend_is_postgres() {
        return platform::StorageConfig::default();
    }
    let (pg, weed) = shared_servers();
    s3_storage(pg.new_database(), weed)
}

/// PostgreSQL at `database` and blobs in a fresh prefix of `weed`'s bucket.
pub fn s3_storage(database: String, weed: &servers::Weed) -> platform::StorageConfig {
    let mut prefix = [0u8; 6];
    getrandom::fill(&mut prefix).unwrap();
    platform::StorageConfig {
        database: platform::storage::DatabaseUrl::Postgres(database),
        blobs: platform::storage::objects::BlobsUrl::S3 {
            bucket: weed.bucket.clone(),
            prefix: format!("t-{}", hex::encode(prefix)),
        },
        s3: weed.s3_settings(),
        max_connections: 8,
    }
}

/// 2026-11-23 10:00 China time.
pub const TEN_AM_CST: i64 = 1_795_392_000_000 + 2 * 3_600_000;

/// An enrolled kiosk: its id and signing key.
pub struct Kiosk {
    pub id: String,
    pub key: SigningKey,
}

/// An answer: status, headers and JSON body (`Null` when not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: serde_json::Value,
}

pub struct Fixture {
    pub platform: Arc<Platform>,
    /// Token of the `fleet` admin account (role fleet-admin).
    pub fleet_token: String,
    /// Token of the `reviewer` admin account (role reviewer).
    pub reviewer_token: String,
    pub clock: Arc<ManualClock>,
    pub kiosk: Kiosk,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A platform with the default outbox provider and one enrolled kiosk.
    pub async fn new() -> Self {
        Self::with(|p| p).await
    }

    /// A platform adjusted by `setup` (provider, hours) and one enrolled kiosk.
    pub async fn with(setup: impl FnOnce(Platform) -> Platform) -> Self {
        Self::on(test_storage(), setup).await
    }

    /// [`Fixture::with`] on the given storage.
    pub async fn on(
        storage: platform::StorageConfig,
        setup: impl FnOnce(Platform) -> Platform,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(TEN_AM_CST));
        let platform = Arc::new(setup(
            Platform::open_with(
                &PlatformConfig {
                    data_dir: dir.path().to_path_buf(),
                },
                &storage,
                clock.clone(),
            )
            .unwrap(),
        ));
        let fleet_token = platform
            .add_admin("fleet", platform::admins::Role::FleetAdmin, "test")
            .unwrap();
        let reviewer_token = platform
            .add_admin("reviewer", platform::admins::Role::Reviewer, "test")
            .unwrap();
        let mut f = Self {
            platform,
            fleet_token,
            reviewer_token,
            clock,
            kiosk: Kiosk {
                id: String::new(),
                key: SigningKey::from_bytes(&[7u8; 32]),
            },
            dir,
        };
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let code = f.platform.issue_enrolment_code("大厅 1 号机").unwrap();
        let body = serde_json::json!({
            "code": code.to_lowercase(),
            "publicKey": base64::engine::general_purpose::STANDARD.encode(key.verifying_key().to_bytes()),
        });
        let (status, json) = f
            .call(
                Request::post("/api/v1/enrol")
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "enrolment works: {json}");
        f.kiosk.id = json["kioskId"].as_str().unwrap().to_owned();
        assert_eq!(
            json["platformRecipient"],
            f.platform.recipient(),
            "recipient returned"
        );
        let (again, err) = f
            .call(
                Request::post("/api/v1/enrol")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(again, StatusCode::CONFLICT, "a code works once: {err}");
        f
    }

    /// Enrols another kiosk (another hall) with a key made from `seed`.
    pub async fn enrol(&self, name: &str, seed: u8) -> Kiosk {
        let key = SigningKey::from_bytes(&[seed; 32]);
        let code = self.platform.issue_enrolment_code(name).unwrap();
        let body = serde_json::json!({
            "code": code,
            "publicKey": base64::engine::general_purpose::STANDARD.encode(key.verifying_key().to_bytes()),
        });
        let (status, json) = self
            .call(
                Request::post("/api/v1/enrol")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        Kiosk {
            id: json["kioskId"].as_str().unwrap().to_owned(),
            key,
        }
    }

    pub async fn answer(&self, req: Request<Body>) -> Answer {
        let resp = platform::routes::router(Arc::clone(&self.platform))
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        Answer {
            status,
            headers,
            json,
        }
    }

    pub async fn call(&self, req: Request<Body>) -> (StatusCode, serde_json::Value) {
        let a = self.answer(req).await;
        (a.status, a.json)
    }

    pub fn signed_by(
        &self,
        kiosk: &Kiosk,
        method: &str,
        path: &str,
        body: Vec<u8>,
        at: i64,
        nonce: &str,
    ) -> Request<Body> {
        let text = canonical_string(method, path, at, nonce, &sha256_hex(&body));
        let sig = kiosk.key.sign(text.as_bytes());
        Request::builder()
            .method(method)
            .uri(path)
            .header("x-kiosk-id", &kiosk.id)
            .header("x-kiosk-timestamp", at.to_string())
            .header("x-kiosk-nonce", nonce)
            .header(
                "x-kiosk-signature",
                base64::engine::general_purpose::STANDARD.encode(sig.to_bytes()),
            )
            .body(Body::from(body))
            .unwrap()
    }

    pub fn signed(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        at: i64,
        nonce: &str,
    ) -> Request<Body> {
        self.signed_by(&self.kiosk, method, path, body, at, nonce)
    }

    /// A signed call from `kiosk`, answered in full.
    pub async fn send_by(&self, kiosk: &Kiosk, method: &str, path: &str, body: Vec<u8>) -> Answer {
        let nonce = hex::encode(platform::db::random_bytes(16).unwrap());
        self.answer(self.signed_by(kiosk, method, path, body, self.clock.now_ms(), &nonce))
            .await
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
    ) -> (StatusCode, serde_json::Value) {
        let a = self.send_by(&self.kiosk, method, path, body).await;
        (a.status, a.json)
    }

    /// A signed JSON `POST` from the first kiosk.
    pub async fn post(&self, path: &str, body: serde_json::Value) -> Answer {
        self.send_by(&self.kiosk, "POST", path, body.to_string().into_bytes())
            .await
    }

    /// Submits `payload` under application `id` from `kiosk`, sealed as the kiosk seals it.
    pub async fn submit_by(&self, kiosk: &Kiosk, id: &str, payload: &serde_json::Value) -> Answer {
        let body = serde_json::json!({
            "id": id,
            "sealedPayload": base64::engine::general_purpose::STANDARD
                .encode(seal(self.platform.recipient(), payload.to_string().as_bytes())),
            "attachments": [],
        });
        self.send_by(
            kiosk,
            "POST",
            "/api/v1/submissions",
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn submit(&self, id: &str, payload: &serde_json::Value) -> Answer {
        self.submit_by(&self.kiosk, id, payload).await
    }

    /// The latest code the outbox holds for `phone`.
    pub fn outbox_code(&self, phone: &str) -> String {
        platform::sms::outbox_latest_code(&self.platform.sms_outbox_path(), phone)
            .unwrap()
            .unwrap_or_else(|| panic!("no code in the outbox for {phone}"))
    }

    /// Sends a code to `phone` for `purpose`, reads it from the outbox and verifies it: the
    /// token a kiosk puts in the payload.
    pub async fn sms_token(&self, phone: &str, purpose: &str) -> String {
        let sent = self
            .post(
                "/api/v1/sms/send",
                serde_json::json!({"phone": phone, "purpose": purpose}),
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "sent: {}", sent.json);
        let code = self.outbox_code(phone);
        let verified = self
            .post(
                "/api/v1/sms/verify",
                serde_json::json!({"phone": phone, "purpose": purpose, "code": code}),
            )
            .await;
        assert_eq!(
            verified.status,
            StatusCode::OK,
            "verified: {}",
            verified.json
        );
        verified.json["token"].as_str().unwrap().to_owned()
    }

    /// An admin API request with the token of the role the path needs.
    pub fn admin(&self, method: &str, path: &str, body: serde_json::Value) -> Request<Body> {
        let token = if path.starts_with("/api/v1/admin/submissions") {
            &self.reviewer_token
        } else {
            &self.fleet_token
        };
        Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(body.to_string()))
            .unwrap()
    }

    /// A reviewer's decision through the admin API.
    pub async fn review(&self, id: &str, action: serde_json::Value) -> Answer {
        self.answer(self.admin(
            "POST",
            &format!("/api/v1/admin/submissions/{id}/review"),
            action,
        ))
        .await
    }
}

/// Seals `plain` to `recipient` exactly as the kiosk store does (`age::encrypt`).
pub fn seal(recipient: &str, plain: &[u8]) -> Vec<u8> {
    let r = age::x25519::Recipient::from_str(recipient).unwrap();
    age::encrypt(&r, plain).unwrap()
}

/// An application as the kiosk builds it: the shared fixture files.
pub fn application(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/../../tests/fixtures/applications/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The application with the kiosk's SMS proof in place of the typed code: the token in
/// `account.smsVerification` (registrations) or `smsVerification` (binding, appeal).
pub fn with_token(mut app: serde_json::Value, token: &str) -> serde_json::Value {
    let object = if app.get("account").is_some() {
        app["account"].as_object_mut().unwrap()
    } else {
        app.as_object_mut().unwrap()
    };
    object.remove("smsCode");
    object.insert("smsVerification".into(), token.into());
    app
}

/// The application marked "verify the mobile later" (typed offline).
pub fn deferred(mut app: serde_json::Value) -> serde_json::Value {
    let object = if app.get("account").is_some() {
        app["account"].as_object_mut().unwrap()
    } else {
        app.as_object_mut().unwrap()
    };
    object.remove("smsCode");
    object.insert("smsDeferred".into(), true.into());
    app
}

/// A UUID per test number.
pub fn uuid(n: u64) -> String {
    format!("0192f0c1-2b3c-7d4e-8f90-{n:012x}")
}

pub fn assert_problem(json: &serde_json::Value, code: &str) {
    assert_eq!(json["code"], code, "error code in {json}");
    assert!(
        json["zh"].as_str().is_some_and(|s| !s.is_empty()),
        "Chinese message in {json}"
    );
    assert!(
        json["en"].as_str().is_some_and(|s| !s.is_empty()),
        "English message in {json}"
    );
}
