//! The kiosk store as the sync engine's [`Outbox`]: the lifecycle events an upload, a
//! receipt, a refusal and a status feed event cause, the status cursor and master data kept
//! as settings. May import the store and kiosk-sync's outbox types.

use kiosk_core::lifecycle::{LifecycleEvent, LifecycleState};
use kiosk_store::Store;
use kiosk_sync::{
    AttachmentRef, Outbox, Outgoing, OutgoingAttachment, PlatformReason, Receipt, StatusEvent,
    SyncError,
};

use super::{SETTING_STATUS_CURSOR, blocking};

/// The platform's reason as stored with a status update: `CODE: 中文 / English`.
fn reason_text(reason: &PlatformReason) -> String {
    format!("{}: {} / {}", reason.code, reason.zh, reason.en)
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
