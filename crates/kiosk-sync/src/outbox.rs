//! What the sync engine needs from the kiosk's local queue, as a trait, plus an in-memory
//! implementation for tests and benchmarks.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use crate::SyncError;
use crate::client::{AttachmentRef, Receipt, StatusEvent};
use crate::error::PlatformReason;

/// A sealed attachment ready to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingAttachment {
    /// Reference sent in the submission.
    pub reference: AttachmentRef,
    /// The age-sealed bytes.
    pub sealed: Vec<u8>,
}

/// A sealed submission ready to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Application id (the idempotency key).
    pub id: String,
    /// The age-sealed payload JSON.
    pub sealed_payload: Vec<u8>,
    /// Attachments.
    pub attachments: Vec<OutgoingAttachment>,
    /// Upload attempts so far (including the current one).
    pub attempts: u32,
}

/// The kiosk's outbox as the engine sees it. Calls are short and synchronous.
pub trait Outbox: Send + Sync {
    /// Puts entries left "in flight" by a crash back into the queue, due now. Returns how many.
    fn recover_interrupted(&self, now_ms: i64) -> Result<u64, SyncError>;
    /// Ids due for upload at `now_ms`, oldest first.
    fn due(&self, now_ms: i64, limit: u32) -> Result<Vec<String>, SyncError>;
    /// How many entries still wait for upload (due or not).
    fn waiting(&self) -> Result<u64, SyncError>;
    /// Marks `id` in flight and counts the attempt.
    fn mark_uploading(&self, id: &str, now_ms: i64) -> Result<(), SyncError>;
    /// The sealed submission.
    fn load(&self, id: &str) -> Result<Outgoing, SyncError>;
    /// Puts `id` back in the queue after a transient failure, due at `retry_at_ms`.
    fn mark_retry(
        &self,
        id: &str,
        error: &str,
        retry_at_ms: i64,
        now_ms: i64,
    ) -> Result<(), SyncError>;
    /// Records the platform's receipt (state `accepted` or `needs-action`).
    fn mark_delivered(&self, id: &str, receipt: &Receipt, now_ms: i64) -> Result<(), SyncError>;
    /// The platform refused the submission (4xx): it needs a person, with the platform's reason.
    fn mark_refused(&self, id: &str, reason: &PlatformReason, now_ms: i64)
    -> Result<(), SyncError>;
    /// Applies a status feed event; unknown ids and already-applied states are ignored.
    fn apply_status(&self, event: &StatusEvent, now_ms: i64) -> Result<(), SyncError>;
    /// The last status feed cursor stored.
    fn status_cursor(&self) -> Result<i64, SyncError>;
    /// Stores the status feed cursor.
    fn set_status_cursor(&self, cursor: i64) -> Result<(), SyncError>;
    /// The stored ETag of master dataset `name`.
    fn master_etag(&self, name: &str) -> Result<Option<String>, SyncError>;
    /// Stores a new version of master dataset `name`.
    fn store_master(&self, name: &str, etag: &str, body: &[u8]) -> Result<(), SyncError>;
}

macro_rules! forward_outbox {
    ($($ty:ty),*) => {$(
        impl<T: Outbox + ?Sized> Outbox for $ty {
            fn recover_interrupted(&self, now_ms: i64) -> Result<u64, SyncError> {
                (**self).recover_interrupted(now_ms)
            }
            fn due(&self, now_ms: i64, limit: u32) -> Result<Vec<String>, SyncError> {
                (**self).due(now_ms, limit)
            }
            fn waiting(&self) -> Result<u64, SyncError> {
                (**self).waiting()
            }
            fn mark_uploading(&self, id: &str, now_ms: i64) -> Result<(), SyncError> {
                (**self).mark_uploading(id, now_ms)
            }
            fn load(&self, id: &str) -> Result<Outgoing, SyncError> {
                (**self).load(id)
            }
            fn mark_retry(&self, id: &str, error: &str, retry_at_ms: i64, now_ms: i64) -> Result<(), SyncError> {
                (**self).mark_retry(id, error, retry_at_ms, now_ms)
            }
            fn mark_delivered(&self, id: &str, receipt: &Receipt, now_ms: i64) -> Result<(), SyncError> {
                (**self).mark_delivered(id, receipt, now_ms)
            }
            fn mark_refused(&self, id: &str, reason: &PlatformReason, now_ms: i64) -> Result<(), SyncError> {
                (**self).mark_refused(id, reason, now_ms)
            }
            fn apply_status(&self, event: &StatusEvent, now_ms: i64) -> Result<(), SyncError> {
                (**self).apply_status(event, now_ms)
            }
            fn status_cursor(&self) -> Result<i64, SyncError> {
                (**self).status_cursor()
            }
            fn set_status_cursor(&self, cursor: i64) -> Result<(), SyncError> {
                (**self).set_status_cursor(cursor)
            }
            fn master_etag(&self, name: &str) -> Result<Option<String>, SyncError> {
                (**self).master_etag(name)
            }
            fn store_master(&self, name: &str, etag: &str, body: &[u8]) -> Result<(), SyncError> {
                (**self).store_master(name, etag, body)
            }
        }
    )*};
}

forward_outbox!(&T, std::sync::Arc<T>);

/// Where an in-memory entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryState {
    /// Waiting; due at the time given.
    Queued(i64),
    /// In flight.
    Uploading,
    /// The platform holds it; last state reported.
    Delivered(String),
    /// Refused; the platform's reason.
    Refused(PlatformReason),
}

#[derive(Debug)]
struct Entry {
    outgoing: Outgoing,
    state: MemoryState,
    last_error: Option<String>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: BTreeMap<String, Entry>,
    cursor: i64,
    master: HashMap<String, (String, Vec<u8>)>,
}

/// An outbox in memory (tests, benchmarks).
#[derive(Debug, Default)]
pub struct MemoryOutbox(Mutex<Inner>);

impl MemoryOutbox {
    fn inner(&self) -> Result<std::sync::MutexGuard<'_, Inner>, SyncError> {
        self.0
            .lock()
            .map_err(|_| SyncError::Store("outbox lock poisoned".into()))
    }

    /// Queues `outgoing`, due now.
    pub fn push(&self, outgoing: Outgoing) -> Result<(), SyncError> {
        let id = outgoing.id.clone();
        self.inner()?.entries.insert(
            id,
            Entry {
                outgoing,
                state: MemoryState::Queued(i64::MIN),
                last_error: None,
            },
        );
        Ok(())
    }

    /// The state of every entry.
    pub fn states(&self) -> Result<BTreeMap<String, MemoryState>, SyncError> {
        Ok(self
            .inner()?
            .entries
            .iter()
            .map(|(k, e)| (k.clone(), e.state.clone()))
            .collect())
    }

    /// Upload attempts made for `id`.
    pub fn attempts(&self, id: &str) -> Result<u32, SyncError> {
        Ok(self
            .inner()?
            .entries
            .get(id)
            .map_or(0, |e| e.outgoing.attempts))
    }

    /// The last transient error of `id`.
    pub fn last_error(&self, id: &str) -> Result<Option<String>, SyncError> {
        Ok(self
            .inner()?
            .entries
            .get(id)
            .and_then(|e| e.last_error.clone()))
    }

    /// Stored master data `name`.
    pub fn master(&self, name: &str) -> Result<Option<Vec<u8>>, SyncError> {
        Ok(self.inner()?.master.get(name).map(|(_, b)| b.clone()))
    }

    fn with_entry<T>(&self, id: &str, f: impl FnOnce(&mut Entry) -> T) -> Result<T, SyncError> {
        let mut inner = self.inner()?;
        let entry = inner
            .entries
            .get_mut(id)
            .ok_or_else(|| SyncError::Store(format!("no outbox entry {id}")))?;
        Ok(f(entry))
    }
}

impl Outbox for MemoryOutbox {
    fn recover_interrupted(&self, now_ms: i64) -> Result<u64, SyncError> {
        let mut n = 0;
        for e in self.inner()?.entries.values_mut() {
            if e.state == MemoryState::Uploading {
                e.state = MemoryState::Queued(now_ms);
                n += 1;
            }
        }
        Ok(n)
    }

    fn due(&self, now_ms: i64, limit: u32) -> Result<Vec<String>, SyncError> {
        let inner = self.inner()?;
        let mut due: Vec<(i64, &String)> = inner
            .entries
            .iter()
            .filter_map(|(id, e)| match e.state {
                MemoryState::Queued(at) if at <= now_ms => Some((at, id)),
                _ => None,
            })
            .collect();
        due.sort();
        Ok(due
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|(_, id)| id.clone())
            .collect())
    }

    fn waiting(&self) -> Result<u64, SyncError> {
        Ok(self
            .inner()?
            .entries
            .values()
            .filter(|e| matches!(e.state, MemoryState::Queued(_) | MemoryState::Uploading))
            .count() as u64)
    }

    fn mark_uploading(&self, id: &str, _now_ms: i64) -> Result<(), SyncError> {
        self.with_entry(id, |e| {
            e.state = MemoryState::Uploading;
            e.outgoing.attempts += 1;
        })
    }

    fn load(&self, id: &str) -> Result<Outgoing, SyncError> {
        self.with_entry(id, |e| e.outgoing.clone())
    }

    fn mark_retry(
        &self,
        id: &str,
        error: &str,
        retry_at_ms: i64,
        _now_ms: i64,
    ) -> Result<(), SyncError> {
        self.with_entry(id, |e| {
            e.state = MemoryState::Queued(retry_at_ms);
            e.last_error = Some(error.to_owned());
        })
    }

    fn mark_delivered(&self, id: &str, receipt: &Receipt, _now_ms: i64) -> Result<(), SyncError> {
        self.with_entry(id, |e| {
            e.state = MemoryState::Delivered(receipt.state.clone())
        })
    }

    fn mark_refused(
        &self,
        id: &str,
        reason: &PlatformReason,
        _now_ms: i64,
    ) -> Result<(), SyncError> {
        self.with_entry(id, |e| e.state = MemoryState::Refused(reason.clone()))
    }

    fn apply_status(&self, event: &StatusEvent, _now_ms: i64) -> Result<(), SyncError> {
        if let Some(e) = self.inner()?.entries.get_mut(&event.application_id)
            && matches!(e.state, MemoryState::Delivered(_))
        {
            e.state = MemoryState::Delivered(event.state.clone());
        }
        Ok(())
    }

    fn status_cursor(&self) -> Result<i64, SyncError> {
        Ok(self.inner()?.cursor)
    }

    fn set_status_cursor(&self, cursor: i64) -> Result<(), SyncError> {
        self.inner()?.cursor = cursor;
        Ok(())
    }

    fn master_etag(&self, name: &str) -> Result<Option<String>, SyncError> {
        Ok(self.inner()?.master.get(name).map(|(e, _)| e.clone()))
    }

    fn store_master(&self, name: &str, etag: &str, body: &[u8]) -> Result<(), SyncError> {
        self.inner()?
            .master
            .insert(name.to_owned(), (etag.to_owned(), body.to_vec()));
        Ok(())
    }
}
