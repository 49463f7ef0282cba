//! The staff exit: the only way out of a locked-down kiosk.

use kiosk_api::Problem;
use tauri::{AppHandle, Manager, Runtime};

use super::session::signed_in;
use crate::lockdown::Lockdown;

/// Closes the kiosk app; only a signed-in administrator may.
#[tauri::command]
pub async fn kiosk_exit<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
    let admin = signed_in(&app)?.require_role("admin")?;
    log::info!("staff exit by {}", admin.username);
    if let Some(lockdown) = app.try_state::<Lockdown>() {
        lockdown.allow_exit();
    }
    app.exit(0);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use kiosk_api::staff::StaffSession;
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;

    use super::*;

    fn app() -> tauri::App<MockRuntime> {
        mock_builder()
            .manage(Lockdown::new(true))
            .invoke_handler(tauri::generate_handler![kiosk_exit])
            .build(tauri::generate_context!("tauri.conf.json"))
            .expect("mock app")
    }

    fn exit(app: &tauri::App<MockRuntime>) -> Result<serde_json::Value, serde_json::Value> {
        let webview = tauri::WebviewWindowBuilder::new(app, "main", Default::default())
            .build()
            .or_else(|_| app.get_webview_window("main").ok_or(()))
            .unwrap();
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
        signed_in(app.handle())
            .unwrap()
            .set(Some(StaffSession {
                username: "staff".into(),
                display_name: "值班员".into(),
                role: role.into(),
            }))
            .unwrap();
    }

    #[test]
    #[ignore = "issue 9: app.exit() ends the mock runtime before the IPC answer arrives; rework the test"]
    fn staff_exit_needs_an_administrator_and_then_opens_the_lockdown() {
        let app = app();
        let refused = exit(&app).expect_err("a visitor cannot leave the kiosk app");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
        sign_in(&app, "operator");
        let refused = exit(&app).expect_err("an operator cannot either");
        assert_eq!(refused["code"], "STAFF_NOT_ALLOWED", "{refused}");
        assert!(!app.state::<Lockdown>().close_allowed(), "still locked");
        sign_in(&app, "admin");
        exit(&app).expect("an administrator may leave");
        assert!(
            app.state::<Lockdown>().close_allowed(),
            "the lockdown lets the app close"
        );
    }
}
