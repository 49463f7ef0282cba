//! Key/value settings.

use rusqlite::{Connection, OptionalExtension};

use crate::StoreError;

/// Setting: days a platform-confirmed application keeps its payload (default 7).
pub const RETENTION_DAYS: &str = "retention.days";
/// Setting: the platform's age recipient, set at enrolment.
pub const PLATFORM_RECIPIENT: &str = "platform.recipient";
/// Setting: when the last automatic purge ran (Unix milliseconds).
pub const LAST_PURGE_AT: &str = "retention.last_purge_at";

/// Reads a setting.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Writes a setting.
pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
