//! Settings an administrator changes at the kiosk, and the rules of the mode it is in.

use kiosk_api::settings::{self, Actor, KioskSettings, ModeRules};
use kiosk_api::{Problem, clock, retention};
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

/// The kiosk's settings (nothing personal or secret: every screen may read them).
#[tauri::command]
pub async fn settings_get(state: State<'_, KioskState>) -> Result<KioskSettings, Problem> {
    settings::get(state.kiosk()?)
}

/// Validates and stores the settings; only a signed-in administrator may (audited).
#[tauri::command]
pub async fn settings_set<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, KioskState>,
    settings: KioskSettings,
) -> Result<KioskSettings, Problem> {
    let admin = signed_in(&app)?.require_role("admin")?;
    settings::set(
        state.kiosk()?,
        Actor::Staff(&admin),
        settings,
        clock::now_ms(),
    )
}

/// What the screens must do now: the configured mode, the effective one (staff signed in
/// turns self-service into counter), idle timeout and countdown.
#[tauri::command]
pub async fn mode_rules<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, KioskState>,
) -> Result<ModeRules, Problem> {
    let staff = signed_in(&app)?.current()?.is_some();
    settings::rules(state.kiosk()?, staff)
}
