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
//! With a TPM or a machine credential (see [`crate::keys`]) the key folder holds
//! `store.key.tpm` / `local.age.tpm` (or `.sealed`) instead, and no plaintext key.
//!
//! Keys are made only for a brand-new data directory (no database yet). A key that is
//! missing, damaged or cannot be unwrapped for an existing database is an error with a stable
//! code ([`StoreError`]), never a reason to make a new key.
//!
//! The key folder is a sibling of the database folder, so copying or backing up `db/` never
//! carries the key with it; a deployment can point [`StoreConfig::key_dir`] at another
//! volume (e.g. a TPM-backed or removable one).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::StoreError;
use crate::keys::{KeyVault, ProtectionKind, ProtectionSettings};

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
    /// How the keys in `key_dir` are protected (from the environment by default).
    pub protection: ProtectionSettings,
}

impl StoreConfig {
    /// The default layout under `data_dir` (see the module documentation).
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self {
            db_dir: data_dir.join("db"),
            key_dir: data_dir.join("keys"),
            readers: 2,
            protection: ProtectionSettings::from_env(),
        }
    }

    /// The key folder as a [`KeyVault`].
    pub fn vault(&self) -> KeyVault {
        KeyVault::new(&self.key_dir, self.protection.clone())
    }

    /// The protection this store's keys use now, or would get when made.
    pub fn key_protection(&self) -> Result<ProtectionKind, StoreError> {
        self.vault()
            .protection_for_new(&[KEY_FILE, LOCAL_IDENTITY_FILE])
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
pub(crate) struct DatabaseKey(zeroize::Zeroizing<String>);

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(..)")
    }
}

impl DatabaseKey {
    /// The `PRAGMA key` statement (raw key, no passphrase derivation).
    pub(crate) fn pragma(&self) -> String {
        format!("PRAGMA key = \"x'{}'\";", self.0.as_str())
    }

    /// A key for `purpose` derived from this one (HMAC-SHA256 of the purpose under the raw
    /// key), so other secrets share the database key's protection without being it.
    pub(crate) fn derive(&self, purpose: &str) -> Result<[u8; 32], StoreError> {
        use hmac::{Hmac, Mac};
        let raw = zeroize::Zeroizing::new(
            hex::decode(self.0.as_str()).unwrap_or_else(|_| self.0.as_bytes().to_vec()),
        );
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

/// Parses a stored database key (64 hex digits, optional trailing newline).
fn parse_key(text: &[u8], path: &Path) -> Result<DatabaseKey, StoreError> {
    let hex = std::str::from_utf8(text).map(str::trim).unwrap_or_default();
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(DatabaseKey(zeroize::Zeroizing::new(
            hex.to_ascii_lowercase(),
        )))
    } else {
        Err(StoreError::KeyMalformed(path.to_path_buf()))
    }
}

/// Loads the database key, generating it only for a brand-new data directory (`fresh`: no
/// database yet).
///
/// A database without its key is never given a new key: that would make it unreadable.
pub(crate) fn load_or_create_key(
    config: &StoreConfig,
    fresh: bool,
) -> Result<DatabaseKey, StoreError> {
    let vault = config.vault();
    let key_path = config.key_path();
    if let Some(secret) = vault.load(KEY_FILE)? {
        return parse_key(&secret, &key_path);
    }
    if !fresh {
        return Err(StoreError::KeyMissing { key_file: key_path });
    }
    let kind = config.key_protection()?;
    let mut raw = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut raw[..])
        .map_err(|e| StoreError::io(&key_path, std::io::Error::other(e.to_string())))?;
    let hex = zeroize::Zeroizing::new(hex::encode(&raw[..]));
    vault.create(KEY_FILE, kind, format!("{}\n", hex.as_str()).as_bytes())?;
    log::info!("generated a new database key ({})", kind.as_str());
    Ok(DatabaseKey(hex))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn key_is_generated_once_with_owner_only_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = StoreConfig::in_data_dir(dir.path());
        config.protection = ProtectionSettings::fixed(ProtectionKind::Plain);
        let first = load_or_create_key(&config, true).unwrap();
        let second = load_or_create_key(&config, false).unwrap();
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
        let mut config = StoreConfig::in_data_dir(dir.path());
        config.protection = ProtectionSettings::fixed(ProtectionKind::Plain);
        std::fs::create_dir_all(&config.db_dir).unwrap();
        std::fs::write(config.database_path(), b"not empty").unwrap();
        let err = load_or_create_key(&config, false).unwrap_err();
        assert!(matches!(err, StoreError::KeyMissing { .. }), "{err:?}");
        assert!(!config.key_path().exists(), "a new key must not be written");
    }

    #[test]
    fn malformed_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = StoreConfig::in_data_dir(dir.path());
        config.protection = ProtectionSettings::fixed(ProtectionKind::Plain);
        std::fs::create_dir_all(&config.key_dir).unwrap();
        std::fs::write(config.key_path(), "short").unwrap();
        let err = load_or_create_key(&config, false).unwrap_err();
        assert!(matches!(err, StoreError::KeyMalformed(_)), "{err:?}");
    }
}
