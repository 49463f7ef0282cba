// The one list of command names, shared by `build.rs` (which turns it into the app's ACL
// manifest) and by the tests of `commands` (which check it against the handler and the
// capability file). A command missing here is refused at runtime even when registered.
// Only outer doc comments in this file: `build.rs` pulls it in with `include!`.

/// Every command the webview may call.
pub const COMMANDS: &[&str] = &[
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
    "kiosk_exit",
    "update_status",
    "update_check",
    "update_install",
];
