//! The wizard's online checks while the kiosk is enrolled: account-name availability and SMS
//! codes (each with a short timeout; offline the wizard goes on).

use kiosk_api::Problem;
use kiosk_api::online::{self, Availability, SmsSent};
use tauri::State;

use crate::KioskState;

/// Whether an account name is free on the platform (`unknown` when offline).
#[tauri::command]
pub async fn account_name_availability(
    state: State<'_, KioskState>,
    name: String,
) -> Result<Availability, Problem> {
    Ok(online::account_name_availability(state.kiosk()?, &name).await)
}

/// Sends an SMS code to the mobile of the wizard's application (`SMS_OFFLINE` when offline).
#[tauri::command]
pub async fn sms_send(
    state: State<'_, KioskState>,
    kind: String,
    application: serde_json::Value,
) -> Result<SmsSent, Problem> {
    online::sms_send(state.kiosk()?, &kind, &application).await
}
