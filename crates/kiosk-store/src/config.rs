//! Where the database and its keys live, and how the database key file is made.
//!
//! Default layout under the kiosk's data directory:
//!
//! ```text
//! <data_dir>/db/kiosk.db          the SQLCipher database (+ -wal, -shm)
//! <data_dir>/keys/store.key       64 hex digits: the raw 256-bit database key (0600)
//! <data_dir>/keys/local.age       this kiosk's local age identity (0600), used to seal
//!                                 applications until the kiosk is enrolled
//! ```
//!
//! The key folder is a sibling of the database folder, so copying or backing up `db/` never
//! carries the key with it; a deployment can point [`StoreConfig::key_dir`] at another
//! volume (e.g. a TPM-backed or removable one).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::StoreError;

/// File name of the database inside the database folder.
pub const DATABASE_FILE: &str = "kiosk.db";
/// File name of the database key inside the key folder.
pub const KEY_FILE: &str = "store.key";
/// File name of the local age identity inside the key folder.
pub const LOCAL_IDENTITY_FILE: &str = "local.age";

/// Where the store keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// Folder of the database file and its WAL.
    pub db_dir: PathBuf,
    /// Folder of the key file and the local age identity; never inside `db_dir`.
    pub key_dir: PathBuf,
    /// Number of read connections kept open.
    pub readers: usize,
}

impl StoreConfig {
    /// The default layout under `data_dir` (see the module documentation).
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self {
            db_dir: data_dir.join("db"),
            key_dir: data_dir.join("keys"),
            readers: 2,
        }
    }

    /// Path of the database file.
    pub fn database_path(&self) -> PathBuf {
        self.db_dir.join(DATABASE_FILE)
    }

    /// Path of the database key file.
    pub fn key_path(&self) -> PathBuf {
        self.key_dir.join(KEY_FILE)
    }

    /// Path of the local age identity.
    pub fn local_identity_path(&self) -> PathBuf {
        self.key_dir.join(LOCAL_IDENTITY_FILE)
    }
}

/// A raw 256-bit SQLCipher key, formatted for `PRAGMA key`.
#[derive(Clone)]
pub(crate) struct DatabaseKey(String);

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(..)")
    }
}

impl DatabaseKey {
    /// The `PRAGMA key` statement (raw key, no passphrase derivation).
    pub(crate) fn pragma(&self) -> String {
        format!("PRAGMA key = \"x'{}'\";", self.0)
    }

    /// A key for `purpose` derived from this one (HMAC-SHA256 of the purpose under the raw
    /// key), so other secrets share the database key's protection without being it.
    pub(crate) fn derive(&self, purpose: &str) -> Result<[u8; 32], StoreError> {
        use hmac::{Hmac, Mac};
        let raw = hex::decode(&self.0).unwrap_or_else(|_| self.0.as_bytes().to_vec());
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&raw)
            .map_err(|_| StoreError::Corrupt("the database key cannot key an HMAC".into()))?;
        mac.update(purpose.as_bytes());
        Ok(mac.finalize().into_bytes().into())
    }
}

/// Creates `dir` (and parents) with owner-only permissions.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    restrict(dir, 0o700)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| StoreError::io(path, e))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> Result<(), StoreError> {
    Ok(())
}

/// Writes a new secret file with owner-only permissions; refuses to overwrite.
pub(crate) fn write_secret_file(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut file = options.open(path)?;
        file.write_all(contents)?;
        file.sync_all()
    };
    write().map_err(|e| {
        // Do not leave a half-written key behind.
        let _ = std::fs::remove_file(path);
        StoreError::io(path, e)
    })?;
    if let Some(parent) = path.parent()
        && let Ok(dir) = std::fs::File::open(parent)
    {
        // Make the new directory entry durable; failure here only weakens durability.
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Loads the database key, generating it when neither key nor database exists yet.
///
/// A database without its key is never given a new key: that would make it unreadable.
pub(crate) fn load_or_create_key(config: &StoreConfig) -> Result<DatabaseKey, StoreError> {
    let key_path = config.key_path();
    match std::fs::read_to_string(&key_path) {
        Ok(text) => {
            let hex = text.trim();
            if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(DatabaseKey(hex.to_ascii_lowercase()))
            } else {
                Err(StoreError::KeyMalformed(key_path))
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if config.database_path().exists() {
                return Err(StoreError::KeyMissing { key_file: key_path });
            }
            create_private_dir(&config.key_dir)?;
            let mut raw = [0u8; 32];
            getrandom::fill(&mut raw)
                .map_err(|e| StoreError::io(&key_path, std::io::Error::other(e.to_string())))?;
            let hex = hex::encode(raw);
            write_secret_file(&key_path, format!("{hex}\n").as_bytes())?;
            log::info!("generated a new database key file");
            Ok(DatabaseKey(hex))
        }
        Err(e) => Err(StoreError::io(key_path, e)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn key_is_generated_once_with_owner_only_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let config = StoreConfig::in_data_dir(dir.path());
        let first = load_or_create_key(&config).unwrap();
        let second = load_or_create_key(&config).unwrap();
        assert_eq!(first.0, second.0, "the key must be stable across opens");
        assert_eq!(first.0.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(config.key_path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "key file mode {mode:o}");
        }
        assert!(
            !config.key_path().starts_with(&config.db_dir),
            "key inside db folder"
        );
    }

    #[test]
    fn missing_key_for_existing_database_is_refused_not_regenerated() {
        let dir = tempfile::tempdir().unwrap();
        let config = StoreConfig::in_data_dir(dir.path());
        std::fs::create_dir_all(&config.db_dir).unwrap();
        std::fs::write(config.database_path(), b"not empty").unwrap();
        let err = load_or_create_key(&config).unwrap_err();
        assert!(matches!(err, StoreError::KeyMissing { .. }), "{err:?}");
        assert!(!config.key_path().exists(), "a new key must not be written");
    }

    #[test]
    fn malformed_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let config = StoreConfig::in_data_dir(dir.path());
        std::fs::create_dir_all(&config.key_dir).unwrap();
        std::fs::write(config.key_path(), "short").unwrap();
        let err = load_or_create_key(&config).unwrap_err();
        assert!(matches!(err, StoreError::KeyMalformed(_)), "{err:?}");
    }
}
