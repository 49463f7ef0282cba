//! "Every visitor finishes every journey", platform side: SMS codes with distinct failures and
//! single-use tokens (outbox and a real HTTP gateway on loopback), mobile proof on submissions
//! and verify-later codes, uniqueness by application kind with payloads built exactly as the
//! kiosk builds them (the shared fixtures, sealed like the kiosk seals them), and the visitor
//! status lookup across kiosks with its attempt limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::logs::{capture_logs, captured};
use crate::common::{Fixture, application, assert_problem, deferred, uuid, with_token};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use platform::Clock;
use platform::sms::http::{HttpGateway, HttpGatewayConfig};
use serde_json::json;

/// The code in a message text (`…验证码是 123456…`).
fn code_in(text: &str) -> String {
    text.split_once("验证码是 ")
        .map(|(_, rest)| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default()
}

/// A code that is certainly not `code`.
fn other_than(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test]
async fn sms_codes_give_distinct_answers_and_earn_a_single_use_token() {
    capture_logs();
    let f = Fixture::new().await;
    let now = f.clock.now_ms();
    let send = json!({"phone": "+86 138-0013-8000", "purpose": "register"});
    let sent = f.post("/api/v1/sms/send", send.clone()).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.json);
    assert_eq!(
        sent.json,
        json!({"expiresAt": now + 300_000, "resendAfter": now + 60_000})
    );
    let again = f.post("/api/v1/sms/send", send.clone()).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert_problem(&again.json, "SMS_TOO_SOON");
    assert_eq!(again.headers["retry-after"], "60", "Retry-After in seconds");
    assert_eq!(again.json["retryAfter"], 60);

    let entries =
        platform::sms::outbox_codes(&f.platform.sms_outbox_path(), "13800138000").unwrap();
    assert_eq!(
        entries.len(),
        1,
        "one message, stored under the normalised number"
    );
    assert_eq!(entries[0].purpose, "register");
    assert_eq!(entries[0].at, now);
    let code = f.outbox_code("13800138000");
    assert_eq!(code_in(&entries[0].text), code, "the text carries the code");
    #[cfg(unix)]
    let files: &[&str] = if crate::common::test_backend_is_postgres() {
        &["sms-outbox.jsonl"]
    } else {
        &["sms-outbox.jsonl", "platform.db"]
    };
    for file in files {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.dir.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file} is owner-only");
    }
    let stored: Vec<String> = f
        .platform
        .read()
        .unwrap()
        .query_map("SELECT code_hash FROM sms_codes", &[], |r| r.get(0))
        .unwrap();
    let stored = stored.join(",");
    assert!(!stored.contains(&code), "the code is stored only hashed");

    let verify = |purpose: &str, code: &str| json!({"phone": "13800138000", "purpose": purpose, "code": code});
    let none = f.post("/api/v1/sms/verify", verify("bind", &code)).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&none.json, "SMS_CODE_NONE");
    let wrong = f
        .post("/api/v1/sms/verify", verify("register", &other_than(&code)))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&wrong.json, "SMS_CODE_WRONG");
    assert_eq!(wrong.json["attemptsLeft"], 4);
    let right = f
        .post("/api/v1/sms/verify", verify("register", &code))
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.json);
    let token = right.json["token"].as_str().unwrap();
    assert!(
        token.len() >= 22
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "an opaque base64url token of at least 128 bits"
    );
    assert_eq!(right.json["verifiedAt"], now);
    let used = f
        .post("/api/v1/sms/verify", verify("register", &code))
        .await;
    assert_problem(&used.json, "SMS_CODE_USED");

    f.clock.advance(61_000);
    assert_eq!(
        f.post("/api/v1/sms/send", send.clone()).await.status,
        StatusCode::OK
    );
    let code = f.outbox_code("13800138000");
    f.clock.advance(5 * 60_000);
    let expired = f
        .post("/api/v1/sms/verify", verify("register", &code))
        .await;
    assert_problem(&expired.json, "SMS_CODE_EXPIRED");

    assert_eq!(
        f.post("/api/v1/sms/send", send.clone()).await.status,
        StatusCode::OK
    );
    let code = f.outbox_code("13800138000");
    for left in (0..5).rev() {
        let wrong = f
            .post("/api/v1/sms/verify", verify("register", &other_than(&code)))
            .await;
        assert_eq!(wrong.json["attemptsLeft"], left, "{}", wrong.json);
    }
    let locked = f
        .post("/api/v1/sms/verify", verify("register", &code))
        .await;
    assert_problem(&locked.json, "SMS_CODE_LOCKED");

    // Hong Kong, Macao, Taiwan and foreign mobiles are accepted and stored with their +.
    for (typed, stored) in [
        ("+852 9123 4567", "+85291234567"),
        ("+853 6612 3456", "+85366123456"),
        ("+886 912 345 678", "+886912345678"),
        ("+44 7911 123456", "+447911123456"),
    ] {
        let sent = f
            .post(
                "/api/v1/sms/send",
                json!({"phone": typed, "purpose": "register"}),
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{typed}: {}", sent.json);
        let code = f.outbox_code(stored);
        let ok = f
            .post(
                "/api/v1/sms/verify",
                json!({"phone": stored, "purpose": "register", "code": code}),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{typed}");
    }
    let refused = f
        .post(
            "/api/v1/sms/send",
            json!({"phone": "+852 8123 4567", "purpose": "register"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_problem(&refused.json, "PHONE_INVALID");
    assert!(
        refused.json["en"].as_str().unwrap().contains("+852"),
        "names the forms"
    );
}

// ---------------------------------------------------------------------------------------------

#[derive(Clone, Default)]
struct StubGateway {
    seen: Arc<Mutex<Vec<(HeaderMap, serde_json::Value)>>>,
    status: Arc<AtomicU16>,
    delay_ms: Arc<AtomicU64>,
}

async fn stub_send(State(g): State<StubGateway>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let delay = g.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    g.seen.lock().unwrap().push((
        headers,
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    ));
    StatusCode::from_u16(g.status.load(Ordering::SeqCst)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_gateway_delivers_and_a_failed_delivery_voids_the_code() {
    capture_logs();
    let stub = StubGateway::default();
    stub.status.store(200, Ordering::SeqCst);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms/send", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/sms/send", axum::routing::post(stub_send))
        .with_state(stub.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config = HttpGatewayConfig::new(url);
    config.token = Some("gw-token-7".into());
    config.template = r#"{"mobile":"{phone}","content":"{text}","params":["{code}"]}"#.into();
    config.timeout = Duration::from_millis(400);
    let gateway = Arc::new(HttpGateway::new(config).unwrap());
    let f = Fixture::with(|p| p.with_sms_provider(gateway)).await;

    let sent = f
        .post(
            "/api/v1/sms/send",
            json!({"phone": "+852 9123 4567", "purpose": "bind"}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.json);
    let (headers, body) = stub.seen.lock().unwrap().pop().unwrap();
    assert_eq!(headers["authorization"], "Bearer gw-token-7");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(
        body["mobile"], "+85291234567",
        "the template got the number"
    );
    let code = body["params"][0].as_str().unwrap().to_owned();
    assert_eq!(code_in(body["content"].as_str().unwrap()), code);
    assert!(
        !std::fs::exists(f.platform.sms_outbox_path()).unwrap(),
        "nothing in the outbox with the gateway"
    );
    let verified = f
        .post(
            "/api/v1/sms/verify",
            json!({"phone": "+85291234567", "purpose": "bind", "code": code}),
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.json);

    // The gateway refuses: 502, and the code it was given never works.
    stub.status.store(503, Ordering::SeqCst);
    let failed = f
        .post(
            "/api/v1/sms/send",
            json!({"phone": "13800138000", "purpose": "register"}),
        )
        .await;
    assert_eq!(failed.status, StatusCode::BAD_GATEWAY);
    assert_problem(&failed.json, "SMS_GATEWAY_FAILED");
    let (_, body) = stub.seen.lock().unwrap().pop().unwrap();
    let lost = body["params"][0].as_str().unwrap().to_owned();
    let void = f
        .post(
            "/api/v1/sms/verify",
            json!({"phone": "13800138000", "purpose": "register", "code": lost}),
        )
        .await;
    assert_problem(&void.json, "SMS_CODE_NONE");

    // The gateway hangs: 502 after the timeout; a failed code does not hold back a new one.
    stub.status.store(200, Ordering::SeqCst);
    stub.delay_ms.store(3_000, Ordering::SeqCst);
    let started = std::time::Instant::now();
    let slow = f
        .post(
            "/api/v1/sms/send",
            json!({"phone": "13800138000", "purpose": "register"}),
        )
        .await;
    assert_problem(&slow.json, "SMS_GATEWAY_FAILED");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the timeout holds"
    );
    stub.delay_ms.store(0, Ordering::SeqCst);
    let retried = f
        .post(
            "/api/v1/sms/send",
            json!({"phone": "13800138000", "purpose": "register"}),
        )
        .await;
    assert_eq!(
        retried.status,
        StatusCode::OK,
        "no SMS_TOO_SOON after failures"
    );
    server.abort();
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_token_proves_the_mobile_once_and_anything_else_is_verified_later() {
    capture_logs();
    let f = Fixture::new().await;
    let phone = "18610100007"; // most-natural-person's mobile
    let token = f.sms_token(phone, "register").await;
    let first = f
        .submit(
            &uuid(1),
            &with_token(application("most-natural-person"), &token),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    assert_eq!(first.json["state"], "accepted");
    let records = f.platform.submissions().unwrap();
    assert!(
        !records[0].mobile_unverified,
        "the token verified the mobile"
    );
    assert_eq!(
        f.review(&uuid(1), json!({"action": "approve"})).await.json["state"],
        "verified"
    );

    // The same token again (another registration by the same mobile): spent, so the mobile is
    // recorded unverified, the submission is still accepted, and a verify-later code goes out.
    let mut second = application("most-natural-person");
    second["account"]["accountName"] = json!("wu_tao_second");
    second["person"]["document"]["number"] = json!("110108199202031394");
    f.clock.advance(61_000);
    let answer = f.submit(&uuid(2), &with_token(second, &token)).await;
    assert_eq!(
        answer.status,
        StatusCode::CREATED,
        "never lose one: {}",
        answer.json
    );
    let receipt = answer.json["receipt"].as_str().unwrap().to_owned();
    let later = platform::sms::outbox_codes(&f.platform.sms_outbox_path(), phone)
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(later.purpose, "verify-later");
    assert!(
        later.text.contains(&receipt),
        "the text names the receipt: {}",
        later.text
    );
    let refused = f.review(&uuid(2), json!({"action": "approve"})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_problem(&refused.json, "MOBILE_UNVERIFIED");
    assert!(
        f.platform.submissions().unwrap()[1].mobile_unverified,
        "shown to reviewers"
    );

    // Verified later at any kiosk, with the receipt.
    let hall2 = f.enrol("大厅 2 号机", 9).await;
    let verify = |code: &str| {
        json!({"receipt": receipt.to_lowercase().replace('-', ""), "code": code})
            .to_string()
            .into_bytes()
    };
    let wrong = f
        .send_by(
            &hall2,
            "POST",
            "/api/v1/status/verify-mobile",
            verify(&other_than(&later.code)),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&wrong.json, "SMS_CODE_WRONG");
    assert_eq!(wrong.json["attemptsLeft"], 4);
    let right = f
        .send_by(
            &hall2,
            "POST",
            "/api/v1/status/verify-mobile",
            verify(&later.code),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.json);
    assert_eq!(right.json["verifiedAt"], f.clock.now_ms());
    let done = f
        .send_by(
            &hall2,
            "POST",
            "/api/v1/status/verify-mobile",
            verify(&later.code),
        )
        .await;
    assert_eq!(done.status, StatusCode::CONFLICT);
    assert_problem(&done.json, "NO_MOBILE_TO_VERIFY");
    assert_eq!(
        f.review(&uuid(2), json!({"action": "approve"}))
            .await
            .status,
        StatusCode::OK,
        "verified: approvable"
    );

    // A token for another number, or for another purpose, proves nothing.
    let other = f.sms_token("13800138000", "register").await;
    let bind = f.sms_token(phone, "bind").await;
    for (n, token) in [(3, other), (4, bind)] {
        let mut app = application("most-natural-person");
        app["account"]["accountName"] = json!(format!("wu_tao_{n}"));
        app["person"]["document"]["number"] = json!(format!("11010819920203{n:04}"));
        f.clock.advance(61_000);
        let answer = f.submit(&uuid(n), &with_token(app, &token)).await;
        assert_eq!(answer.status, StatusCode::CREATED);
        let unverified = f.review(&uuid(n), json!({"action": "approve"})).await;
        assert_problem(&unverified.json, "MOBILE_UNVERIFIED");
    }

    // A real-name submission carries no SMS proof and needs none.
    let real_name = f.submit(&uuid(5), &application("most-real-name")).await;
    assert_eq!(real_name.status, StatusCode::CREATED);
    assert_eq!(
        f.review(&uuid(5), json!({"action": "approve"}))
            .await
            .status,
        StatusCode::OK
    );
    assert_logs_hold_nothing_personal();
}

#[tokio::test]
async fn deferred_mobiles_get_a_verify_later_code_that_can_be_resent_and_expires() {
    capture_logs();
    let f = Fixture::new().await;
    let answer = f
        .submit(&uuid(1), &deferred(application("tianjin-natural-person")))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
    let receipt = answer.json["receipt"].as_str().unwrap().to_owned();
    let first = f.outbox_code("13920200004");
    let unverified = f.platform.unverified_mobiles().unwrap();
    assert_eq!(
        (
            unverified[0].application_id.as_str(),
            unverified[0].phone.as_str()
        ),
        (uuid(1).as_str(), "13920200004")
    );

    let resend = json!({"receipt": receipt});
    let soon = f.post("/api/v1/status/resend-code", resend.clone()).await;
    assert_eq!(soon.status, StatusCode::TOO_MANY_REQUESTS);
    assert_problem(&soon.json, "SMS_TOO_SOON");
    assert_eq!(soon.headers["retry-after"], "60");
    f.clock.advance(61_000);
    let resent = f.post("/api/v1/status/resend-code", resend.clone()).await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.json);
    assert_eq!(resent.json["maskedMobile"], "139****0004");
    let now = f.clock.now_ms();
    assert_eq!(
        resent.json["expiresAt"],
        now + 72 * 3_600_000,
        "valid 72 hours"
    );
    let second = f.outbox_code("13920200004");
    let verify = |code: &str| json!({"receipt": receipt, "code": code});
    if first != second {
        let old = f.post("/api/v1/status/verify-mobile", verify(&first)).await;
        assert_problem(&old.json, "SMS_CODE_WRONG");
    }
    f.clock.advance(72 * 3_600_000);
    let expired = f
        .post("/api/v1/status/verify-mobile", verify(&second))
        .await;
    assert_problem(&expired.json, "SMS_CODE_EXPIRED");
    assert_eq!(
        f.post("/api/v1/status/resend-code", resend.clone())
            .await
            .status,
        StatusCode::OK
    );
    let third = f.outbox_code("13920200004");
    let ok = f.post("/api/v1/status/verify-mobile", verify(&third)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.json);
    assert!(
        f.platform.unverified_mobiles().unwrap()[0]
            .verified_at
            .is_some(),
        "verified later"
    );
    let nothing = f.post("/api/v1/status/resend-code", resend).await;
    assert_problem(&nothing.json, "NO_MOBILE_TO_VERIFY");

    // A legacy binding typed offline defers at the top level; its mobile is the top-level one.
    let binding = f
        .submit(&uuid(2), &deferred(application("zhengzhou-legacy-binding")))
        .await;
    assert_eq!(binding.status, StatusCode::CREATED);
    let sent = platform::sms::outbox_codes(&f.platform.sms_outbox_path(), "13837100002").unwrap();
    assert_eq!(
        sent.iter().map(|e| e.purpose.as_str()).collect::<Vec<_>>(),
        ["verify-later"],
        "a verify-later code went to the binding's mobile"
    );
    let refused = f.review(&uuid(2), json!({"action": "approve"})).await;
    assert_problem(&refused.json, "MOBILE_UNVERIFIED");

    // A shorter validity is a platform setting.
    let short = Fixture::with(|p| p.with_verify_later_validity_ms(2 * 3_600_000)).await;
    short
        .submit(&uuid(3), &deferred(application("tianjin-natural-person")))
        .await;
    let code = short.outbox_code("13920200004");
    short.clock.advance(2 * 3_600_000);
    let receipt = platform::receipt::receipt_code(&uuid(3));
    let late = short
        .post(
            "/api/v1/status/verify-mobile",
            json!({"receipt": receipt, "code": code}),
        )
        .await;
    assert_problem(&late.json, "SMS_CODE_EXPIRED");
    assert_logs_hold_nothing_personal();
}

// ---------------------------------------------------------------------------------------------

async fn registered(f: &Fixture, kind: &str, value: &str) -> bool {
    let answer = f
        .post(&format!("/api/v1/checks/{kind}"), json!({"value": value}))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    answer.json["registered"].as_bool().unwrap()
}

#[tokio::test]
async fn uniqueness_follows_the_application_kind_and_refusals_free_what_they_held() {
    capture_logs();
    let f = Fixture::new().await;
    let token = f.sms_token("18610100007", "register").await;
    let person = f
        .submit(
            &uuid(1),
            &with_token(application("most-natural-person"), &token),
        )
        .await;
    assert_eq!(person.json["state"], "accepted", "{}", person.json);
    assert!(registered(&f, "account-name", "WU_TAO1992").await);
    assert!(registered(&f, "id-number", "110108199202031378").await);
    assert!(
        !registered(&f, "mobile", "18610100007").await,
        "MOST does not log in by mobile"
    );

    // Another registration with the same ID number (person.document.number) is caught, and
    // holds nothing of its own.
    let mut twin = deferred(application("most-natural-person"));
    twin["account"]["accountName"] = json!("wu_tao_twin");
    let caught = f.submit(&uuid(2), &twin).await;
    assert_eq!(caught.status, StatusCode::CREATED);
    assert_eq!(caught.json["state"], "needs-action");
    assert_eq!(caught.json["reason"]["code"], "ID_NUMBER_REGISTERED");
    assert!(
        !registered(&f, "account-name", "wu_tao_twin").await,
        "reserves nothing"
    );

    // The unit, then what refers to existing accounts: accepted, never refused.
    let unit = f
        .submit(&uuid(3), &deferred(application("most-legal-entity")))
        .await;
    assert_eq!(unit.json["state"], "accepted", "{}", unit.json);
    assert!(registered(&f, "uscc", "91110108ma01t7qx0y").await);
    assert!(
        !registered(&f, "id-number", "110108197008192486").await,
        "the legal representative's ID number is not reserved"
    );
    for (n, name) in [
        (4, "most-real-name"),
        (5, "most-legacy-binding"),
        (6, "most-password-reset-appeal"),
    ] {
        let answer = f.submit(&uuid(n), &deferred(application(name))).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{name}");
        assert_eq!(
            (answer.json["state"].as_str(), &answer.json["reason"]),
            (Some("accepted"), &serde_json::Value::Null),
            "{name} names an existing unit or person and is accepted"
        );
    }
    // The same person represents a second unit.
    let mut second_unit = deferred(application("most-legal-entity"));
    second_unit["account"]["accountName"] = json!("bjshili_two");
    second_unit["unit"]["uscc"] = json!("91110108MA01T7QX1A");
    let answer = f.submit(&uuid(7), &second_unit).await;
    assert_eq!(answer.json["state"], "accepted", "{}", answer.json);

    // A rejected registration frees its account name and ID number.
    let tianjin = f
        .submit(&uuid(8), &deferred(application("tianjin-natural-person")))
        .await;
    assert_eq!(tianjin.json["state"], "accepted");
    assert!(registered(&f, "account-name", "chen_jing90").await);
    let rejected = f
        .review(
            &uuid(8),
            json!({"action": "reject", "zh": "材料不清晰", "en": "Unreadable"}),
        )
        .await;
    assert_eq!(rejected.json["state"], "rejected");
    assert!(
        !registered(&f, "account-name", "chen_jing90").await,
        "freed"
    );
    assert!(
        !registered(&f, "id-number", "120116199001082840").await,
        "freed"
    );
    let again = f
        .submit(&uuid(9), &deferred(application("tianjin-natural-person")))
        .await;
    assert_eq!(
        again.json["state"], "accepted",
        "the name can be used again"
    );

    // Back in needs-action (more evidence) frees too; approving re-reserves, or says who holds it.
    let evidence = f
        .review(&uuid(9), json!({"action": "request-evidence", "zh": "请补充身份证反面", "en": "Add the back of the ID card"}))
        .await;
    assert_eq!(evidence.json["state"], "needs-action");
    assert!(!registered(&f, "account-name", "chen_jing90").await);
    let mut rival = deferred(application("tianjin-natural-person"));
    rival["person"]["document"]["number"] = json!("120116199001082859");
    assert_eq!(f.submit(&uuid(10), &rival).await.json["state"], "accepted");
    // Its mobile verified later (the first code went to uuid(8) a moment before: resend).
    f.clock.advance(61_000);
    let receipt = again.json["receipt"].clone();
    let resent = f
        .post("/api/v1/status/resend-code", json!({"receipt": receipt}))
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.json);
    let code = f.outbox_code("13920200004");
    let verified = f
        .post(
            "/api/v1/status/verify-mobile",
            json!({"receipt": receipt, "code": code}),
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.json);
    let taken = f.review(&uuid(9), json!({"action": "approve"})).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_problem(&taken.json, "ACCOUNT_NAME_TAKEN");
    let renamed = f
        .review(
            &uuid(9),
            json!({"action": "approve", "accountName": "chen_jing1990"}),
        )
        .await;
    assert_eq!(renamed.json["state"], "verified", "{}", renamed.json);
    assert!(registered(&f, "account-name", "chen_jing1990").await);
    assert!(registered(&f, "id-number", "120116199001082840").await);
    assert_logs_hold_nothing_personal();
    let shown = format!(
        "{:?} {:?}",
        f.platform.submissions().unwrap(),
        f.platform.unverified_mobiles().unwrap()
    );
    for secret in ["120116199001082840", "13920200004", "陈静", "18610100007"] {
        assert!(!shown.contains(secret), "Debug shows {secret}: {shown}");
    }
}

#[tokio::test]
async fn zhengzhou_allows_one_account_per_mobile_and_other_profiles_do_not_care() {
    let f = Fixture::new().await;
    let expert = f
        .submit(&uuid(1), &deferred(application("zhengzhou-expert")))
        .await;
    assert_eq!(expert.json["state"], "accepted", "{}", expert.json);
    assert!(registered(&f, "mobile", "+86 138 3710 0002").await);
    // The unit's SMS mobile is its primary agent's: the expert's number.
    let unit = f
        .submit(&uuid(2), &deferred(application("zhengzhou-legal-entity")))
        .await;
    assert_eq!(unit.json["state"], "needs-action");
    assert_eq!(unit.json["reason"]["code"], "MOBILE_REGISTERED");
    assert!(
        !registered(&f, "account-name", "zzshili").await,
        "reserves nothing"
    );
    let person = f
        .submit(&uuid(3), &deferred(application("zhengzhou-natural-person")))
        .await;
    assert_eq!(person.json["state"], "accepted", "another mobile");

    let tianjin = f
        .submit(&uuid(4), &deferred(application("tianjin-natural-person")))
        .await;
    assert_eq!(tianjin.json["state"], "accepted");
    let mut same_mobile = deferred(application("tianjin-natural-person"));
    same_mobile["account"]["accountName"] = json!("chen_jing_two");
    same_mobile["person"]["document"]["number"] = json!("120116199001082859");
    let answer = f.submit(&uuid(5), &same_mobile).await;
    assert_eq!(
        answer.json["state"], "accepted",
        "Tianjin: mobiles are not unique"
    );
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn visitors_find_their_applications_from_any_kiosk_and_misses_reveal_nothing() {
    capture_logs();
    let f = Fixture::new().await;
    let answer = f
        .submit(&uuid(1), &deferred(application("tianjin-natural-person")))
        .await;
    let receipt = answer.json["receipt"].as_str().unwrap().to_owned();
    assert_eq!(
        receipt,
        platform::receipt::display(&platform::receipt::receipt_code(&uuid(1)))
    );
    let hall2 = f.enrol("大厅 2 号机", 9).await;
    let lookup = |body: serde_json::Value| body.to_string().into_bytes();
    let typed = receipt
        .to_lowercase()
        .replace('-', "")
        .replace('0', "o")
        .replace('1', "l");
    let found = f
        .send_by(
            &hall2,
            "POST",
            "/api/v1/status/lookup",
            lookup(json!({"receipt": typed, "idLast4": "2840"})),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.json);
    let apps = found.json["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(
        apps[0],
        json!({
            "id": uuid(1), "receipt": receipt, "kind": "natural-person", "profile": "tianjin",
            "state": "accepted", "updatedAt": crate::common::TEN_AM_CST, "mobileUnverified": true,
            "message": apps[0]["message"],
        })
    );
    assert!(apps[0]["message"]["zh"].is_string() && apps[0]["message"]["en"].is_string());
    let by_identity = f
        .send_by(
            &hall2,
            "POST",
            "/api/v1/status/lookup",
            lookup(json!({"idNumber": "120116199001082840", "mobile": "+86 139 2020 0004"})),
        )
        .await;
    assert_eq!(by_identity.status, StatusCode::OK, "{}", by_identity.json);
    assert_eq!(by_identity.json["applications"][0]["id"], uuid(1).as_str());

    let misses = [
        json!({"receipt": receipt, "idLast4": "2841"}),
        json!({"receipt": "ZZZZZ-ZZZZZ", "idLast4": "2840"}),
        json!({"idNumber": "120116199001082840", "mobile": "13920200005"}),
    ];
    let mut bodies = Vec::new();
    for miss in misses {
        let a = f
            .send_by(&hall2, "POST", "/api/v1/status/lookup", lookup(miss))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert_problem(&a.json, "STATUS_NOT_FOUND");
        bodies.push(a.json);
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "one identical answer"
    );

    // Decisions show up with their reason.
    f.review(
        &uuid(1),
        json!({"action": "reject", "zh": "照片不清晰，请重新拍摄", "en": "Retake the photo"}),
    )
    .await;
    let after = f
        .send_by(
            &hall2,
            "POST",
            "/api/v1/status/lookup",
            lookup(json!({"receipt": receipt, "idLast4": "2840"})),
        )
        .await;
    assert_eq!(after.json["applications"][0]["state"], "rejected");
    assert_eq!(
        after.json["applications"][0]["message"],
        json!({"zh": "照片不清晰，请重新拍摄", "en": "Retake the photo"})
    );

    // Five misses on a receipt lock it for an hour, from every kiosk, even with the right answer.
    let hall3 = f.enrol("大厅 3 号机", 11).await;
    for _ in 0..4 {
        let a = f
            .send_by(
                &hall3,
                "POST",
                "/api/v1/status/lookup",
                lookup(json!({"receipt": receipt, "idLast4": "0000"})),
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
    let locked = f
        .send_by(
            &hall3,
            "POST",
            "/api/v1/status/lookup",
            lookup(json!({"receipt": receipt, "idLast4": "2840"})),
        )
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.json
    );
    assert_problem(&locked.json, "STATUS_TOO_MANY_TRIES");
    let wait: u64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3_500..=3_600).contains(&wait), "about an hour: {wait}");
    f.clock.advance(i64::try_from(wait).unwrap() * 1000);
    let open_again = f
        .send_by(
            &hall3,
            "POST",
            "/api/v1/status/lookup",
            lookup(json!({"receipt": receipt, "idLast4": "2840"})),
        )
        .await;
    assert_eq!(open_again.status, StatusCode::OK, "{}", open_again.json);

    // Ten status calls per kiosk a minute.
    let hall4 = f.enrol("大厅 4 号机", 13).await;
    for _ in 0..10 {
        let a = f
            .send_by(
                &hall4,
                "POST",
                "/api/v1/status/lookup",
                lookup(json!({"receipt": receipt, "idLast4": "2840"})),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
        f.clock.advance(1_000);
    }
    let busy = f
        .send_by(
            &hall4,
            "POST",
            "/api/v1/status/lookup",
            lookup(json!({"receipt": receipt, "idLast4": "2840"})),
        )
        .await;
    assert_problem(&busy.json, "STATUS_TOO_MANY_TRIES");
    assert_eq!(
        busy.headers["retry-after"], "50",
        "when the first call leaves the minute"
    );
    assert_eq!(
        f.send_by(
            &hall2,
            "POST",
            "/api/v1/status/lookup",
            lookup(json!({"receipt": receipt, "idLast4": "2840"})),
        )
        .await
        .status,
        StatusCode::OK,
        "other kiosks are not held back"
    );
    assert_logs_hold_nothing_personal();
}

#[tokio::test]
async fn identity_lookups_answer_the_newest_ten() {
    let f = Fixture::new().await;
    for n in 0..12 {
        let answer = f
            .submit(
                &uuid(100 + n),
                &deferred(application("most-password-reset-appeal")),
            )
            .await;
        assert_eq!(answer.json["state"], "accepted", "appeals reserve nothing");
        f.clock.advance(61_000);
    }
    let found = f
        .post(
            "/api/v1/status/lookup",
            json!({"idNumber": "110108199202031378", "mobile": "18610100009"}),
        )
        .await;
    let ids: Vec<&str> = found.json["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (2..12).rev().map(|n| uuid(100 + n)).collect();
    assert_eq!(ids, expected, "newest first, at most 10");
}

/// No phone number, ID number, name or code of the fixtures in any platform log line.
fn assert_logs_hold_nothing_personal() {
    let lines = captured().lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.contains("\"route\":\"/api/v1/")),
        "the access log was captured"
    );
    for secret in [
        "18610100007",
        "13920200004",
        "13837100002",
        "13800138000",
        "110108199202031378",
        "120116199001082840",
        "吴涛",
        "陈静",
        "李秀英",
    ] {
        assert!(
            !lines.iter().any(|l| l.contains(secret)),
            "{secret} reached the log: {lines:?}"
        );
    }
}
