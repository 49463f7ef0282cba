//! Enrolment with the platform: the one-time code, the credential kept under the store's key
//! protection, re-sealing the queue to the platform's key, the explicit re-enrolment, and the
//! pinned platform key following the platform's rotation. May import the store and
//! kiosk-sync's enrolment and client.

use kiosk_store::seal::PlatformRecipient;
use kiosk_sync::{Credential, PlatformClient, Timeouts};
use serde::Serialize;
use ts_rs::TS;

use super::error::SyncApiError;
use super::{SyncWorker, blocking, credential_file, credential_path};
use crate::{Kiosk, Problem};

/// What enrolment established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Enrolment {
    /// Platform base URL.
    pub platform_url: String,
    /// The id the platform gave this kiosk.
    pub kiosk_id: String,
    /// The name the administrator gave it.
    pub kiosk_name: String,
    /// Applications re-sealed from the local key to the platform's.
    #[ts(type = "number")]
    pub resealed: u64,
}

/// Enrols this kiosk with the platform at `platform_url` using an administrator's one-time
/// `code` (which carries the platform's key fingerprint), stores the credential with the
/// pinned platform key, and re-seals queued applications to the platform's key.
///
/// An enrolled kiosk is enrolled again only with `re_enrol` (`kioskctl sync enrol
/// --re-enrol`, IPC `reEnrol: true`); otherwise `ALREADY_ENROLLED`. A re-enrolment is
/// written to the audit log, and applications not yet delivered are re-sealed to the new
/// platform's key.
pub async fn enrol(
    kiosk: &Kiosk,
    platform_url: &str,
    code: &str,
    re_enrol: bool,
) -> Result<Enrolment, Problem> {
    enrol_pinned(kiosk, platform_url, code, re_enrol, None).await
}

/// [`enrol`], trusting for the platform's TLS only `pinned_tls` (a PEM CA or server
/// certificate the administrator gives, e.g. `kioskctl enrol --tls-ca FILE`), which is kept
/// with the credential.
pub async fn enrol_pinned(
    kiosk: &Kiosk,
    platform_url: &str,
    code: &str,
    re_enrol: bool,
    pinned_tls: Option<&str>,
) -> Result<Enrolment, Problem> {
    let path = credential_path(kiosk);
    // Enrolled means a credential is stored, readable here or not (one that cannot be
    // unwrapped is still this kiosk's identity, not a free slot).
    let previous = match credential_file::load(kiosk, &path) {
        Err(problem) if problem.code == "KIOSK_NOT_ENROLLED" => None,
        _ if !re_enrol => return Err(SyncApiError::AlreadyEnrolled.into()),
        stored => Some(stored.ok()),
    };
    let credential =
        kiosk_sync::enrol_pinned(platform_url, code, pinned_tls, Timeouts::default()).await?;
    credential_file::save(kiosk, &path, &credential)?;
    let recipient = PlatformRecipient::parse(&credential.platform_recipient)?;
    let now = crate::clock::now_ms();
    let resealed = blocking(|| kiosk.store().reseal_to_platform(&recipient, now))?;
    if re_enrol {
        let (old_url, old_id) = previous
            .flatten()
            .map(|c| (c.platform_url, c.kiosk_id))
            .unwrap_or_else(|| ("(unreadable)".into(), "(unreadable)".into()));
        blocking(|| {
            kiosk.store().audit(kiosk_store::AuditEntry {
                at: now,
                actor: "system".into(),
                action: "sync.re_enrol".into(),
                application_id: None,
                detail: format!(
                    "from={old_url} kiosk={old_id} to={} kiosk={} platform_key={} resealed={resealed}",
                    credential.platform_url,
                    credential.kiosk_id,
                    credential.platform_key.as_deref().unwrap_or_default()
                ),
            })
        })?;
        log::warn!(
            "kiosk re-enrolled as {} (was {old_id})",
            credential.kiosk_id
        );
    } else {
        log::info!("kiosk enrolled as {}", credential.kiosk_id);
    }
    Ok(Enrolment {
        platform_url: credential.platform_url,
        kiosk_id: credential.kiosk_id,
        kiosk_name: credential.kiosk_name,
        resealed,
    })
}
/// Saves the client's pinned platform key in the credential when it moved along the
/// platform's rotation chain during a round, and audits it (`sync.platform_key_rotated`).
pub(crate) fn save_rotated_pin(kiosk: &Kiosk, client: &PlatformClient) -> Result<(), Problem> {
    let now_pinned = client.pinned_key_b64();
    let path = credential_path(kiosk);
    let mut credential = credential_file::load(kiosk, &path)?;
    if credential.platform_key.as_deref() == Some(now_pinned.as_str())
        || credential.kiosk_id != client.credential().kiosk_id
    {
        return Ok(());
    }
    let before = credential.platform_key.replace(now_pinned.clone());
    credential_file::save(kiosk, &path, &credential)?;
    blocking(|| {
        kiosk.store().audit(kiosk_store::AuditEntry {
            at: crate::clock::now_ms(),
            actor: "system".into(),
            action: "sync.platform_key_rotated".into(),
            application_id: None,
            detail: format!(
                "from={} to={now_pinned}",
                before.as_deref().unwrap_or_default()
            ),
        })
    })?;
    Ok(())
}

/// The stored credential (also for the wizard's online checks).
pub(crate) fn credential(kiosk: &Kiosk) -> Result<Credential, Problem> {
    credential_file::load(kiosk, &credential_path(kiosk))
}

/// Enrols (see [`enrol`]) and lets the worker start syncing right away.
pub async fn enrol_and_start(
    kiosk: &Kiosk,
    worker: Option<&SyncWorker>,
    platform_url: &str,
    code: &str,
    re_enrol: bool,
) -> Result<Enrolment, Problem> {
    let enrolment = enrol(kiosk, platform_url, code, re_enrol).await?;
    if let Some(worker) = worker {
        worker.wake();
    }
    Ok(enrolment)
}
