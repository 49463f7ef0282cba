//! The wizard's online checks while the kiosk is enrolled: values already registered and SMS
//! codes (each with a short timeout; offline the wizard goes on and says so).

use super::contract::ipc_commands;
use kiosk_api::checks::RegisteredCheck;
use kiosk_api::online::{self, RegisteredAnswer, SmsSent, SmsVerified};
use kiosk_api::{Problem, clock};
use tauri::State;

use crate::KioskState;

ipc_commands! {
    /// Whether a value is still free on the platform (`unknown` when offline), with what the
    /// visitor is told when it is taken.
    #[ipc(UseWizard)]
    pub async fn registered_check(
        state: State<'_, KioskState>,
        check: RegisteredCheck,
        value: String,
    ) -> Result<RegisteredAnswer, Problem> {
        Ok(online::registered_answer(state.kiosk()?, check, &value).await)
    }

    /// Sends an SMS code to the mobile of the wizard's application (`SMS_OFFLINE` when offline).
    #[ipc(UseWizard)]
    pub async fn sms_send(
        state: State<'_, KioskState>,
        profile: String,
        kind: String,
        application: serde_json::Value,
    ) -> Result<SmsSent, Problem> {
        let kiosk = state.kiosk()?;
        online::sms_send(kiosk, &profile, &kind, &application, clock::now_ms()).await
    }

    /// Verifies the code the visitor typed with the platform; gives the proof the application
    /// carries.
    #[ipc(UseWizard)]
    pub async fn sms_verify(
        state: State<'_, KioskState>,
        profile: String,
        kind: String,
        application: serde_json::Value,
        code: String,
    ) -> Result<SmsVerified, Problem> {
        online::sms_verify(state.kiosk()?, &profile, &kind, &application, &code).await
    }

    /// Offline only: the platform verifies the mobile later (`SMS_DEFER_ONLINE` when it answers).
    #[ipc(UseWizard)]
    pub async fn sms_defer(
        state: State<'_, KioskState>,
        profile: String,
        kind: String,
        application: serde_json::Value,
    ) -> Result<serde_json::Map<String, serde_json::Value>, Problem> {
        online::sms_defer(state.kiosk()?, &profile, &kind, &application).await
    }
}
