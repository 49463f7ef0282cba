//! What can go wrong with the local store, with a clear message in Chinese and English.

use std::path::PathBuf;

use kiosk_core::UserFacing;
use kiosk_core::lifecycle::LifecycleError;
use rusqlite::ErrorCode;

/// What can go wrong with the local store.
///
/// Every failed write is rolled back: whatever the error, the data committed before it is
/// untouched.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A directory or key file cannot be created, read or written.
    #[error("{path} is not usable: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The disk (or the database's filesystem) is full.
    #[error("disk full")]
    DiskFull,
    /// The key does not open the database.
    #[error("the database key does not open {0}")]
    WrongKey(PathBuf),
    /// The database exists but its key file is missing.
    #[error("the key file {key_file} for an existing database is missing")]
    KeyMissing {
        /// Where the key file was expected.
        key_file: PathBuf,
    },
    /// A key file exists but is not a 64-hex-digit key.
    #[error("key file {0} is malformed")]
    KeyMalformed(PathBuf),
    /// A protected key file exists but this machine cannot unwrap it (sealed by another
    /// machine's TPM or credential, the TPM was cleared, or the blob is damaged).
    #[error("the key file {key_file} cannot be unwrapped on this machine: {detail}")]
    KeyUnsealFailed {
        /// The protected key file.
        key_file: PathBuf,
        /// What the TPM or the credential said (never the secret).
        detail: String,
    },
    /// The protection a key needs (TPM, machine credential) is not available.
    #[error("key protection {kind} is unavailable: {detail}")]
    KeyProtectionUnavailable {
        /// `tpm` or `machine-credential`.
        kind: &'static str,
        /// What is missing.
        detail: String,
    },
    /// The database file is damaged.
    #[error("database is corrupt: {0}")]
    Corrupt(String),
    /// Another process holds the database lock for too long.
    #[error("database is locked")]
    Busy,
    /// The database was written by a newer version of the kiosk software.
    #[error("schema version {found} is newer than this software knows ({known})")]
    SchemaTooNew {
        /// Version found in the file.
        found: usize,
        /// Newest version this build knows.
        known: usize,
    },
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A record that was asked for does not exist.
    #[error("{what} {id} not found")]
    NotFound {
        /// What kind of record.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The application cannot take this step in its current state.
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    /// Sealing or opening a payload failed.
    #[error("sealing failed: {0}")]
    Seal(String),
    /// A staff operation was refused (bad credentials, lockout, role, setup code).
    #[error("staff: {code}")]
    Staff {
        /// Stable code, e.g. `STAFF_LOCKED`.
        code: &'static str,
        /// Chinese message.
        zh: String,
        /// English message.
        en: String,
    },
    /// An argument was refused before touching the database.
    #[error("invalid input: {en}")]
    Invalid {
        /// Stable code.
        code: &'static str,
        /// Chinese message.
        zh: String,
        /// English message.
        en: String,
    },
    /// The writer thread is gone (the store is shutting down or crashed).
    #[error("the database writer stopped")]
    WriterGone,
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// Builds an [`StoreError::Io`] for `path`, recognising a full disk.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::StorageFull {
            Self::DiskFull
        } else {
            Self::Io {
                path: path.into(),
                source,
            }
        }
    }

    /// Builds an [`StoreError::Invalid`].
    pub fn invalid(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub(crate) fn staff(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Staff {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy,
            Some(ErrorCode::DatabaseCorrupt) => Self::Corrupt(error.to_string()),
            Some(ErrorCode::SystemIoFailure)
                if matches!(
                    &error,
                    rusqlite::Error::SqliteFailure(e, _) if e.extended_code == rusqlite::ffi::SQLITE_IOERR_WRITE
                        || e.extended_code == rusqlite::ffi::SQLITE_IOERR_FSYNC
                ) =>
            {
                // SQLite reports some out-of-space writes (notably the WAL index) as I/O errors.
                Self::DiskFull
            }
            _ => Self::Sqlite(error),
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(error: rusqlite_migration::Error) -> Self {
        match error {
            rusqlite_migration::Error::RusqliteError { err, .. } => Self::from(err),
            other => Self::Migration(other.to_string()),
        }
    }
}

impl UserFacing for StoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "STORE_IO",
            Self::DiskFull => "DISK_FULL",
            Self::WrongKey(_) => "WRONG_KEY",
            Self::KeyMissing { .. } => "KEY_MISSING",
            Self::KeyMalformed(_) => "KEY_MALFORMED",
            Self::KeyUnsealFailed { .. } => "KEY_UNSEAL_FAILED",
            Self::KeyProtectionUnavailable { .. } => "KEY_PROTECTION_UNAVAILABLE",
            Self::Corrupt(_) => "CORRUPT",
            Self::Busy => "BUSY",
            Self::SchemaTooNew { .. } => "SCHEMA_TOO_NEW",
            Self::Migration(_) => "MIGRATION_FAILED",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::Lifecycle(e) => e.code(),
            Self::Seal(_) => "SEAL_FAILED",
            Self::Staff { code, .. } | Self::Invalid { code, .. } => code,
            Self::WriterGone => "STORE_UNAVAILABLE",
            Self::Sqlite(_) => "DATABASE_ERROR",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::Io { path, .. } => format!(
                "无法使用 {}。请检查磁盘和目录权限，或联系管理员。已保存的数据未受影响。",
                path.display()
            ),
            Self::DiskFull => {
                "磁盘已满，本次操作未保存，已保存的数据未受影响。请联系管理员清理空间（可运行 kioskctl purge）。".into()
            }
            Self::WrongKey(path) => format!(
                "数据库密钥无法打开 {}（密钥文件不对或数据库已损坏）。数据未被修改。请恢复正确的密钥文件或联系管理员。",
                path.display()
            ),
            Self::KeyMissing { key_file } => format!(
                "数据库已存在，但找不到密钥文件 {}。数据未被修改。请恢复密钥文件或联系管理员，切勿删除数据库。",
                key_file.display()
            ),
            Self::KeyMalformed(path) => format!(
                "密钥文件 {} 格式错误。数据未被修改。请恢复正确的密钥文件或联系管理员。",
                path.display()
            ),
            Self::KeyUnsealFailed { key_file, .. } => format!(
                "本机无法解开受保护的密钥文件 {}：它由另一台机器的 TPM 或机器凭据保护，或本机 TPM 已被清除。数据未被修改，也不会生成新密钥。请在原来的终端上使用该数据目录，或联系管理员从备份恢复。",
                key_file.display()
            ),
            Self::KeyProtectionUnavailable { kind, .. } => format!(
                "密钥保护（{kind}）不可用：找不到 TPM、tpm2-tools 或机器凭据。数据未被修改。请运行 kioskctl doctor 查看原因，安装 tpm2-tools 或恢复 /etc/tongban/credentials，或联系管理员。"
            ),
            Self::Corrupt(_) => {
                "本地数据库已损坏。请停止使用本终端，运行 kioskctl db check 并联系管理员从备份恢复。".into()
            }
            Self::Busy => "数据库正忙（被其他程序占用）。请稍后重试；若一直出现，请重启终端。".into(),
            Self::SchemaTooNew { .. } => {
                "数据库由更新版本的软件创建。请升级终端软件，数据未被修改。".into()
            }
            Self::Migration(_) => {
                "数据库升级失败，数据未被修改。请联系管理员并提供 kioskctl db check 的输出。".into()
            }
            Self::NotFound { what, id } => format!("找不到{}「{id}」。请刷新后重试。", what_zh(what)),
            Self::Lifecycle(e) => e.zh(),
            Self::Seal(_) => "加密申请材料失败，申请未保存。请重试或联系管理员。".into(),
            Self::Staff { zh, .. } | Self::Invalid { zh, .. } => zh.clone(),
            Self::WriterGone => "本地数据库暂不可用，请重启终端。".into(),
            Self::Sqlite(_) => "本地数据库出错。请运行 kioskctl db check 或联系管理员。".into(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::Io { path, .. } => format!(
                "{} cannot be used. Check the disk and permissions, or call an administrator. Saved data is untouched.",
                path.display()
            ),
            Self::DiskFull => {
                "The disk is full: nothing was saved and earlier data is untouched. Ask an administrator to free space (e.g. `kioskctl purge`).".into()
            }
            Self::WrongKey(path) => format!(
                "The database key does not open {} (wrong key file or damaged database). Nothing was changed. Restore the right key file or call an administrator.",
                path.display()
            ),
            Self::KeyMissing { key_file } => format!(
                "The database exists but its key file {} is missing. Nothing was changed. Restore the key file or call an administrator; do not delete the database.",
                key_file.display()
            ),
            Self::KeyMalformed(path) => format!(
                "The key file {} is malformed. Nothing was changed. Restore the right key file or call an administrator.",
                path.display()
            ),
            Self::KeyUnsealFailed { key_file, .. } => format!(
                "This machine cannot unwrap the protected key file {}: it was protected by another machine's TPM or credential, or this TPM was cleared. Nothing was changed and no new key is made. Use this data directory on the kiosk that created it, or ask an administrator to restore a backup.",
                key_file.display()
            ),
            Self::KeyProtectionUnavailable { kind, detail } => format!(
                "Key protection ({kind}) is unavailable: {detail}. Nothing was changed. Run `kioskctl doctor`, install tpm2-tools or restore /etc/tongban/credentials, or call an administrator."
            ),
            Self::Corrupt(_) => {
                "The local database is damaged. Stop using this kiosk, run `kioskctl db check` and ask an administrator to restore a backup.".into()
            }
            Self::Busy => {
                "The database is busy (held by another program). Retry shortly; if it persists, restart the kiosk.".into()
            }
            Self::SchemaTooNew { found, known } => format!(
                "The database (schema {found}) was written by newer software (this one knows {known}). Upgrade the kiosk software; nothing was changed."
            ),
            Self::Migration(_) => {
                "Upgrading the database failed; nothing was changed. Call an administrator with the output of `kioskctl db check`.".into()
            }
            Self::NotFound { what, id } => format!("No {what} \"{id}\" was found. Refresh and retry."),
            Self::Lifecycle(e) => e.en(),
            Self::Seal(_) => {
                "Encrypting the application failed; it was not saved. Retry or call an administrator.".into()
            }
            Self::Staff { en, .. } | Self::Invalid { en, .. } => en.clone(),
            Self::WriterGone => "The local database is unavailable. Restart the kiosk.".into(),
            Self::Sqlite(_) => {
                "The local database failed. Run `kioskctl db check` or call an administrator.".into()
            }
        }
    }
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "application" => "申请",
        "draft" => "草稿",
        "staff" => "工作人员账号",
        _ => "记录",
    }
}

impl kiosk_core::Catalogued for StoreError {
    /// The fixed variants. `Staff` and `Invalid` carry codes chosen where they are built
    /// (staff accounts, review, attachments); they are listed from there.
    fn samples() -> Vec<Self> {
        let path = || PathBuf::from("<路径> / <path>");
        vec![
            Self::Io {
                path: path(),
                source: std::io::Error::other("<原因> / <reason>"),
            },
            Self::DiskFull,
            Self::WrongKey(path()),
            Self::KeyMissing { key_file: path() },
            Self::KeyMalformed(path()),
            Self::KeyUnsealFailed {
                key_file: path(),
                detail: "<原因> / <reason>".into(),
            },
            Self::KeyProtectionUnavailable {
                kind: "tpm",
                detail: "<原因> / <reason>".into(),
            },
            Self::Corrupt("<原因> / <reason>".into()),
            Self::Busy,
            Self::SchemaTooNew { found: 9, known: 8 },
            Self::Migration("<原因> / <reason>".into()),
            Self::NotFound {
                what: "application",
                id: "<编号> / <id>".into(),
            },
            Self::Seal("<原因> / <reason>".into()),
            Self::WriterGone,
            Self::Sqlite(rusqlite::Error::InvalidQuery),
        ]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_full_busy_and_corrupt_map_to_their_codes() {
        let make = |code: i32| {
            StoreError::from(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
        };
        assert_eq!(make(rusqlite::ffi::SQLITE_FULL).code(), "DISK_FULL");
        assert_eq!(make(rusqlite::ffi::SQLITE_BUSY).code(), "BUSY");
        assert_eq!(make(rusqlite::ffi::SQLITE_LOCKED).code(), "BUSY");
        assert_eq!(make(rusqlite::ffi::SQLITE_CORRUPT).code(), "CORRUPT");
        assert_eq!(make(rusqlite::ffi::SQLITE_MISUSE).code(), "DATABASE_ERROR");
    }

    #[test]
    fn io_storage_full_is_disk_full() {
        let err = StoreError::io("/x", std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(err.code(), "DISK_FULL");
        assert!(err.zh().contains("磁盘已满") && err.en().contains("disk is full"));
    }
}
