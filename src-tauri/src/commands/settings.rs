//! Settings an administrator changes at the kiosk.

use kiosk_api::{Problem, retention};
use tauri::{AppHandle, Runtime, State};

use super::session::signed_in;
use crate::KioskState;

/// How many days applications are kept after their purpose is met.
#[tauri::command]
pub async fn retention_days(state: State<'_, KioskState>) -> Result<u32, Problem> {
    retention::retention_days(state.kiosk()?)
}

/// Changes the retention period; only a signed-in administrator may.
#[tauri::command]
pub async fn set_retention_days<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, KioskState>,
    days: u32,
) -> Result<(), Problem> {
    signed_in(&app)?.require_role("admin")?;
    retention::set_retention_days(state.kiosk()?, days)
}
