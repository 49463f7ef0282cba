//! Real-app end-to-end: a self-service kiosk wipes an idle visitor's form.
//!
//! The settings are stored in the data directory before launch through the same use case
//! `kioskctl settings set` calls (`kiosk_api::settings::set_one`), with the shortest idle
//! timeout accepted (30 s, of which the last 20 s show the countdown).

use std::path::Path;
use std::time::Duration;

use crate::harness::{Launch, Session};
use fantoccini::Locator;
use kiosk_api::Kiosk;
use kiosk_api::caller::Caller;
use kiosk_api::settings;

fn self_service_with_short_idle(data_dir: &Path) {
    let kiosk = Kiosk::open(data_dir).expect("data directory opens");
    for (key, value) in [("mode", "self-service"), ("idleTimeoutS", "30")] {
        settings::set_one(&kiosk, &Caller::CliOperator, key, value, 1).expect("setting stored");
    }
}

async fn name_value(session: &Session) -> String {
    let value = session
        .client
        .execute(
            r#"const e = document.querySelector('[data-test="field-account.password"]');
               return e ? e.value : null;"#,
            vec![],
        )
        .await
        .unwrap();
    value.as_str().unwrap_or("<no field>").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_service_idle_timeout_wipes_the_form() {
    let session = Session::start(Launch {
        data_dir: Some({
            let dir = tempfile::tempdir().expect("temporary data directory");
            self_service_with_short_idle(dir.path());
            dir
        }),
        ..Launch::default()
    })
    .await;
    session
        .wait_for_text("[data-test=header-mode]", Duration::from_secs(30), |t| {
            t == "自助模式"
        })
        .await;

    session.start_flow("natural-person", "shandong").await;
    session
        .type_into(r#"[data-test="field-account.password"]"#, "zhaolihua2026")
        .await;
    assert_eq!(
        name_value(&session).await,
        "zhaolihua2026",
        "the visitor typed a name"
    );

    // 10 s after the last key the countdown appears (30 s idle, 20 s countdown).
    let seconds = session
        .wait_for_text("[data-test=idle-seconds]", Duration::from_secs(20), |t| {
            t.parse::<u32>().is_ok_and(|s| (1..=20).contains(&s))
        })
        .await;
    session.screenshot("self-service-idle-countdown").await;
    assert!(!seconds.is_empty());

    // Nobody touches the screen: the session is wiped and the home tiles come back. The field
    // still has focus, so the wipe waits until its last edit is `editGraceS` (60 s) old: the
    // first countdown runs out into a second one (Rust's `mode_rules`). A minute of waiting:
    // another journey drives its app meanwhile.
    session
        .while_idle(session.wait_for_text(
            "[data-test=tile-natural-person]",
            Duration::from_secs(75),
            |t| !t.is_empty(),
        ))
        .await;
    let countdown = session
        .client
        .find_all(Locator::Css("[data-test=idle-countdown]"))
        .await
        .unwrap();
    assert!(countdown.is_empty(), "the countdown is gone after the wipe");

    // The next visitor finds an empty form behind a fresh consent.
    session.start_flow("natural-person", "shandong").await;
    assert_eq!(
        name_value(&session).await,
        "",
        "the previous visitor's name was wiped"
    );
    session.finish().await;
}
