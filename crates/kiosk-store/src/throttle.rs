//! Attempt throttles kept in the database, so a restart does not reset them.
//!
//! Two rules, both pure functions of the stored row and the time passed in:
//! * back-off after failures: from the [`Backoff::free_failures`]-th failure in a row the key is
//!   locked for [`Backoff::first_lock_ms`], doubling with each further failure up to
//!   [`Backoff::max_lock_ms`]; a success clears the failures;
//! * a rate limit: at most [`Backoff::per_minute`] attempts in a rolling minute window.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::{Refusal, StoreError};

/// The parameters of one throttle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures in a row allowed before the first lock.
    pub free_failures: i64,
    /// Length of the first lock, ms.
    pub first_lock_ms: i64,
    /// Longest lock, ms: no key is ever locked longer than this.
    pub max_lock_ms: i64,
    /// Attempts allowed per minute (0 = no rate limit).
    pub per_minute: i64,
}

/// Staff sign-in: 5 failures → 1 minute, doubling, at most 15 minutes; no rate limit.
pub const STAFF_LOGIN: Backoff = Backoff {
    free_failures: 5,
    first_lock_ms: 60_000,
    max_lock_ms: 15 * 60_000,
    per_minute: 0,
};

/// Visitor status lookup, per kiosk: 10 attempts a minute; 5 failures → 1 minute, doubling,
/// at most 30 minutes.
pub const STATUS_LOOKUP: Backoff = Backoff {
    free_failures: 5,
    first_lock_ms: 60_000,
    max_lock_ms: 30 * 60_000,
    per_minute: 10,
};

/// Key of the visitor status lookup throttle.
pub const STATUS_LOOKUP_KEY: &str = "status-lookup";

/// A throttle's stored state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleRow {
    /// Failures in a row.
    pub failures: i64,
    /// Locked until, Unix ms.
    pub locked_until: Option<i64>,
    /// Start of the current minute window, Unix ms.
    pub window_start: i64,
    /// Attempts in the current window.
    pub window_count: i64,
}

impl Backoff {
    /// When `row` lets the next attempt run, if not now.
    pub fn blocked_until(&self, row: &ThrottleRow, now: i64) -> Option<i64> {
        let lock = row.locked_until.filter(|until| *until > now);
        let window_end = row.window_start + 60_000;
        let rate = (self.per_minute > 0 && now < window_end && row.window_count >= self.per_minute)
            .then_some(window_end);
        lock.into_iter().chain(rate).max()
    }

    /// The row after an attempt at `now` that succeeded or failed.
    pub fn after(&self, row: &ThrottleRow, success: bool, now: i64) -> ThrottleRow {
        let (window_start, window_count) = if now >= row.window_start + 60_000 {
            (now, 1)
        } else {
            (row.window_start, row.window_count + 1)
        };
        if success {
            return ThrottleRow {
                failures: 0,
                locked_until: None,
                window_start,
                window_count,
            };
        }
        let failures = row.failures + 1;
        let locked_until = if failures >= self.free_failures {
            let doublings = u32::try_from((failures - self.free_failures).min(20)).unwrap_or(20);
            let lock = self
                .first_lock_ms
                .saturating_mul(1_i64 << doublings)
                .min(self.max_lock_ms);
            Some(now + lock)
        } else {
            row.locked_until
        };
        ThrottleRow {
            failures,
            locked_until,
            window_start,
            window_count,
        }
    }
}

/// The throttle key of a staff username: SHA-256 of the name as typed (lower-cased), so the
/// table holds no typed name (a password typed into the name field is not kept).
pub fn login_key(username: &str) -> String {
    let digest = Sha256::digest(username.trim().to_lowercase().as_bytes());
    format!("login:{}", hex::encode(digest))
}

pub(crate) fn read(conn: &Connection, key: &str) -> Result<ThrottleRow, StoreError> {
    Ok(conn
        .query_row(
            "SELECT failures, locked_until, window_start, window_count FROM throttle WHERE key = ?1",
            [key],
            |r| {
                Ok(ThrottleRow {
                    failures: r.get(0)?,
                    locked_until: r.get(1)?,
                    window_start: r.get(2)?,
                    window_count: r.get(3)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

pub(crate) fn write(tx: &Transaction<'_>, key: &str, row: &ThrottleRow) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO throttle (key, failures, locked_until, window_start, window_count)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(key) DO UPDATE SET failures = ?2, locked_until = ?3, window_start = ?4,
                                        window_count = ?5",
        params![
            key,
            row.failures,
            row.locked_until,
            row.window_start,
            row.window_count
        ],
    )?;
    Ok(())
}

/// Refused: too many status lookups from this kiosk (code `STATUS_LOOKUP_THROTTLED`).
pub fn lookup_throttled(until: i64, now: i64) -> StoreError {
    Refusal::status_lookup_throttled(until, now).into()
}

/// Records an attempt's outcome and returns the new row.
pub(crate) fn record(
    tx: &Transaction<'_>,
    key: &str,
    backoff: &Backoff,
    success: bool,
    now: i64,
) -> Result<ThrottleRow, StoreError> {
    let row = backoff.after(&read(tx, key)?, success, now);
    write(tx, key, &row)?;
    Ok(row)
}

/// Clears a key (an administrator unlocks an account).
pub(crate) fn clear(tx: &Transaction<'_>, key: &str) -> Result<(), StoreError> {
    tx.execute("DELETE FROM throttle WHERE key = ?1", [key])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_one_minute_then_doubling_up_to_the_cap() {
        let mut row = ThrottleRow::default();
        let now = 1_000_000;
        for _ in 0..4 {
            row = STAFF_LOGIN.after(&row, false, now);
            assert_eq!(STAFF_LOGIN.blocked_until(&row, now), None);
        }
        row = STAFF_LOGIN.after(&row, false, now);
        assert_eq!(row.locked_until, Some(now + 60_000));
        row = STAFF_LOGIN.after(&row, false, now + 60_000);
        assert_eq!(row.locked_until, Some(now + 60_000 + 120_000));
        for _ in 0..30 {
            row = STAFF_LOGIN.after(&row, false, now);
        }
        assert_eq!(row.locked_until, Some(now + 15 * 60_000), "capped");
        row = STAFF_LOGIN.after(&row, true, now + 16 * 60_000);
        assert_eq!(row.failures, 0);
        assert_eq!(STAFF_LOGIN.blocked_until(&row, now + 16 * 60_000), None);
    }

    #[test]
    fn the_rate_limit_opens_again_with_the_next_minute() {
        let mut row = ThrottleRow::default();
        let now = 5_000_000;
        for i in 0..10 {
            assert_eq!(STATUS_LOOKUP.blocked_until(&row, now + i), None);
            row = STATUS_LOOKUP.after(&row, true, now + i);
        }
        assert_eq!(
            STATUS_LOOKUP.blocked_until(&row, now + 20),
            Some(now + 60_000)
        );
        assert_eq!(STATUS_LOOKUP.blocked_until(&row, now + 60_000), None);
    }

    #[test]
    fn login_keys_hide_the_typed_name() {
        let key = login_key(" Admin ");
        assert_eq!(key, login_key("admin"));
        assert!(!key.contains("admin"));
    }
}
