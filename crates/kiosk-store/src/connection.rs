//! Opening one SQLCipher connection: key first, then WAL, `synchronous=FULL`, foreign keys.

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::StoreError;
use crate::config::DatabaseKey;

/// How long a connection waits for another one's lock before reporting [`StoreError::Busy`].
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether the connection may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// The writer: sets WAL mode.
    Writer,
    /// A pooled reader: refuses writes (`query_only`).
    Reader,
}

/// Sets SQLCipher's crypto up once per process, before any connection of it is keyed.
///
/// Keyed for the first time from several threads at once, SQLCipher fails now and then
/// ("An error occurred with PRAGMA key or rekey…"): 2 processes in 250 whose four threads each
/// opened a database at start (kiosk-store's migration tests, issue 21); with this, 1 in 1,600
/// (the rest of the cause is not found). The kiosk opens its writer and readers from different
/// threads. [`open`] calls this; code that keys a connection of its own (tests reading the file
/// raw) calls it first too.
pub fn prepare_sqlcipher() {
    static READY: Once = Once::new();
    READY.call_once(|| {
        // A keyed in-memory database: the same activation and key setup as a file, no file.
        if let Ok(conn) = Connection::open_in_memory() {
            let _ = conn.execute_batch(
                "PRAGMA key = \"x'00000000000000000000000000000000\
                 00000000000000000000000000000000'\"; SELECT count(*) FROM sqlite_schema;",
            );
        }
    });
}

/// Opens `path` with `key`, proving the key is right before anything else happens.
pub(crate) fn open(
    path: &Path,
    key: &DatabaseKey,
    access: Access,
) -> Result<Connection, StoreError> {
    prepare_sqlcipher();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // The key must be the very first statement on the connection.
    conn.execute_batch(&key.pragma())?;
    // SQLCipher would print its own diagnostics to stderr; our errors say it better.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    crate::audit::register_mac(&conn, key)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Reading the schema is the first real page access: a wrong key fails here.
    if let Err(error) = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())) {
        return Err(classify_open_error(path, error));
    }
    match access {
        Access::Writer => conn.pragma_update(None, "journal_mode", "WAL")?,
        Access::Reader => conn.pragma_update(None, "query_only", true)?,
    }
    // Deleted personal data is overwritten with zeros, not left in free pages.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
    )?;
    Ok(conn)
}

/// What SQLCipher's page HMAC check finds wrong with `path`, if anything (`None` when every
/// page is intact or the check cannot run).
pub(crate) fn damage(path: &Path, key: &DatabaseKey) -> Option<String> {
    prepare_sqlcipher();
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    conn.execute_batch(&key.pragma()).ok()?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;").ok()?;
    let mut stmt = conn.prepare("PRAGMA cipher_integrity_check").ok()?;
    let found: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .ok()?
        .filter_map(Result::ok)
        .filter(|line| line != "ok")
        .collect();
    (!found.is_empty()).then(|| found.join("; "))
}

/// Switches the database to incremental auto-vacuum once (a new database before its first
/// table, an older one by one `VACUUM`), so a purge can hand freed pages back to the disk.
pub(crate) fn use_incremental_vacuum(conn: &Connection) -> Result<(), StoreError> {
    const INCREMENTAL: i64 = 2;
    let mode: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0))?;
    if mode != INCREMENTAL {
        conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;")?;
    }
    Ok(())
}

/// Tells a wrong key from a damaged or plain-SQLite file.
fn classify_open_error(path: &Path, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            if starts_with_plain_sqlite_header(path) {
                StoreError::Corrupt("the file is an unencrypted SQLite database".into())
            } else {
                StoreError::WrongKey(path.to_path_buf())
            }
        }
        _ => StoreError::from(error),
    }
}

fn starts_with_plain_sqlite_header(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .map(|()| &header == b"SQLite format 3\0")
        .unwrap_or(false)
}
