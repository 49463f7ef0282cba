//! Settings an administrator changes at the kiosk, and the rules of the mode it is in.

use super::contract::ipc_commands;
use kiosk_api::caller::Caller;
use kiosk_api::settings::{self, KioskSettings, ModeRules, SettingView};
use kiosk_api::{Problem, clock, retention};
use tauri::{AppHandle, Runtime, State};

use super::session::caller;
use crate::KioskState;

ipc_commands! {
    /// How many days applications are kept after their purpose is met.
    #[ipc(ReadRules)]
    pub async fn retention_days(state: State<'_, KioskState>) -> Result<u32, Problem> {
        retention::retention_days(state.kiosk()?)
    }

    /// Changes the retention period (administrators, with a fresh password).
    #[ipc(ChangeSettings)]
    pub async fn set_retention_days<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        days: u32,
    ) -> Result<(), Problem> {
        caller(&app)?;
        retention::set_retention_days(state.kiosk()?, days)
    }

    /// The kiosk's settings (nothing personal or secret: every screen may read them).
    #[ipc(ReadRules)]
    pub async fn settings_get(state: State<'_, KioskState>) -> Result<KioskSettings, Problem> {
        settings::get(state.kiosk()?)
    }

    /// The settings an administrator may change, each with its value in force, its default and
    /// the range or names it accepts (`kiosk_core::settings`, the one registry).
    #[ipc(ReadRules)]
    pub async fn settings_list(
        state: State<'_, KioskState>,
    ) -> Result<Vec<SettingView>, Problem> {
        settings::list_changeable(state.kiosk()?)
    }

    /// Validates and stores the settings (administrators, with a fresh password; audited).
    #[ipc(ChangeSettings)]
    pub async fn settings_set<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
        settings: KioskSettings,
    ) -> Result<KioskSettings, Problem> {
        settings::set(state.kiosk()?, &caller(&app)?, settings, clock::now_ms())
    }

    /// What the screens must do now: the configured mode, the effective one (staff signed in
    /// turns self-service into counter), idle timeout and countdown.
    #[ipc(ReadRules)]
    pub async fn mode_rules<R: Runtime>(
        app: AppHandle<R>,
        state: State<'_, KioskState>,
    ) -> Result<ModeRules, Problem> {
        let staff = matches!(caller(&app)?, Caller::Staff(_));
        settings::rules(state.kiosk()?, staff)
    }
}
