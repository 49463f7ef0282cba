//! Software updates: the banner's status, a check on request, and the install (administrators).

use super::contract::ipc_commands;
use kiosk_api::Problem;
use kiosk_api::update::UpdateStatus;
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::{KioskState, updater};

ipc_commands! {
    /// Where the updater stands (also pushed as the `update-progress` event).
    #[ipc(ViewHealth)]
    pub async fn update_status<R: Runtime>(app: AppHandle<R>) -> Result<UpdateStatus, Problem> {
        Ok(updater::status(&app))
    }

    /// Checks the platform now and downloads a newer version (administrators, checked before
    /// the command runs).
    #[ipc(InstallUpdate)]
    pub async fn update_check<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
    ) -> Result<UpdateStatus, Problem> {
        updater::check_and_download(&app, state.kiosk()?).await
    }

    /// Installs the downloaded, verified update and restarts (administrators).
    #[ipc(InstallUpdate)]
    pub async fn update_install<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
        // The root helper checks and installs the package: slow, on the blocking pool.
        blocking(move || updater::install(&app)).await
    }
}
