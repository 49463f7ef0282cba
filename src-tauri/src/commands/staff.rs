//! Staff sign-in at the counter (and to leave self-service mode).

use kiosk_api::staff::{self, StaffSession};
use kiosk_api::{Problem, clock};
use tauri::{AppHandle, Runtime, State};

use super::session::signed_in;
use crate::KioskState;

/// Checks a staff login (five failures lock the account) and keeps the session in Rust.
#[tauri::command]
pub async fn staff_login<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, KioskState>,
    username: String,
    password: String,
) -> Result<StaffSession, Problem> {
    let session = staff::login(state.kiosk()?, &username, &password, clock::now_ms())?;
    signed_in(&app)?.set(Some(session.clone()))?;
    Ok(session)
}

/// Signs the staff member out.
#[tauri::command]
pub async fn staff_logout<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
    signed_in(&app)?.set(None)
}

/// Who is signed in, if anyone.
#[tauri::command]
pub async fn staff_current<R: Runtime>(app: AppHandle<R>) -> Result<Option<StaffSession>, Problem> {
    signed_in(&app)?.current()
}
