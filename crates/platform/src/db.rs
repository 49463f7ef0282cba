//! The platform's own SQLite database: schema and opening.

use std::path::Path;

use rusqlite::Connection;

/// The whole schema; every statement is idempotent.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS kiosks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    public_key BLOB NOT NULL,
    enrolled_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    kiosk_name TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    kiosk_id TEXT
);
CREATE TABLE IF NOT EXISTS nonces (
    kiosk_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (kiosk_id, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_at ON nonces(at);
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    kiosk_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kiosk_id TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    payload TEXT NOT NULL,
    attachments TEXT NOT NULL,
    state TEXT NOT NULL,
    account_name TEXT,
    reason_code TEXT,
    reason_zh TEXT,
    reason_en TEXT,
    receipt TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS registry (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    PRIMARY KEY (kind, value)
);
CREATE TABLE IF NOT EXISTS status_events (
    cursor INTEGER PRIMARY KEY AUTOINCREMENT,
    kiosk_id TEXT NOT NULL,
    application_id TEXT NOT NULL,
    state TEXT NOT NULL,
    account_name TEXT,
    reason_code TEXT,
    reason_zh TEXT,
    reason_en TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS status_events_kiosk ON status_events(kiosk_id, cursor);
CREATE TABLE IF NOT EXISTS sms_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used_at INTEGER
);
CREATE INDEX IF NOT EXISTS sms_codes_phone ON sms_codes(phone, purpose, sent_at);
CREATE TABLE IF NOT EXISTS sms_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS heartbeats (
    kiosk_id TEXT PRIMARY KEY,
    received_at INTEGER NOT NULL,
    version TEXT NOT NULL,
    hall TEXT,
    queue_depth INTEGER NOT NULL,
    oldest_unsent_age_s INTEGER,
    disk_free_bytes INTEGER,
    last_sync_at INTEGER,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS status_events_application ON status_events(application_id, cursor);
CREATE TABLE IF NOT EXISTS unverified_mobiles (
    application_id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    verified_at INTEGER
);
CREATE INDEX IF NOT EXISTS unverified_mobiles_phone ON unverified_mobiles(phone);
CREATE TABLE IF NOT EXISTS manual_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER
);
";

/// Opens (creating) the database at `path` in WAL mode and applies the schema.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// `count` random bytes from the OS.
pub fn random_bytes(count: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; count];
    getrandom::fill(&mut buf).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(buf)
}
