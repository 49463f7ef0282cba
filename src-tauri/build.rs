//! Build script of the Tauri shell: generates the context and the app's own ACL manifest.

/// Every command the webview may call. A command missing here is refused at runtime, even
/// when it is registered in `commands::handler()`. Keep both lists in step.
const COMMANDS: &[&str] = &[
    "health",
    "staff_login",
    "staff_logout",
    "staff_current",
    "queue_list",
    "queue_show",
    "queue_stats",
    "submit_application",
    "retention_days",
    "set_retention_days",
    "list_profiles",
    "profile",
    "validate_value",
    "validate_application",
    "divisions",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
