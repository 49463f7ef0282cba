//! What the screens must do in the kiosk's mode: who may start flows, whether an idle
//! session is wiped and after how long, large touch targets. Computed here so the web view
//! follows these rules instead of re-implementing them.

use kiosk_core::KioskMode;
use serde::Serialize;
use ts_rs::TS;

/// How long the visible countdown runs before a self-service session is wiped.
pub const COUNTDOWN_S: u32 = 20;
/// Elderly mode (长辈版): the idle time is this many times the kiosk's, at most
/// the longest idle timeout a kiosk may be set to and at least [`ELDERLY_MIN_IDLE_S`].
pub const ELDERLY_IDLE_FACTOR: u32 = 3;
/// Elderly mode: the shortest idle time before the "more time?" prompt ends a session.
pub const ELDERLY_MIN_IDLE_S: u32 = 300;
/// Elderly mode: seconds the "more time?" prompt is shown before the wipe.
pub const ELDERLY_COUNTDOWN_S: u32 = 60;
/// A session is never wiped while a field has focus and was edited this recently (seconds).
pub const EDIT_GRACE_S: u32 = 60;
/// What the screens must do in the mode the kiosk is in right now. Computed here so the web
/// view follows these rules instead of re-implementing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ModeRules {
    /// The mode set by the administrator.
    pub configured: KioskMode,
    /// The mode the screens follow now: a self-service kiosk acts as a counter while a staff
    /// member is signed in.
    pub effective: KioskMode,
    /// Only visitor flows are offered (no queue, no settings).
    pub visitor_flows_only: bool,
    /// Flows need a signed-in staff member (counter mode).
    pub flows_need_staff: bool,
    /// An idle visitor session is wiped.
    pub wipe_when_idle: bool,
    /// Seconds without activity before the wipe.
    pub idle_timeout_s: u32,
    /// Seconds of visible countdown at the end of the idle time.
    pub countdown_s: u32,
    /// Large touch targets and type.
    pub touch_first: bool,
    /// Elderly mode (长辈版, the visitor's switch): seconds without activity before the wipe.
    pub elderly_idle_timeout_s: u32,
    /// Elderly mode: seconds the "more time?" prompt is shown before the wipe.
    pub elderly_countdown_s: u32,
    /// No wipe while a field has focus and was edited within this many seconds; the idle
    /// time starts again instead.
    pub edit_grace_s: u32,
}

/// The rules of `configured` mode while a staff member is (or is not) signed in.
pub fn mode_rules(configured: KioskMode, idle_timeout_s: u32, staff_signed_in: bool) -> ModeRules {
    let effective = if configured == KioskMode::SelfService && !staff_signed_in {
        KioskMode::SelfService
    } else {
        KioskMode::Counter
    };
    let self_service = effective == KioskMode::SelfService;
    ModeRules {
        configured,
        effective,
        visitor_flows_only: self_service,
        flows_need_staff: !self_service,
        wipe_when_idle: self_service,
        idle_timeout_s,
        countdown_s: COUNTDOWN_S,
        touch_first: self_service,
        elderly_idle_timeout_s: idle_timeout_s
            .saturating_mul(ELDERLY_IDLE_FACTOR)
            .clamp(ELDERLY_MIN_IDLE_S, longest_idle_timeout_s()),
        elderly_countdown_s: ELDERLY_COUNTDOWN_S,
        edit_grace_s: EDIT_GRACE_S,
    }
}

/// The longest idle timeout the settings accept (the registry's range of `idleTimeoutS`).
fn longest_idle_timeout_s() -> u32 {
    match kiosk_core::settings::IDLE_TIMEOUT_S.kind {
        kiosk_core::settings::Kind::Number { max, .. } => u32::try_from(max).unwrap_or(u32::MAX),
        _ => u32::MAX,
    }
}
