//! The one scheduler of the app. It starts the sync worker (uploads, status feed, master data,
//! heartbeat: see [`SyncWorker`]) and runs the housekeeping jobs on their timers:
//! the daily retention purge and the expiry of abandoned drafts. Nothing else in the app
//! runs background work. `kioskctl housekeeping <job>` runs one job once, through the same
//! [`run_job`].
//!
//! The clock is passed in, so a test can move it by days without waiting.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use kiosk_core::Problem;
use serde::Serialize;
use tokio::sync::watch;
use ts_rs::TS;

use crate::Kiosk;
use crate::retention::{self, DRAFT_MAX_AGE_MS, PurgeSummary};
use crate::sync::{SyncStatus, SyncWorker, WorkerConfig};

mod error;

pub use error::SchedulerError;

/// A housekeeping job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The retention purge, at most once a day (see [`retention::purge_if_due`]).
    RetentionPurge,
    /// Deletes drafts untouched for [`DRAFT_MAX_AGE_MS`].
    DraftExpiry,
}

impl Job {
    /// Every housekeeping job.
    pub const ALL: [Job; 2] = [Job::RetentionPurge, Job::DraftExpiry];

    /// The job's name on the command line and in the log.
    pub fn name(self) -> &'static str {
        match self {
            Job::RetentionPurge => "purge",
            Job::DraftExpiry => "drafts",
        }
    }

    /// The job called `name`.
    pub fn parse(name: &str) -> Result<Job, Problem> {
        Job::ALL
            .into_iter()
            .find(|j| j.name() == name)
            .ok_or_else(|| SchedulerError::JobUnknown(name.to_owned()).into())
    }
}

/// What one run of a job did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobOutcome {
    /// The retention purge's figures, when it ran (it runs at most once a day).
    #[ts(optional)]
    pub purged: Option<PurgeSummary>,
    /// Drafts deleted because they were abandoned.
    #[ts(type = "number")]
    pub drafts_expired: u64,
}

/// Runs `job` once at `now`.
pub fn run_job(kiosk: &Kiosk, job: Job, now: i64) -> Result<JobOutcome, Problem> {
    Ok(match job {
        Job::RetentionPurge => JobOutcome {
            purged: retention::purge_if_due(kiosk, now)?,
            drafts_expired: 0,
        },
        Job::DraftExpiry => JobOutcome {
            purged: None,
            drafts_expired: crate::submit::expire_drafts(kiosk, DRAFT_MAX_AGE_MS, now)?,
        },
    })
}

/// How often each housekeeping job is looked at.
#[derive(Debug, Clone)]
pub struct Timers {
    /// How often the purge asks whether a day has passed since the last one.
    pub purge: Duration,
    /// How often abandoned drafts are looked for.
    pub drafts: Duration,
}

impl Default for Timers {
    fn default() -> Self {
        Self {
            purge: Duration::from_secs(10 * 60),
            drafts: Duration::from_secs(60),
        }
    }
}

impl Timers {
    fn every(&self, job: Job) -> Duration {
        match job {
            Job::RetentionPurge => self.purge,
            Job::DraftExpiry => self.drafts,
        }
    }
}

/// The wall clock as the scheduler reads it (Unix ms).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(crate::clock::now_ms)
}

/// The running scheduler, kept by the app.
#[derive(Debug)]
pub struct Scheduler {
    sync: SyncWorker,
    stop: watch::Sender<bool>,
}

impl Scheduler {
    /// Creates the scheduler for `kiosk` and the future that runs all of its work: spawn that
    /// on the app's tokio runtime. `notify` receives the sync status after every change.
    pub fn new(
        kiosk: Arc<Kiosk>,
        sync: WorkerConfig,
        timers: Timers,
        clock: Clock,
        notify: impl Fn(SyncStatus) + Send + Sync + 'static,
    ) -> (Self, impl Future<Output = ()> + Send + 'static) {
        let (worker, sync_task) = SyncWorker::new(Arc::clone(&kiosk), sync, notify);
        let (stop, stop_rx) = watch::channel(false);
        let housekeeping = housekeeping(kiosk, timers, clock, stop_rx);
        let task = async move {
            tokio::join!(sync_task, housekeeping);
        };
        (Self { sync: worker, stop }, task)
    }

    /// The sync worker (status, "sync now", wake after a submission).
    pub fn sync(&self) -> &SyncWorker {
        &self.sync
    }

    /// Stops every job after its current run.
    pub fn stop(&self) {
        self.sync.stop();
        let _ = self.stop.send(true);
    }
}

/// Runs each housekeeping job on its timer until `stop` turns true. A failed run is logged
/// (by code only) and tried again at the next tick.
async fn housekeeping(
    kiosk: Arc<Kiosk>,
    timers: Timers,
    clock: Clock,
    stop: watch::Receiver<bool>,
) {
    let jobs = Job::ALL.map(|job| {
        let kiosk = Arc::clone(&kiosk);
        let clock = Arc::clone(&clock);
        let every = timers.every(job);
        let mut stop = stop.clone();
        async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stop.wait_for(|stopped| *stopped) => return,
                }
                let kiosk = Arc::clone(&kiosk);
                let now = clock();
                let run = tokio::task::spawn_blocking(move || run_job(&kiosk, job, now)).await;
                match run {
                    Ok(Ok(outcome)) => report(job, &outcome),
                    Ok(Err(problem)) => {
                        log::warn!("housekeeping {} failed: {}", job.name(), problem.code);
                    }
                    Err(e) => log::warn!("housekeeping {} did not finish: {e}", job.name()),
                }
            }
        }
    });
    let [purge, drafts] = jobs;
    tokio::join!(purge, drafts);
}

fn report(job: Job, outcome: &JobOutcome) {
    if let Some(p) = &outcome.purged {
        log::info!(
            "housekeeping {}: {} applications, {} bytes, {} drafts",
            job.name(),
            p.applications,
            p.bytes,
            p.drafts
        );
    }
    if outcome.drafts_expired > 0 {
        log::info!(
            "housekeeping {}: {} abandoned drafts deleted",
            job.name(),
            outcome.drafts_expired
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use super::*;
    use crate::submit::{DraftData, load_draft, save_draft};
    use crate::test_support::NOW;

    const DAY_MS: i64 = 24 * 60 * 60 * 1000;

    fn quick() -> Timers {
        Timers {
            purge: Duration::from_millis(20),
            drafts: Duration::from_millis(20),
        }
    }

    #[test]
    fn jobs_have_names_and_unknown_ones_are_refused() {
        for job in Job::ALL {
            assert_eq!(Job::parse(job.name()).unwrap(), job);
        }
        assert_eq!(
            Job::parse("everything").unwrap_err().code,
            "HOUSEKEEPING_JOB_UNKNOWN"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn purge_and_draft_expiry_run_by_themselves_when_the_clock_moves() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Arc::new(Kiosk::open(dir.path()).unwrap());
        let draft = DraftData {
            id: None,
            profile: "tianjin".into(),
            kind: "legal-entity".into(),
            application: serde_json::json!({ "partial": true }),
        };
        let id = save_draft(&kiosk, draft, NOW).unwrap();
        let now = Arc::new(AtomicI64::new(NOW));
        let clock: Clock = {
            let now = Arc::clone(&now);
            Arc::new(move || now.load(Ordering::SeqCst))
        };
        let (scheduler, task) = Scheduler::new(
            Arc::clone(&kiosk),
            WorkerConfig::default(),
            quick(),
            clock,
            |_| {},
        );
        let running = tokio::spawn(task);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(load_draft(&kiosk, &id).is_ok(), "a fresh draft stays");
        let first_purge = kiosk
            .store()
            .setting(kiosk_store::settings::LAST_PURGE_AT)
            .unwrap();
        assert_eq!(
            first_purge,
            Some(NOW.to_string()),
            "the first purge ran at start"
        );

        // Two days later, nobody touching anything.
        now.store(NOW + 2 * DAY_MS, Ordering::SeqCst);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let purged = kiosk
                .store()
                .setting(kiosk_store::settings::LAST_PURGE_AT)
                .unwrap();
            let draft_gone = load_draft(&kiosk, &id).is_err();
            if purged == Some((NOW + 2 * DAY_MS).to_string()) && draft_gone {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the purge and the draft expiry did not run by themselves"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        scheduler.stop();
        tokio::time::timeout(Duration::from_secs(10), running)
            .await
            .expect("the scheduler stops when told")
            .unwrap();
    }
}
