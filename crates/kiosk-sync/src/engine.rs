//! The sync round's executor: performs the steps [`crate::plan`] decides (recover, upload,
//! read the status feed, refresh master data), records their outcomes in the outbox and the
//! progress figures, and asks the plan again until the round is over.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use serde::Serialize;
use tokio::sync::watch;

use crate::backoff::{Backoff, random_jitter};
use crate::client::{MasterFetch, PlatformClient, Receipt};
use crate::outbox::{Outbox, Outgoing};
use crate::plan::{self, AfterFailure, Feed, RoundLimits, RoundView, Settlement, Step, UploadStep};
use crate::{SyncError, now_ms};
use kiosk_core::problem::UserFacing;

/// The master datasets a round refreshes: the lists the kiosk reads (the wizard's pickers,
/// `kiosk_api::master`), no more.
pub fn master_datasets() -> impl Iterator<Item = &'static str> {
    kiosk_core::reference::list_names()
}

/// A failure as staff read it on the queue and sync screens: the Chinese message, then the
/// English one (both say what to do; the technical detail goes to the log).
fn shown(e: &SyncError) -> String {
    log::info!("sync: {e}");
    format!("{} / {}", e.zh(), e.en())
}

/// How the engine behaves.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Submissions in flight at once.
    pub concurrency: usize,
    /// Retry delays.
    pub backoff: Backoff,
    /// Outbox entries uploaded per batch.
    pub batch: u32,
    /// Whether a round pulls master data too.
    pub pull_master: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            concurrency: 4,
            backoff: Backoff::default(),
            batch: 64,
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

/// Where a round is, as the plan is asked about it.
struct RoundState {
    recovered: bool,
    /// Whether the queue may still hold entries due this round.
    queue_open: bool,
    feed: Feed,
    master: Vec<(String, Option<String>)>,
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
    /// pull the status feed and master data, as [`plan::plan_round`] decides step by step.
    pub async fn run_once(&self) -> Result<RoundReport, SyncError> {
        let mut report = RoundReport::default();
        // Each round reports its own failures.
        self.update(|p| p.last_error = None);
        let limits = RoundLimits {
            batch: self.config.batch,
        };
        let mut state = RoundState {
            recovered: false,
            queue_open: true,
            feed: Feed::From(0),
            master: Vec::new(),
        };
        loop {
            let due = if state.recovered && state.queue_open {
                self.outbox.due(now_ms(), self.config.batch)?
            } else {
                Vec::new()
            };
            if state.recovered && due.is_empty() && state.queue_open {
                // The queue is done for this round: read the feed and master data next.
                state.queue_open = false;
                state.feed = Feed::From(self.outbox.status_cursor()?);
                if self.config.pull_master {
                    state.master = master_datasets()
                        .map(|name| Ok((name.to_owned(), self.outbox.master_etag(name)?)))
                        .collect::<Result<_, SyncError>>()?;
                }
            }
            let view = RoundView {
                recovered: state.recovered,
                due: &due,
                feed: state.feed,
                master: &state.master,
            };
            let steps = plan::plan_round(&view, limits);
            if steps.is_empty() {
                break;
            }
            self.perform(steps, &mut state, &mut report).await?;
        }
        self.update(|p| p.queued = self.outbox.waiting().unwrap_or(p.queued));
        Ok(report)
    }

    /// Performs one plan of a round.
    async fn perform(
        &self,
        steps: Vec<Step>,
        state: &mut RoundState,
        report: &mut RoundReport,
    ) -> Result<(), SyncError> {
        let uploads: Vec<String> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Upload { id } => Some(id.clone()),
                _ => None,
            })
            .collect();
        if !uploads.is_empty() {
            self.update(|p| p.queued = self.outbox.waiting().unwrap_or(p.queued));
            let settled: Vec<Result<Settlement, SyncError>> = futures::stream::iter(uploads)
                .map(|id| async move { self.deliver(&id).await })
                .buffer_unordered(self.config.concurrency.max(1))
                .collect()
                .await;
            for settlement in settled {
                match settlement? {
                    Settlement::Delivered(_) => report.delivered += 1,
                    Settlement::GiveUp(_) => report.refused += 1,
                    Settlement::RetryAt { .. } => report.retried += 1,
                }
            }
        }
        for step in steps {
            if matches!(step, Step::PullMaster { .. }) {
                // Master datasets are refreshed once a round, whatever becomes of them.
                state.master.clear();
            }
            let result = match &step {
                Step::Upload { .. } => continue,
                Step::RecoverInterrupted => {
                    self.outbox.recover_interrupted(now_ms())?;
                    state.recovered = true;
                    continue;
                }
                Step::PollFeed { after, limit } => {
                    self.poll_feed(*after, *limit, state, report).await
                }
                Step::PullMaster { name, etag } => {
                    self.pull_master(name, etag.as_deref(), report).await
                }
            };
            if let Err(e) = result {
                match plan::on_failure(&step, &e) {
                    AfterFailure::Abort => return Err(e),
                    AfterFailure::Skip => continue,
                    AfterFailure::NoteAndEndPhase => {
                        self.note_failure(&e);
                        if matches!(step, Step::PollFeed { .. }) {
                            state.feed = Feed::Done;
                        }
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    fn note_failure(&self, e: &SyncError) {
        let message = shown(e);
        let online = !matches!(e, SyncError::Transient(_));
        self.update(|p| {
            p.online = online;
            p.last_error = Some(message);
        });
    }

    /// Uploads `id` and records what [`plan::settle`] makes of the outcome.
    async fn deliver(&self, id: &str) -> Result<Settlement, SyncError> {
        self.outbox.mark_uploading(id, now_ms())?;
        let item = self.outbox.load(id)?;
        self.update(|p| p.in_flight += 1);
        let result = self.upload(&item).await;
        self.update(|p| p.in_flight = p.in_flight.saturating_sub(1));
        let now = now_ms();
        let settlement = plan::settle(
            result,
            item.attempts,
            &self.config.backoff,
            random_jitter(),
            now,
        );
        match &settlement {
            Settlement::Delivered(receipt) => {
                self.outbox.mark_delivered(id, receipt, now)?;
                self.update(|p| {
                    p.online = true;
                    p.delivered += 1;
                    p.last_success_at = Some(now);
                    p.last_error = None;
                });
            }
            Settlement::GiveUp(reason) => {
                self.outbox.mark_refused(id, reason, now)?;
                log::warn!("submission {id} refused: {}", reason.code);
                self.update(|p| {
                    p.online = true;
                    p.refused += 1;
                });
            }
            Settlement::RetryAt { at_ms, error } => {
                self.outbox.mark_retry(id, &shown(error), *at_ms, now)?;
                self.note_failure(error);
                self.update(|p| p.retries += 1);
            }
        }
        Ok(settlement)
    }

    /// Performs the steps of [`plan::plan_upload`]: the attachments, then the submission.
    async fn upload(&self, item: &Outgoing) -> Result<Receipt, SyncError> {
        let counter = Arc::clone(&self.bytes_sent);
        let sent = move |n: u64| {
            counter.fetch_add(n, Ordering::Relaxed);
        };
        let refs: Vec<_> = item
            .attachments
            .iter()
            .map(|a| a.reference.clone())
            .collect();
        for step in plan::plan_upload(item) {
            match step {
                UploadStep::SendBlob { attachment, start } => {
                    let Some(a) = item.attachments.get(attachment) else {
                        continue;
                    };
                    self.client
                        .ensure_blob(&a.reference.sha256, &a.sealed, start, &sent)
                        .await?;
                }
                UploadStep::Submit => {
                    let receipt = self
                        .client
                        .submit(&item.id, &item.sealed_payload, &refs)
                        .await?;
                    sent(u64::try_from(item.sealed_payload.len()).unwrap_or(0));
                    return Ok(receipt);
                }
            }
        }
        Err(SyncError::Store(format!("no submit step for {}", item.id)))
    }

    /// One page of the status feed after `after`, applied; the feed is done when it is empty.
    async fn poll_feed(
        &self,
        after: i64,
        limit: u32,
        state: &mut RoundState,
        report: &mut RoundReport,
    ) -> Result<(), SyncError> {
        let page = self.client.status(after, limit).await?;
        if page.events.is_empty() {
            state.feed = Feed::Done;
            return Ok(());
        }
        for event in &page.events {
            self.outbox.apply_status(event, now_ms())?;
            report.status_events += 1;
        }
        self.outbox.set_status_cursor(page.next_cursor)?;
        state.feed = Feed::From(page.next_cursor);
        Ok(())
    }

    /// Master dataset `name`, stored when it changed since `etag`.
    async fn pull_master(
        &self,
        name: &str,
        etag: Option<&str>,
        report: &mut RoundReport,
    ) -> Result<(), SyncError> {
        if let MasterFetch::Changed { etag, body } = self.client.master(name, etag).await? {
            self.outbox.store_master(name, &etag, &body)?;
            report.master_updated += 1;
        }
        Ok(())
    }
}
