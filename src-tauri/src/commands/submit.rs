//! Handing in an application, drafts, and the visitor's status lookup.

use super::contract::ipc_commands;
use kiosk_api::capture;
use kiosk_api::submit::{self, DraftData, SubmitReceipt, Submission};
use kiosk_api::{Problem, clock};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use super::capture::tray;
use super::session::caller;
use crate::KioskState;

ipc_commands! {
    /// Checks and queues an application for `profile`; the actor is the signed-in staff member,
    /// or `visitor` in self-service mode. Rust lists the attachments from the captures
    /// `captureIds`, and keeps `draftId` (the number printed on the risk letter) as the
    /// application number.
    #[ipc(UseWizard)]
    pub async fn submit_application<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        profile: String,
        application: serde_json::Value,
        capture_ids: Option<Vec<String>>,
        draft_id: Option<String>,
    ) -> Result<SubmitReceipt, Problem> {
        let actor = caller(&app)?.actor().to_owned();
        let kiosk = state.shared()?;
        // Checking, encrypting and queueing (with the attachments) is slow: the blocking pool
        // runs it.
        blocking(move || {
            let submission = Submission {
                profile: &profile,
                application,
                attachments: Vec::new(),
                actor: &actor,
                draft_id: draft_id.as_deref(),
            };
            capture::submit_with_captures(
                &kiosk,
                tray(&app)?,
                submission,
                &capture_ids.unwrap_or_default(),
                clock::now_ms(),
            )
        })
        .await
    }

    /// Saves the wizard's content as a draft; returns its id (the future application number).
    #[ipc(UseWizard)]
    pub async fn draft_save(state: State<'_, KioskState>, draft: DraftData) -> Result<String, Problem> {
        let kiosk = state.shared()?;
        blocking(move || submit::save_draft(&kiosk, draft, clock::now_ms())).await
    }

    /// Loads a draft back into the wizard.
    #[ipc(ViewQueue)]
    pub async fn draft_load(state: State<'_, KioskState>, id: String) -> Result<DraftData, Problem> {
        let kiosk = state.shared()?;
        blocking(move || submit::load_draft(&kiosk, &id)).await
    }
}
