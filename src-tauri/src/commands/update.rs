//! Software updates: the banner's status, a check on request, and the install (administrators).

use kiosk_api::Problem;
use kiosk_api::update::UpdateStatus;
use tauri::{AppHandle, Runtime, State};

use super::session::signed_in;
use crate::{KioskState, updater};

/// Where the updater stands (also pushed as the `update-progress` event).
#[tauri::command]
pub async fn update_status<R: Runtime>(app: AppHandle<R>) -> Result<UpdateStatus, Problem> {
    Ok(updater::status(&app))
}

/// Checks the platform now and downloads a newer version; administrators only.
#[tauri::command]
pub async fn update_check<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, KioskState>,
) -> Result<UpdateStatus, Problem> {
    signed_in(&app)?.require_role("admin")?;
    updater::check_and_download(&app, state.kiosk()?).await
}

/// Installs the downloaded, verified update and restarts; administrators only.
#[tauri::command]
pub async fn update_install<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
    signed_in(&app)?.require_role("admin")?;
    updater::install(&app)
}
