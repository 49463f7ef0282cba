//! Real-app end-to-end: the camera works in the real WebKitGTK webview. The app is started with
//! `--mock-camera` (WebKit's simulated capture device; a development-build switch), a staff
//! member opens the capture check screen, the live preview plays, and a frame taken from it
//! goes through Rust's capture pipeline into the tray.

use std::time::{Duration, Instant};

use crate::harness::{Launch, Session};

/// The preview `<video>`'s state: `[videoWidth, videoHeight, paused, readyState]`.
const VIDEO_STATE: &str = r#"
    const video = document.querySelector('[data-test=camera-video]');
    if (!video) return null;
    return [video.videoWidth, video.videoHeight, video.paused, video.readyState];
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn camera_preview_plays_in_the_real_webview_and_a_frame_reaches_the_tray() {
    let session = Session::start(Launch {
        args: vec!["--mock-camera".into()],
        ..Launch::default()
    })
    .await;
    session.wait_until_home().await;
    session
        .sign_in_first_admin("camera", "周工", "camera password 1")
        .await;
    session
        .client
        .execute("window.location.hash = '#/capture-check';", vec![])
        .await
        .unwrap();
    session.click("[data-test=capture-tab-camera]").await;

    let deadline = Instant::now() + Duration::from_secs(20);
    let (width, height) = loop {
        let state = session.client.execute(VIDEO_STATE, vec![]).await.unwrap();
        let width = state[0].as_u64().unwrap_or(0);
        let playing = state[2] == serde_json::json!(false) && state[3].as_u64() >= Some(2);
        if width > 0 && playing {
            break (width, state[1].as_u64().unwrap_or(0));
        }
        if Instant::now() >= deadline {
            let shot = session.screenshot("camera-no-preview").await;
            let error = session
                .client
                .execute(
                    "return document.querySelector('[data-test=camera-error]')?.textContent ?? null",
                    vec![],
                )
                .await
                .unwrap();
            panic!(
                "the preview never played: {state}; camera error {error}; screenshot {}",
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(height > 0, "the preview has a picture: {width}×{height}");
    session.screenshot("camera-preview").await;

    session.click("[data-test=camera-take]").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let count = loop {
        let state = session
            .client
            .execute(
                "return [document.querySelector('[data-test=capture-count]')?.textContent ?? '',
                         document.querySelector('[data-test=capture-problem]')?.textContent ?? null]",
                vec![],
            )
            .await
            .unwrap();
        let count = state[0].as_str().unwrap_or_default().to_owned();
        if count.starts_with("1 /") {
            break count;
        }
        if Instant::now() >= deadline || !state[1].is_null() {
            let shot = session.screenshot("camera-not-captured").await;
            panic!(
                "the frame did not reach the tray: {state}; screenshot {}",
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let items = session
        .client
        .execute(
            "return document.querySelectorAll('[data-test=captured-item]').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        items,
        serde_json::json!(1),
        "the frame is in the tray ({count})"
    );
    session.screenshot("camera-captured").await;
    session.finish().await;
}
