//! Enrolment with the central platform and synchronisation of the outbox (protocol v1,
//! `docs/protocol.md`): the kiosk store as the sync engine's [`Outbox`], plus the use cases
//! `enrol`, `sync_once` and `sync_status`.

use std::path::PathBuf;

use kiosk_core::lifecycle::{LifecycleEvent, LifecycleState};
use kiosk_store::Store;
use kiosk_store::seal::PlatformRecipient;
use kiosk_sync::{
    AttachmentRef, Credential, EngineConfig, Outbox, Outgoing, OutgoingAttachment, PlatformClient,
    PlatformReason, Receipt, StatusEvent, SyncEngine, SyncError, Timeouts,
};
use serde::Serialize;
use ts_rs::TS;

use crate::{Kiosk, Problem};

/// Setting: the last status feed cursor applied.
const SETTING_STATUS_CURSOR: &str = "sync.status_cursor";
/// Setting: when a sync round last completed without error, Unix ms.
/// Setting: when the last sync round (or bundle import) succeeded, Unix ms.
pub const SETTING_LAST_SUCCESS_AT: &str = "sync.last_success_at";
/// Setting: the last round's error (empty when it succeeded).
pub const SETTING_LAST_ERROR: &str = "sync.last_error";
/// Setting: whether the platform answered the last attempt (`1` or `0`).
pub const SETTING_ONLINE: &str = "sync.online";

mod credential_file;
mod worker;
pub use worker::{SyncWorker, WorkerConfig};

/// The platform's reason as stored with a status update: `CODE: 中文 / English`.
fn reason_text(reason: &PlatformReason) -> String {
    format!("{}: {} / {}", reason.code, reason.zh, reason.en)
}

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

/// What one sync round did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncReport {
    /// Applications the platform received.
    #[ts(type = "number")]
    pub delivered: u64,
    /// Applications the platform refused (now waiting for a person).
    #[ts(type = "number")]
    pub refused: u64,
    /// Applications that will be retried later.
    #[ts(type = "number")]
    pub retried: u64,
    /// Status updates applied.
    #[ts(type = "number")]
    pub status_updates: u64,
    /// Master datasets refreshed.
    #[ts(type = "number")]
    pub master_updated: u64,
    /// Sealed bytes uploaded.
    #[ts(type = "number")]
    pub bytes_sent: u64,
    /// The last error, if any attempt failed.
    pub last_error: Option<String>,
}

/// Sync state for the status screen and `kioskctl sync status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncStatus {
    /// Whether the kiosk is enrolled.
    pub enrolled: bool,
    /// Platform base URL, once enrolled.
    pub platform_url: Option<String>,
    /// Kiosk id at the platform, once enrolled.
    pub kiosk_id: Option<String>,
    /// Applications waiting for upload.
    #[ts(type = "number")]
    pub waiting: u64,
    /// Of those, due now.
    #[ts(type = "number")]
    pub due_now: u64,
    /// Applications the platform has received (accepted, verified, rejected, needs action).
    #[ts(type = "number")]
    pub delivered: u64,
    /// Applications still sealed to the local key (waiting for enrolment).
    #[ts(type = "number")]
    pub sealed_locally: u64,
    /// Last status feed cursor applied.
    #[ts(type = "number")]
    pub status_cursor: i64,
    /// Whether the platform answered the last attempt to reach it.
    pub online: bool,
    /// Submissions being uploaded right now (by the background worker of this process).
    #[ts(type = "number")]
    pub in_flight: u64,
    /// Sealed bytes the platform confirmed since the worker started.
    #[ts(type = "number")]
    pub bytes_sent: u64,
    /// When a sync round last completed without error, Unix ms.
    #[ts(type = "number | null")]
    pub last_success_at: Option<i64>,
    /// What went wrong in the last round, if it failed.
    pub last_error: Option<String>,
}

fn credential_path(kiosk: &Kiosk) -> PathBuf {
    kiosk.data_dir().join("sync").join("credential.json")
}

/// Runs a blocking store call from async code. The store's writer blocks on a reply, which
/// tokio forbids on runtime threads unless announced with `block_in_place` (multi-thread
/// runtimes; Tauri's and [`block_on`]'s are).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

fn store_err(e: impl std::fmt::Display) -> SyncError {
    SyncError::Store(e.to_string())
}

/// The kiosk store as the sync engine's outbox.
#[derive(Debug, Clone, Copy)]
pub struct StoreOutbox<'a> {
    store: &'a Store,
}

impl<'a> StoreOutbox<'a> {
    /// The outbox of `store`.
    pub fn new(store: &'a Store) -> Self {
        Self { store }
    }

    fn event(
        &self,
        id: &str,
        event: LifecycleEvent,
        message: Option<String>,
        retry_at: Option<i64>,
        now: i64,
    ) -> Result<(), SyncError> {
        self.store
            .apply_event(id, event, message, retry_at, now)
            .map(|_| ())
            .map_err(store_err)
    }

    fn state(&self, id: &str) -> Option<LifecycleState> {
        self.store.show(id).ok().map(|d| d.entry.state)
    }
}

impl Outbox for StoreOutbox<'_> {
    fn recover_interrupted(&self, now_ms: i64) -> Result<u64, SyncError> {
        blocking(|| {
            let stuck = self
                .store
                .list(Some(LifecycleState::Uploading), 10_000)
                .map_err(store_err)?;
            for entry in &stuck {
                self.event(
                    &entry.id,
                    LifecycleEvent::UploadFailed,
                    Some("interrupted".into()),
                    Some(now_ms),
                    now_ms,
                )?;
            }
            Ok(u64::try_from(stuck.len()).unwrap_or(u64::MAX))
        })
    }

    fn due(&self, now_ms: i64, limit: u32) -> Result<Vec<String>, SyncError> {
        blocking(|| self.store.due_for_upload(now_ms, limit).map_err(store_err))
    }

    fn waiting(&self) -> Result<u64, SyncError> {
        blocking(|| {
            let stats = self
                .store
                .stats(crate::clock::now_ms())
                .map_err(store_err)?;
            let count = |s: LifecycleState| stats.by_state.get(s.as_str()).copied().unwrap_or(0);
            Ok(count(LifecycleState::Submitted) + count(LifecycleState::Uploading))
        })
    }

    fn mark_uploading(&self, id: &str, now_ms: i64) -> Result<(), SyncError> {
        blocking(|| self.event(id, LifecycleEvent::StartUpload, None, None, now_ms))
    }

    fn load(&self, id: &str) -> Result<Outgoing, SyncError> {
        blocking(|| {
            let payload = self.store.sealed_payload(id).map_err(store_err)?;
            if payload.sealing != kiosk_store::seal::Sealing::Platform {
                return Err(SyncError::NotEnrolled(
                    "the application is still sealed to the local key".into(),
                ));
            }
            let attachments = self
                .store
                .sealed_attachments(id)
                .map_err(store_err)?
                .into_iter()
                .map(|a| OutgoingAttachment {
                    reference: AttachmentRef {
                        slot: a.info.slot,
                        sha256: a.info.sha256,
                        size: u64::try_from(a.info.size).unwrap_or(0),
                        media_type: a.info.media_type,
                    },
                    sealed: a.sealed.body,
                })
                .collect();
            let attempts = self.store.show(id).map(|d| d.entry.attempts).unwrap_or(1);
            Ok(Outgoing {
                id: id.to_owned(),
                sealed_payload: payload.body,
                attachments,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            })
        })
    }

    fn mark_retry(
        &self,
        id: &str,
        error: &str,
        retry_at_ms: i64,
        now_ms: i64,
    ) -> Result<(), SyncError> {
        blocking(|| {
            self.event(
                id,
                LifecycleEvent::UploadFailed,
                Some(error.to_owned()),
                Some(retry_at_ms),
                now_ms,
            )
        })
    }

    fn mark_delivered(&self, id: &str, receipt: &Receipt, now_ms: i64) -> Result<(), SyncError> {
        blocking(|| {
            self.event(
                id,
                LifecycleEvent::PlatformAccepted,
                Some(format!(
                    "平台回执 {} / platform receipt {}",
                    receipt.receipt, receipt.receipt
                )),
                None,
                now_ms,
            )?;
            if receipt.state == "needs-action" {
                let message = receipt.reason.as_ref().map(reason_text);
                self.event(
                    id,
                    LifecycleEvent::PlatformNeedsAction,
                    message,
                    None,
                    now_ms,
                )?;
            }
            Ok(())
        })
    }

    fn mark_refused(
        &self,
        id: &str,
        reason: &PlatformReason,
        now_ms: i64,
    ) -> Result<(), SyncError> {
        // Retrying would be refused again: the application leaves the outbox and waits in
        // needs-action for a person, with the platform's reason on record.
        blocking(|| {
            self.event(
                id,
                LifecycleEvent::PlatformRefused,
                Some(reason_text(reason)),
                None,
                now_ms,
            )
        })
    }

    fn apply_status(&self, event: &StatusEvent, now_ms: i64) -> Result<(), SyncError> {
        blocking(|| {
            let Some(current) = self.state(&event.application_id) else {
                return Ok(());
            };
            let lifecycle = match event.state.as_str() {
                // Received through another channel (an imported offline bundle): the only way
                // a still-submitted application learns it arrived.
                "accepted" if current == LifecycleState::Submitted => {
                    LifecycleEvent::PlatformAccepted
                }
                "verified" => LifecycleEvent::PlatformVerified,
                "rejected" => LifecycleEvent::PlatformRejected,
                "needs-action" => LifecycleEvent::PlatformNeedsAction,
                _ => return Ok(()),
            };
            if current.apply(lifecycle).is_err() {
                return Ok(()); // already applied, or not delivered yet: nothing to do
            }
            let message = match (&event.account_name, &event.reason) {
                (Some(name), _) => Some(format!("平台账号 {name} / platform account {name}")),
                (None, Some(r)) => Some(reason_text(r)),
                (None, None) => None,
            };
            self.event(&event.application_id, lifecycle, message, None, now_ms)
        })
    }

    fn status_cursor(&self) -> Result<i64, SyncError> {
        blocking(|| {
            Ok(self
                .store
                .setting(SETTING_STATUS_CURSOR)
                .map_err(store_err)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0))
        })
    }

    fn set_status_cursor(&self, cursor: i64) -> Result<(), SyncError> {
        blocking(|| {
            self.store
                .set_setting(SETTING_STATUS_CURSOR, &cursor.to_string())
                .map_err(store_err)
        })
    }

    fn master_etag(&self, name: &str) -> Result<Option<String>, SyncError> {
        blocking(|| {
            self.store
                .setting(&format!("master.{name}.etag"))
                .map_err(store_err)
        })
    }

    fn store_master(&self, name: &str, etag: &str, body: &[u8]) -> Result<(), SyncError> {
        blocking(|| {
            let text = String::from_utf8_lossy(body);
            self.store
                .set_setting(&format!("master.{name}.json"), &text)
                .map_err(store_err)?;
            self.store
                .set_setting(&format!("master.{name}.etag"), etag)
                .map_err(store_err)
        })
    }
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
        _ if !re_enrol => return Err(already_enrolled()),
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

/// The refusal of a second enrolment without the explicit flag.
fn already_enrolled() -> Problem {
    Problem::new(
        "ALREADY_ENROLLED",
        "本终端已在平台注册。重新注册会更换平台密钥与终端身份，须由管理员明确选择“重新注册”（kioskctl sync enrol --re-enrol）。",
        "This kiosk is already enrolled. Re-enrolling replaces the platform key and the kiosk identity; an administrator must ask for it explicitly (kioskctl sync enrol --re-enrol).",
    )
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

/// One sync round: uploads everything due (several at once), pulls the status feed and master
/// data. Transient failures are rescheduled with backoff and reported in `last_error`.
pub async fn sync_once(kiosk: &Kiosk) -> Result<SyncReport, Problem> {
    let client = PlatformClient::new(credential(kiosk)?, Timeouts::default())?;
    let engine = SyncEngine::new(
        client.clone(),
        StoreOutbox::new(kiosk.store()),
        EngineConfig::default(),
    );
    let round = engine.run_once().await;
    save_rotated_pin(kiosk, &client)?;
    let progress = engine.progress();
    let report = match round {
        Ok(report) => report,
        Err(e) => {
            record_outcome(
                kiosk,
                !matches!(e, SyncError::Transient(_)),
                Some(&e.to_string()),
            )?;
            return Err(e.into());
        }
    };
    record_outcome(
        kiosk,
        progress.online || progress.last_error.is_none(),
        progress.last_error.as_deref(),
    )?;
    Ok(SyncReport {
        delivered: report.delivered,
        refused: report.refused,
        retried: report.retried,
        status_updates: report.status_events,
        master_updated: report.master_updated,
        bytes_sent: progress.bytes_sent,
        last_error: progress.last_error,
    })
}

/// Posts one heartbeat now (`kioskctl sync --heartbeat`; the app's worker posts them on its
/// own timer).
pub async fn send_heartbeat(kiosk: &Kiosk) -> Result<(), Problem> {
    let client = PlatformClient::new(credential(kiosk)?, Timeouts::default())?;
    let beat = blocking(|| worker::heartbeat(kiosk, crate::clock::now_ms()))?;
    Ok(client.heartbeat(&beat).await?)
}

/// The audit anchor the platform holds for this kiosk (a verified, signed answer).
pub(crate) async fn audit_anchor(kiosk: &Kiosk) -> Result<kiosk_sync::AuditAnchor, Problem> {
    let client = PlatformClient::new(credential(kiosk)?, Timeouts::default())?;
    Ok(client.audit_anchor().await?)
}

/// "Sync now" from a front door: through the app's background worker when one runs (so two
/// rounds never overlap), else one round right here.
pub async fn sync_now(kiosk: &Kiosk, worker: Option<&SyncWorker>) -> Result<SyncReport, Problem> {
    match worker {
        Some(worker) => worker.sync_now().await,
        None => sync_once(kiosk).await,
    }
}

/// The status for the screen: the worker's live figures when it runs, else the stored ones.
pub fn current_status(kiosk: &Kiosk, worker: Option<&SyncWorker>) -> Result<SyncStatus, Problem> {
    match worker {
        Some(worker) => worker.status(),
        None => blocking(|| sync_status(kiosk)),
    }
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

/// Enrolment and queue figures.
pub fn sync_status(kiosk: &Kiosk) -> Result<SyncStatus, Problem> {
    let credential = credential_file::load(kiosk, &credential_path(kiosk)).ok();
    let now = crate::clock::now_ms();
    let store = kiosk.store();
    let stats = store.stats(now)?;
    let outbox = StoreOutbox::new(kiosk.store());
    let count = |s: LifecycleState| stats.by_state.get(s.as_str()).copied().unwrap_or(0);
    Ok(SyncStatus {
        enrolled: credential.is_some(),
        platform_url: credential.as_ref().map(|c| c.platform_url.clone()),
        kiosk_id: credential.map(|c| c.kiosk_id),
        waiting: outbox.waiting()?,
        due_now: stats.due_now,
        delivered: [
            LifecycleState::Accepted,
            LifecycleState::Verified,
            LifecycleState::Rejected,
            LifecycleState::NeedsAction,
        ]
        .into_iter()
        .map(count)
        .sum(),
        sealed_locally: stats.sealed_locally,
        status_cursor: outbox.status_cursor()?,
        online: store.setting(SETTING_ONLINE)?.as_deref() == Some("1"),
        in_flight: 0,
        bytes_sent: 0,
        last_success_at: store
            .setting(SETTING_LAST_SUCCESS_AT)?
            .and_then(|v| v.parse().ok()),
        last_error: store.setting(SETTING_LAST_ERROR)?.filter(|e| !e.is_empty()),
    })
}

/// Records how a sync round (or a connectivity probe) ended, for the status screen, the
/// heartbeat and `kioskctl sync status`: `error` is `None` when it succeeded.
fn record_outcome(kiosk: &Kiosk, online: bool, error: Option<&str>) -> Result<(), Problem> {
    blocking(|| {
        let store = kiosk.store();
        store.set_setting(SETTING_ONLINE, if online { "1" } else { "0" })?;
        store.set_setting(SETTING_LAST_ERROR, error.unwrap_or(""))?;
        if error.is_none() {
            store.set_setting(SETTING_LAST_SUCCESS_AT, &crate::clock::now_ms().to_string())?;
        }
        Ok(())
    })
}

/// Runs an async use case to completion on a private single-thread runtime (for `kioskctl`).
pub fn block_on<T>(
    future: impl std::future::Future<Output = Result<T, Problem>>,
) -> Result<T, Problem> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Problem::new(
                "RUNTIME_FAILED",
                format!("无法启动后台任务：{e}"),
                format!("Could not start the async runtime: {e}"),
            )
        })?;
    runtime.block_on(future)
}
