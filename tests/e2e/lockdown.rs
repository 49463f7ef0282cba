//! Real-app end-to-end: the locked-down kiosk (`--kiosk`) cannot leave the app. A page script
//! tries every way out to a server on loopback — `window.open`, a `target=_blank` link, a form
//! submission, `location.href`, a plain link — and tries the context menu, zoom and devtools
//! keys. The server must never see a connection (not even WebKit's speculative preconnect),
//! the page must stay the app's, and each event must be cancelled. Then the staff exit ends
//! the app.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::Locator;

use crate::harness::{Launch, Session};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webview_cannot_leave_the_app_and_only_the_staff_exit_closes_it() {
    // A server on loopback that counts every connection the webview makes to it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let outside = format!("http://{}/", listener.local_addr().unwrap());
    let contacted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&contacted);
    let server = tokio::spawn(async move {
        while let Ok((_socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });

    let session = Session::start(Launch {
        args: vec!["--kiosk".into()],
        ..Launch::default()
    })
    .await;
    session
        .wait_for_text("[data-test=title]", Duration::from_secs(30), |t| {
            !t.is_empty()
        })
        .await;
    let home = session.client.current_url().await.unwrap();
    let (_, _, width, height) = session.client.get_window_rect().await.unwrap();
    assert_eq!(
        (width, height),
        (1280, 800),
        "the locked window fills the screen"
    );

    let script = r#"
        const [url] = arguments;
        const cancelled = (event) => { document.body.dispatchEvent(event); return event.defaultPrevented; };
        const result = {
          windowOpen: window.open(url) === null,
          contextMenu: cancelled(new MouseEvent('contextmenu', { bubbles: true, cancelable: true })),
          zoomIn: cancelled(new KeyboardEvent('keydown', { key: '+', ctrlKey: true, bubbles: true, cancelable: true })),
          devtools: cancelled(new KeyboardEvent('keydown', { key: 'F12', bubbles: true, cancelable: true })),
          reload: cancelled(new KeyboardEvent('keydown', { key: 'F5', bubbles: true, cancelable: true })),
        };
        const link = (target) => {
          const a = document.createElement('a');
          a.href = url;
          if (target) a.target = target;
          document.body.appendChild(a);
          a.click();
        };
        link('_blank');
        setTimeout(() => {
          const form = document.createElement('form');
          form.action = url;
          form.method = 'post';
          document.body.appendChild(form);
          form.submit();
        }, 0);
        setTimeout(() => { window.location.href = url; }, 200);
        setTimeout(() => link(null), 400);
        return result;
    "#;
    let result = session
        .client
        .execute(script, vec![serde_json::json!(outside)])
        .await
        .unwrap();
    for key in ["windowOpen", "contextMenu", "zoomIn", "devtools", "reload"] {
        assert_eq!(
            result[key],
            serde_json::json!(true),
            "{key} was not blocked: {result}"
        );
    }

    tokio::time::sleep(Duration::from_secs(3)).await;
    let now = session.client.current_url().await.unwrap();
    assert_eq!(
        (now.scheme(), now.host_str()),
        (home.scheme(), home.host_str()),
        "the page left the app: {now}"
    );
    session
        .wait_for_text("[data-test=title]", Duration::from_secs(5), |t| {
            !t.is_empty()
        })
        .await;
    assert_eq!(
        contacted.load(Ordering::SeqCst),
        0,
        "the webview reached a server outside the app"
    );
    server.abort();

    // The staff exit of an administrator ends the app (a refused close request is checked
    // in `src-tauri/src/lockdown/tests.rs`).
    assert!(
        session.app_running(),
        "the kiosk runs before the staff exit"
    );
    session
        .sign_in_first_admin("head", "李主任", "head password 1")
        .await;
    session.click("[data-test=staff-exit-app]").await;
    // The app may end before WebDriver answers the click: only the app's end counts, so the
    // click is repeated (the dialog may still be opening) until the process is gone.
    let deadline = Instant::now() + Duration::from_secs(15);
    while session.app_running() {
        assert!(
            Instant::now() < deadline,
            "the staff exit did not end the app"
        );
        if let Ok(confirm) = session
            .client
            .find(Locator::Css("[data-test=staff-exit-confirm]"))
            .await
        {
            let _ = confirm.click().await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    session.finish().await;
}
