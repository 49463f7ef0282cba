//! The sync engine's decisions as a pure plan: from what the kiosk knows now (the outbox's
//! snapshot, the status cursor and master ETags, the platform's last answer, the time and the
//! back-off state, all passed in) to an ordered list of steps. No I/O and no clock here: the
//! executors ([`crate::engine::SyncEngine`] for a round, the app's background worker for its
//! passes) perform the steps, record what happened, and ask again.
//!
//! Three planners, one per level:
//! - [`plan_round`]: what a sync round does next (recover, upload the due batch, read the
//!   status feed from its cursor, refresh master data), asked again after every phase;
//! - [`plan_upload`] and [`blob_chunks`]: how one submission goes up (each attachment from byte 0
//!   or resumed at the platform's offset, then the submission), and [`settle`]: what its
//!   outcome means for the queue (delivered, give up and wait for a person, or retry at a
//!   backed-off time); [`on_failure`] says whether a failed round step ends the round;
//! - [`plan_pass`] and [`pause`]: the background worker's pass (probe, round, heartbeat) and
//!   its pause after it (poll, or back off while the platform cannot be reached).
//!
//! It lives in kiosk-sync, not kiosk-core: its words are the wire protocol's (blob offsets,
//! feed cursors, ETags, the platform's error classes in [`SyncError`]), which kiosk-core does
//! not know; it may import only kiosk-sync's plain data types, never its client.

use std::ops::Range;
use std::time::Duration;

use crate::backoff::Backoff;
use crate::client::{BlobStart, Receipt};
use crate::error::{PlatformReason, SyncError};
use crate::outbox::Outgoing;

/// Status feed events asked for per page.
pub const FEED_PAGE: u32 = 200;

/// The code with which a platform says it does not serve a master dataset.
pub const DATASET_UNKNOWN: &str = "DATASET_UNKNOWN";

/// One thing a sync round's executor does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Put entries a crash left "in flight" back into the queue, due now.
    RecoverInterrupted,
    /// Mark `id` in flight, upload it as [`plan_upload`] says and [`settle`] its outcome.
    /// The uploads of one plan may run concurrently.
    Upload {
        /// Application id (the idempotency key).
        id: String,
    },
    /// Fetch the status feed page after `after` and apply its events.
    PollFeed {
        /// Cursor of the last event applied.
        after: i64,
        /// Page size.
        limit: u32,
    },
    /// Fetch master dataset `name`, conditional on its stored ETag.
    PullMaster {
        /// Dataset name.
        name: String,
        /// The stored ETag, if any.
        etag: Option<String>,
    },
}

/// One thing the upload of a submission does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadStep {
    /// Send attachment number `attachment` (its sealed blob), in the chunks [`blob_chunks`]
    /// gives.
    SendBlob {
        /// Index into the submission's attachments.
        attachment: usize,
        /// From byte 0, or resumed at the offset the platform reports.
        start: BlobStart,
    },
    /// Post the submission (its attachments are on the platform).
    Submit,
}

/// What the outcome of an upload means for the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Record the platform's receipt (accepted or needs-action).
    Delivered(Receipt),
    /// Give up: the platform refused it on its content and would refuse it again; it waits
    /// for a person with the platform's reason.
    GiveUp(PlatformReason),
    /// Back off: put it back in the queue, due at `at_ms`.
    RetryAt {
        /// When it is due again, Unix ms.
        at_ms: i64,
        /// What went wrong.
        error: SyncError,
    },
}

/// How far a round has got with the status feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// More may wait after this cursor.
    From(i64),
    /// Read to its end this round (or given up on after a transient failure).
    Done,
}

/// What a round knows when it asks for its next steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundView<'a> {
    /// Whether entries left in flight were put back into the queue this round.
    pub recovered: bool,
    /// Entries due now, oldest first, as the outbox lists them (empty once the queue has
    /// nothing due this round).
    pub due: &'a [String],
    /// The status feed.
    pub feed: Feed,
    /// Master datasets still to refresh this round, with their stored ETags (empty when done,
    /// given up on, or not wanted).
    pub master: &'a [(String, Option<String>)],
}

/// Limits of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundLimits {
    /// Uploads planned at once.
    pub batch: u32,
}

/// The next steps of a round, in order; empty when the round is over. Phases: recover
/// interrupted uploads, upload everything due (batch by batch), read the status feed to its
/// end, refresh master data.
pub fn plan_round(view: &RoundView<'_>, limits: RoundLimits) -> Vec<Step> {
    if !view.recovered {
        return vec![Step::RecoverInterrupted];
    }
    if !view.due.is_empty() {
        let batch = usize::try_from(limits.batch.max(1)).unwrap_or(usize::MAX);
        return view
            .due
            .iter()
            .take(batch)
            .map(|id| Step::Upload { id: id.clone() })
            .collect();
    }
    if let Feed::From(after) = view.feed {
        return vec![Step::PollFeed {
            after,
            limit: FEED_PAGE,
        }];
    }
    view.master
        .iter()
        .map(|(name, etag)| Step::PullMaster {
            name: name.clone(),
            etag: etag.clone(),
        })
        .collect()
}

/// How `item` goes up: every attachment (the first attempt sends from byte 0, skipping the
/// round trip that asks what the platform holds; a retry asks and resumes), then the
/// submission. `item.attempts` counts the attempt being made.
pub fn plan_upload(item: &Outgoing) -> Vec<UploadStep> {
    let start = if item.attempts > 1 {
        BlobStart::Resume
    } else {
        BlobStart::FromZero
    };
    (0..item.attachments.len())
        .map(|attachment| UploadStep::SendBlob { attachment, start })
        .chain(std::iter::once(UploadStep::Submit))
        .collect()
}

/// The byte ranges of a blob of `total` bytes still to send, `chunk` bytes each, when the
/// platform holds `held` bytes of it (`None`: all of it). An offset the platform cannot
/// honestly hold (at or past the end) starts again from byte 0.
pub fn blob_chunks(held: Option<u64>, total: usize, chunk: usize) -> Vec<Range<usize>> {
    let Some(held) = held else {
        return Vec::new();
    };
    let mut start = usize::try_from(held)
        .ok()
        .filter(|&o| o < total)
        .unwrap_or(0);
    let chunk = chunk.max(1);
    let mut ranges = Vec::new();
    while start < total {
        let end = start.saturating_add(chunk).min(total);
        ranges.push(start..end);
        start = end;
    }
    ranges
}

/// What the outcome of an upload means for the queue: delivered on a receipt, give up on a
/// refusal, else retry after `backoff`'s delay for attempt `attempts` (1-based, the attempt
/// that failed) with `jitter` in `[0, 1)`, counted from `now_ms`.
pub fn settle(
    outcome: Result<Receipt, SyncError>,
    attempts: u32,
    backoff: &Backoff,
    jitter: f64,
    now_ms: i64,
) -> Settlement {
    match outcome {
        Ok(receipt) => Settlement::Delivered(receipt),
        Err(SyncError::Refused(reason)) => Settlement::GiveUp(reason),
        Err(error) => {
            let delay = backoff.delay(attempts.max(1), jitter);
            let delay_ms = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
            Settlement::RetryAt {
                at_ms: now_ms.saturating_add(delay_ms),
                error,
            }
        }
    }
}

/// What a round does after a step failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Ends the round with the error.
    Abort,
    /// Worth trying again later: note it (offline, last error) and end this phase only.
    NoteAndEndPhase,
    /// Not a failure of the kiosk: go on with the next step.
    Skip,
}

/// Whether `error` from `step` ends the round. Uploads settle their own failures; what
/// remains are the queue's own (the store: the round ends) and the feed's and master data's
/// (transient ones wait for the next round; a platform that does not serve a dataset keeps
/// the shipped copy).
pub fn on_failure(step: &Step, error: &SyncError) -> AfterFailure {
    match (step, error) {
        (Step::PullMaster { .. }, SyncError::Refused(reason)) if reason.code == DATASET_UNKNOWN => {
            AfterFailure::Skip
        }
        (Step::PollFeed { .. } | Step::PullMaster { .. }, e) if e.is_retryable() => {
            AfterFailure::NoteAndEndPhase
        }
        _ => AfterFailure::Abort,
    }
}

/// One thing the background worker does in a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassStep {
    /// Ask the platform whether it is there (`GET /api/v1/health`); a failure ends the pass.
    Probe,
    /// Run a sync round (see [`plan_round`]); a failure ends the pass.
    Round,
    /// Post a heartbeat; a failure is logged only.
    Heartbeat,
}

/// What the worker knows when a pass starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassView {
    /// Whether the kiosk holds a readable credential.
    pub enrolled: bool,
    /// Whether someone asked for a round ("sync now").
    pub forced: bool,
    /// Whether an upload is due now.
    pub work_due: bool,
    /// Time since the last successful round (`None`: none yet).
    pub since_round: Option<Duration>,
    /// Time since the last heartbeat delivered (`None`: none yet).
    pub since_heartbeat: Option<Duration>,
}

/// How the worker paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// Pause between passes while online.
    pub poll: Duration,
    /// A round runs at least this often (to read the status feed and master data).
    pub round_every: Duration,
    /// A heartbeat goes at least this often.
    pub heartbeat_every: Duration,
    /// Pause after failed passes: capped, jittered.
    pub backoff: Backoff,
}

/// The steps of one worker pass, in order: none until the kiosk is enrolled; else a probe,
/// a round when asked for, when work is due or when the last one is `round_every` old, and a
/// heartbeat when the last one is `heartbeat_every` old.
pub fn plan_pass(view: &PassView, pace: &Pace) -> Vec<PassStep> {
    if !view.enrolled {
        return Vec::new();
    }
    let stale = |since: Option<Duration>, every: Duration| since.is_none_or(|s| s >= every);
    let mut steps = vec![PassStep::Probe];
    if view.forced || view.work_due || stale(view.since_round, pace.round_every) {
        steps.push(PassStep::Round);
    }
    if stale(view.since_heartbeat, pace.heartbeat_every) {
        steps.push(PassStep::Heartbeat);
    }
    steps
}

/// The pause after a pass: `poll` while things work, else the back-off delay for the number
/// of passes failed in a row (`jitter` in `[0, 1)`).
pub fn pause(failures: u32, jitter: f64, pace: &Pace) -> Duration {
    if failures > 0 {
        pace.backoff.delay(failures, jitter)
    } else {
        pace.poll
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
