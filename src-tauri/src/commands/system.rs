//! Commands about the kiosk itself.

use kiosk_api::health::HealthReport;
use kiosk_api::{Problem, health};
use tauri::State;

use crate::KioskState;

/// The home screen's health line: version, data directory, database reachable.
#[tauri::command]
pub async fn health(state: State<'_, KioskState>) -> Result<HealthReport, Problem> {
    Ok(health::health(state.kiosk()?))
}
