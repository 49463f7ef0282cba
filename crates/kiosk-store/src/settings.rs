//! Key/value settings. What each key means, its type and default are declared once, in
//! `kiosk_core::settings`; this module only reads and writes the rows.

use rusqlite::{Connection, OptionalExtension};

use crate::StoreError;

/// Setting: days a platform-confirmed application keeps its payload (default 7).
pub const RETENTION_DAYS: &str = kiosk_core::settings::RETENTION_DAYS.key;
/// Setting: the platform's age recipient, set at enrolment.
pub const PLATFORM_RECIPIENT: &str = kiosk_core::settings::PLATFORM_RECIPIENT.key;
/// Setting: when the last automatic purge ran (Unix milliseconds).
pub const LAST_PURGE_AT: &str = kiosk_core::settings::LAST_PURGE_AT.key;

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
