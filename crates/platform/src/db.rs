//! The platform's own SQLite database: versioned migrations and opening.
//!
//! `PRAGMA user_version` records how many migrations a database has had; [`open`] applies the
//! missing ones in order, each in its own transaction. Migration 1 is the original schema
//! (idempotent, so databases made before versioning pass through it unchanged).

use std::path::Path;

use rusqlite::Connection;

/// Migration 1: the schema of the first release.
const SCHEMA_V1: &str = "
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

/// Migration 3: the kiosks' audit anchors (latest head per kiosk) and the alerts when a
/// kiosk offers a head behind the stored one.
const SCHEMA_V3: &str = "
CREATE TABLE audit_anchors (
    kiosk_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    mac TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE TABLE audit_anchor_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kiosk_id TEXT NOT NULL,
    stored_seq INTEGER NOT NULL,
    offered_seq INTEGER NOT NULL,
    offered_mac TEXT NOT NULL,
    at INTEGER NOT NULL
);
";

/// Migration 2: SMS tokens and delivery failures, mobile verification per submission, the
/// receipt code and kind of each submission, lookup keys, rate-limit events. The `sms_log`
/// table (the old development gateway) and `manual_reviews` (written by real-name checks) go.
const SCHEMA_V2: &str = "
ALTER TABLE sms_codes ADD COLUMN failed_at INTEGER;
CREATE TABLE sms_tokens (
    token_hash TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    purpose TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER,
    consumed_by TEXT
);
CREATE TABLE submission_mobiles (
    application_id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    verified_at INTEGER,
    method TEXT
);
INSERT INTO submission_mobiles (application_id, phone, recorded_at, verified_at, method)
    SELECT application_id, phone, recorded_at, verified_at,
           CASE WHEN verified_at IS NULL THEN NULL ELSE 'sms-verify' END
    FROM unverified_mobiles;
DROP TABLE unverified_mobiles;
DROP TABLE sms_log;
DROP TABLE manual_reviews;
ALTER TABLE submissions ADD COLUMN receipt_code TEXT;
ALTER TABLE submissions ADD COLUMN kind TEXT;
ALTER TABLE submissions ADD COLUMN profile TEXT;
ALTER TABLE submissions ADD COLUMN manual_review INTEGER NOT NULL DEFAULT 0;
CREATE INDEX submissions_receipt_code ON submissions(receipt_code);
CREATE INDEX registry_submission ON registry(submission_id);
CREATE TABLE submission_keys (
    submission_id TEXT NOT NULL,
    key_kind TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    PRIMARY KEY (key_kind, key_hash, submission_id)
);
CREATE TABLE rate_events (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX rate_events_key ON rate_events(scope, key, at);
";

/// Migration 4: the hardened edges. Call counters of the rate limits (fixed windows, shared
/// by every replica of the database), named admin accounts (their bearer tokens stored as
/// keyed hashes) with roles, and the audit of every admin action.
const SCHEMA_V4: &str = "
CREATE TABLE edge_counters (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (scope, key, window_start)
);
CREATE INDEX edge_counters_window ON edge_counters(window_start);
CREATE TABLE admins (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    disabled_at INTEGER
);
CREATE TABLE admin_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    admin TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    status INTEGER NOT NULL,
    code TEXT
);
";

/// Migration 5: personal data at rest ([`crate::pii`]). Columns that held personal values in
/// plaintext hold a blind index or an age-sealed value (renamed to say so); the platform
/// converts the rows of an older database on start, once, recorded in `platform_upgrades`.
const SCHEMA_V5: &str = "
ALTER TABLE registry RENAME COLUMN value TO value_index;
ALTER TABLE sms_codes RENAME COLUMN phone TO phone_index;
ALTER TABLE sms_tokens RENAME COLUMN phone TO phone_index;
ALTER TABLE submission_mobiles RENAME COLUMN phone TO phone_sealed;
CREATE TABLE platform_upgrades (
    name TEXT PRIMARY KEY,
    done_at INTEGER NOT NULL
);
";

/// One step of the schema's history.
enum Migration {
    /// Plain SQL.
    Sql(&'static str),
    /// SQL, then a Rust step that fills new columns from existing rows.
    SqlThen(
        &'static str,
        fn(&mut dyn crate::storage::Tx, &[u8]) -> crate::storage::Result<()>,
    ),
}

/// Every migration in order; a database at `user_version` N has had the first N.
const MIGRATIONS: [Migration; 5] = [
    Migration::Sql(SCHEMA_V1),
    Migration::SqlThen(SCHEMA_V2, crate::submissions::backfill_v2),
    Migration::Sql(SCHEMA_V3),
    Migration::Sql(SCHEMA_V4),
    Migration::Sql(SCHEMA_V5),
];

/// How many migrations the code knows (the `user_version` of an up-to-date database).
pub const SCHEMA_VERSION: i64 = 5;

/// Applies the migrations `conn` has not had yet, each in one transaction. `secret` keys the
/// lookup hashes that migrations compute.
pub fn migrate(conn: &mut Connection, secret: &[u8]) -> Result<(), OpenError> {
    migrate_to(conn, secret, SCHEMA_VERSION)
}

/// [`migrate`] up to schema `target` only (upgrade tests seed a database as an older
/// platformd left it).
pub fn migrate_to(conn: &mut Connection, secret: &[u8], target: i64) -> Result<(), OpenError> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        let version = i64::try_from(index).unwrap_or(i64::MAX) + 1;
        if version <= current || version > target {
            continue;
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::SqlThen(sql, fill) => {
                tx.execute_batch(sql)?;
                fill(&mut crate::storage::sqlite::Borrowed(&tx), secret)?;
            }
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        log::info!("database migrated to schema version {version}");
    }
    Ok(())
}

/// Makes `path` readable and writable by its owner only, creating it empty (mode 0600) when it
/// does not exist yet.
///
/// A file that exists is never opened here, only chmod-ed: closing any descriptor of a file
/// drops every POSIX lock this process holds on it, SQLite's included. Opening and closing the
/// `-shm` file behind an open connection dropped its shared lock on the wal-index, so the next
/// `platformd` command on the same directory took the platform for gone, truncated the wal-index
/// under the running server (which died of SIGBUS when it touched it) and rebuilt it.
fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => chmod_private(path),
            Err(error) => Err(error),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Makes the existing file `path` owner-only (mode 0600) without opening it (see
/// [`make_private`]); a file that is not there is fine.
fn chmod_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// SQLite refused.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file's permissions could not be set to owner-only.
    #[error("setting owner-only permissions: {0}")]
    Permissions(#[from] std::io::Error),
    /// A migration's Rust step failed.
    #[error("{0}")]
    Storage(#[from] crate::storage::StoreError),
}

/// Opens (creating) the database at `path` in WAL mode, owner-only (mode 0600, also its WAL
/// and shared-memory files), and applies the missing migrations (`secret`: see [`migrate`]).
pub fn open(path: &Path, secret: &[u8]) -> Result<Connection, OpenError> {
    open_at(path, secret, SCHEMA_VERSION)
}

/// [`open`] migrating up to schema `version` only (upgrade tests).
pub fn open_at(path: &Path, secret: &[u8], version: i64) -> Result<Connection, OpenError> {
    make_private(path)?;
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: an acknowledged submission survives a power loss, not only a process crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted and rewritten content is overwritten with zeros, not left in free space (a
    // value sealed in place leaves no plaintext behind in the page).
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrate_to(&mut conn, secret, version)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        chmod_private(std::path::Path::new(&side))?;
    }
    Ok(conn)
}

/// SHA-256 over `secret` and `parts` (each preceded by a 0 byte), lower-case hex: how the
/// platform stores SMS codes and lookup keys, so that the database alone does not reveal them
/// (a 6-digit code or an ID number is easy to guess from a plain hash).
pub fn keyed_hash(secret: &[u8], parts: &[&str]) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(secret);
    for part in parts {
        hasher.update([0u8]);
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_is_private_and_at_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("platform.db");
        let conn = open(&path, b"k").unwrap();
        conn.execute(
            "INSERT INTO rate_events (scope, key, at) VALUES ('t', 'k', 1)",
            [],
        )
        .unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        #[cfg(unix)]
        for name in ["platform.db", "platform.db-wal", "platform.db-shm"] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(name))
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(mode, 0o600, "{name} is owner-only");
        }
    }

    /// The connection still holds its lock on the wal-index once `open` has set the side files'
    /// modes. Without it another process (a `platformd` command beside `platformd serve`) takes
    /// the database for unused and truncates the wal-index under the connection.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_open_connection_keeps_its_lock_on_the_wal_index() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("platform.db");
        let conn = open(&path, b"k").unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM rate_events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0);
        let inode = std::fs::metadata(dir.path().join("platform.db-shm"))
            .unwrap()
            .ino()
            .to_string();
        let pid = std::process::id().to_string();
        // /proc/locks: `1: POSIX  ADVISORY  READ <pid> <major>:<minor>:<inode> <start> <end>`.
        let locks = std::fs::read_to_string("/proc/locks").unwrap();
        let held = locks.lines().any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.get(1) == Some(&"POSIX")
                && fields.get(4) == Some(&pid.as_str())
                && fields
                    .get(5)
                    .and_then(|file| file.rsplit(':').next())
                    .is_some_and(|i| i == inode)
        });
        assert!(held, "no lock of this process on the -shm file:\n{locks}");
    }

    #[test]
    fn a_version_zero_database_keeps_its_rows_through_the_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("platform.db");
        {
            let old = Connection::open(&path).unwrap();
            old.execute_batch(SCHEMA_V1).unwrap();
            old.execute_batch(
                "INSERT INTO submissions (id, kiosk_id, request_hash, received_at, payload,
                    attachments, state, receipt, updated_at)
                 VALUES ('0192f0c1-2b3c-7d4e-8f90-123456789abc', 'k', 'h', 5,
                    '{\"kind\":\"natural-person\",\"profile\":\"most\",\"manualFallback\":true}',
                    '[]', 'accepted', 'TB00000001', 5);
                 INSERT INTO unverified_mobiles (application_id, phone, recorded_at)
                 VALUES ('0192f0c1-2b3c-7d4e-8f90-123456789abc', '13800138000', 5);",
            )
            .unwrap();
        }
        let conn = open(&path, b"k").unwrap();
        let row: (String, String, String, String, i64) = conn
            .query_row(
                "SELECT receipt, receipt_code, kind, profile, manual_review FROM submissions",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            (
                "TB00000001".to_owned(),
                "KG695HRKAD".to_owned(),
                "natural-person".to_owned(),
                "most".to_owned(),
                1
            ),
            "the old receipt stays, the code is filled in"
        );
        let phone: String = conn
            .query_row(
                "SELECT phone_sealed FROM submission_mobiles WHERE verified_at IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            phone, "13800138000",
            "unverified mobiles carried over (sealed by the platform's start-up upgrade)"
        );
    }
}
