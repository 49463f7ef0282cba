//! China Standard Time: UTC+8 all year, no daylight saving. Every "today", "opening hour" and
//! printed time of the product is China time, whatever the machine's time zone.

use crate::{DAY_MS, civil};

/// China Standard Time's offset from UTC, in milliseconds.
pub const OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// The Unix day number of the calendar day in China at `now_ms` (Unix milliseconds).
pub fn day_number(now_ms: i64) -> i64 {
    now_ms.saturating_add(OFFSET_MS).div_euclid(DAY_MS)
}

/// Unix milliseconds when China day `days` (a [`day_number`]) begins.
pub fn day_start_ms(days: i64) -> i64 {
    days.saturating_mul(DAY_MS).saturating_sub(OFFSET_MS)
}

/// Minutes after midnight in China at `now_ms` (0-1439).
pub fn minute_of_day(now_ms: i64) -> u16 {
    let minute = now_ms.saturating_add(OFFSET_MS).rem_euclid(DAY_MS) / 60_000;
    u16::try_from(minute).unwrap_or(0)
}

/// The hour of the day in China at `now_ms` (0-23).
pub fn hour(now_ms: i64) -> u8 {
    u8::try_from(minute_of_day(now_ms) / 60).unwrap_or(0)
}

/// The date in China at `now_ms` as printed: `2026-11-23`.
pub fn date_text(now_ms: i64) -> String {
    let (year, month, day) = civil::from_days(day_number(now_ms));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Date and time in China at `now_ms` as printed: `2026-11-23 09:41`.
pub fn timestamp_text(now_ms: i64) -> String {
    let minute = minute_of_day(now_ms);
    format!(
        "{} {:02}:{:02}",
        date_text(now_ms),
        minute / 60,
        minute % 60
    )
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, as log lines are stamped.
pub fn utc_log_stamp(now_ms: i64) -> String {
    let (year, month, day) = civil::from_days(now_ms.div_euclid(DAY_MS));
    let ms = now_ms.rem_euclid(DAY_MS);
    let secs = ms / 1000;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-23 00:00 China time.
    const MIDNIGHT: i64 = 1_795_363_200_000;

    #[test]
    fn the_day_turns_at_midnight_beijing_time() {
        assert_eq!(date_text(MIDNIGHT - 1), "2026-11-22");
        assert_eq!(date_text(MIDNIGHT), "2026-11-23");
        assert_eq!(day_start_ms(day_number(MIDNIGHT + 5 * 3_600_000)), MIDNIGHT);
        assert_eq!(minute_of_day(MIDNIGHT + 8 * 3_600_000), 480);
        assert_eq!(hour(MIDNIGHT - 1), 23);
        assert_eq!(
            timestamp_text(MIDNIGHT + 9 * 3_600_000 + 41 * 60_000),
            "2026-11-23 09:41"
        );
    }

    #[test]
    fn log_stamps_are_utc() {
        assert_eq!(utc_log_stamp(1_709_251_199_250), "2024-02-29T23:59:59.250Z");
        assert_eq!(utc_log_stamp(0), "1970-01-01T00:00:00.000Z");
    }
}
