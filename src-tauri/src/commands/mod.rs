//! The commands the webview may call, one module per area. Each is a one-line call into
//! `kiosk-api`; the list must match `COMMANDS` in `src-tauri/build.rs` (the ACL manifest).

mod system;

/// The invoke handler with every command of the app.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![system::health]
}
