//! The kiosk's local store: one SQLite database in the data directory.
//!
//! This is the foundation's minimal store (open, migrate, read settings, health); the
//! local-store issue grows it into the encrypted, single-writer queue.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use kiosk_core::UserFacing;
use rusqlite::{Connection, OptionalExtension};

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "kiosk.db";

/// What can go wrong with the local store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory cannot be created or written.
    #[error("data directory {path} is not usable: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// SQLite refused an operation.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl UserFacing for StoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::DataDir { .. } => "DATA_DIR_UNUSABLE",
            Self::Sqlite(_) => "DATABASE_ERROR",
        }
    }
    fn zh(&self) -> String {
        match self {
            Self::DataDir { path, .. } => format!(
                "数据目录 {} 无法使用。请检查磁盘空间和目录权限，或联系管理员。",
                path.display()
            ),
            Self::Sqlite(_) => "本地数据库出错。请运行 kioskctl db check 或联系管理员。".into(),
        }
    }
    fn en(&self) -> String {
        match self {
            Self::DataDir { path, .. } => format!(
                "The data directory {} cannot be used. Check free disk space and permissions, or call an administrator.",
                path.display()
            ),
            Self::Sqlite(_) => {
                "The local database failed. Run `kioskctl db check` or call an administrator.".into()
            }
        }
    }
}

/// The open local database.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and applies migrations.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let conn = Connection::open(&path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )?;
        conn.execute_batch(include_str!("../../../migrations/01-settings/up.sql").replace(
            "CREATE TABLE settings",
            "CREATE TABLE IF NOT EXISTS settings",
        ).as_str())?;
        Ok(Self { path, conn })
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a trivial query to prove the database answers.
    pub fn ping(&self) -> Result<(), StoreError> {
        self.conn.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

    /// Reads a setting, `None` when it was never set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Writes a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_pings_and_keeps_settings_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.ping().unwrap();
        assert_eq!(store.setting("kiosk.name").unwrap(), None);
        store.set_setting("kiosk.name", "一号终端").unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.setting("kiosk.name").unwrap().as_deref(), Some("一号终端"));
    }
}
