//! The platform's Ed25519 signing identity (`<data-dir>/platform-signing.key`): it signs every
//! answer a kiosk acts on, and its fingerprint travels in every enrolment code so a kiosk
//! can tell the real platform from whoever answers at its URL.
//!
//! A missing identity is created only on the first start of an empty data directory; with
//! data present the platform refuses to start rather than silently hand kiosks a new key.

use std::path::Path;

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::StartError;

/// File name of the signing identity in the data directory.
pub const SIGNING_KEY_FILE: &str = "platform-signing.key";
/// How many hex characters of the fingerprint an enrolment code carries (80 bits).
pub const CODE_FINGERPRINT_CHARS: usize = 20;
/// File name of the rotation chain (every earlier key's signature over its successor).
pub const CHAIN_FILE: &str = "platform-signing-chain.json";

/// One rotation: the previous key's signature over the next key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KeyLink {
    /// The previous public key, base64.
    pub previous: String,
    /// The next public key, base64.
    pub next: String,
    /// When it was made, Unix ms.
    pub at: i64,
    /// base64 Ed25519 signature by `previous` over [`rotation_string`].
    pub signature: String,
}

/// `GET /api/v1/platform-keys` response: the current key and the rotation chain.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KeyChain {
    /// The key signing answers now, base64.
    pub current: String,
    /// Every rotation, oldest first.
    pub links: Vec<KeyLink>,
}

/// The bytes an old key signs to hand over to a new one.
pub fn rotation_string(previous_b64: &str, next_b64: &str, at_ms: i64) -> String {
    format!("TONGBAN-KEY-ROTATION-V1\n{previous_b64}\n{next_b64}\n{at_ms}")
}

/// Reads the rotation chain (empty when the key was never rotated).
pub fn load_chain(dir: &Path) -> Result<Vec<KeyLink>, StartError> {
    let path = dir.join(CHAIN_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            StartError::Malformed(format!(
                "{}: {e}. Restore it from the backup of the data directory.",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(StartError::Io { path, source }),
    }
}

/// Replaces `path` with `bytes` atomically (owner-only).
fn replace_private(path: &Path, bytes: &[u8]) -> Result<(), StartError> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    crate::write_private(&tmp, bytes).map_err(|source| StartError::Io {
        path: tmp.clone(),
        source,
    })?;
    std::fs::rename(&tmp, path).map_err(|source| StartError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Rotates the signing identity of the data directory `dir`: makes a new key, signs it with
/// the current one (appended to the chain), keeps the old key as
/// `platform-signing.key.<fingerprint prefix>.retired` and installs the new one. Kiosks
/// pinned to any earlier key follow the chain (`GET /api/v1/platform-keys`). Returns the old
/// and new fingerprints. Run it while platformd is stopped.
pub fn rotate(dir: &Path, now_ms: i64) -> Result<(String, String), StartError> {
    let old = SigningIdentity::load(dir, true)?;
    let new = SigningIdentity::generate().map_err(|source| StartError::Io {
        path: dir.join(SIGNING_KEY_FILE),
        source,
    })?;
    let mut chain = load_chain(dir)?;
    let text = rotation_string(old.public_key_b64(), new.public_key_b64(), now_ms);
    chain.push(KeyLink {
        previous: old.public_key_b64().to_owned(),
        next: new.public_key_b64().to_owned(),
        at: now_ms,
        signature: old.sign(text.as_bytes()),
    });
    let retired = dir.join(format!(
        "{SIGNING_KEY_FILE}.{}.retired",
        old.code_fingerprint()
    ));
    crate::write_private(&retired, old.file_text().as_bytes()).map_err(|source| {
        StartError::Io {
            path: retired.clone(),
            source,
        }
    })?;
    let chain_json =
        serde_json::to_vec_pretty(&chain).map_err(|e| StartError::Malformed(e.to_string()))?;
    replace_private(&dir.join(CHAIN_FILE), &chain_json)?;
    replace_private(&dir.join(SIGNING_KEY_FILE), new.file_text().as_bytes())?;
    Ok((old.fingerprint().to_owned(), new.fingerprint().to_owned()))
}

/// The fingerprint of a platform public key: SHA-256 of the 32 key bytes, upper-case hex.
pub fn fingerprint_of(public: &VerifyingKey) -> String {
    crate::db::sha256_hex(public.as_bytes()).to_uppercase()
}

/// The platform's signing key pair.
pub struct SigningIdentity {
    key: SigningKey,
    public_b64: String,
    fingerprint: String,
}

impl std::fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningIdentity")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl SigningIdentity {
    /// An identity from its 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let key = SigningKey::from_bytes(seed);
        let public = key.verifying_key();
        Self {
            public_b64: base64::engine::general_purpose::STANDARD.encode(public.as_bytes()),
            fingerprint: fingerprint_of(&public),
            key,
        }
    }

    /// A fresh random identity.
    pub fn generate() -> std::io::Result<Self> {
        let bytes = crate::db::random_bytes(32)?;
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&bytes);
        Ok(Self::from_seed(&seed))
    }

    /// The file text: a comment line with the public half, then the seed in hex.
    fn file_text(&self) -> String {
        format!(
            "# Tongban platform signing identity; public key: {}; fingerprint: {}\n{}\n",
            self.public_b64,
            self.fingerprint,
            hex::encode(self.key.to_bytes())
        )
    }

    /// Parses the file text written by [`SigningIdentity::create`].
    fn parse(path: &Path, text: &str) -> Result<Self, StartError> {
        let seed = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .and_then(|l| hex::decode(l).ok())
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            .ok_or_else(|| {
                StartError::Malformed(format!(
                    "{}: not a platform signing identity (expected a 64-character hex seed). Restore it from the backup of the data directory.",
                    path.display()
                ))
            })?;
        Ok(Self::from_seed(&seed))
    }

    /// Loads `<dir>/platform-signing.key`. When it is missing it is created only if
    /// `has_data` is false (the first start of an empty data directory); otherwise the
    /// start is refused with what to do.
    pub fn load(dir: &Path, has_data: bool) -> Result<Self, StartError> {
        let path = dir.join(SIGNING_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !has_data => Self::create(dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StartError::Malformed(format!(
                    "PLATFORM_IDENTITY_MISSING: {} is missing but the data directory holds a database. \
                     Restore the file from the backup of the data directory (kiosks are pinned to its key). \
                     Only if it is lost for good, or the directory predates signing identities (an upgrade), \
                     run `platformd --data-dir {} new-signing-identity` and re-enrol every kiosk with a new code \
                     (kioskctl enrol --re-enrol). / 平台签名身份文件缺失，但数据目录中已有数据。\
                     请从数据目录备份中恢复该文件；确已丢失或从旧版本升级时，运行 new-signing-identity 并用新注册码重新注册所有终端。",
                    path.display(),
                    dir.display()
                )))
            }
            Err(source) => Err(StartError::Io { path, source }),
        }
    }

    /// Creates `<dir>/platform-signing.key` with a fresh identity; refuses to replace one.
    pub fn create(dir: &Path) -> Result<Self, StartError> {
        let path = dir.join(SIGNING_KEY_FILE);
        let identity = Self::generate().map_err(|source| StartError::Io {
            path: path.clone(),
            source,
        })?;
        crate::write_private(&path, identity.file_text().as_bytes())
            .map_err(|source| StartError::Io { path, source })?;
        log::info!(
            "created the platform signing identity, fingerprint {}",
            identity.fingerprint
        );
        Ok(identity)
    }

    /// The public key, base64 of its 32 bytes.
    pub fn public_key_b64(&self) -> &str {
        &self.public_b64
    }

    /// The public key.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The full fingerprint (64 upper-case hex characters).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The part of the fingerprint an enrolment code carries.
    pub fn code_fingerprint(&self) -> &str {
        &self.fingerprint[..CODE_FINGERPRINT_CHARS]
    }

    /// Signs `text`: base64 of the 64-byte Ed25519 signature.
    pub fn sign(&self, text: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.key.sign(text).to_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_start_creates_and_later_starts_load_the_same_key() -> Result<(), StartError> {
        let dir = tempfile::tempdir().map_err(|e| StartError::Malformed(e.to_string()))?;
        let first = SigningIdentity::load(dir.path(), false)?;
        let again = SigningIdentity::load(dir.path(), true)?;
        assert_eq!(first.fingerprint(), again.fingerprint(), "same key");
        assert!(
            SigningIdentity::create(dir.path()).is_err(),
            "never replaced"
        );
        Ok(())
    }

    #[test]
    fn rotation_links_the_new_key_to_the_old_one() -> Result<(), StartError> {
        use ed25519_dalek::Verifier;
        let dir = tempfile::tempdir().map_err(|e| StartError::Malformed(e.to_string()))?;
        let first = SigningIdentity::load(dir.path(), false)?;
        let (old, new) = rotate(dir.path(), 1000)?;
        assert_eq!(old, first.fingerprint(), "old fingerprint");
        let now = SigningIdentity::load(dir.path(), true)?;
        assert_eq!(now.fingerprint(), new, "new key installed");
        let chain = load_chain(dir.path())?;
        assert_eq!(chain.len(), 1, "one link");
        let sig = base64::engine::general_purpose::STANDARD
            .decode(&chain[0].signature)
            .ok()
            .and_then(|b| ed25519_dalek::Signature::from_slice(&b).ok());
        let text = rotation_string(&chain[0].previous, &chain[0].next, 1000);
        assert!(
            sig.is_some_and(|s| first.verifying_key().verify(text.as_bytes(), &s).is_ok()),
            "signed by the old key"
        );
        assert_eq!(chain[0].next, now.public_key_b64(), "to the new key");
        Ok(())
    }

    #[test]
    fn a_missing_identity_with_data_is_refused_not_regenerated() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir");
        };
        let refused = SigningIdentity::load(dir.path(), true);
        assert!(
            matches!(&refused, Err(StartError::Malformed(m)) if m.contains("PLATFORM_IDENTITY_MISSING")),
            "refused with instructions: {refused:?}"
        );
        assert!(
            !dir.path().join(SIGNING_KEY_FILE).exists(),
            "nothing was created"
        );
    }
}
