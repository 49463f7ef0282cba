//! The background sync worker of the kiosk app: probes the platform (`GET /api/v1/health`),
//! uploads when it is online and work is due, pulls the status feed and master data now and
//! then, posts heartbeats, and backs off (capped, with jitter) while the platform cannot be
//! reached. Every change of its figures goes to a callback (the app emits `sync-progress`).
//!
//! What a pass does and how long the worker pauses after it are decided by
//! `kiosk_sync::plan` ([`plan_pass`], [`pause`]); this module performs them.
//!
//! Only the worker runs sync rounds in the app: "sync now" asks it for a round instead of
//! running a second engine beside it (two engines would reset each other's uploads).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kiosk_sync::plan::{Pace, PassStep, PassView, pause, plan_pass};
use kiosk_sync::{
    Backoff, Credential, EngineConfig, Heartbeat, Outbox, PlatformClient, SyncEngine, SyncError,
    SyncProgress, Timeouts,
};
use tokio::sync::{Notify, mpsc, oneshot, watch};

use super::error::SyncApiError;
use super::round::record_outcome;
use super::round_lock::RoundLock;
use super::{
    StoreOutbox, SyncReport, SyncStatus, blocking, credential_file, credential_path, sync_status,
};
use crate::{Kiosk, Problem, SETTING_HALL_NAME};

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Pause between passes while online and idle.
    pub poll: Duration,
    /// How often the status feed and master data are pulled even without uploads.
    pub pull_every: Duration,
    /// How often a heartbeat is posted.
    pub heartbeat_every: Duration,
    /// Pause after failed passes (offline, refused credentials): capped, jittered.
    pub backoff: Backoff,
    /// HTTP timeouts.
    pub timeouts: Timeouts,
    /// Submissions uploaded at once.
    pub concurrency: usize,
}

impl WorkerConfig {
    /// The pace of the worker's plan.
    fn pace(&self) -> Pace {
        Pace {
            poll: self.poll,
            round_every: self.pull_every,
            heartbeat_every: self.heartbeat_every,
            backoff: self.backoff,
        }
    }
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(15),
            pull_every: Duration::from_secs(120),
            heartbeat_every: Duration::from_secs(60),
            backoff: Backoff {
                base: Duration::from_secs(2),
                cap: Duration::from_secs(300),
            },
            timeouts: Timeouts::default(),
            concurrency: 4,
        }
    }
}

type Reply = oneshot::Sender<Result<SyncReport, Problem>>;
type Notifier = Arc<dyn Fn(SyncStatus) + Send + Sync>;

/// The handle of the running worker, kept by the app.
pub struct SyncWorker {
    kiosk: Arc<Kiosk>,
    live: watch::Receiver<SyncProgress>,
    requests: mpsc::Sender<Reply>,
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
}

impl std::fmt::Debug for SyncWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncWorker")
            .field("live", &*self.live.borrow())
            .finish_non_exhaustive()
    }
}

impl SyncWorker {
    /// Creates the worker for `kiosk` and the future that runs it: spawn that on the app's
    /// tokio runtime. `notify` receives the status after every change.
    pub fn new(
        kiosk: Arc<Kiosk>,
        config: WorkerConfig,
        notify: impl Fn(SyncStatus) + Send + Sync + 'static,
    ) -> (Self, impl Future<Output = ()> + Send + 'static) {
        let (live_tx, live) = watch::channel(SyncProgress::default());
        let (requests, requests_rx) = mpsc::channel(8);
        let wake = Arc::new(Notify::new());
        let (stop, stop_rx) = watch::channel(false);
        let task = Loop {
            kiosk: Arc::clone(&kiosk),
            config,
            live: live_tx,
            notify: Arc::new(notify),
            last_notified: Mutex::new(None),
            credential: Mutex::new(None),
        }
        .run(requests_rx, Arc::clone(&wake), stop_rx);
        let worker = Self {
            kiosk,
            live,
            requests,
            wake,
            stop,
        };
        (worker, task)
    }

    /// The status: queue figures from the store plus the worker's live figures.
    pub fn status(&self) -> Result<SyncStatus, Problem> {
        let status = blocking(|| sync_status(&self.kiosk))?;
        Ok(with_live(status, &self.live.borrow()))
    }

    /// Asks the worker for a round now and waits for its report.
    pub async fn sync_now(&self) -> Result<SyncReport, Problem> {
        let (reply, answer) = oneshot::channel();
        self.requests.send(reply).await.map_err(|_| worker_gone())?;
        answer.await.map_err(|_| worker_gone())?
    }

    /// Makes the worker start its next pass now (e.g. after a submission or an enrolment).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Stops the worker after its current pass.
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

fn worker_gone() -> Problem {
    SyncApiError::WorkerStopped.into()
}

/// Overlays the worker's live figures on the stored status.
fn with_live(mut status: SyncStatus, live: &SyncProgress) -> SyncStatus {
    status.online = live.online;
    status.in_flight = live.in_flight;
    status.bytes_sent = live.bytes_sent;
    if live.last_success_at.is_some() {
        status.last_success_at = live.last_success_at;
    }
    status.last_error.clone_from(&live.last_error);
    status
}

/// The heartbeat figures of `kiosk` now.
pub(crate) fn heartbeat(kiosk: &Kiosk, now: i64) -> Result<Heartbeat, Problem> {
    let status = sync_status(kiosk)?;
    let stats = kiosk.store().stats(now)?;
    Ok(Heartbeat {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        hall: kiosk.store().setting(SETTING_HALL_NAME)?,
        queue_depth: status.waiting,
        oldest_unsent_age_s: stats
            .oldest_waiting_at
            .and_then(|at| u64::try_from((now - at).max(0) / 1000).ok()),
        disk_free_bytes: crate::disk::free_bytes(kiosk.data_dir()),
        last_sync_at: status.last_success_at,
        last_error: status.last_error,
        // The keyed audit chain's head: the platform keeps it as the log's anchor.
        audit_head: kiosk.store().audit_head()?.and_then(|h| {
            Some(kiosk_sync::AuditHead {
                seq: u64::try_from(h.seq).ok()?,
                mac: h.mac,
            })
        }),
    })
}

/// What one pass found.
enum Pass {
    /// Not enrolled: nothing to do until an administrator enrols the kiosk.
    NotEnrolled(Problem),
    /// The platform could not be reached, or refused the kiosk.
    Failed(Problem),
    /// Online; a round ran if anything was due.
    Online(Option<SyncReport>),
}

/// What the worker carries from one pass to the next.
struct PassState<'k> {
    /// The engine for the credential in use (kiosk id and platform URL).
    engine: Option<(String, SyncEngine<StoreOutbox<'k>>)>,
    /// Bytes sent by engines replaced since the worker started.
    bytes_base: u64,
    /// When the last round succeeded.
    last_round: Option<Instant>,
    /// When the last heartbeat was delivered.
    last_beat: Option<Instant>,
}

struct Loop {
    kiosk: Arc<Kiosk>,
    config: WorkerConfig,
    live: watch::Sender<SyncProgress>,
    notify: Notifier,
    last_notified: Mutex<Option<Instant>>,
    /// The credential as last unwrapped, with the stamp of its file then.
    credential: Mutex<Option<(Option<std::time::SystemTime>, Credential)>>,
}

impl Loop {
    /// The stored credential, unwrapped again only when its file changed.
    fn credential(&self) -> Result<Credential, Problem> {
        let path = credential_path(&self.kiosk);
        let stamp = credential_file::stamp(&path);
        if let Ok(cache) = self.credential.lock()
            && let Some((cached_stamp, credential)) = cache.as_ref()
            && stamp.is_some()
            && *cached_stamp == stamp
        {
            return Ok(credential.clone());
        }
        let credential = credential_file::load(&self.kiosk, &path)?;
        if let Ok(mut cache) = self.credential.lock() {
            *cache = Some((stamp, credential.clone()));
        }
        Ok(credential)
    }

    /// Sends the status to the callback; at most every 200 ms unless `force`.
    fn publish(&self, force: bool) {
        if let Ok(mut last) = self.last_notified.lock() {
            if !force && last.is_some_and(|t| t.elapsed() < Duration::from_millis(200)) {
                return;
            }
            *last = Some(Instant::now());
        }
        match blocking(|| sync_status(&self.kiosk)) {
            Ok(status) => (self.notify)(with_live(status, &self.live.borrow())),
            Err(problem) => log::warn!("sync status unavailable: {}", problem.code),
        }
    }

    async fn run(
        self,
        mut requests: mpsc::Receiver<Reply>,
        wake: Arc<Notify>,
        mut stop: watch::Receiver<bool>,
    ) {
        let kiosk = Arc::clone(&self.kiosk);
        let outbox = StoreOutbox::new(kiosk.store());
        let mut state = PassState {
            engine: None,
            bytes_base: 0,
            last_round: None,
            last_beat: None,
        };
        let mut failures = 0u32;
        let mut waiting: Vec<Reply> = Vec::new();
        loop {
            let forced = !waiting.is_empty();
            let pass = self.pass(outbox, &mut state, forced).await;
            let answer = match pass {
                Pass::NotEnrolled(problem) => {
                    failures = 0;
                    Err(problem)
                }
                Pass::Failed(problem) => {
                    failures = failures.saturating_add(1);
                    Err(problem)
                }
                Pass::Online(report) => {
                    failures = 0;
                    report.ok_or_else(|| SyncApiError::NothingRan.into())
                }
            };
            self.publish(true);
            for reply in waiting.drain(..) {
                let _ = reply.send(answer.clone());
            }
            let pause = pause(
                failures,
                kiosk_sync::backoff::random_jitter(),
                &self.config.pace(),
            );
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = wake.notified() => {}
                reply = requests.recv() => match reply {
                    Some(reply) => waiting.push(reply),
                    None => return,
                },
                _ = stop.changed() => {}
            }
            while let Ok(reply) = requests.try_recv() {
                waiting.push(reply);
            }
            if *stop.borrow() {
                return;
            }
        }
    }

    /// One pass: the steps [`plan_pass`] gives, performed in order; a failed probe or round
    /// ends it.
    async fn pass<'k>(
        &self,
        outbox: StoreOutbox<'k>,
        state: &mut PassState<'k>,
        forced: bool,
    ) -> Pass {
        let credential = self.credential();
        let now = Instant::now();
        let work_due = credential.is_ok()
            && blocking(|| outbox.due(crate::clock::now_ms(), 1))
                .map(|d| !d.is_empty())
                .unwrap_or(false);
        let view = PassView {
            enrolled: credential.is_ok(),
            forced,
            work_due,
            since_round: state.last_round.map(|t| now.duration_since(t)),
            since_heartbeat: state.last_beat.map(|t| now.duration_since(t)),
        };
        let steps = plan_pass(&view, &self.config.pace());
        let credential = match credential {
            Ok(c) => c,
            Err(e) => {
                self.live.send_modify(|p| p.online = false);
                return Pass::NotEnrolled(e);
            }
        };
        let identity = format!("{}|{}", credential.kiosk_id, credential.platform_url);
        if state.engine.as_ref().is_none_or(|(id, _)| *id != identity) {
            if let Some((_, old)) = state.engine.take() {
                state.bytes_base += old.progress().bytes_sent;
            }
            let client = match PlatformClient::new(credential, self.config.timeouts) {
                Ok(c) => c,
                Err(e) => return Pass::Failed(e.into()),
            };
            let config = EngineConfig {
                concurrency: self.config.concurrency,
                ..EngineConfig::default()
            };
            state.engine = Some((identity, SyncEngine::new(client, outbox, config)));
        }
        let Some((_, engine)) = state.engine.as_ref() else {
            return Pass::Failed(worker_gone());
        };
        let mut report = None;
        for step in steps {
            match step {
                PassStep::Probe => {
                    if let Err(e) = engine.client().health().await {
                        return self.failed(e);
                    }
                    self.live.send_modify(|p| p.online = true);
                }
                PassStep::Round => {
                    let round = self.round(engine, state.bytes_base).await;
                    if let Err(e) = super::enrolment::save_rotated_pin(&self.kiosk, engine.client())
                    {
                        log::warn!("saving the rotated platform key failed: {}", e.en);
                    }
                    match round {
                        Ok(r) => {
                            state.last_round = Some(now);
                            report = Some(r);
                        }
                        Err(e) => return self.failed(e),
                    }
                }
                PassStep::Heartbeat => {
                    let beat = blocking(|| heartbeat(&self.kiosk, crate::clock::now_ms()));
                    match beat {
                        Ok(beat) => match engine.client().heartbeat(&beat).await {
                            Ok(()) => state.last_beat = Some(now),
                            Err(e) => log::warn!("heartbeat not delivered: {e}"),
                        },
                        Err(problem) => log::warn!("heartbeat not built: {}", problem.code),
                    }
                }
            }
        }
        Pass::Online(report)
    }

    /// One engine round, forwarding its progress as it goes.
    async fn round(
        &self,
        engine: &SyncEngine<StoreOutbox<'_>>,
        bytes_base: u64,
    ) -> Result<SyncReport, SyncError> {
        // Not at the same time as a round of `kioskctl sync --once` on the same data.
        let _lock = RoundLock::acquire(self.kiosk.data_dir()).await?;
        let mut progress = engine.subscribe();
        let before = engine.progress().bytes_sent;
        let round = engine.run_once();
        tokio::pin!(round);
        let result = loop {
            tokio::select! {
                r = &mut round => break r,
                Ok(()) = progress.changed() => {
                    let p = progress.borrow_and_update().clone();
                    self.live.send_modify(|live| {
                        live.in_flight = p.in_flight;
                        live.bytes_sent = bytes_base + p.bytes_sent;
                    });
                    self.publish(false);
                }
            }
        };
        let p = engine.progress();
        let round = result?;
        let now = crate::clock::now_ms();
        self.live.send_modify(|live| {
            live.in_flight = 0;
            live.bytes_sent = bytes_base + p.bytes_sent;
            live.last_error.clone_from(&p.last_error);
            if p.last_error.is_none() {
                live.last_success_at = Some(now);
            }
        });
        if let Err(problem) = record_outcome(&self.kiosk, true, p.last_error.as_deref()) {
            log::warn!("sync outcome not recorded: {}", problem.code);
        }
        Ok(SyncReport {
            delivered: round.delivered,
            refused: round.refused,
            retried: round.retried,
            status_updates: round.status_events,
            master_updated: round.master_updated,
            bytes_sent: p.bytes_sent.saturating_sub(before),
            last_error: p.last_error,
        })
    }

    fn failed(&self, e: SyncError) -> Pass {
        let message = e.to_string();
        let online = !matches!(e, SyncError::Transient(_));
        self.live.send_modify(|p| {
            p.online = online;
            p.in_flight = 0;
            p.last_error = Some(message.clone());
        });
        if let Err(problem) = record_outcome(&self.kiosk, online, Some(&message)) {
            log::warn!("sync outcome not recorded: {}", problem.code);
        }
        Pass::Failed(e.into())
    }
}
