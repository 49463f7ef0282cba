//! Keys at rest: how the kiosk's secrets (the database key, the local sealing identity, the
//! platform credential) are protected by the machine.
//!
//! Three protections, chosen per key folder ([`KeyVault`]):
//!
//! * [`ProtectionKind::Tpm`]: each secret is encrypted with its own random data key, and
//!   that data key is sealed to the TPM 2.0's owner hierarchy (`tpm2_create` under an ECC
//!   primary key; `tpm2-tools` with the TCTI from `TONGBAN_TPM_TCTI`, default
//!   `device:/dev/tpmrm0`). The file `<name>.tpm` holds the TPM's wrapped blob and the
//!   ciphertext: another machine's TPM cannot load it.
//! * [`ProtectionKind::MachineCredential`]: each secret is encrypted (XChaCha20-Poly1305) with
//!   a 256-bit wrapping key that lives outside the data directory, in a root-owned folder
//!   readable only by the kiosk's service user (`$TONGBAN_CREDENTIALS_DIR`, else systemd's
//!   `$CREDENTIALS_DIRECTORY`, else `/etc/tongban/credentials`; file `tongban-keywrap`,
//!   64 hex digits). The file `<name>.sealed` holds the ciphertext.
//! * [`ProtectionKind::Plain`]: the secret itself in `<name>` (mode 0600). For development
//!   only; `kioskctl doctor` warns about it.
//!
//! With the TPM or the machine credential the plaintext never touches the disk: the data key
//! goes to `tpm2_create` through a pipe and comes back from `tpm2_unseal` through a pipe.
//!
//! Which protection: `TONGBAN_KEY_PROTECTION` (`tpm`, `machine-credential`, `plain`) when set;
//! otherwise (`auto`) the one the folder already uses, else a TPM if one is present, else the
//! machine credential if it is installed, else plain files. A folder that holds plain files
//! and is configured for a stronger protection is upgraded on the next open (the plain file
//! is removed once the protected copy is written).

mod credential;
mod tpm;

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::config::{create_private_dir, write_secret_file};
use crate::{Refusal, StoreError};

/// Environment variable choosing the protection (`auto`, `tpm`, `machine-credential`, `plain`).
pub const ENV_PROTECTION: &str = "TONGBAN_KEY_PROTECTION";
/// Environment variable naming the TPM's TCTI (e.g. `swtpm:host=127.0.0.1,port=2321`).
pub const ENV_TPM_TCTI: &str = "TONGBAN_TPM_TCTI";
/// Environment variable naming the machine-credential folder.
pub const ENV_CREDENTIALS_DIR: &str = "TONGBAN_CREDENTIALS_DIR";
/// The TCTI used when none is configured: the kernel's TPM resource manager.
pub const DEFAULT_TPM_TCTI: &str = "device:/dev/tpmrm0";
/// The machine-credential folder used when none is configured.
pub const DEFAULT_CREDENTIALS_DIR: &str = "/etc/tongban/credentials";
/// File name of the machine's wrapping key inside the credential folder.
pub const KEYWRAP_FILE: &str = "tongban-keywrap";

/// A secret held in memory; wiped when dropped.
pub type Secret = Zeroizing<Vec<u8>>;

/// How a secret is protected at rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProtectionKind {
    /// Sealed to this machine's TPM 2.0.
    Tpm,
    /// Encrypted with the machine credential (root-owned wrapping key).
    MachineCredential,
    /// A plain file (development only).
    Plain,
}

impl ProtectionKind {
    /// Stable name (`tpm`, `machine-credential`, `plain`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tpm => "tpm",
            Self::MachineCredential => "machine-credential",
            Self::Plain => "plain",
        }
    }

    /// The file a secret called `name` is stored in under this protection.
    pub fn file_name(self, name: &str) -> String {
        match self {
            Self::Tpm => format!("{name}.tpm"),
            Self::MachineCredential => format!("{name}.sealed"),
            Self::Plain => name.to_owned(),
        }
    }

    const ALL: [Self; 3] = [Self::Tpm, Self::MachineCredential, Self::Plain];
}

/// Which protection was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtectionChoice {
    /// The folder's current one, else the strongest available.
    Auto,
    /// Exactly this one.
    Fixed(ProtectionKind),
}

impl ProtectionChoice {
    /// Parses `auto`, `tpm`, `machine-credential` or `plain`.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        match text.trim() {
            "" | "auto" => Ok(Self::Auto),
            other => ProtectionKind::ALL
                .into_iter()
                .find(|k| k.as_str() == other)
                .map(Self::Fixed)
                .ok_or_else(|| {
                    Refusal::KeyProtectionUnknown {
                        value: other.to_owned(),
                    }
                    .into()
                }),
        }
    }
}

/// Where the machine's protections are and which one to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionSettings {
    /// The configured choice (`Err` keeps a bad value so opening reports it).
    pub choice: Result<ProtectionChoice, String>,
    /// TCTI of the TPM (`device:/dev/tpmrm0`, `swtpm:host=...,port=...`).
    pub tpm_tcti: String,
    /// Folder of the machine credential.
    pub credentials_dir: PathBuf,
}

impl Default for ProtectionSettings {
    fn default() -> Self {
        Self {
            choice: Ok(ProtectionChoice::Auto),
            tpm_tcti: DEFAULT_TPM_TCTI.into(),
            credentials_dir: PathBuf::from(DEFAULT_CREDENTIALS_DIR),
        }
    }
}

impl ProtectionSettings {
    /// Reads [`ENV_PROTECTION`], [`ENV_TPM_TCTI`], [`ENV_CREDENTIALS_DIR`] and systemd's
    /// `CREDENTIALS_DIRECTORY`.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let choice = match var(ENV_PROTECTION) {
            None => Ok(ProtectionChoice::Auto),
            Some(text) => ProtectionChoice::parse(&text).map_err(|_| text),
        };
        Self {
            choice,
            tpm_tcti: var(ENV_TPM_TCTI).unwrap_or_else(|| DEFAULT_TPM_TCTI.into()),
            credentials_dir: var(ENV_CREDENTIALS_DIR)
                .or_else(|| var("CREDENTIALS_DIRECTORY"))
                .map_or_else(|| PathBuf::from(DEFAULT_CREDENTIALS_DIR), PathBuf::from),
        }
    }

    /// Settings fixed to `kind` (tests, tools).
    pub fn fixed(kind: ProtectionKind) -> Self {
        Self {
            choice: Ok(ProtectionChoice::Fixed(kind)),
            ..Self::default()
        }
    }

    fn choice(&self) -> Result<ProtectionChoice, StoreError> {
        match &self.choice {
            Ok(choice) => Ok(*choice),
            Err(text) => ProtectionChoice::parse(text),
        }
    }

    /// Whether a TPM answers at the configured TCTI (`device:` paths must exist and
    /// `tpm2-tools` must be installed).
    pub fn tpm_present(&self) -> bool {
        let device_ok = match self.tpm_tcti.strip_prefix("device:") {
            Some(path) => Path::new(path).exists(),
            None => true,
        };
        device_ok && tpm::tools_installed()
    }

    /// Path of the machine's wrapping key.
    pub fn keywrap_path(&self) -> PathBuf {
        self.credentials_dir.join(KEYWRAP_FILE)
    }

    /// Whether the machine credential is installed.
    pub fn credential_present(&self) -> bool {
        self.keywrap_path().is_file()
    }
}

/// A folder of protected secrets.
#[derive(Debug, Clone)]
pub struct KeyVault {
    dir: PathBuf,
    settings: ProtectionSettings,
}

impl KeyVault {
    /// The vault in `dir`, protected as `settings` say.
    pub fn new(dir: impl Into<PathBuf>, settings: ProtectionSettings) -> Self {
        Self {
            dir: dir.into(),
            settings,
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The protection that this folder's own files already use (the first found of TPM,
    /// machine credential, plain for any of `names`), `None` for an empty folder.
    pub fn protection_in_use(&self, names: &[&str]) -> Option<ProtectionKind> {
        ProtectionKind::ALL.into_iter().find(|kind| {
            names
                .iter()
                .any(|name| self.dir.join(kind.file_name(name)).exists())
        })
    }

    /// The protection new secrets get: the configured one, else the folder's current one,
    /// else TPM, machine credential, plain — the first available.
    pub fn protection_for_new(&self, names: &[&str]) -> Result<ProtectionKind, StoreError> {
        match self.settings.choice()? {
            ProtectionChoice::Fixed(kind) => Ok(kind),
            ProtectionChoice::Auto => Ok(self
                .protection_in_use(names)
                .unwrap_or_else(|| self.strongest_available())),
        }
    }

    fn strongest_available(&self) -> ProtectionKind {
        if self.settings.tpm_present() {
            ProtectionKind::Tpm
        } else if self.settings.credential_present() {
            ProtectionKind::MachineCredential
        } else {
            ProtectionKind::Plain
        }
    }

    /// Loads the secret `name`, whichever protection holds it; `None` when no file exists.
    ///
    /// A file that cannot be unwrapped (another machine's TPM, a missing or different
    /// machine credential, a damaged blob) is an error, never `None`.
    pub fn load(&self, name: &str) -> Result<Option<Secret>, StoreError> {
        for kind in ProtectionKind::ALL {
            let path = self.dir.join(kind.file_name(name));
            let blob = match std::fs::read(&path) {
                Ok(blob) => Zeroizing::new(blob),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(StoreError::io(path, e)),
            };
            let secret = match kind {
                ProtectionKind::Tpm => tpm::unseal(&self.settings.tpm_tcti, name, &path, &blob)?,
                ProtectionKind::MachineCredential => {
                    credential::unwrap(&self.settings.keywrap_path(), name, &path, &blob)?
                }
                ProtectionKind::Plain => blob,
            };
            self.upgrade_plain(kind, name, &secret)?;
            return Ok(Some(secret));
        }
        Ok(None)
    }

    /// Stores a new secret `name` under `kind`; refuses to overwrite an existing file.
    pub fn create(
        &self,
        name: &str,
        kind: ProtectionKind,
        secret: &[u8],
    ) -> Result<(), StoreError> {
        create_private_dir(&self.dir)?;
        let path = self.dir.join(kind.file_name(name));
        let blob = self.wrap(name, kind, secret)?;
        write_secret_file(&path, &blob)
    }

    /// Stores the secret `name` under `kind`, replacing any older copy atomically and
    /// removing copies under other protections.
    pub fn replace(
        &self,
        name: &str,
        kind: ProtectionKind,
        secret: &[u8],
    ) -> Result<(), StoreError> {
        create_private_dir(&self.dir)?;
        let path = self.dir.join(kind.file_name(name));
        let blob = self.wrap(name, kind, secret)?;
        let tmp = self.dir.join(format!(".{}.new", kind.file_name(name)));
        let _ = std::fs::remove_file(&tmp);
        write_secret_file(&tmp, &blob)?;
        std::fs::rename(&tmp, &path).map_err(|e| StoreError::io(&path, e))?;
        for other in ProtectionKind::ALL.into_iter().filter(|k| *k != kind) {
            let old = self.dir.join(other.file_name(name));
            if old.exists() {
                std::fs::remove_file(&old).map_err(|e| StoreError::io(&old, e))?;
            }
        }
        Ok(())
    }

    fn wrap(&self, name: &str, kind: ProtectionKind, secret: &[u8]) -> Result<Secret, StoreError> {
        match kind {
            ProtectionKind::Tpm => {
                tpm::seal(&self.settings.tpm_tcti, name, secret).map(Zeroizing::new)
            }
            ProtectionKind::MachineCredential => {
                credential::wrap(&self.settings.keywrap_path(), name, secret).map(Zeroizing::new)
            }
            ProtectionKind::Plain => Ok(Zeroizing::new(secret.to_vec())),
        }
    }

    /// A plain file in a folder configured for TPM or machine credential is re-stored
    /// under that protection and the plain file removed.
    fn upgrade_plain(
        &self,
        found: ProtectionKind,
        name: &str,
        secret: &[u8],
    ) -> Result<(), StoreError> {
        if found != ProtectionKind::Plain {
            return Ok(());
        }
        match self.settings.choice()? {
            ProtectionChoice::Fixed(kind) if kind != ProtectionKind::Plain => {
                self.replace(name, kind, secret)?;
                log::info!("key {name} is now protected by {}", kind.as_str());
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Saves a secret file outside the key folder (e.g. the sync credential) under the
/// protection the kiosk uses: `path` names the plain file; the protected copy sits beside it
/// (`<path>.tpm` / `<path>.sealed`). Replaces an older copy.
pub fn save_secret_file(
    path: &Path,
    settings: &ProtectionSettings,
    kind: ProtectionKind,
    secret: &[u8],
) -> Result<(), StoreError> {
    let (vault, name) = vault_for_file(path, settings)?;
    vault.replace(&name, kind, secret)
}

/// Loads a secret saved by [`save_secret_file`]; `None` when there is none.
pub fn load_secret_file(
    path: &Path,
    settings: &ProtectionSettings,
) -> Result<Option<Secret>, StoreError> {
    let (vault, name) = vault_for_file(path, settings)?;
    vault.load(&name)
}

fn vault_for_file(
    path: &Path,
    settings: &ProtectionSettings,
) -> Result<(KeyVault, String), StoreError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| StoreError::io(path, std::io::Error::other("not a file name")))?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    Ok((KeyVault::new(dir, settings.clone()), name.to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn credential_settings(dir: &Path) -> ProtectionSettings {
        let creds = dir.join("creds");
        std::fs::create_dir_all(&creds).unwrap();
        let mut raw = [0u8; 32];
        getrandom::fill(&mut raw).unwrap();
        let keywrap = creds.join(KEYWRAP_FILE);
        std::fs::write(&keywrap, hex::encode(raw)).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&keywrap, std::fs::Permissions::from_mode(0o400)).unwrap();
        }
        ProtectionSettings {
            choice: Ok(ProtectionChoice::Fixed(ProtectionKind::MachineCredential)),
            credentials_dir: creds,
            ..ProtectionSettings::default()
        }
    }

    #[test]
    fn choice_parses_known_names_and_refuses_others() {
        assert_eq!(
            ProtectionChoice::parse("auto").unwrap(),
            ProtectionChoice::Auto
        );
        assert_eq!(
            ProtectionChoice::parse("tpm").unwrap(),
            ProtectionChoice::Fixed(ProtectionKind::Tpm)
        );
        assert_eq!(
            ProtectionChoice::parse("machine-credential").unwrap(),
            ProtectionChoice::Fixed(ProtectionKind::MachineCredential)
        );
        let err = ProtectionChoice::parse("rot13").unwrap_err();
        assert!(matches!(
            err,
            StoreError::Refused(Refusal::KeyProtectionUnknown { ref value }) if value == "rot13"
        ));
    }

    #[test]
    fn machine_credential_round_trips_and_leaves_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let vault = KeyVault::new(dir.path().join("keys"), credential_settings(dir.path()));
        vault
            .create(
                "store.key",
                ProtectionKind::MachineCredential,
                b"top secret key",
            )
            .unwrap();
        let blob = std::fs::read(dir.path().join("keys/store.key.sealed")).unwrap();
        assert!(
            !blob.windows(6).any(|w| w == b"secret"),
            "plaintext on disk"
        );
        assert!(!dir.path().join("keys/store.key").exists());
        assert_eq!(
            &vault.load("store.key").unwrap().unwrap()[..],
            b"top secret key"
        );
        assert_eq!(
            vault.protection_in_use(&["store.key"]),
            Some(ProtectionKind::MachineCredential)
        );
    }

    #[test]
    fn another_machine_credential_cannot_unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        KeyVault::new(&keys, credential_settings(dir.path()))
            .create("local.age", ProtectionKind::MachineCredential, b"identity")
            .unwrap();
        let other = tempfile::tempdir().unwrap();
        let err = KeyVault::new(&keys, credential_settings(other.path()))
            .load("local.age")
            .unwrap_err();
        assert!(matches!(err, StoreError::KeyUnsealFailed { .. }), "{err:?}");
        let missing = ProtectionSettings {
            credentials_dir: other.path().join("nowhere"),
            ..ProtectionSettings::default()
        };
        let err = KeyVault::new(&keys, missing).load("local.age").unwrap_err();
        assert!(
            matches!(err, StoreError::KeyProtectionUnavailable { .. }),
            "{err:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_machine_credential_every_user_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let settings = credential_settings(dir.path());
        std::fs::set_permissions(
            settings.keywrap_path(),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        let err = KeyVault::new(dir.path().join("keys"), settings)
            .create("store.key", ProtectionKind::MachineCredential, b"k")
            .unwrap_err();
        assert!(
            matches!(err, StoreError::KeyProtectionUnavailable { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("0400"), "{err}");
    }

    #[test]
    fn plain_files_are_upgraded_when_a_protection_is_configured() {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        KeyVault::new(&keys, ProtectionSettings::fixed(ProtectionKind::Plain))
            .create("store.key", ProtectionKind::Plain, b"old plain key")
            .unwrap();
        let vault = KeyVault::new(&keys, credential_settings(dir.path()));
        assert_eq!(
            &vault.load("store.key").unwrap().unwrap()[..],
            b"old plain key"
        );
        assert!(!keys.join("store.key").exists(), "plain copy left behind");
        assert!(keys.join("store.key.sealed").exists());
        assert_eq!(
            &vault.load("store.key").unwrap().unwrap()[..],
            b"old plain key"
        );
    }

    #[test]
    fn auto_keeps_the_folders_protection_and_falls_back_to_plain() {
        let dir = tempfile::tempdir().unwrap();
        let settings = ProtectionSettings {
            tpm_tcti: "device:/nonexistent/tpmrm0".into(),
            credentials_dir: dir.path().join("no-creds"),
            ..ProtectionSettings::default()
        };
        let vault = KeyVault::new(dir.path().join("keys"), settings);
        assert_eq!(
            vault.protection_for_new(&["store.key"]).unwrap(),
            ProtectionKind::Plain
        );
        std::fs::create_dir_all(dir.path().join("keys")).unwrap();
        std::fs::write(dir.path().join("keys/store.key.tpm"), b"x").unwrap();
        assert_eq!(
            vault.protection_for_new(&["store.key"]).unwrap(),
            ProtectionKind::Tpm
        );
    }
}
