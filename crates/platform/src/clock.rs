//! The platform's clock, injectable so tests can pin service hours and code expiry.

use std::sync::atomic::{AtomicI64, Ordering};

/// A source of the current time in Unix milliseconds.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now, Unix ms.
    fn now_ms(&self) -> i64;
}

/// The system clock, optionally shifted by a fixed offset (for demos outside office hours).
#[derive(Debug, Default)]
pub struct SystemClock {
    /// Added to the system time, ms.
    pub offset_ms: i64,
}

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(since.as_millis())
            .unwrap_or(i64::MAX)
            .saturating_add(self.offset_ms)
    }
}

/// A clock tests set by hand.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        Self(AtomicI64::new(now_ms))
    }

    /// Sets the time.
    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }

    /// Moves the time forward.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Minutes since midnight in China Standard Time (UTC+8, no daylight saving).
pub fn china_minute_of_day(now_ms: i64) -> i64 {
    let local = now_ms.div_euclid(1000) + 8 * 3600;
    local.rem_euclid(86_400) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_minute_of_day_adds_eight_hours_to_utc() {
        // 2026-11-23T00:00:00Z is 08:00 in Beijing.
        let midnight_utc = 1_795_392_000_000;
        assert_eq!(
            china_minute_of_day(midnight_utc),
            8 * 60,
            "00:00Z is 08:00 CST"
        );
        assert_eq!(
            china_minute_of_day(midnight_utc + 10 * 3_600_000),
            18 * 60,
            "10:00Z is 18:00 CST"
        );
        assert_eq!(
            china_minute_of_day(midnight_utc - 60_000),
            8 * 60 - 1,
            "23:59Z the day before is 07:59 CST"
        );
    }
}
