//! Operating limits and sync health for the home screen banner.

use super::contract::ipc_commands;
use kiosk_api::limits::{self, LimitsReport};
use kiosk_api::{Problem, clock};
use tauri::State;

use crate::KioskState;

ipc_commands! {
    /// Every operating limit (value, threshold, state) and the sync health.
    #[ipc(ViewHealth)]
    pub async fn limits_status(state: State<'_, KioskState>) -> Result<LimitsReport, Problem> {
        limits::check(state.kiosk()?, clock::now_ms())
    }
}
