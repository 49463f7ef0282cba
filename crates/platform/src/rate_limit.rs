//! Attempt limits kept in the database (so that several platformd processes sharing it count
//! together): events per scope and key inside a sliding window.

use crate::sql_params as params;
use crate::storage::Tx;

use crate::ApiError;

/// At most `max` events per key within `window_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Name of the counter.
    pub scope: &'static str,
    /// Events allowed in the window.
    pub max: i64,
    /// The window, ms.
    pub window_ms: i64,
}

/// Status calls (lookup, verify-mobile, resend-code) per kiosk: 10 a minute.
pub const STATUS_CALLS_PER_KIOSK: Limit = Limit {
    scope: "status-kiosk",
    max: 10,
    window_ms: 60_000,
};

/// Failed status lookups per receipt code (or per ID number): 5 an hour.
pub const STATUS_FAILURES_PER_SUBJECT: Limit = Limit {
    scope: "status-failure",
    max: 5,
    window_ms: 3_600_000,
};

/// The longest window; older events are pruned.
const LONGEST_WINDOW_MS: i64 = 3_600_000;

/// `Ok` when `key` may have another event now, else the seconds until it may.
pub fn check(
    db: &mut dyn Tx,
    limit: Limit,
    key: &str,
    now: i64,
) -> crate::storage::Result<Result<(), u64>> {
    let since = now - limit.window_ms;
    let count: i64 = db.query_row(
        "SELECT COUNT(*) FROM rate_events WHERE scope = ?1 AND key = ?2 AND at > ?3",
        params![limit.scope, key, since],
        |r| r.get(0),
    )?;
    if count < limit.max {
        return Ok(Ok(()));
    }
    // The event whose leaving the window brings the count below the limit.
    let leaving: i64 = db.query_row(
        "SELECT at FROM rate_events WHERE scope = ?1 AND key = ?2 AND at > ?3
         ORDER BY at LIMIT 1 OFFSET ?4",
        params![limit.scope, key, since, count - limit.max],
        |r| r.get(0),
    )?;
    let wait_ms = (leaving + limit.window_ms - now).max(1);
    Ok(Err(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1)))
}

/// Counts an event for `key` (and now and then forgets events older than every window).
pub fn record(db: &mut dyn Tx, limit: Limit, key: &str, now: i64) -> crate::storage::Result<()> {
    db.execute(
        "INSERT INTO rate_events (scope, key, at) VALUES (?1, ?2, ?3)",
        params![limit.scope, key, now],
    )?;
    if now % 32 == 0 {
        db.execute(
            "DELETE FROM rate_events WHERE at <= ?1",
            params![now - LONGEST_WINDOW_MS],
        )?;
    }
    Ok(())
}

/// `429 STATUS_TOO_MANY_TRIES` with the wait.
pub fn too_many_tries(seconds: u64) -> ApiError {
    ApiError::too_many(
        "STATUS_TOO_MANY_TRIES",
        seconds,
        format!("查询次数过多，请 {seconds} 秒后再试；如需帮助，请到窗口办理。"),
        format!("Too many tries. Try again in {seconds} seconds, or ask at the counter."),
    )
}

/// Checks `key` against `limit`, answering [`too_many_tries`] when it is used up.
pub fn enforce(db: &mut dyn Tx, limit: Limit, key: &str, now: i64) -> Result<(), ApiError> {
    check(db, limit, key, now)?.map_err(too_many_tries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_fills_then_frees_as_events_age() {
        let store = crate::storage::sqlite::SqliteStorage::in_memory(b"k").unwrap();
        let mut db = crate::storage::Storage::begin(&store, crate::storage::Mode::Write).unwrap();
        let limit = Limit {
            scope: "t",
            max: 3,
            window_ms: 60_000,
        };
        for at in [1_000, 2_000, 30_000] {
            assert_eq!(check(&mut *db, limit, "k1", at).unwrap(), Ok(()));
            record(&mut *db, limit, "k1", at).unwrap();
        }
        assert_eq!(
            check(&mut *db, limit, "k1", 40_000).unwrap(),
            Err(21),
            "wait until the 1 s event leaves the window at 61 s"
        );
        assert_eq!(
            check(&mut *db, limit, "k2", 40_000).unwrap(),
            Ok(()),
            "per key"
        );
        assert_eq!(
            check(&mut *db, limit, "k1", 61_000).unwrap(),
            Ok(()),
            "21 s later"
        );
        let e = enforce(&mut *db, limit, "k1", 40_000).unwrap_err();
        assert_eq!((e.code, e.retry_after), ("STATUS_TOO_MANY_TRIES", Some(21)));
    }
}
