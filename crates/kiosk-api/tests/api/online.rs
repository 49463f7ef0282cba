//! The wizard's online checks with the real kiosk store and a real platformd on loopback:
//! already-registered values, SMS codes sent, read from the platform's outbox (as the visitor
//! reads the message) and verified, "verify the mobile later" and its later verification, and
//! the live real-name check.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosk_api::checks::RegisteredCheck;
use kiosk_api::online::{self, Availability};
use kiosk_api::status::{self, LookupBy};
use kiosk_api::submit::{self, Submission};
use kiosk_api::{Kiosk, clock, sync, wizard};
use kiosk_testkit::platformd::Loopback;
use platform::ManualClock;

fn fixture(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/../../tests/fixtures/applications/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The Tianjin registration as typed, without any SMS code yet.
fn typed() -> serde_json::Value {
    let mut app = fixture("tianjin-natural-person");
    app["account"].as_object_mut().unwrap().remove("smsCode");
    app
}

fn patched(
    mut app: serde_json::Value,
    patch: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Value {
    for (path, value) in patch {
        let (parent, leaf) = path.rsplit_once('.').unwrap_or(("", path));
        let node = if parent.is_empty() {
            &mut app
        } else {
            app.pointer_mut(&format!("/{}", parent.replace('.', "/")))
                .unwrap()
        };
        node[leaf] = value.clone();
    }
    app
}

async fn submit_json(kiosk: &Kiosk, app: &serde_json::Value) -> Result<String, String> {
    let json = app.to_string();
    let submission = Submission {
        profile: "tianjin",
        application: serde_json::from_str(&json).unwrap(),
        attachments: Vec::new(),
        actor: "visitor",
        draft_id: None,
    };
    // The store's queue write blocks: run it off the test's runtime, as the app's commands do.
    std::thread::scope(|s| {
        s.spawn(|| submit::submit(kiosk, submission, clock::now_ms()))
            .join()
            .unwrap()
    })
    .map(|r| r.id)
    .map_err(|p| p.code)
}

fn latest_code(platform: &Loopback, phone: &str) -> String {
    platform::sms::outbox_latest_code(&platform.platform.sms_outbox_path(), phone)
        .unwrap()
        .expect("the platform texted a code")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_nothing_is_claimed_and_only_an_explicit_deferral_submits_without_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    assert_eq!(
        online::registered(&kiosk, RegisteredCheck::AccountName, "chen_jing90").await,
        Availability::Unknown,
        "not enrolled: nothing alarming"
    );
    let refused = online::sms_send(
        &kiosk,
        "tianjin",
        "natural-person",
        &typed(),
        clock::now_ms(),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code, "SMS_OFFLINE", "{refused:?}");
    let entity = serde_json::json!({ "legalRepresentative": { "mobile": "1380000" } });
    let wrong = online::sms_send(
        &kiosk,
        "zhengzhou",
        "legal-entity",
        &entity,
        clock::now_ms(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        wrong.field.as_deref(),
        Some("legalRepresentative.mobile"),
        "a wrong number is pointed at where it was typed: {wrong:?}"
    );
    assert_eq!(
        submit_json(&kiosk, &typed()).await.unwrap_err(),
        "FIELD_REQUIRED",
        "neither a verified code nor the deferral"
    );
    let patch = online::sms_defer(&kiosk, "tianjin", "natural-person", &typed())
        .await
        .unwrap();
    assert_eq!(patch["account.smsDeferred"], serde_json::json!(true));
    assert!(
        submit_json(&kiosk, &patched(typed(), &patch)).await.is_ok(),
        "verify later is accepted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_codes_are_verified_by_the_platform_and_its_proof_travels_with_the_application() {
    let clock_on_platform = Arc::new(ManualClock::new(clock::now_ms()));
    let running =
        Loopback::start_with_clock(Arc::clone(&clock_on_platform) as Arc<dyn platform::Clock>)
            .await;
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    sync::enrol(
        &kiosk,
        &running.url(),
        &running.enrolment_code("online"),
        false,
    )
    .await
    .unwrap();

    assert_eq!(
        online::registered(&kiosk, RegisteredCheck::AccountName, "chen_jing90").await,
        Availability::Available,
        "nobody has the name yet"
    );
    let not_now = online::sms_defer(&kiosk, "tianjin", "natural-person", &typed())
        .await
        .unwrap_err();
    assert_eq!(
        not_now.code, "SMS_DEFER_ONLINE",
        "the platform answers: verify now"
    );

    let sent = online::sms_send(
        &kiosk,
        "tianjin",
        "natural-person",
        &typed(),
        clock::now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(sent.masked_mobile, "139****0004");
    assert!((55..=60).contains(&sent.resend_in_s), "{sent:?}");
    let code = latest_code(&running, "13920200004");
    let wrong = if code == "000001" { "000002" } else { "000001" };
    let refused = online::sms_verify(&kiosk, "tianjin", "natural-person", &typed(), wrong)
        .await
        .unwrap_err();
    assert_eq!(
        (refused.code.as_str(), refused.field.as_deref()),
        ("SMS_CODE_WRONG", Some("account.smsCode"))
    );
    let verified = online::sms_verify(&kiosk, "tianjin", "natural-person", &typed(), &code)
        .await
        .unwrap();
    let proof = verified.patch["account.smsVerification"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(proof.len() >= 20, "the platform's proof, not the code");
    let reused = online::sms_verify(&kiosk, "tianjin", "natural-person", &typed(), &code)
        .await
        .unwrap_err();
    assert_eq!(reused.code, "SMS_CODE_USED", "{reused:?}");

    let id = submit_json(&kiosk, &patched(typed(), &verified.patch))
        .await
        .unwrap();
    let report = sync::sync_once(&kiosk).await.unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
    assert_eq!(
        online::registered(&kiosk, RegisteredCheck::AccountName, " CHEN_jing90 ").await,
        Availability::Taken,
        "the delivered registration holds the name (case-insensitively)"
    );
    assert_eq!(
        online::registered(&kiosk, RegisteredCheck::IdNumber, "120116199001082840").await,
        Availability::Taken,
        "and the ID number"
    );
    let code = kiosk_api::receipt::display(&kiosk_api::receipt::receipt_code(&id));
    let found = status::lookup(
        &kiosk,
        LookupBy::Receipt {
            code,
            id_last4: "2840".into(),
        },
        kiosk_api::clock::now_ms(),
    )
    .await
    .unwrap();
    assert!(
        found[0].from_platform && !found[0].mobile_unverified,
        "{found:?}"
    );

    // A code the visitor waits too long with.
    let mut other = typed();
    other["person"]["mobile"] = "13920200005".into();
    online::sms_send(&kiosk, "tianjin", "natural-person", &other, clock::now_ms())
        .await
        .unwrap();
    let late = latest_code(&running, "13920200005");
    // Five minutes on the platform's clock (its request-signing window is five minutes too).
    clock_on_platform.advance(5 * 60 * 1000);
    let expired = online::sms_verify(&kiosk, "tianjin", "natural-person", &other, &late)
        .await
        .unwrap_err();
    assert_eq!(expired.code, "SMS_CODE_EXPIRED");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mobile_deferred_offline_is_verified_later_at_the_status_screen() {
    let running = Loopback::start().await;
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    // Applied while the kiosk was offline (not enrolled yet): the mobile is verified later.
    let mut deferred = typed();
    deferred["account"]["smsDeferred"] = true.into();
    let id = submit_json(&kiosk, &deferred).await.unwrap();
    sync::enrol(
        &kiosk,
        &running.url(),
        &running.enrolment_code("later"),
        false,
    )
    .await
    .unwrap();
    assert_eq!(sync::sync_once(&kiosk).await.unwrap().delivered, 1);
    let code = kiosk_api::receipt::display(&kiosk_api::receipt::receipt_code(&id));
    let by = || LookupBy::Receipt {
        code: code.clone(),
        id_last4: "2840".into(),
    };
    let found = status::lookup(&kiosk, by(), kiosk_api::clock::now_ms())
        .await
        .unwrap();
    assert!(
        found[0].mobile_unverified,
        "the platform waits for the mobile: {found:?}"
    );
    let texted = latest_code(&running, "13920200004");
    let wrong = status::verify_mobile(
        &kiosk,
        &code,
        if texted == "111111" {
            "222222"
        } else {
            "111111"
        },
    )
    .await
    .unwrap_err();
    assert_eq!(wrong.code, "SMS_CODE_WRONG");
    status::verify_mobile(&kiosk, &code, &texted).await.unwrap();
    assert!(
        !status::lookup(&kiosk, by(), kiosk_api::clock::now_ms())
            .await
            .unwrap()[0]
            .mobile_unverified
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_name_is_checked_live_and_goes_to_manual_review_when_it_cannot_be() {
    let running = Loopback::start_all_day(Arc::new(platform::SystemClock::default())).await;
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    sync::enrol(
        &kiosk,
        &running.url(),
        &running.enrolment_code("real-name"),
        false,
    )
    .await
    .unwrap();
    // MOST has no service hours, so the outcome does not depend on when the test runs.
    let person = |name: &str, number: &str| {
        serde_json::json!({
            "subject": "natural-person",
            "person": {
                "name": name,
                "mobile": "13800138000",
                "document": { "docType": "resident-id", "number": number,
                              "validity": { "from": "2015-03-01", "until": "long-term" } }
            }
        })
    };
    let finish = |app: serde_json::Value, confirm: bool| {
        wizard::finish_step(
            &kiosk,
            "most",
            "real-name",
            "person",
            app,
            confirm,
            clock::now_ms(),
        )
    };
    let verified = finish(person("张三", "11010519491231002X"), false)
        .await
        .unwrap();
    assert!(verified.done, "{verified:?}");
    assert_eq!(verified.patch["realNameCheck"]["outcome"], "verified");
    assert_eq!(verified.notes[0].code, "REAL_NAME_VERIFIED");

    let mismatch = finish(person("张四", "11010519491231002X"), false)
        .await
        .unwrap();
    assert!(!mismatch.done);
    assert_eq!(mismatch.problems[0].code, "REAL_NAME_MISMATCH");
    let confirmed = finish(person("张四", "11010519491231002X"), true)
        .await
        .unwrap();
    assert_eq!(confirmed.patch["realNameCheck"]["outcome"], "manual-review");

    let unknown = finish(person("赵六", "110101199003078515"), false)
        .await
        .unwrap();
    assert_eq!(unknown.patch["realNameCheck"]["reason"], "not-found");

    running.stop().await;
    let started = Instant::now();
    let offline = finish(person("张三", "11010519491231002X"), false)
        .await
        .unwrap();
    assert_eq!(offline.patch["realNameCheck"]["reason"], "offline");
    assert!(
        offline.notes[0].zh.contains("连不上平台"),
        "{:?}",
        offline.notes
    );
    assert!(
        started.elapsed() < online::ONLINE_CHECK_TIMEOUT + Duration::from_secs(1),
        "answered within the short timeout"
    );
}
