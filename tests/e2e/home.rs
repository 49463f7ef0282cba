//! Real-app end-to-end: the home screen of the freshly built kiosk.

use std::time::Duration;

use crate::harness::{Launch, Session};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_screen_shows_chinese_title_and_health_from_rust() {
    let session = Session::start(Launch::default()).await;

    let title = session
        .wait_for_text("[data-test=title]", Duration::from_secs(30), |t| {
            !t.is_empty()
        })
        .await;
    assert_eq!(
        title, "通办自助登记终端",
        "the window shows the Chinese title"
    );

    let data_dir = session.data_dir.path().display().to_string();
    let line = session
        .wait_for_text("[data-test=health-line]", Duration::from_secs(30), |t| {
            t.contains("正常")
        })
        .await;
    assert!(
        line.contains(env!("CARGO_PKG_VERSION")),
        "version in {line:?}"
    );
    assert!(
        !line.contains(&data_dir),
        "no file paths on a visitor's screen: {line:?}"
    );
    let created = std::fs::read_dir(session.data_dir.path()).unwrap().count();
    assert!(
        created > 0,
        "the app created its database in the data directory it was given"
    );

    let mode = session
        .wait_for_text("[data-test=mode]", Duration::from_secs(5), |t| {
            !t.is_empty()
        })
        .await;
    assert_eq!(mode, "柜台模式", "a new kiosk starts in counter mode");

    let window_title = session.client.title().await.unwrap();
    assert_eq!(window_title, "通办自助登记终端");

    let shot = session.screenshot("home").await;
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 1000,
        "screenshot has content"
    );

    // English on request, from the same Rust data.
    session
        .client
        .find(Locator::Css("[data-test=language]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    session
        .wait_for_text("[data-test=health-line]", Duration::from_secs(10), |t| {
            t.contains("OK")
        })
        .await;
    session.screenshot("home-en").await;
    session.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webview_cannot_call_a_command_outside_the_acl() {
    let session = Session::start(Launch::default()).await;
    session
        .wait_for_text("[data-test=title]", Duration::from_secs(30), |t| {
            !t.is_empty()
        })
        .await;
    // The page has no global Tauri object (withGlobalTauri is false) …
    let global = session
        .client
        .execute("return typeof window.__TAURI__", vec![])
        .await
        .unwrap();
    assert_eq!(global, serde_json::json!("undefined"));
    // … and a raw IPC call to a plugin command that no capability grants is refused.
    let outcome = session
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               window.__TAURI_INTERNALS__.invoke('plugin:window|close', {})
                 .then(() => done('allowed'), (e) => done('refused: ' + e));"#,
            vec![],
        )
        .await
        .unwrap();
    let text = outcome.as_str().unwrap_or_default().to_owned();
    assert!(text.starts_with("refused"), "got {text:?}");
    session.finish().await;
}
