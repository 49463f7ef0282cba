//! Real-app journeys of a Tianjin natural person at an online hall (manual 001 (三)): the
//! mobile verified with the code the platform texted, the real name verified live inside the
//! population database's hours (08:00-18:00) — and, at 19:00, the same registration said in
//! plain words to go to manual review with photos of the ID card. Each ends with the
//! application received by the platform and its fields checked there; the first also finds it
//! again at the status screen with the receipt code.

use std::time::Duration;

use crate::hall::{CLERK_PASSWORD, Hall, clock_at};
use crate::harness::{Launch, Session};
use crate::steps::{attach, date, document_photo, fill, next, on_step, submit, tick, verify_sms};

/// 10:00 in China.
const MORNING: &str = "2026-12-04 02:00:00";
/// 19:00 in China.
const EVENING: &str = "2026-12-04 11:00:00";

/// Starts a hall at `at`, a kiosk enrolled with it, and signs the clerk in.
async fn counter(at: &str) -> (Hall, Session) {
    let hall = Hall::start(Some(at));
    let session = Session::start(Launch {
        env: clock_at(at),
        data_dir: Some(hall.kiosk(Some("tianjin"))),
        ..Launch::default()
    })
    .await;
    session.wait_until_home().await;
    session.sign_in("clerk", "王工", CLERK_PASSWORD).await;
    (hall, session)
}

/// The account and person steps of the registration, up to and including the verified code.
async fn register_zhang_san(session: &Session, hall: &Hall, account: &str) {
    session.click("[data-test=tile-natural-person]").await;
    session.click("[data-test=consent-agree]").await;
    on_step(session, "account").await;
    fill(session, "account.accountName", account).await;
    fill(session, "account.password", "Kx9!pQ2#mZ").await;
    fill(session, "account.passwordConfirmation", "Kx9!pQ2#mZ").await;
    next(session).await;
    on_step(session, "person").await;
    fill(session, "person.name", "张三").await;
    fill(session, "person.document.number", "11010519491231002X").await;
    date(session, "person.document.validity.from", "2015-03-01").await;
    tick(session, "field-person.document.validity.long-term").await;
    fill(session, "person.mobile", "13812345678").await;
    verify_sms(session, &hall.outbox(), "account.smsCode", "13812345678").await;
    next(session).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_the_hours_the_mobile_and_the_real_name_are_verified_live() {
    let (hall, session) = counter(MORNING).await;
    register_zhang_san(&session, &hall, "zhangsan01").await;
    session
        .wait_for_text(
            "[data-test=note-REAL_NAME_VERIFIED]",
            Duration::from_secs(15),
            |t| t.contains("已通过平台实名核验"),
        )
        .await;
    session
        .wait_for_text(
            "[data-test='summary-person.document.number']",
            Duration::from_secs(15),
            |t| t == "110***********002X",
        )
        .await;
    session.screenshot("tianjin-person-summary").await;
    let id = submit(&session, "tianjin-person").await;
    let receipt_code = session
        .wait_for_text("[data-test=receipt-code]", Duration::from_secs(5), |t| {
            t.len() == 11
        })
        .await;

    let received = hall.received(&id);
    let payload = &received["payload"];
    assert_eq!(payload["profile"], "tianjin", "{received}");
    assert_eq!(payload["person"]["name"], "张三");
    assert_eq!(
        payload["person"]["document"]["number"],
        "11010519491231002X"
    );
    assert_eq!(payload["person"]["mobile"], "13812345678");
    assert_eq!(payload["realNameCheck"]["outcome"], "verified");
    assert!(
        payload["account"]["smsVerification"].is_string(),
        "the platform's proof travels"
    );
    assert!(
        payload["account"].get("smsCode").is_none(),
        "the used code does not"
    );
    assert_eq!(received["state"], "accepted", "{received}");

    // At the status screen, with the code on the receipt and the last four of the ID number.
    session.click("[data-test=done-home]").await;
    session.click("[data-test=tile-status]").await;
    session
        .type_into(
            "[data-test=status-code] input, input[data-test=status-code]",
            &receipt_code,
        )
        .await;
    session
        .type_into(
            "[data-test=status-last4] input, input[data-test=status-last4]",
            "002X",
        )
        .await;
    session.click("[data-test=status-submit]").await;
    session
        .wait_for_text("[data-test=status-state]", Duration::from_secs(15), |t| {
            !t.is_empty()
        })
        .await;
    session.screenshot("tianjin-person-status").await;
    session.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_seven_in_the_evening_the_registration_goes_to_manual_review_with_photos() {
    let (hall, session) = counter(EVENING).await;
    register_zhang_san(&session, &hall, "zhangsan02").await;
    session
        .wait_for_text(
            "[data-test=note-REAL_NAME_MANUAL_REVIEW]",
            Duration::from_secs(15),
            |t| t.contains("08:00-18:00") && t.contains("人工审核"),
        )
        .await;
    on_step(&session, "capture").await;
    let files = tempfile::tempdir().unwrap();
    let (front, back) = (
        files.path().join("front.png"),
        files.path().join("back.png"),
    );
    document_photo(&front, 2);
    document_photo(&back, 5);
    attach(&session, "id-front", &front).await;
    attach(&session, "id-back", &back).await;
    session.screenshot("tianjin-person-evening-photos").await;
    next(&session).await;
    let id = submit(&session, "tianjin-person-evening").await;

    let received = hall.received(&id);
    let payload = &received["payload"];
    assert_eq!(
        payload["realNameCheck"]["outcome"], "manual-review",
        "{received}"
    );
    assert_eq!(payload["realNameCheck"]["reason"], "out-of-hours");
    let slots: Vec<&str> = received["attachments"]
        .as_array()
        .map(|l| l.iter().filter_map(|a| a["slot"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        slots,
        ["id-front", "id-back"],
        "the ID photos reach the reviewers: {received}"
    );
    session.finish().await;
}
