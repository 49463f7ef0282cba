//! Handing in an application.

use kiosk_api::submit::{self, Submission, SubmitReceipt};
use kiosk_api::{Problem, clock};
use tauri::{AppHandle, Runtime, State};

use super::session::signed_in;
use crate::KioskState;

/// Checks and queues an application for `profile`; the actor is the signed-in staff member,
/// or `visitor` in self-service mode.
#[tauri::command]
pub async fn submit_application<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, KioskState>,
    profile: String,
    application: serde_json::Value,
) -> Result<SubmitReceipt, Problem> {
    let actor = signed_in(&app)?.actor()?;
    let json = application.to_string();
    let submission = Submission {
        profile: &profile,
        application_json: &json,
        attachments: Vec::new(),
        actor: &actor,
        replaces_draft: None,
    };
    submit::submit_async(state.kiosk()?, submission, clock::now_ms()).await
}
