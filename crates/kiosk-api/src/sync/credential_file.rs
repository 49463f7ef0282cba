//! The kiosk's platform credential (`sync/credential.json`), kept under the same protection
//! as the store's keys (TPM, machine credential, or a plain file for development): see
//! [`kiosk_store::keys`]. A plain file from an older version is still read, and moved under
//! the protection when one is configured.

use std::path::Path;

use kiosk_store::keys;
use kiosk_sync::{Credential, SyncError};

use crate::{Kiosk, Problem};

/// Loads the credential; [`SyncError::NotEnrolled`] when there is none, the store's key
/// error (`KEY_UNSEAL_FAILED`, ...) when it cannot be unwrapped here.
pub(crate) fn load(kiosk: &Kiosk, path: &Path) -> Result<Credential, Problem> {
    let config = kiosk.store().config();
    let bytes = keys::load_secret_file(path, &config.protection)?
        .ok_or_else(|| SyncError::NotEnrolled(format!("{}: no credential", path.display())))?;
    Ok(serde_json::from_slice(&bytes)
        .map_err(|e| SyncError::NotEnrolled(format!("{}: {e}", path.display())))?)
}

/// Saves the credential under the kiosk's key protection, replacing any older copy.
pub(crate) fn save(kiosk: &Kiosk, path: &Path, credential: &Credential) -> Result<(), Problem> {
    let config = kiosk.store().config();
    let bytes = keys::Secret::new(
        serde_json::to_vec_pretty(credential).map_err(|e| SyncError::Store(e.to_string()))?,
    );
    keys::save_secret_file(path, &config.protection, config.key_protection()?, &bytes)?;
    Ok(())
}

/// When the stored credential last changed (the newest modification time of its plain,
/// TPM-sealed or credential-sealed file), so a reader can keep it unwrapped until it changes
/// instead of unsealing it again (a TPM unseal costs about 0.1 s).
pub(crate) fn stamp(path: &Path) -> Option<std::time::SystemTime> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    [
        keys::ProtectionKind::Plain,
        keys::ProtectionKind::Tpm,
        keys::ProtectionKind::MachineCredential,
    ]
    .into_iter()
    .filter_map(|kind| {
        std::fs::metadata(path.with_file_name(kind.file_name(&name)))
            .and_then(|m| m.modified())
            .ok()
    })
    .max()
}
