//! The platform's HTTP surface, driven through the router without a socket: authentication,
//! malformed input (always 4xx with `{code, zh, en}`), blobs, idempotent submissions, the
//! status feed, reviews, online checks and master data. SMS codes, mobile proof, uniqueness
//! by kind and status lookup are in `journeys.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use base64::Engine;
use platform::Clock;
use platform::db::sha256_hex;
use tower::ServiceExt;

use crate::common::{Fixture, TEN_AM_CST, assert_problem, seal};

#[tokio::test]
async fn requests_without_a_valid_fresh_unique_signature_are_refused() {
    let f = Fixture::new().await;
    let (s, j) = f
        .call(Request::get("/api/v1/status").body(Body::empty()).unwrap())
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "unsigned");
    assert_problem(&j, "SIGNATURE_MISSING");

    let now = f.clock.now_ms();
    let ok = f.signed(
        "GET",
        "/api/v1/status",
        vec![],
        now,
        "00112233445566778899aabbccddeeff",
    );
    let (s, _) = f.call(ok).await;
    assert_eq!(s, StatusCode::OK, "a good signature passes");
    let replay = f.signed(
        "GET",
        "/api/v1/status",
        vec![],
        now,
        "00112233445566778899aabbccddeeff",
    );
    let (s, j) = f.call(replay).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "replay refused");
    assert_problem(&j, "REPLAYED");

    let stale = f.signed(
        "GET",
        "/api/v1/status",
        vec![],
        now - 6 * 60_000,
        "ffeeddccbbaa99887766554433221100",
    );
    let (_, j) = f.call(stale).await;
    assert_problem(&j, "CLOCK_SKEW");

    let mut tampered = f.signed(
        "GET",
        "/api/v1/status?after=0",
        vec![],
        now,
        "0123456789abcdef0123456789abcdef",
    );
    *tampered.uri_mut() = "/api/v1/status?after=5".parse().unwrap();
    let (_, j) = f.call(tampered).await;
    assert_problem(&j, "SIGNATURE_INVALID");
}

#[tokio::test]
async fn malformed_requests_get_4xx_json_never_500() {
    let f = Fixture::new().await;
    let empty_blob = format!("/api/v1/blobs/{}", "a".repeat(64));
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("POST", "/api/v1/submissions", b"{not json".to_vec()),
        (
            "POST",
            "/api/v1/submissions",
            br#"{"id":"x","sealedPayload":""}"#.to_vec(),
        ),
        (
            "POST",
            "/api/v1/submissions",
            br#"{"id":"0192f0c1-2b3c-7d4e-8f90-123456789abc","sealedPayload":"!!"}"#.to_vec(),
        ),
        ("PUT", "/api/v1/blobs/nothex", b"abc".to_vec()),
        ("PUT", &empty_blob, vec![]),
        ("GET", "/api/v1/status?after=abc", vec![]),
        ("GET", "/api/v1/master/nope", vec![]),
        ("POST", "/api/v1/checks/unknown", b"{}".to_vec()),
        ("POST", "/api/v1/checks/real-name", b"[]".to_vec()),
        (
            "POST",
            "/api/v1/sms/send",
            br#"{"phone":"123","purpose":"register"}"#.to_vec(),
        ),
        (
            "POST",
            "/api/v1/sms/send",
            br#"{"phone":"13800138000","purpose":"login"}"#.to_vec(),
        ),
        (
            "POST",
            "/api/v1/sms/verify",
            br#"{"phone":"13800138000","purpose":"register","code":"12345"}"#.to_vec(),
        ),
        (
            "POST",
            "/api/v1/checks/mobile",
            br#"{"value":"110"}"#.to_vec(),
        ),
        ("POST", "/api/v1/checks/uscc", br#"{"value":""}"#.to_vec()),
        (
            "POST",
            "/api/v1/status/lookup",
            br#"{"receipt":"x"}"#.to_vec(),
        ),
        (
            "POST",
            "/api/v1/status/lookup",
            br#"{"receipt":"KG695-HRKAD","idLast4":"1234","extra":1}"#.to_vec(),
        ),
        (
            "POST",
            "/api/v1/status/verify-mobile",
            br#"{"receipt":"KG695-HRKAD","code":"abc"}"#.to_vec(),
        ),
        (
            "POST",
            "/api/v1/status/resend-code",
            br#"{"receipt":"???"}"#.to_vec(),
        ),
        ("DELETE", "/api/v1/submissions", vec![]),
    ];
    for (method, path, body) in cases {
        let (s, j) = f.send(method, path, body).await;
        assert!(s.is_client_error(), "{method} {path} answered {s}");
        assert!(
            j["code"].is_string() && j["zh"].is_string() && j["en"].is_string(),
            "{method} {path}: JSON problem body, got {j}"
        );
    }
    let (s, j) = f
        .call(Request::get("/nowhere").body(Body::empty()).unwrap())
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "unknown path");
    assert_problem(&j, "NO_SUCH_ENDPOINT");
    let big = vec![b'x'; platform::JSON_LIMIT + 1];
    let (s, j) = f.send("POST", "/api/v1/submissions", big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "size limit");
    assert_problem(&j, "BODY_TOO_LARGE");
}

#[tokio::test]
async fn blobs_resume_verify_and_submissions_are_idempotent_then_reviewed() {
    let f = Fixture::new().await;
    let plain = vec![42u8; 50_000];
    let sha = sha256_hex(&plain);
    let sealed = seal(f.platform.recipient(), &plain);
    let path = format!("/api/v1/blobs/{sha}");
    let (s, _) = f.send("HEAD", &path, vec![]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "not there yet");
    // First chunk, then a gap (refused), then the rest.
    let half = sealed.len() / 2;
    let total = sealed.len();
    let mut req = f.signed(
        "PUT",
        &path,
        sealed[..half].to_vec(),
        f.clock.now_ms(),
        "aa112233445566778899aabbccddeeff",
    );
    req.headers_mut().insert(
        "content-range",
        format!("bytes 0-{}/{total}", half - 1).parse().unwrap(),
    );
    let (s, j) = f.call(req).await;
    assert_eq!(s, StatusCode::ACCEPTED, "partial stored: {j}");
    assert_eq!(j["received"], half as u64, "offset reported");
    let mut gap = f.signed(
        "PUT",
        &path,
        sealed[half + 1..].to_vec(),
        f.clock.now_ms(),
        "bb112233445566778899aabbccddeeff",
    );
    gap.headers_mut().insert(
        "content-range",
        format!("bytes {}-{}/{total}", half + 1, total - 1)
            .parse()
            .unwrap(),
    );
    let (s, j) = f.call(gap).await;
    assert_eq!(s, StatusCode::CONFLICT, "a gap is refused");
    assert_problem(&j, "UPLOAD_OFFSET_MISMATCH");
    let mut rest = f.signed(
        "PUT",
        &path,
        sealed[half..].to_vec(),
        f.clock.now_ms(),
        "cc112233445566778899aabbccddeeff",
    );
    rest.headers_mut().insert(
        "content-range",
        format!("bytes {half}-{}/{total}", total - 1)
            .parse()
            .unwrap(),
    );
    let (s, j) = f.call(rest).await;
    assert_eq!(s, StatusCode::CREATED, "completed: {j}");
    assert_eq!(
        f.platform.blob_bytes(&sha).unwrap(),
        plain,
        "plaintext stored byte-identical"
    );
    let (s, _) = f.send("PUT", &path, sealed.clone()).await;
    assert_eq!(s, StatusCode::OK, "uploading an existing blob is a no-op");

    // A blob whose plaintext does not match its name is refused.
    let wrong = format!("/api/v1/blobs/{}", "b".repeat(64));
    let (s, j) = f.send("PUT", &wrong, sealed.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "hash mismatch");
    assert_problem(&j, "BLOB_HASH_MISMATCH");

    let id = "0192f0c1-2b3c-7d4e-8f90-123456789abc";
    let payload = serde_json::json!({
        "profile": "most",
        "kind": "natural-person",
        "account": {"accountName": "Zhang_San01"},
        "person": {"name": "张三", "document": {"docType": "resident-id", "number": "11010519491231002X"}},
    });
    let body = serde_json::json!({
        "id": id,
        "sealedPayload": base64::engine::general_purpose::STANDARD.encode(seal(f.platform.recipient(), payload.to_string().as_bytes())),
        "attachments": [{"slot": "idFront", "sha256": sha, "size": plain.len(), "mediaType": "image/jpeg"}],
    });
    let missing = serde_json::json!({
        "id": "0192f0c1-2b3c-7d4e-8f90-000000000000",
        "sealedPayload": body["sealedPayload"],
        "attachments": [{"slot": "idFront", "sha256": "c".repeat(64), "size": 1, "mediaType": "image/jpeg"}],
    });
    let (s, j) = f
        .send(
            "POST",
            "/api/v1/submissions",
            missing.to_string().into_bytes(),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "blobs first");
    assert_problem(&j, "BLOBS_MISSING");
    let (s1, first) = f
        .send("POST", "/api/v1/submissions", body.to_string().into_bytes())
        .await;
    assert_eq!(s1, StatusCode::CREATED, "stored: {first}");
    assert_eq!(first["state"], "accepted", "waiting for review");
    assert_eq!(
        first["receipt"], "KG695-HRKAD",
        "the receipt is the code derived from the id (docs/protocol.md test vector)"
    );
    let (s2, second) = f
        .send("POST", "/api/v1/submissions", body.to_string().into_bytes())
        .await;
    assert_eq!(s2, StatusCode::OK, "a repeat is not created again");
    assert_eq!(first, second, "a repeat returns the original result");
    assert_eq!(f.platform.submissions().unwrap().len(), 1, "held once");

    let (_, check) = f
        .send(
            "POST",
            "/api/v1/checks/account-name",
            br#"{"value":"zhang_san01"}"#.to_vec(),
        )
        .await;
    assert_eq!(
        check["registered"], true,
        "account names are unique case-insensitively"
    );
    let (_, check) = f
        .send(
            "POST",
            "/api/v1/checks/uscc",
            br#"{"value":"91120000MA05TEST1X"}"#.to_vec(),
        )
        .await;
    assert_eq!(check["registered"], false, "unknown USCC is free");
    let (_, check) = f
        .send(
            "POST",
            "/api/v1/checks/id-number",
            br#"{"value":" 11010519491231002x "}"#.to_vec(),
        )
        .await;
    assert_eq!(
        check["registered"], true,
        "the ID number from person.document.number, trimmed and upper-cased"
    );

    f.platform
        .review(
            id,
            &platform::status::ReviewAction::RequestEvidence {
                zh: "请补充身份证反面".into(),
                en: "Add the back of the ID card".into(),
            },
        )
        .unwrap();
    f.platform
        .review(
            id,
            &platform::status::ReviewAction::Approve { account_name: None },
        )
        .unwrap();
    let (_, feed) = f.send("GET", "/api/v1/status?after=0", vec![]).await;
    let states: Vec<_> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        states,
        ["accepted", "needs-action", "verified"],
        "feed in order"
    );
    assert_eq!(
        feed["events"][2]["accountName"], "Zhang_San01",
        "account name reported"
    );
    let cursor = feed["nextCursor"].as_i64().unwrap();
    let (_, empty) = f
        .send("GET", &format!("/api/v1/status?after={cursor}"), vec![])
        .await;
    assert_eq!(
        empty["events"].as_array().map(Vec::len),
        Some(0),
        "nothing after the cursor"
    );
    assert!(
        f.platform
            .review(
                id,
                &platform::status::ReviewAction::Approve { account_name: None }
            )
            .is_err(),
        "decided once"
    );
}

/// Row counts of every table but the nonces (each signed call adds one).
fn table_rows(f: &Fixture) -> Vec<(String, i64)> {
    let mut db = f.platform.read().unwrap();
    let list = if f.platform.database_engine() == "sqlite" {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('nonces', 'edge_counters', 'sqlite_sequence') ORDER BY name"
    } else {
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()
         AND table_name NOT IN ('nonces', 'edge_counters', 'platform_migrations') ORDER BY table_name"
    };
    let names: Vec<String> = db.query_map(list, &[], |r| r.get(0)).unwrap();
    names
        .into_iter()
        .map(|name| {
            let n = db
                .query_row(&format!("SELECT COUNT(*) FROM \"{name}\""), &[], |r| {
                    r.get(0)
                })
                .unwrap();
            (name, n)
        })
        .collect()
}

#[tokio::test]
async fn checks_answer_from_the_registry_and_the_population_database_and_record_nothing() {
    let f = Fixture::with(|p| p.with_population_hours("09:00-17:30".parse().unwrap())).await;
    let before = table_rows(&f);
    let real_name = |name: &str, id: &str| {
        serde_json::json!({"name": name, "idNumber": id})
            .to_string()
            .into_bytes()
    };
    let cases = [
        ("张三", "11010519491231002x", "verified"),
        ("李三", "11010519491231002X", "mismatch"),
        ("王五", "110101199003074477", "not-found"),
        ("赵六", "110101199001010011", "not-found"),
    ];
    for (name, id, result) in cases {
        let (s, j) = f
            .send("POST", "/api/v1/checks/real-name", real_name(name, id))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(j["result"], result, "{name}: {j}");
        assert!(j["zh"].is_string() && j["en"].is_string() && j.get("reviewId").is_none());
    }
    for (kind, value) in [
        ("account-name", "zhang_san01"),
        ("id-number", "11010519491231002X"),
        ("uscc", "91120000MA05TEST1X"),
        ("mobile", "+86 138 0013 8000"),
        ("mobile", "+852 9123 4567"),
    ] {
        let (s, j) = f
            .send(
                "POST",
                &format!("/api/v1/checks/{kind}"),
                serde_json::json!({"value": value}).to_string().into_bytes(),
            )
            .await;
        assert_eq!(
            (s, &j["registered"]),
            (StatusCode::OK, &serde_json::json!(false)),
            "{kind}"
        );
    }
    assert_eq!(
        table_rows(&f),
        before,
        "checks reserve and record nothing (no manual-review case, no registry row)"
    );
    f.clock.set(TEN_AM_CST + 7 * 3_600_000 + 30 * 60_000); // 17:30 China time
    let (_, j) = f
        .send(
            "POST",
            "/api/v1/checks/real-name",
            real_name("张三", "11010519491231002X"),
        )
        .await;
    assert_eq!(
        j["result"], "out-of-hours",
        "closed at the configured 17:30"
    );
    assert!(
        j["zh"].as_str().unwrap().contains("09:00-17:30"),
        "the hours are named: {j}"
    );
}

#[tokio::test]
async fn master_data_answers_304_for_a_matching_etag() {
    let f = Fixture::new().await;
    let now = f.clock.now_ms();
    let resp = platform::routes::router(Arc::clone(&f.platform))
        .oneshot(f.signed(
            "GET",
            "/api/v1/master/units",
            vec![],
            now,
            "dd112233445566778899aabbccddeeff",
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "first fetch");
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let mut again = f.signed(
        "GET",
        "/api/v1/master/units",
        vec![],
        now,
        "ee112233445566778899aabbccddeeff",
    );
    again
        .headers_mut()
        .insert("if-none-match", etag.parse().unwrap());
    let resp = platform::routes::router(Arc::clone(&f.platform))
        .oneshot(again)
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "unchanged");
    let (_, index) = f.send("GET", "/api/v1/master", vec![]).await;
    let names: Vec<&str> = index["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    for name in [
        "legal-entity-natures",
        "supervising-departments",
        "industries",
        "ethnic-groups",
        "divisions",
        "units",
    ] {
        assert!(names.contains(&name), "{name} listed in {names:?}");
    }
    let (_, natures) = f
        .send("GET", "/api/v1/master/legal-entity-natures", vec![])
        .await;
    assert!(
        natures
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["name"] == "港澳台资企业" && n["code"].is_string()),
        "{natures}"
    );
    let (_, departments) = f
        .send("GET", "/api/v1/master/supervising-departments", vec![])
        .await;
    let tianjin = departments
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["profile"] == "tianjin")
        .count();
    assert!(
        tianjin >= 17,
        "the city bureau and the 16 districts: {tianjin}"
    );
    assert!(
        departments
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["profile"] == "zhengzhou" && d["name"] == "郑州市科学技术局")
    );
    let (_, industries) = f.send("GET", "/api/v1/master/industries", vec![]).await;
    let sections: Vec<&str> = industries
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        sections.concat(),
        "ABCDEFGHIJKLMNOPQRST",
        "GB/T 4754-2017 sections"
    );
    let (_, key) = f.send("GET", "/api/v1/master/platform-key", vec![]).await;
    assert_eq!(
        key["recipient"],
        f.platform.recipient(),
        "platform key published"
    );
    let (s, j) = f
        .call(Request::get("/api/v1/health").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (s, j["status"].as_str()),
        (StatusCode::OK, Some("ok")),
        "health"
    );
}

#[tokio::test]
async fn the_admin_api_needs_the_token_and_issues_codes() {
    let f = Fixture::new().await;
    let body = r#"{"kioskName":"大厅 2 号机"}"#;
    let (s, j) = f
        .call(
            Request::post("/api/v1/admin/enrolment-codes")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "no token");
    assert_problem(&j, "ADMIN_TOKEN_INVALID");
    let (s, j) = f
        .call(
            Request::post("/api/v1/admin/enrolment-codes")
                .header("authorization", format!("Bearer {}", f.fleet_token))
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "code issued: {j}");
    let code = j["code"].as_str().unwrap_or_default();
    assert_eq!(code.len(), 39, "8 groups of 4: {code}");
    let fingerprint = f.platform.signing_identity().fingerprint();
    assert_eq!(j["platformFingerprint"], fingerprint, "full fingerprint");
    assert!(
        fingerprint.starts_with(&code[15..].replace('-', "")),
        "the code ends with the fingerprint: {code}"
    );
    let (s, j) = f
        .call(
            Request::post("/api/v1/admin/submissions/0192f0c1-2b3c-7d4e-8f90-123456789abc/review")
                .header("authorization", format!("Bearer {}", f.reviewer_token))
                .body(Body::from(r#"{"action":"approve"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "unknown submission");
    assert_problem(&j, "SUBMISSION_NOT_FOUND");
}

#[tokio::test]
async fn heartbeats_keep_the_latest_per_kiosk_and_fill_the_status_page() {
    let f = Fixture::new().await;
    let beat = |queue: u64, error: &str| {
        serde_json::json!({
            "version": "0.1.0",
            "hall": "和平区政务服务中心",
            "queueDepth": queue,
            "oldestUnsentAgeS": 125,
            "diskFreeBytes": 12_000_000_000u64,
            "lastSyncAt": TEN_AM_CST - 60_000,
            "lastError": error,
            "someFutureField": true,
        })
        .to_string()
        .into_bytes()
    };
    let (s, j) = f
        .send("POST", "/api/v1/kiosks/heartbeat", beat(5, "first"))
        .await;
    assert_eq!(s, StatusCode::OK, "heartbeat stored: {j}");
    let (s, _) = f
        .send(
            "POST",
            "/api/v1/kiosks/heartbeat",
            beat(3, "transient: <b>connect</b>"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "a second heartbeat replaces it");
    let (s, j) = f
        .send(
            "POST",
            "/api/v1/kiosks/heartbeat",
            b"{\"queueDepth\":1}".to_vec(),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a version is required");
    assert_problem(&j, "BAD_JSON");
    let resp = platform::routes::router(Arc::clone(&f.platform))
        .oneshot(
            Request::post("/api/v1/kiosks/heartbeat")
                .body(Body::from(beat(1, "")))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "heartbeats are signed like every kiosk call"
    );

    let kiosks = f.platform.kiosks().unwrap();
    assert_eq!(kiosks.len(), 1, "one kiosk enrolled");
    let row = &kiosks[0];
    assert_eq!(row.last_seen_at, Some(TEN_AM_CST), "heard from now");
    let latest = row.heartbeat.as_ref().unwrap();
    assert_eq!(latest.queue_depth, 3, "the latest heartbeat wins");

    // The page through the router: a table row per kiosk, markup escaped, no personal data.
    let resp = platform::routes::router(Arc::clone(&f.platform))
        .oneshot(Request::get("/status").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "served as HTML"
    );
    let html = String::from_utf8(
        to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("和平区政务服务中心"), "hall shown");
    assert!(html.contains("大厅 1 号机"), "kiosk name shown");
    assert!(
        html.contains("&lt;b&gt;connect&lt;/b&gt;") && !html.contains("<b>connect"),
        "the error text is escaped"
    );
    f.clock.advance(10 * 60 * 1000);
    let later = f.platform.status_page().unwrap();
    assert!(
        later.contains("class=\"kiosk offline\""),
        "silent for 10 minutes: offline"
    );
}

/// The status page as a browser renders it (Chromium headless `--dump-dom`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_renders_in_chromium() {
    let chromium = std::path::Path::new("/usr/bin/chromium");
    assert!(
        chromium.exists(),
        "Chromium is part of the test machine (scripts/setup installs it)"
    );
    let f = Fixture::new().await;
    f.clock.set(platform::SystemClock::default().now_ms());
    let (s, _) = f
        .send(
            "POST",
            "/api/v1/kiosks/heartbeat",
            serde_json::json!({"version": "9.9.9", "hall": "南开区大厅", "queueDepth": 7})
                .to_string()
                .into_bytes(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/status", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(platform::serve(
        Arc::clone(&f.platform),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    let profile = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    let _ = stop.send(());
    let _ = server.await;
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "chromium ran: {dom}");
    assert!(
        dom.contains("<table id=\"kiosks\">"),
        "the table rendered: {dom}"
    );
    assert!(dom.contains("南开区大厅"), "hall in the DOM");
    assert!(
        dom.contains("class=\"kiosk online\""),
        "heard just now: online"
    );
    assert!(dom.contains("9.9.9"), "version in the DOM");
}

/// Every answer to a signed kiosk request (and to enrolment) is signed by the platform over
/// the request's method, path, nonce and kiosk id, the status, the time and the body.
#[tokio::test]
async fn answers_are_signed_for_the_request_they_answer() {
    let f = Fixture::new().await;
    let key = f.platform.signing_identity().verifying_key();
    let check = |method: &str,
                 path: &str,
                 nonce: &str,
                 kiosk: &str,
                 status: StatusCode,
                 headers: &axum::http::HeaderMap,
                 body: &[u8]| {
        let h = |n: &str| {
            headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let text =
            platform::answer_signing::answer_string(&platform::answer_signing::AnswerParts {
                method,
                path_and_query: path,
                nonce,
                kiosk_id: kiosk,
                status: status.as_u16(),
                timestamp_ms: h("x-platform-timestamp").parse().unwrap(),
                body_sha256_hex: &sha256_hex(body),
                etag: &h("etag"),
                upload_offset: &h("x-upload-offset"),
            });
        let sig = base64::engine::general_purpose::STANDARD
            .decode(h("x-platform-signature"))
            .unwrap();
        let sig = ed25519_dalek::Signature::from_slice(&sig).unwrap();
        key.verify_strict(text.as_bytes(), &sig).is_ok()
    };
    for (nonce, body_ok) in [("0123456789abcdef0123456789abcdef", true), ("00", false)] {
        let path = "/api/v1/status?after=0&limit=5";
        let req = f.signed("GET", path, Vec::new(), f.clock.now_ms(), nonce);
        let resp = platform::routes::router(Arc::clone(&f.platform))
            .oneshot(req)
            .await
            .unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        assert_eq!(status.is_success(), body_ok, "bad nonce refused");
        assert!(
            check("GET", path, nonce, &f.kiosk.id, status, &headers, &bytes),
            "answer {status} verifies"
        );
        assert!(
            !check(
                "GET",
                path,
                "ffffffffffffffffffffffffffffffff",
                &f.kiosk.id,
                status,
                &headers,
                &bytes
            ),
            "not for another request's nonce"
        );
    }
}

/// Heartbeats anchor the kiosk's audit head: it moves forward only; a head behind the stored
/// one is an alert, and the anchor is given back to the kiosk.
#[tokio::test]
async fn the_audit_anchor_never_goes_backwards() {
    let f = Fixture::new().await;
    let beat = |seq: u64, mac: &str| {
        serde_json::json!({ "version": "0.1.0", "auditHead": { "seq": seq, "mac": mac } })
            .to_string()
            .into_bytes()
    };
    let (s, j) = f
        .send(
            "POST",
            "/api/v1/kiosks/heartbeat",
            beat(10, &"ab".repeat(16)),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{j}");
    assert_eq!(j["auditHead"]["seq"], 10, "stored: {j}");
    let (_, j) = f
        .send(
            "POST",
            "/api/v1/kiosks/heartbeat",
            beat(4, &"cd".repeat(16)),
        )
        .await;
    assert_eq!(j["auditHead"]["seq"], 10, "not moved back: {j}");
    assert_eq!(j["alerts"], 1, "an alert: {j}");
    let (_, j) = f
        .send(
            "POST",
            "/api/v1/kiosks/heartbeat",
            beat(10, &"ef".repeat(16)),
        )
        .await;
    assert_eq!(j["auditHead"]["mac"], "ab".repeat(16), "not rewritten: {j}");
    assert_eq!(j["alerts"], 2, "another alert");
    let (_, j) = f
        .send(
            "POST",
            "/api/v1/kiosks/heartbeat",
            beat(12, &"01".repeat(16)),
        )
        .await;
    assert_eq!(j["auditHead"]["seq"], 12, "forward: {j}");
    let (s, j) = f.send("GET", "/api/v1/kiosks/audit-head", Vec::new()).await;
    assert_eq!(
        (s, j["auditHead"]["seq"].clone()),
        (StatusCode::OK, 12.into())
    );
    let (s, j) = f
        .send("POST", "/api/v1/kiosks/heartbeat", beat(13, "zz"))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&j, "AUDIT_HEAD_INVALID");
}
