//! The wizard's online checks (account-name availability, SMS codes) and "verify the mobile
//! later", with the real kiosk store and a real platformd on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use kiosk_api::online::{self, Availability};
use kiosk_api::submit::{self, Submission};
use kiosk_api::{Kiosk, clock, sync};

use kiosk_testkit::platformd::Loopback;

fn fixture(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/../../tests/fixtures/applications/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The Tianjin registration typed offline: no SMS code, the mobile verified later.
fn verify_later() -> serde_json::Value {
    let mut app = fixture("tianjin-natural-person");
    app["account"].as_object_mut().unwrap().remove("smsCode");
    app["account"]["smsDeferred"] = serde_json::json!(true);
    app
}

async fn submit_json(kiosk: &Kiosk, app: &serde_json::Value) -> Result<String, String> {
    let json = app.to_string();
    let submission = Submission {
        profile: "tianjin",
        application_json: &json,
        attachments: Vec::new(),
        actor: "visitor",
        replaces_draft: None,
    };
    submit::submit_async(kiosk, submission, clock::now_ms())
        .await
        .map(|r| r.id)
        .map_err(|p| p.code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_the_name_is_unknown_no_code_is_sent_and_only_an_explicit_deferral_submits() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    assert_eq!(
        online::account_name_availability(&kiosk, "chen_jing90").await,
        Availability::Unknown,
        "not enrolled: nothing alarming"
    );
    let refused = online::sms_send(
        &kiosk,
        "tianjin",
        "natural-person",
        &verify_later(),
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

    let mut no_code = fixture("tianjin-natural-person");
    no_code["account"]
        .as_object_mut()
        .unwrap()
        .remove("smsCode");
    assert_eq!(
        submit_json(&kiosk, &no_code).await.unwrap_err(),
        "FIELD_REQUIRED",
        "a missing code without the deferral is refused"
    );
    assert!(
        submit_json(&kiosk, &verify_later()).await.is_ok(),
        "verify later is accepted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_names_are_checked_codes_are_sent_and_deferred_mobiles_are_recorded_unverified() {
    let running = Loopback::start().await;
    let dir = tempfile::tempdir().unwrap();
    let kiosk = Kiosk::open(dir.path()).unwrap();
    let code = running.enrolment_code("online");
    sync::enrol(&kiosk, &running.url(), &code).await.unwrap();

    assert_eq!(
        online::account_name_availability(&kiosk, "chen_jing90").await,
        Availability::Available,
        "nobody has the name yet"
    );
    let id = submit_json(&kiosk, &verify_later()).await.unwrap();
    let report = sync::sync_once(&kiosk).await.unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
    assert_eq!(
        online::account_name_availability(&kiosk, " CHEN_jing90 ").await,
        Availability::Taken,
        "the delivered registration holds the name (case-insensitively)"
    );
    let unverified = running.platform.unverified_mobiles().unwrap();
    assert_eq!(unverified.len(), 1, "{unverified:?}");
    assert_eq!(
        (
            unverified[0].application_id.as_str(),
            unverified[0].phone.as_str()
        ),
        (id.as_str(), "13920200004"),
        "the platform records the deferred mobile"
    );
    assert!(unverified[0].verified_at.is_none(), "not verified yet");

    let sent = online::sms_send(
        &kiosk,
        "tianjin",
        "natural-person",
        &verify_later(),
        clock::now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(sent.masked_mobile, "139****0004");
    assert!(
        (55..=60).contains(&sent.resend_in_s),
        "a minute before the next code: {sent:?}"
    );
    assert!((290..=300).contains(&sent.valid_for_s), "{sent:?}");
    let message = running.platform.last_sms("13920200004").unwrap().unwrap();
    assert!(message.contains("验证码"), "the code went out: {message}");
    let code: String = message
        .split_once("验证码是 ")
        .unwrap()
        .1
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let verdict = running
        .platform
        .sms_verify(&platform::sms::SmsVerify {
            phone: "13920200004".into(),
            purpose: "register".into(),
            code,
        })
        .unwrap();
    assert!(
        verdict.valid,
        "the code from the message is right: {verdict:?}"
    );
    assert!(
        running.platform.unverified_mobiles().unwrap()[0]
            .verified_at
            .is_some(),
        "a verified code marks the deferred mobile verified"
    );
    let again = online::sms_send(
        &kiosk,
        "tianjin",
        "natural-person",
        &verify_later(),
        clock::now_ms(),
    )
    .await
    .unwrap_err();
    assert_eq!(again.code, "SMS_TOO_SOON", "{again:?}");
    let no_mobile = online::sms_send(
        &kiosk,
        "tianjin",
        "natural-person",
        &serde_json::json!({}),
        clock::now_ms(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (no_mobile.code.as_str(), no_mobile.field.as_deref()),
        ("SMS_NO_MOBILE", Some("person.mobile"))
    );

    running.stop().await;
    let started = Instant::now();
    assert_eq!(
        online::account_name_availability(&kiosk, "someone_else").await,
        Availability::Unknown,
        "the platform went away"
    );
    assert!(
        started.elapsed() < online::ONLINE_CHECK_TIMEOUT + Duration::from_secs(1),
        "answered within the short timeout"
    );
    assert_eq!(
        online::sms_send(
            &kiosk,
            "tianjin",
            "natural-person",
            &verify_later(),
            clock::now_ms()
        )
        .await
        .unwrap_err()
        .code,
        "SMS_OFFLINE"
    );
}
