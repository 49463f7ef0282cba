//! Real-app journeys of visitors who come back to an account they had: a Shandong old account
//! bound with its old password (manual 002 item 5, Q5, Q8), and a MOST password-reset appeal
//! with a resident ID card — its validity period, the SMS code to the new mobile and signed
//! photos of both sides (manual 004 三 1-2). A hall serving several platforms: the visitor picks
//! the platform. Each reaches the platform and is checked there.

use std::time::Duration;

use crate::hall::{CLERK_PASSWORD, Hall};
use crate::harness::{Launch, Session};
use crate::steps::{attach, choose, date, document_photo, fill, next, on_step, submit, verify_sms};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shandong_binding_with_the_old_password_and_a_most_appeal_reach_the_platform() {
    let hall = Hall::start(None);
    // This hall serves every platform: the visitor chooses.
    let session = Session::start(Launch {
        data_dir: Some(hall.kiosk(None)),
        ..Launch::default()
    })
    .await;
    session.wait_until_home().await;
    session.sign_in("clerk", "王工", CLERK_PASSWORD).await;

    // Shandong: the old cloud-platform account, bound with its old password.
    session.start_flow("legacy-binding", "shandong").await;
    on_step(&session, "request").await;
    choose(&session, "userType", "申报个人用户").await;
    fill(&session, "legacyAccountName", "sd_wangli").await;
    fill(&session, "legacyPassword", "Old#pass2019").await;
    next(&session).await;
    on_step(&session, "person").await;
    fill(&session, "person.name", "王丽").await;
    fill(&session, "person.document.number", "370102198001010015").await;
    next(&session).await;
    session
        .wait_for_text(
            "[data-test='summary-legacyPassword']",
            Duration::from_secs(15),
            |t| t == "••••••••",
        )
        .await;
    let binding = submit(&session, "shandong-binding").await;
    let received = hall.received(&binding);
    assert_eq!(
        received["payload"]["legacyAccountName"], "sd_wangli",
        "{received}"
    );
    assert_eq!(
        received["payload"]["legacyPassword"], "(given)",
        "reviewers never see it"
    );
    assert_eq!(
        received["payload"]["person"]["document"]["number"],
        "370102198001010015"
    );
    session.click("[data-test=done-home]").await;

    // MOST: an appeal when the login name and the old mobile are lost.
    session.start_flow("password-reset-appeal", "most").await;
    on_step(&session, "request").await;
    choose(&session, "subject", "个人用户").await;
    next(&session).await;
    on_step(&session, "person").await;
    fill(&session, "person.name", "赵敏").await;
    fill(&session, "person.mobile", "13900390001").await;
    verify_sms(&session, &hall.outbox(), "smsCode", "13900390001").await;
    fill(&session, "person.document.number", "110101198702030022").await;
    // Issued at 29: valid for 20 years.
    date(&session, "person.document.validity.from", "2016-03-01").await;
    date(&session, "person.document.validity.until", "2036-03-01").await;
    next(&session).await;
    on_step(&session, "capture").await;
    let files = tempfile::tempdir().unwrap();
    let (front, back) = (
        files.path().join("front.png"),
        files.path().join("back.png"),
    );
    document_photo(&front, 3);
    document_photo(&back, 6);
    attach(&session, "id-front", &front).await;
    attach(&session, "id-back", &back).await;
    next(&session).await;
    let appeal = submit(&session, "most-appeal").await;
    let received = hall.received(&appeal);
    let payload = &received["payload"];
    assert_eq!(payload["kind"], "password-reset-appeal", "{received}");
    assert_eq!(
        payload["person"]["document"]["validity"]["until"],
        "2036-03-01"
    );
    assert!(
        payload["smsVerification"].is_string(),
        "the new mobile was verified"
    );
    assert_eq!(
        received["attachments"].as_array().map(Vec::len),
        Some(2),
        "both sides"
    );
    session.finish().await;
}
