//! The commands the webview may call, one module per area. Each is a one-line call into
//! `kiosk-api`; the list must match `COMMANDS` in `src-tauri/build.rs` (the ACL manifest).

mod system;

/// The invoke handler with every command of the app.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![system::health]
}

#[cfg(test)]
mod tests {
    //! The ACL, checked through Tauri's mock runtime with the app's real context.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;

    use crate::KioskState;

    /// Registered with the handler but absent from the ACL manifest: must be refused.
    #[tauri::command]
    fn not_in_manifest() -> &'static str {
        "leaked"
    }

    fn app(data_dir: &std::path::Path) -> tauri::App<MockRuntime> {
        mock_builder()
            .manage(KioskState::open(Some(data_dir.to_path_buf())))
            .invoke_handler(tauri::generate_handler![super::system::health, not_in_manifest])
            .build(tauri::generate_context!("tauri.conf.json"))
            .expect("mock app builds with the real context")
    }

    fn invoke(app: &tauri::App<MockRuntime>, cmd: &str) -> Result<serde_json::Value, serde_json::Value> {
        let webview = match tauri::Manager::get_webview_window(app, "main") {
            Some(window) => window,
            None => tauri::WebviewWindowBuilder::new(app, "main", Default::default())
                .build()
                .expect("main window"),
        };
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::default(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&webview, request).map(|body| body.deserialize().expect("json body"))
    }

    #[test]
    fn listed_command_answers_with_the_health_report() {
        let dir = tempfile::tempdir().unwrap();
        let report = invoke(&app(dir.path()), "health").expect("health is allowed");
        assert_eq!(report["databaseReachable"], serde_json::json!(true), "{report}");
        assert_eq!(
            report["dataDir"],
            serde_json::json!(dir.path().display().to_string())
        );
    }

    #[test]
    fn command_missing_from_the_acl_manifest_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let refused = invoke(&app(dir.path()), "not_in_manifest");
        let error = refused.expect_err("a command outside the ACL must be refused");
        assert!(error.to_string().contains("not allowed"), "{error}");
    }
}
