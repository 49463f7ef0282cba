//! The staff exit: the only way out of a locked-down kiosk.

use super::contract::ipc_commands;
use kiosk_api::Problem;
use tauri::{AppHandle, Runtime};

use super::session::caller;

ipc_commands! {
    /// Closes the kiosk app (administrators, with a fresh password). The answer arrives before
    /// the window closes.
    #[ipc(ExitKiosk)]
    pub async fn kiosk_exit<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
        let admin = caller(&app)?;
        log::info!("staff exit by {}", admin.actor());
        crate::lockdown::staff_exit(&app);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use kiosk_api::staff::StaffSession;
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;

    use super::*;
    use crate::lockdown::Lockdown;
    use tauri::{Manager, RunEvent};

    fn app() -> tauri::App<MockRuntime> {
        mock_builder()
            .manage(Lockdown::new(true))
            .invoke_handler(crate::commands::guarded(tauri::generate_handler![
                kiosk_exit
            ]))
            .build(tauri::generate_context!("tauri.conf.json"))
            .expect("mock app")
    }

    fn exit<M: Manager<MockRuntime>>(app: &M) -> Result<serde_json::Value, serde_json::Value> {
        let webview = app.get_webview_window("main").expect("main window");
        let request = InvokeRequest {
            cmd: "kiosk_exit".into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(serde_json::json!({})),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&webview, request).map(|body| body.deserialize().unwrap())
    }

    fn sign_in(app: &tauri::App<MockRuntime>, role: &str) {
        let shown = StaffSession {
            username: "staff".into(),
            display_name: "值班员".into(),
            role: role.into(),
            expires_at: None,
            reauth_until: None,
        };
        let caller = shown.caller(kiosk_api::clock::now_ms());
        crate::commands::session::signed_in(app.handle())
            .unwrap()
            .sign_in(shown, caller)
            .unwrap();
    }

    /// Visitor and operator are refused over IPC (with the real capability check) and the app
    /// stays locked; the administrator's exit, asked while the app runs, is answered, then the
    /// run loop closes the window and ends the app by itself.
    #[test]
    fn staff_exit_needs_an_administrator_then_closes_the_locked_app() {
        let app = app();
        tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let refused = exit(&app).expect_err("a visitor cannot leave the kiosk app");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
        sign_in(&app, "operator");
        let refused = exit(&app).expect_err("an operator cannot either");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
        assert!(!app.state::<Lockdown>().close_allowed(), "still locked");
        sign_in(&app, "admin");

        // Nothing else closes the window: a watchdog ends a run that would otherwise hang.
        let watchdog_fired = Arc::new(AtomicBool::new(false));
        let fired = Arc::clone(&watchdog_fired);
        let handle = app.handle().clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(20));
            fired.store(true, Ordering::SeqCst);
            if let Some(window) = handle.get_webview_window("main") {
                let _ = window.destroy();
            }
        });
        let answer = Arc::new(std::sync::Mutex::new(None));
        let answered = Arc::clone(&answer);
        let exit_requested = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&exit_requested);
        app.run_return(move |handle, event| {
            match &event {
                RunEvent::Ready => {
                    *answered.lock().unwrap() = Some(exit(handle));
                    assert!(
                        handle.state::<Lockdown>().close_allowed(),
                        "the lockdown lets the app close"
                    );
                }
                RunEvent::ExitRequested { .. } => seen.store(true, Ordering::SeqCst),
                _ => {}
            }
            crate::lockdown::on_run_event(handle, &event);
        });
        let answer = answer.lock().unwrap().take();
        assert!(
            matches!(answer, Some(Ok(_))),
            "an administrator may leave: {answer:?}"
        );
        assert!(
            exit_requested.load(Ordering::SeqCst) && !watchdog_fired.load(Ordering::SeqCst),
            "the staff exit closed the window and the app ended by itself"
        );
    }
}
