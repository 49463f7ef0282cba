//! Commands about the kiosk itself.

use super::contract::ipc_commands;
use kiosk_api::health::HealthReport;
use kiosk_api::{Problem, health};
use tauri::State;

use crate::KioskState;

ipc_commands! {
    /// The home screen's health line: version, data directory, database reachable.
    #[ipc(ViewHealth)]
    pub async fn health(state: State<'_, KioskState>) -> Result<HealthReport, Problem> {
        Ok(health::health(state.kiosk()?))
    }
}
