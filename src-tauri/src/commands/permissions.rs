//! Which kiosk-api [`Action`] each IPC command runs. Who may run an action is decided by
//! kiosk-api's permission table (`kiosk_api::caller::PERMISSIONS`), never here; the test in
//! `commands` runs every command as every caller against `docs/security.md`.

use kiosk_api::caller::Action;

/// The action of IPC command `name`, `None` for a name the app does not have.
pub fn action(name: &str) -> Option<Action> {
    Some(match name {
        "health" | "limits_status" | "sync_status" | "update_status" | "queue_stats" => {
            Action::ViewHealth
        }
        "list_profiles"
        | "profile"
        | "validate_value"
        | "validate_application"
        | "divisions"
        | "flow_form"
        | "ethnic_groups"
        | "password_check"
        | "settings_get"
        | "mode_rules"
        | "retention_days"
        | "master_list" => Action::ReadRules,
        "submit_application"
        | "draft_save"
        | "risk_letter_pdf"
        | "receipt_pdf"
        | "list_printers"
        | "print_document"
        | "finish_step"
        | "wizard_summary"
        | "wizard_check_field"
        | "registered_check"
        | "sms_send"
        | "sms_verify"
        | "sms_defer"
        | "signed_letter_application" => Action::UseWizard,
        "capture_sources"
        | "capture_upload"
        | "capture_scan"
        | "capture_discard"
        | "capture_clear"
        | "id_reader_list"
        | "id_reader_read"
        | "id_reader_watch_start"
        | "id_reader_watch_stop" => Action::CaptureDocuments,
        "ime_pinyin" | "ime_choose" | "ime_handwriting" | "ime_forget" | "voice_speak" => {
            Action::UseInput
        }
        "status_lookup" | "status_verify_mobile" | "status_resend_code" => Action::LookUpStatus,
        "staff_login" | "staff_logout" | "staff_current" => Action::SignIn,
        "staff_reauth" | "staff_change_password" => Action::ManageOwnAccount,
        "queue_list" | "queue_show" | "draft_load" => Action::ViewQueue,
        "queue_retry" | "sync_now" => Action::RunQueue,
        "day_report" | "day_report_pdf" => Action::ViewReports,
        "review_list" | "review_show" => Action::ViewReview,
        "review_approve" | "review_return" => Action::DecideReview,
        "export_bundle" | "export_destinations" => Action::Export,
        "settings_set" | "set_retention_days" => Action::ChangeSettings,
        "sync_enrol" => Action::Enrol,
        "update_check" | "update_install" => Action::InstallUpdate,
        "kiosk_exit" => Action::ExitKiosk,
        "staff_list"
        | "staff_add"
        | "staff_reset_password"
        | "staff_set_disabled"
        | "staff_unlock" => Action::ManageStaff,
        _ => return None,
    })
}
