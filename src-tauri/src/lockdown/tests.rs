//! Lockdown through Tauri's mock runtime with the app's real configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tauri::test::{MockRuntime, mock_builder};
use tauri::{Manager, RunEvent};

use super::*;

fn app(lockdown: Lockdown) -> tauri::App<MockRuntime> {
    mock_builder()
        .manage(lockdown)
        .setup(|app| {
            build_main_window(app.handle(), &app.state::<Lockdown>())?;
            Ok(())
        })
        .build(tauri::generate_context!("tauri.conf.json"))
        .expect("mock app builds with the real context")
}

fn main_config() -> WindowConfig {
    let context: tauri::Context<MockRuntime> = tauri::generate_context!("tauri.conf.json");
    context
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .expect("main window configured")
}

#[test]
fn locked_window_is_fullscreen_without_decorations_devtools_zoom_or_close_button() {
    let config = Lockdown::new(true).window_config(&main_config());
    assert!(config.fullscreen, "fullscreen");
    assert!(!config.decorations, "no decorations");
    assert!(
        !config.resizable && !config.closable,
        "no resize or close button"
    );
    assert!(
        !config.minimizable && !config.maximizable,
        "no minimise or maximise"
    );
    assert_eq!(config.devtools, Some(false), "no devtools");
    assert!(!config.zoom_hotkeys_enabled, "no zoom hotkeys");
}

#[test]
fn release_builds_are_always_locked_and_debug_builds_only_with_the_flag() {
    assert!(Lockdown::new(true).enabled());
    assert_eq!(Lockdown::new(false).enabled(), cfg!(not(debug_assertions)));
}

/// The configuration does not create the window (it would lack the guards); the app's setup
/// builds it when the run loop starts.
#[test]
fn main_window_is_created_by_the_app_not_by_the_config() {
    assert!(
        !main_config().create,
        "tauri.conf.json must not create the main window: the app builds it with the guards"
    );
    let app = app(Lockdown::new(true));
    assert!(
        app.get_webview_window("main").is_none(),
        "no window before setup runs"
    );
    let built = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&built);
    app.run_return(move |handle, event| {
        if let RunEvent::Ready = event {
            let window = handle.get_webview_window("main");
            if window.is_some() {
                seen.fetch_add(1, Ordering::SeqCst);
            }
            // End the run: the staff exit is the only way out of a locked kiosk.
            staff_exit(handle);
        }
        on_run_event(handle, &event);
    });
    assert_eq!(
        built.load(Ordering::SeqCst),
        1,
        "setup built the main window before the app was ready"
    );
}

#[test]
fn only_the_apps_own_origin_may_be_loaded() {
    let url = |s: &str| Url::parse(s).unwrap();
    assert!(is_allowed_navigation(
        &url("tauri://localhost/index.html"),
        None
    ));
    assert!(is_allowed_navigation(
        &url("http://tauri.localhost/#/queue"),
        None
    ));
    assert!(is_allowed_navigation(&url("about:blank"), None));
    for outside in [
        "https://example.com/",
        "http://localhost:5173/",
        "tauri://evil.example/",
        "http://tauri.localhost.evil.example/",
        "file:///etc/passwd",
        "data:text/html,hi",
        "javascript:alert(1)",
        "ipc://localhost/health",
    ] {
        assert!(
            !is_allowed_navigation(&url(outside), None),
            "{outside} must be blocked"
        );
    }
    let dev = url("http://localhost:5173");
    assert!(
        is_allowed_navigation(&url("http://localhost:5173/#/"), Some(&dev)),
        "dev server in dev builds"
    );
    assert!(!is_allowed_navigation(
        &url("http://localhost:8080/"),
        Some(&dev)
    ));
}

#[test]
fn hotkey_script_blocks_context_menu_zoom_devtools_and_new_windows() {
    for needle in [
        "'contextmenu'",
        "'F12'",
        "'+'",
        "'-'",
        "'0'",
        "e.ctrlKey",
        "window.open = () => null",
    ] {
        assert!(INIT_SCRIPT.contains(needle), "INIT_SCRIPT lacks {needle}");
    }
}

/// Closes the main window twice: the first request (lockdown, no staff exit) must be refused;
/// after the staff exit the second goes through and the app's run loop ends.
#[test]
fn close_is_refused_until_the_staff_exit_allows_it() {
    let app = app(Lockdown::new(true));
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&requests);
    let watchdog = app.handle().clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(20));
        if let Some(window) = watchdog.get_webview_window("main") {
            let _ = window.destroy();
        }
    });
    app.run_return(move |handle, event| {
        on_run_event(handle, &event);
        count_and_retry(handle, &event, &seen);
    });
    assert_eq!(
        requests.load(Ordering::SeqCst),
        2,
        "the first close was refused and the second, after the staff exit, went through"
    );
}

fn count_and_retry(handle: &tauri::AppHandle<MockRuntime>, event: &RunEvent, seen: &AtomicUsize) {
    match event {
        RunEvent::Ready => {
            handle.get_webview_window("main").unwrap().close().unwrap();
        }
        RunEvent::WindowEvent {
            event: tauri::WindowEvent::CloseRequested { .. },
            ..
        } if seen.fetch_add(1, Ordering::SeqCst) == 0 => {
            // Still open after the first request: now the staff exit, then close again.
            handle.state::<Lockdown>().allow_exit();
            handle.get_webview_window("main").unwrap().close().unwrap();
        }
        _ => {}
    }
}

#[test]
fn unlocked_debug_window_closes_normally() {
    let lockdown = Lockdown {
        enabled: false,
        exit_allowed: std::sync::atomic::AtomicBool::new(false),
    };
    assert!(lockdown.close_allowed());
    let locked = Lockdown::new(true);
    assert!(!locked.close_allowed(), "locked without staff exit");
    locked.allow_exit();
    assert!(locked.close_allowed());
}
