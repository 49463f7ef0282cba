//! The sync engine: drains the outbox to the platform and pulls verdicts and master data.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;
use tokio::sync::watch;

use crate::backoff::{Backoff, random_jitter};
use crate::client::{BlobStart, MasterFetch, PlatformClient};
use crate::outbox::{Outbox, Outgoing};
use crate::{SyncError, now_ms};

/// Master datasets the kiosk keeps.
pub const MASTER_DATASETS: [&str; 9] = [
    "platform-key",
    "supervising-departments",
    "legal-entity-natures",
    "industries",
    "units",
    "ethnic-groups",
    "divisions",
    "profiles",
    "templates",
];

/// How the engine behaves.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Submissions in flight at once.
    pub concurrency: usize,
    /// Retry delays.
    pub backoff: Backoff,
    /// Outbox entries taken per round.
    pub batch: u32,
    /// Pause between rounds when idle (the background worker).
    pub idle_poll: Duration,
    /// Whether a round pulls master data too.
    pub pull_master: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            concurrency: 4,
            backoff: Backoff::default(),
            batch: 64,
            idle_poll: Duration::from_secs(30),
            pull_master: true,
        }
    }
}

/// Progress for the UI and `kioskctl sync status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// Whether the last contact with the platform worked.
    pub online: bool,
    /// Entries waiting for upload.
    pub queued: u64,
    /// Submissions in flight now.
    pub in_flight: u64,
    /// Sealed bytes confirmed by the platform since start.
    pub bytes_sent: u64,
    /// Submissions delivered since start.
    pub delivered: u64,
    /// Submissions refused since start.
    pub refused: u64,
    /// Transient failures since start.
    pub retries: u64,
    /// Last delivery, Unix ms.
    pub last_success_at: Option<i64>,
    /// Last error, if the last attempt failed.
    pub last_error: Option<String>,
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundReport {
    /// Delivered (accepted or needs-action on receipt).
    pub delivered: u64,
    /// Refused with a reason.
    pub refused: u64,
    /// Scheduled for retry.
    pub retried: u64,
    /// Status events applied.
    pub status_events: u64,
    /// Master datasets updated.
    pub master_updated: u64,
}

enum Outcome {
    Delivered,
    Refused,
    Retried,
}

/// The engine: one per kiosk.
pub struct SyncEngine<O: Outbox> {
    client: PlatformClient,
    outbox: O,
    config: EngineConfig,
    progress: watch::Sender<SyncProgress>,
    bytes_sent: Arc<AtomicU64>,
}

impl<O: Outbox> std::fmt::Debug for SyncEngine<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncEngine")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<O: Outbox> SyncEngine<O> {
    /// An engine over `outbox` (owned, `&T` or `Arc<T>`) talking through `client`.
    pub fn new(client: PlatformClient, outbox: O, config: EngineConfig) -> Self {
        Self {
            client,
            outbox,
            config,
            progress: watch::channel(SyncProgress::default()).0,
            bytes_sent: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The platform client in use.
    pub fn client(&self) -> &PlatformClient {
        &self.client
    }

    /// A receiver of progress updates.
    pub fn subscribe(&self) -> watch::Receiver<SyncProgress> {
        self.progress.subscribe()
    }

    /// The current progress.
    pub fn progress(&self) -> SyncProgress {
        self.progress.borrow().clone()
    }

    fn update(&self, f: impl FnOnce(&mut SyncProgress)) {
        self.progress.send_modify(|p| {
            f(p);
            p.bytes_sent = self.bytes_sent.load(Ordering::Relaxed);
        });
    }

    /// One round: recover interrupted uploads, deliver everything due (concurrently), then
    /// pull the status feed and master data.
    pub async fn run_once(&self) -> Result<RoundReport, SyncError> {
        let mut report = RoundReport::default();
        // Each round reports its own failures.
        self.update(|p| p.last_error = None);
        self.outbox.recover_interrupted(now_ms())?;
        loop {
            let due = self.outbox.due(now_ms(), self.config.batch)?;
            if due.is_empty() {
                break;
            }
            self.update(|p| p.queued = self.outbox.waiting().unwrap_or(p.queued));
            let outcomes: Vec<Result<Outcome, SyncError>> = futures::stream::iter(due)
                .map(|id| async move { self.deliver(&id).await })
                .buffer_unordered(self.config.concurrency.max(1))
                .collect()
                .await;
            for outcome in outcomes {
                match outcome? {
                    Outcome::Delivered => report.delivered += 1,
                    Outcome::Refused => report.refused += 1,
                    Outcome::Retried => report.retried += 1,
                }
            }
        }
        match self.pull_status().await {
            Ok(n) => report.status_events = n,
            Err(e) if e.is_retryable() => self.note_failure(&e),
            Err(e) => return Err(e),
        }
        if self.config.pull_master {
            match self.pull_master().await {
                Ok(n) => report.master_updated = n,
                Err(e) if e.is_retryable() => self.note_failure(&e),
                Err(e) => return Err(e),
            }
        }
        self.update(|p| p.queued = self.outbox.waiting().unwrap_or(p.queued));
        Ok(report)
    }

    /// Rounds until the outbox holds nothing waiting (sleeping until retries fall due), or
    /// until `deadline` passes. Returns the summed report.
    pub async fn drain(&self, deadline: Duration) -> Result<RoundReport, SyncError> {
        let stop = tokio::time::Instant::now() + deadline;
        let mut total = RoundReport::default();
        loop {
            let r = self.run_once().await?;
            total.delivered += r.delivered;
            total.refused += r.refused;
            total.retried += r.retried;
            total.status_events += r.status_events;
            total.master_updated += r.master_updated;
            if self.outbox.waiting()? == 0 || tokio::time::Instant::now() >= stop {
                return Ok(total);
            }
            tokio::time::sleep(self.config.backoff.base.min(Duration::from_millis(500))).await;
        }
    }

    /// The background worker: rounds forever, pausing `idle_poll` between them, until
    /// `shutdown` turns true.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.run_once().await {
                log::warn!("sync round failed: {e}");
                self.note_failure(&e);
            }
            let pause = if self.outbox.waiting().unwrap_or(0) > 0 {
                self.config.backoff.base
            } else {
                self.config.idle_poll
            };
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }

    fn note_failure(&self, e: &SyncError) {
        let message = e.to_string();
        let online = !matches!(e, SyncError::Transient(_));
        self.update(|p| {
            p.online = online;
            p.last_error = Some(message);
        });
    }

    async fn deliver(&self, id: &str) -> Result<Outcome, SyncError> {
        self.outbox.mark_uploading(id, now_ms())?;
        let item = self.outbox.load(id)?;
        self.update(|p| p.in_flight += 1);
        let result = self.upload(&item).await;
        self.update(|p| p.in_flight = p.in_flight.saturating_sub(1));
        let now = now_ms();
        match result {
            Ok(receipt) => {
                self.outbox.mark_delivered(id, &receipt, now)?;
                self.update(|p| {
                    p.online = true;
                    p.delivered += 1;
                    p.last_success_at = Some(now);
                    p.last_error = None;
                });
                Ok(Outcome::Delivered)
            }
            Err(SyncError::Refused(reason)) => {
                self.outbox.mark_refused(id, &reason, now)?;
                log::warn!("submission {id} refused: {}", reason.code);
                self.update(|p| {
                    p.online = true;
                    p.refused += 1;
                });
                Ok(Outcome::Refused)
            }
            Err(e) => {
                let delay = self
                    .config
                    .backoff
                    .delay(item.attempts.max(1), random_jitter());
                let retry_at = now + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
                self.outbox.mark_retry(id, &e.to_string(), retry_at, now)?;
                self.note_failure(&e);
                self.update(|p| p.retries += 1);
                Ok(Outcome::Retried)
            }
        }
    }

    async fn upload(&self, item: &Outgoing) -> Result<crate::client::Receipt, SyncError> {
        let counter = Arc::clone(&self.bytes_sent);
        let sent = move |n: u64| {
            counter.fetch_add(n, Ordering::Relaxed);
        };
        let start = if item.attempts > 1 {
            BlobStart::Resume
        } else {
            BlobStart::FromZero
        };
        for attachment in &item.attachments {
            self.client
                .ensure_blob(
                    &attachment.reference.sha256,
                    &attachment.sealed,
                    start,
                    &sent,
                )
                .await?;
        }
        let refs: Vec<_> = item
            .attachments
            .iter()
            .map(|a| a.reference.clone())
            .collect();
        let receipt = self
            .client
            .submit(&item.id, &item.sealed_payload, &refs)
            .await?;
        sent(u64::try_from(item.sealed_payload.len()).unwrap_or(0));
        Ok(receipt)
    }

    /// Pulls the status feed to its end, applying each event. Returns how many were applied.
    pub async fn pull_status(&self) -> Result<u64, SyncError> {
        let mut cursor = self.outbox.status_cursor()?;
        let mut applied = 0;
        loop {
            let page = self.client.status(cursor, 200).await?;
            if page.events.is_empty() {
                return Ok(applied);
            }
            for event in &page.events {
                self.outbox.apply_status(event, now_ms())?;
                applied += 1;
            }
            cursor = page.next_cursor;
            self.outbox.set_status_cursor(cursor)?;
        }
    }

    /// Refreshes master data with conditional requests. Returns how many datasets changed.
    pub async fn pull_master(&self) -> Result<u64, SyncError> {
        let mut changed = 0;
        for name in MASTER_DATASETS {
            let etag = self.outbox.master_etag(name)?;
            let fetched = match self.client.master(name, etag.as_deref()).await {
                // An older platform that does not serve this dataset: the kiosk keeps its
                // shipped copy, and the rest of the round goes on.
                Err(SyncError::Refused(reason)) if reason.code == "DATASET_UNKNOWN" => continue,
                other => other?,
            };
            if let MasterFetch::Changed { etag, body } = fetched {
                self.outbox.store_master(name, &etag, &body)?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}
