//! Real-app journey with the identity-card reader: a Tianjin natural person at an online hall
//! lays the card on the reader when the person step asks for it. The reader is the GA 467
//! simulator on a pseudo-terminal (`KIOSK_ID_READER`), speaking the real protocol; the app
//! reads the chip, Rust maps it to the form, the name, number and validity are filled and
//! locked with their source shown; the visitor types only the mobile and the texted code, and
//! the platform receives the card's values.

use std::time::Duration;

use kiosk_testkit::idcard_sim::{IdCardSim, SimCard, SimConfig};

use crate::hall::{CLERK_PASSWORD, Hall, clock_at};
use crate::harness::{Launch, Session};
use crate::steps::{fill, next, on_step, submit, verify_sms};

/// 10:00 in China: the population database answers.
const MORNING: &str = "2026-12-04 02:00:00";

/// Whether the wizard's input for `path` is disabled (locked).
async fn locked(session: &Session, path: &str) -> bool {
    let css = format!("input[data-test='field-{path}'], [data-test='field-{path}'] input");
    let answer = session
        .client
        .execute(
            "const input = document.querySelector(arguments[0]); return input ? input.disabled : null;",
            vec![css.clone().into()],
        )
        .await
        .unwrap();
    answer
        .as_bool()
        .unwrap_or_else(|| panic!("no input at {css}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_on_the_reader_fills_and_locks_the_person_step() {
    let hall = Hall::start(Some(MORNING));
    let reader = IdCardSim::start(SimConfig {
        start_empty: true,
        ..SimConfig::default()
    });
    let mut env = clock_at(MORNING);
    env.push((
        "KIOSK_ID_READER".into(),
        reader.path().display().to_string(),
    ));
    let session = Session::start(Launch {
        env,
        data_dir: Some(hall.kiosk(Some("tianjin"))),
        ..Launch::default()
    })
    .await;
    session.wait_until_home().await;
    session.sign_in("clerk", "王工", CLERK_PASSWORD).await;

    session.click("[data-test=tile-natural-person]").await;
    session.click("[data-test=consent-agree]").await;
    on_step(&session, "account").await;
    fill(&session, "account.accountName", "zhangsan_card").await;
    fill(&session, "account.password", "Kx9!pQ2#mZ").await;
    fill(&session, "account.passwordConfirmation", "Kx9!pQ2#mZ").await;
    next(&session).await;

    // The person step asks for the card; it is laid on the reader and read by itself.
    on_step(&session, "person").await;
    session
        .wait_for_text(
            "[data-test=id-reader-state]",
            Duration::from_secs(15),
            |t| t.contains("请将证件平放在读卡器上"),
        )
        .await;
    reader.place(SimCard::preset("zhang-san").unwrap());
    session
        .wait_for_text(
            "[data-test=id-reader-number]",
            Duration::from_secs(15),
            |t| t == "110***********002X",
        )
        .await;
    session
        .wait_for_text(
            "[data-test='field-source-person.name']",
            Duration::from_secs(5),
            |t| !t.is_empty(),
        )
        .await;
    for path in ["person.name", "person.document.number"] {
        assert!(locked(&session, path).await, "{path} is locked");
    }
    assert!(
        !locked(&session, "person.mobile").await,
        "the mobile is typed"
    );
    session.screenshot("id-reader-person-filled").await;

    fill(&session, "person.mobile", "13812345678").await;
    verify_sms(&session, &hall.outbox(), "account.smsCode", "13812345678").await;
    next(&session).await;
    session
        .wait_for_text(
            "[data-test=note-REAL_NAME_VERIFIED]",
            Duration::from_secs(15),
            |t| t.contains("已通过平台实名核验"),
        )
        .await;
    let id = submit(&session, "id-reader-person").await;

    let received = hall.received(&id);
    let person = &received["payload"]["person"];
    assert_eq!(person["name"], "张三", "{received}");
    assert_eq!(person["document"]["number"], "11010519491231002X");
    assert_eq!(person["document"]["docType"], "resident-id");
    assert_eq!(person["document"]["validity"]["from"], "2015-01-01");
    assert_eq!(person["document"]["validity"]["until"], "long-term");
    assert_eq!(received["payload"]["realNameCheck"]["outcome"], "verified");
    assert_eq!(received["state"], "accepted", "{received}");
    session.finish().await;
}
