//! China time as printed on documents (UTC+8, no daylight saving). Kept in one place so it can be
//! replaced by the shared clock module.

use kiosk_core::Problem;

/// China Standard Time (UTC+8, no daylight saving), in milliseconds.
pub(super) const CHINA_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// The date in China at `now` (Unix ms) as printed: `2026-11-23`.
pub fn china_date_text(now: i64) -> Result<String, Problem> {
    Ok(crate::submit::china_date(now)?.to_string())
}

/// Date and time in China at `now` (Unix ms) as printed: `2026-11-23 09:41`.
pub fn china_timestamp_text(now: i64) -> Result<String, Problem> {
    let minutes = (now + CHINA_OFFSET_MS).rem_euclid(24 * 60 * 60 * 1000) / 60_000;
    Ok(format!(
        "{} {:02}:{:02}",
        china_date_text(now)?,
        minutes / 60,
        minutes % 60
    ))
}
