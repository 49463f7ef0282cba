//! A visitor's status lookup (by receipt code or QR, or by ID number and mobile), and the
//! later verification of a mobile the platform could not verify while the kiosk was offline.

use super::contract::ipc_commands;
use kiosk_api::status::{self, LookupBy, StatusLookup};
use kiosk_api::{Problem, clock};
use tauri::State;

use crate::KioskState;

ipc_commands! {
    /// The visitor's applications, from the platform when it answers and this kiosk's queue
    /// (throttled per kiosk: `STATUS_LOOKUP_THROTTLED` says when to retry).
    #[ipc(LookUpStatus)]
    pub async fn status_lookup(
        state: State<'_, KioskState>,
        by: LookupBy,
    ) -> Result<Vec<StatusLookup>, Problem> {
        status::lookup(state.kiosk()?, by, clock::now_ms()).await
    }

    /// Verifies the application's mobile with the code the platform texted to it.
    #[ipc(LookUpStatus)]
    pub async fn status_verify_mobile(
        state: State<'_, KioskState>,
        receipt: String,
        code: String,
    ) -> Result<(), Problem> {
        status::verify_mobile(state.kiosk()?, &receipt, &code).await
    }

    /// Asks the platform to text the application's mobile a new code.
    #[ipc(LookUpStatus)]
    pub async fn status_resend_code(
        state: State<'_, KioskState>,
        receipt: String,
    ) -> Result<(), Problem> {
        status::resend_code(state.kiosk()?, &receipt).await
    }
}
