//! The wizard's rules, asked step by step: finish a step (fields, SMS, registered values, the
//! live real-name check), the masked summary, and the master-data lists of its pickers.

use super::contract::ipc_commands;
use kiosk_api::reference::ListEntry;
use kiosk_api::wizard::{self, StepOutcome, SummaryRow};
use kiosk_api::{Problem, clock, master};
use tauri::State;

use super::blocking;
use crate::KioskState;

ipc_commands! {
    /// Finishes step `step` of the wizard: problems at their fields, or the values the application
    /// takes on (e.g. the real-name record) and what the visitor is told.
    #[ipc(UseWizard)]
    pub async fn finish_step(
        state: State<'_, KioskState>,
        profile: String,
        kind: String,
        step: String,
        application: serde_json::Value,
        confirm_manual: Option<bool>,
    ) -> Result<StepOutcome, Problem> {
        let kiosk = state.kiosk()?;
        let confirm = confirm_manual.unwrap_or(false);
        wizard::finish_step(
            kiosk,
            &profile,
            &kind,
            &step,
            application,
            confirm,
            clock::now_ms(),
        )
        .await
    }

    /// The problems of the one field at `path` as the visitor leaves it (the check of the chosen
    /// document for a document number); empty when it is fine.
    #[ipc(UseWizard)]
    pub async fn wizard_check_field(
        profile: String,
        kind: String,
        path: String,
        application: serde_json::Value,
    ) -> Result<Vec<Problem>, Problem> {
        wizard::check_field(&profile, &kind, &path, application, clock::now_ms())
    }

    /// The summary the visitor checks before handing in, masked where sensitive.
    #[ipc(UseWizard)]
    pub async fn wizard_summary(
        state: State<'_, KioskState>,
        profile: String,
        kind: String,
        application: serde_json::Value,
    ) -> Result<Vec<SummaryRow>, Problem> {
        let kiosk = state.shared()?;
        blocking(move || wizard::summary(&kiosk, &profile, &kind, application)).await
    }

    /// A master-data list for a picker (`legal-entity-natures`, `supervising-departments`, ...),
    /// the platform's copy once synced, else the shipped one; for one platform when given.
    #[ipc(ReadRules)]
    pub async fn master_list(
        state: State<'_, KioskState>,
        name: String,
        profile: Option<String>,
    ) -> Result<Vec<ListEntry>, Problem> {
        let kiosk = state.shared()?;
        blocking(move || master::list(&kiosk, &name, profile.as_deref())).await
    }
}
