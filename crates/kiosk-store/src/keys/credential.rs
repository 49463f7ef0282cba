//! The machine credential: a 256-bit wrapping key in a root-owned folder, used with
//! XChaCha20-Poly1305 (random 192-bit nonce; the secret's name is the associated data, so a
//! blob cannot be swapped for another secret's).

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::StoreError;

const MAGIC: &[u8; 4] = b"TBW1";
const NONCE_LEN: usize = 24;

fn unavailable(keywrap: &Path, detail: impl Into<String>) -> StoreError {
    StoreError::KeyProtectionUnavailable {
        kind: "machine-credential",
        detail: format!("{}: {}", keywrap.display(), detail.into()),
    }
}

/// Reads the wrapping key (64 hex digits); refuses one that others may read.
fn wrapping_key(keywrap: &Path) -> Result<XChaCha20Poly1305, StoreError> {
    let text = Zeroizing::new(
        std::fs::read_to_string(keywrap).map_err(|e| unavailable(keywrap, e.to_string()))?,
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keywrap)
            .map_err(|e| unavailable(keywrap, e.to_string()))?
            .permissions()
            .mode();
        if mode & 0o007 != 0 {
            return Err(unavailable(
                keywrap,
                format!(
                    "mode {:o} lets every user read it (must be 0400 or 0440)",
                    mode & 0o777
                ),
            ));
        }
    }
    let raw = Zeroizing::new(
        hex::decode(text.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .ok_or_else(|| unavailable(keywrap, "not 64 hex digits"))?,
    );
    XChaCha20Poly1305::new_from_slice(&raw).map_err(|_| unavailable(keywrap, "bad key length"))
}

fn aad(name: &str) -> Vec<u8> {
    format!("tongban-keywrap-v1:{name}").into_bytes()
}

/// Encrypts `secret` (named `name`) with the machine credential at `keywrap`.
pub(super) fn wrap(keywrap: &Path, name: &str, secret: &[u8]) -> Result<Vec<u8>, StoreError> {
    let cipher = wrapping_key(keywrap)?;
    encrypt(&cipher, name, secret).ok_or_else(|| unavailable(keywrap, "encryption failed"))
}

/// Encrypts with `cipher`: magic, nonce, ciphertext.
pub(super) fn encrypt(cipher: &XChaCha20Poly1305, name: &str, secret: &[u8]) -> Option<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).ok()?;
    let aad = aad(name);
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: secret,
                aad: &aad,
            },
        )
        .ok()?;
    let mut blob = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
    blob.extend_from_slice(MAGIC);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Some(blob)
}

/// Decrypts a blob made by [`wrap`]; `file` is only for the error message.
pub(super) fn unwrap(
    keywrap: &Path,
    name: &str,
    file: &Path,
    blob: &[u8],
) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let cipher = wrapping_key(keywrap)?;
    decrypt(&cipher, name, blob).map_err(|detail| StoreError::KeyUnsealFailed {
        key_file: file.to_path_buf(),
        detail: detail.into(),
    })
}

/// Decrypts a blob made by [`encrypt`].
pub(super) fn decrypt(
    cipher: &XChaCha20Poly1305,
    name: &str,
    blob: &[u8],
) -> Result<Zeroizing<Vec<u8>>, &'static str> {
    let failed = |detail: &'static str| detail;
    let rest = blob
        .strip_prefix(MAGIC.as_slice())
        .filter(|r| r.len() > NONCE_LEN)
        .ok_or_else(|| failed("not a machine-credential blob"))?;
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let aad = aad(name);
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: &aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| failed("the key does not open it (another machine, or a replaced credential)"))
}
