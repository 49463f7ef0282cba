//! The kiosk's local store: one SQLCipher-encrypted SQLite database.
//!
//! * Opening ([`Store::open`]): key file (generated only for a new data directory, outside
//!   the database folder, protected by the TPM or the machine credential where present:
//!   [`keys`]), `PRAGMA key` first, then WAL, `synchronous=FULL`, foreign keys, then the
//!   migrations in `migrations/NN-name/up.sql`.
//! * One writer: every write runs as a job on a dedicated thread that owns the write
//!   connection ([`Store::enqueue`] blocks; [`Store::enqueue_async`] awaits). Reads use a small
//!   pool of query-only connections.
//! * Submitted applications are sealed with `age` to the platform's recipient, or to the
//!   kiosk's local identity before enrolment ([`Store::reseal_to_platform`]); the application,
//!   its attachments, its outbox row and its audit row commit in one transaction.
//! * Errors are [`StoreError`]s with stable codes (`DISK_FULL`, `WRONG_KEY`, `CORRUPT`, `BUSY`,
//!   ...) and Chinese and English messages; a failed write leaves earlier data untouched.
//!
//! Times are Unix milliseconds passed in by the caller, so every rule is testable.
//!
//! May import: kiosk-core. Imported by kiosk-api.
#![deny(missing_docs)]

pub mod audit;
mod checkpoint;
mod columns;
pub mod config;
mod connection;
mod day;
mod error;
mod export;
pub mod keys;
pub mod migrations;
pub mod queue;
mod readers;
mod refusal;
pub mod retention;
pub mod review;
pub mod seal;
pub mod settings;
pub mod staff;
pub mod throttle;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kiosk_core::lifecycle::{LifecycleEvent, LifecycleState};
use kiosk_core::review::{ReviewDecision, ReviewStatus};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use serde::Serialize;
use uuid::Uuid;

pub use audit::{AuditBreak, AuditEntry, AuditHead, AuditRow, AuditVerdict};
pub use config::StoreConfig;
pub use connection::prepare_sqlcipher;
pub use day::DayRow;
pub use error::StoreError;
pub use queue::{
    AttachmentInfo, Draft, NewApplication, NewAttachment, QueueDetail, QueueEntry, QueueStats,
    SealedAttachment, SealedBody,
};
pub use refusal::Refusal;
pub use retention::PurgeReport;
pub use review::ReviewEntry;
pub use seal::{PlatformRecipient, Sealing};
pub use staff::{NewStaff, Role, StaffAccount};

use checkpoint::Checkpointer;
use readers::Readers;
use seal::Sealer;
use writer::Writer;

/// Result of `kioskctl db check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DbCheck {
    /// `PRAGMA cipher_integrity_check` findings (empty when every page's HMAC is valid).
    pub cipher_problems: Vec<String>,
    /// `PRAGMA integrity_check` findings (empty when the b-trees are sound).
    pub integrity_problems: Vec<String>,
    /// `PRAGMA foreign_key_check` violations.
    pub foreign_key_problems: u64,
    /// Schema version of the file.
    pub schema_version: usize,
    /// Newest schema version this software knows.
    pub latest_version: usize,
    /// SQLCipher version.
    pub cipher_version: String,
}

impl DbCheck {
    /// Whether everything checked out.
    pub fn is_ok(&self) -> bool {
        self.cipher_problems.is_empty()
            && self.integrity_problems.is_empty()
            && self.foreign_key_problems == 0
            && self.schema_version == self.latest_version
    }
}

/// A durably queued application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enqueued {
    /// Its id.
    pub id: Uuid,
    /// Its attachments as stored (plaintext SHA-256 and size).
    pub attachments: Vec<AttachmentInfo>,
}

/// The open local store. Cheap to share: all methods take `&self`.
#[derive(Debug)]
pub struct Store {
    config: StoreConfig,
    sealer: Arc<Sealer>,
    readers: Readers,
    // Declared before `checkpointer`: the writer finishes its queue before the last checkpoint.
    writer: Writer,
    checkpointer: Checkpointer,
}

fn immediate(conn: &mut Connection) -> Result<Transaction<'_>, StoreError> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

impl Store {
    /// Opens the store in the default layout under `data_dir` (see [`config`]).
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        Self::open_with(StoreConfig::in_data_dir(data_dir))
    }

    /// Opens (creating on first run) the store described by `config` and migrates it.
    pub fn open_with(config: StoreConfig) -> Result<Self, StoreError> {
        // Keys are made only for a brand-new data directory, and before the database, so a
        // crash in between never leaves a database without its keys.
        let fresh = !config.database_path().exists();
        let key = config::load_or_create_key(&config, fresh)?;
        let sealer = Arc::new(Sealer::load_or_create(&config, fresh)?);
        config::create_private_dir(&config.db_dir)?;
        let path = config.database_path();
        // A damaged page can stop the opening anywhere (SQLCipher reports a failed page HMAC
        // as one of several errors): say "damaged" when the HMAC check finds damage.
        Self::open_keyed(config, key.clone(), sealer).map_err(|error| match error {
            StoreError::WrongKey(_) | StoreError::Corrupt(_) => error,
            other => connection::damage(&path, &key).map_or(other, StoreError::Corrupt),
        })
    }

    fn open_keyed(
        config: StoreConfig,
        key: config::DatabaseKey,
        sealer: Arc<Sealer>,
    ) -> Result<Self, StoreError> {
        let path = config.database_path();
        let mut conn = connection::open(&path, &key, connection::Access::Writer)?;
        connection::use_incremental_vacuum(&conn)?;
        migrations::migrate(&mut conn)?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::SAFETY_NET_PAGES)?;
        let checkpointer =
            Checkpointer::start(connection::open(&path, &key, connection::Access::Writer)?)?;
        let readers = Readers::new(path, key, config.readers);
        let writer = Writer::start(conn)?;
        Ok(Self {
            config,
            sealer,
            readers,
            writer,
            checkpointer,
        })
    }

    /// Runs a write job on the writer thread, then asks for a background checkpoint.
    fn write<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let result = self.writer.run(job);
        self.checkpointer.nudge();
        result
    }

    /// [`Store::write`] for async callers.
    async fn write_async<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let result = self.writer.run_async(job).await;
        self.checkpointer.nudge();
        result
    }

    /// The layout this store was opened with.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Path of the database file.
    pub fn path(&self) -> PathBuf {
        self.config.database_path()
    }

    /// Runs a trivial query to prove the database answers.
    pub fn ping(&self) -> Result<(), StoreError> {
        self.readers
            .with(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    /// Whether an enabled administrator account exists (a new kiosk has none).
    pub fn has_admin(&self) -> Result<bool, StoreError> {
        self.readers.with(staff::admin_exists)
    }

    // ----- settings -----

    /// Reads a setting, `None` when it was never set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.readers.with(|c| settings::get(c, key))
    }

    /// Writes a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.write(move |c| settings::set(c, &key, &value))
    }

    // ----- submission -----

    fn enqueue_job(
        &self,
        app: NewApplication,
        now: i64,
        hold_for_review: bool,
    ) -> Result<
        impl FnOnce(&mut Connection) -> Result<Enqueued, StoreError> + Send + 'static,
        StoreError,
    > {
        queue::check_new(&app)?;
        let sealer = Arc::clone(&self.sealer);
        // Hashing and sealing run inside the job, so an async caller's runtime thread does no
        // heavy work.
        Ok(move |conn: &mut Connection| {
            // Only this thread writes, so the recipient cannot change (re-seal is a writer job
            // too) between this read and the commit below.
            let platform = settings::get(conn, settings::PLATFORM_RECIPIENT)?
                .map(|r| PlatformRecipient::parse(&r))
                .transpose()?;
            // Hash and seal before taking the write lock, one thread per part.
            let sealed = queue::seal_all(&sealer, platform.as_ref(), &app)?;
            let tx = immediate(conn)?;
            queue::insert_submitted(&tx, &app, &sealed, now)?;
            if hold_for_review {
                review::insert_pending(&tx, &app.id.to_string(), now)?;
            }
            tx.commit()?;
            let attachments = sealed.attachments.into_iter().map(|a| a.info).collect();
            Ok(Enqueued {
                id: app.id,
                attachments,
            })
        })
    }

    /// Seals and stores a submitted application with its attachments in one transaction and
    /// puts it in the outbox. Returns once it is durable (blocking; see [`Store::enqueue_async`]).
    pub fn enqueue(&self, app: NewApplication, now: i64) -> Result<Enqueued, StoreError> {
        let job = self.enqueue_job(app, now, false)?;
        self.write(job)
    }

    /// [`Store::enqueue`], holding the application for supervisor review in the same
    /// transaction: the outbox does not send it until a supervisor approves it.
    pub fn enqueue_for_review(
        &self,
        app: NewApplication,
        now: i64,
    ) -> Result<Enqueued, StoreError> {
        let job = self.enqueue_job(app, now, true)?;
        self.write(job)
    }

    /// [`Store::enqueue`] for async callers: never blocks the runtime.
    pub async fn enqueue_async(
        &self,
        app: NewApplication,
        now: i64,
    ) -> Result<Enqueued, StoreError> {
        let job = self.enqueue_job(app, now, false)?;
        self.write_async(job).await
    }

    /// [`Store::enqueue_for_review`] for async callers.
    pub async fn enqueue_for_review_async(
        &self,
        app: NewApplication,
        now: i64,
    ) -> Result<Enqueued, StoreError> {
        let job = self.enqueue_job(app, now, true)?;
        self.write_async(job).await
    }

    /// Creates or replaces a draft (plaintext under the database key).
    pub fn save_draft(&self, draft: Draft, now: i64) -> Result<(), StoreError> {
        self.write(move |conn| {
            let tx = immediate(conn)?;
            let id = draft.id.to_string();
            let state: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
                "SELECT state FROM applications WHERE id = ?1",
                [&id],
                |r| r.get(0),
            ))?;
            if state.as_deref().is_some_and(|s| s != "draft") {
                return Err(Refusal::DraftAlreadySubmitted.into());
            }
            tx.execute(
                "INSERT INTO applications (id, kind, profile, state, summary, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?5)
                 ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, profile = excluded.profile,
                    summary = excluded.summary, updated_at = excluded.updated_at",
                params![id, draft.kind, draft.profile, draft.summary.to_string(), now],
            )?;
            tx.execute(
                "INSERT INTO payloads (application_id, sealing, body) VALUES (?1, 'draft', ?2)
                 ON CONFLICT(application_id) DO UPDATE SET body = excluded.body",
                params![id, draft.payload],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Reads a draft back.
    pub fn draft(&self, id: Uuid) -> Result<Draft, StoreError> {
        self.readers.with(|c| {
            rusqlite::OptionalExtension::optional(c.query_row(
                "SELECT a.kind, a.profile, a.summary, p.body FROM applications a
                 JOIN payloads p ON p.application_id = a.id
                 WHERE a.id = ?1 AND a.state = 'draft'",
                [id.to_string()],
                |r| {
                    let summary: String = r.get(2)?;
                    Ok(Draft {
                        id,
                        kind: r.get(0)?,
                        profile: r.get(1)?,
                        summary: serde_json::from_str(&summary).unwrap_or_default(),
                        payload: r.get(3)?,
                    })
                },
            ))?
            .ok_or_else(|| StoreError::NotFound {
                what: "draft",
                id: id.to_string(),
            })
        })
    }

    /// Deletes a draft (session ended). Deleting a missing draft is not an error.
    pub fn delete_draft(&self, id: Uuid) -> Result<bool, StoreError> {
        self.write(move |conn| {
            let n = conn.execute(
                "DELETE FROM applications WHERE id = ?1 AND state = 'draft'",
                [id.to_string()],
            )?;
            Ok(n > 0)
        })
    }

    /// Deletes drafts not touched since `older_than` (Unix ms), e.g. `now - 30 min`.
    pub fn purge_drafts(&self, older_than: i64) -> Result<u64, StoreError> {
        self.write(move |conn| {
            let tx = immediate(conn)?;
            let n = retention::purge_drafts(&tx, older_than)?;
            tx.commit()?;
            Ok(n)
        })
    }

    // ----- queue reads -----

    /// Submitted applications, newest first (drafts only when `state` is `Draft`).
    pub fn list(
        &self,
        state: Option<LifecycleState>,
        limit: u32,
    ) -> Result<Vec<QueueEntry>, StoreError> {
        self.readers.with(|c| queue::list(c, state, limit))
    }

    /// One application in detail (metadata only; never the payload).
    pub fn show(&self, id: &str) -> Result<QueueDetail, StoreError> {
        self.readers.with(|c| queue::show(c, id))
    }

    /// Applications taken in during `[from, to)` (Unix ms), for the end-of-day report.
    pub fn day_rows(&self, from: i64, to: i64) -> Result<Vec<DayRow>, StoreError> {
        self.readers.with(|c| day::rows(c, from, to))
    }

    /// Queue counts.
    pub fn stats(&self, now: i64) -> Result<QueueStats, StoreError> {
        self.readers.with(|c| queue::stats(c, now))
    }

    // ----- for the sync worker -----

    /// Ids due for upload at `now`, oldest first.
    pub fn due_for_upload(&self, now: i64, limit: u32) -> Result<Vec<String>, StoreError> {
        self.readers.with(|c| queue::due(c, now, limit))
    }

    /// The sealed payload to upload.
    pub fn sealed_payload(&self, id: &str) -> Result<SealedBody, StoreError> {
        self.readers.with(|c| queue::sealed_payload(c, id))
    }

    /// The sealed attachments to upload.
    pub fn sealed_attachments(&self, id: &str) -> Result<Vec<SealedAttachment>, StoreError> {
        self.readers.with(|c| queue::sealed_attachments(c, id))
    }

    /// Applies a lifecycle event (with an audit row); outbox bookkeeping follows the event:
    /// `StartUpload` counts an attempt, `UploadFailed` records `error` and reschedules at
    /// `retry_at`, `PlatformAccepted` removes the outbox row; platform events also record a
    /// status update with `message`.
    pub fn apply_event(
        &self,
        id: &str,
        event: LifecycleEvent,
        message: Option<String>,
        retry_at: Option<i64>,
        now: i64,
    ) -> Result<LifecycleState, StoreError> {
        let id = id.to_owned();
        self.write(move |conn| {
            let tx = immediate(conn)?;
            let state = queue::transition(&tx, &id, event, now)?;
            match event {
                LifecycleEvent::StartUpload => {
                    tx.execute(
                        "UPDATE outbox SET attempts = attempts + 1 WHERE application_id = ?1",
                        [&id],
                    )?;
                }
                LifecycleEvent::UploadFailed => {
                    tx.execute(
                        "UPDATE outbox SET last_error = ?2, next_attempt_at = ?3
                         WHERE application_id = ?1",
                        params![id, message, retry_at.unwrap_or(now)],
                    )?;
                }
                LifecycleEvent::PlatformAccepted | LifecycleEvent::PlatformRefused => {
                    tx.execute("DELETE FROM outbox WHERE application_id = ?1", [&id])?;
                }
                _ => {}
            }
            if matches!(
                event,
                LifecycleEvent::PlatformAccepted
                    | LifecycleEvent::PlatformVerified
                    | LifecycleEvent::PlatformRejected
                    | LifecycleEvent::PlatformNeedsAction
                    | LifecycleEvent::PlatformRefused
            ) {
                tx.execute(
                    "INSERT INTO status_updates (application_id, state, message, received_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, state.as_str(), message, now],
                )?;
            }
            audit::append(
                &tx,
                &AuditEntry {
                    at: now,
                    actor: "system".into(),
                    action: format!("application.{}", event.as_str()),
                    application_id: Some(id.clone()),
                    detail: format!("state={}", state.as_str()),
                },
            )?;
            tx.commit()?;
            Ok(state)
        })
    }

    /// Records the platform's recipient and re-seals to it everything still sealed locally,
    /// and, after a re-enrolment, every application not yet delivered that is sealed to
    /// another platform (platform seals include the local identity, see `Sealer::seal`);
    /// one application per transaction (an interrupted run is simply repeated). A body that
    /// cannot be opened locally (sealed by an older version to the platform alone) is left
    /// as it is and logged. Returns how many applications were re-sealed.
    pub fn reseal_to_platform(
        &self,
        recipient: &PlatformRecipient,
        now: i64,
    ) -> Result<u64, StoreError> {
        let text = recipient.as_string();
        let sealer = Arc::clone(&self.sealer);
        let recipient = recipient.clone();
        self.write(move |conn| {
            let tx = immediate(conn)?;
            settings::set(&tx, settings::PLATFORM_RECIPIENT, &text)?;
            tx.commit()?;
            let ids: Vec<String> = {
                let mut stmt = conn.prepare(&format!(
                    "SELECT application_id FROM payloads WHERE {RESEAL_FILTER}
                     UNION SELECT application_id FROM attachments WHERE {RESEAL_FILTER}"
                ))?;
                let rows = stmt.query_map([&text], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            let mut resealed = 0u64;
            for id in &ids {
                let tx = immediate(conn)?;
                let opened = reseal_rows(&tx, &sealer, &recipient, "payloads", id)
                    .and_then(|()| reseal_rows(&tx, &sealer, &recipient, "attachments", id));
                match opened {
                    Ok(()) => {}
                    Err(StoreError::Seal(e)) => {
                        log::warn!("application {id} cannot be re-sealed: {e}");
                        continue; // the transaction rolls back; the rows stay as they were
                    }
                    Err(e) => return Err(e),
                }
                resealed += 1;
                audit::append(
                    &tx,
                    &AuditEntry {
                        at: now,
                        actor: "system".into(),
                        action: "application.resealed".into(),
                        application_id: Some(id.clone()),
                        detail: "sealing=platform".into(),
                    },
                )?;
                tx.commit()?;
            }
            Ok(resealed)
        })
    }

    // ----- retention -----

    /// Purges payloads and attachments of applications confirmed more than the retention
    /// period (setting `retention.days`, default 7) before `now`, and drafts older than
    /// `draft_max_age_ms`.
    pub fn purge(
        &self,
        now: i64,
        draft_max_age_ms: i64,
        actor: &str,
    ) -> Result<PurgeReport, StoreError> {
        let actor = actor.to_owned();
        self.write(move |conn| {
            let tx = immediate(conn)?;
            let days = retention::retention_days(&tx)?;
            let mut report = retention::purge_confirmed(&tx, days, now, &actor)?;
            report.drafts = retention::purge_drafts(&tx, now - draft_max_age_ms)?;
            settings::set(&tx, settings::LAST_PURGE_AT, &now.to_string())?;
            tx.commit()?;
            // Give the freed pages back to the file system (they were zeroed by secure_delete).
            conn.execute_batch("PRAGMA incremental_vacuum;")?;
            Ok(report)
        })
    }

    /// The automatic daily purge: runs [`Store::purge`] when the last purge is a day old or
    /// more, else does nothing (`None`). Call it from a timer as often as convenient.
    pub fn purge_if_due(
        &self,
        now: i64,
        draft_max_age_ms: i64,
    ) -> Result<Option<PurgeReport>, StoreError> {
        let last = self
            .setting(settings::LAST_PURGE_AT)?
            .and_then(|v| v.parse::<i64>().ok());
        // A clock set back (last purge "in the future") must not stall purging until the
        // clock catches up: purge now and start counting again from here.
        if last.is_some_and(|last| (0..retention::DAY_MS).contains(&(now - last))) {
            return Ok(None);
        }
        self.purge(now, draft_max_age_ms, "system").map(Some)
    }

    // ----- supervisor review -----

    /// Held applications, oldest first, optionally of one review status.
    pub fn reviews(
        &self,
        status: Option<ReviewStatus>,
        limit: u32,
    ) -> Result<Vec<ReviewEntry>, StoreError> {
        self.readers.with(|c| review::list(c, status, limit))
    }

    /// The review of one application, `None` when the policy never held it.
    pub fn review_of(&self, id: &str) -> Result<Option<ReviewEntry>, StoreError> {
        self.readers.with(|c| review::get(c, id))
    }

    /// Applies one supervisor decision to each of `ids` in ONE transaction (all or none), with
    /// an audit row each. The caller has checked the supervisor's password and role.
    pub fn decide_reviews(
        &self,
        ids: Vec<String>,
        decision: ReviewDecision,
        supervisor: &str,
        now: i64,
    ) -> Result<Vec<ReviewStatus>, StoreError> {
        let supervisor = supervisor.to_owned();
        self.write(move |conn| {
            let tx = immediate(conn)?;
            let mut done = Vec::with_capacity(ids.len());
            for id in &ids {
                done.push(review::decide(&tx, id, &decision, &supervisor, now)?);
            }
            tx.commit()?;
            Ok(done)
        })
    }

    // ----- offline export -----

    /// Ids of approved, unsent applications sealed to the platform that may go into a bundle,
    /// oldest first (`again`: also those already exported, e.g. the medium was lost).
    pub fn exportable(&self, again: bool) -> Result<Vec<String>, StoreError> {
        self.readers.with(|c| export::exportable(c, again))
    }

    /// Records that `ids` were written to `bundle` (audited). Nothing is removed: they stay in
    /// the outbox until the platform confirms them.
    pub fn mark_exported(
        &self,
        ids: Vec<String>,
        bundle: &str,
        actor: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let (bundle, actor) = (bundle.to_owned(), actor.to_owned());
        self.write(move |conn| {
            let tx = immediate(conn)?;
            export::mark_exported(&tx, &ids, &bundle, &actor, now)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// When the last bundle was written, Unix ms.
    pub fn last_export_at(&self) -> Result<Option<i64>, StoreError> {
        self.readers.with(export::last_export_at)
    }

    /// The bundles an application was written to.
    pub fn bundles_of(&self, id: &str) -> Result<Vec<String>, StoreError> {
        self.readers.with(|c| export::bundles_of(c, id))
    }

    // ----- audit -----

    /// Appends an audit row.
    pub fn audit(&self, entry: AuditEntry) -> Result<i64, StoreError> {
        self.write(move |conn| {
            let tx = immediate(conn)?;
            let seq = audit::append(&tx, &entry)?;
            tx.commit()?;
            Ok(seq)
        })
    }

    /// Writes several settings and one audit row in a single transaction, so a change is
    /// never stored without its audit trail (nor audited without being stored).
    pub fn set_settings_audited(
        &self,
        changes: Vec<(String, String)>,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            let tx = immediate(conn)?;
            for (key, value) in &changes {
                settings::set(&tx, key, value)?;
            }
            audit::append(&tx, &entry)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Makes the outbox entry of application `id` due at `now` (a staff "retry now"), with an
    /// audit row by `actor`. `NotFound` when the application is not waiting for upload.
    pub fn retry_now(&self, id: &str, actor: &str, now: i64) -> Result<(), StoreError> {
        let (id, actor) = (id.to_owned(), actor.to_owned());
        self.write(move |conn| {
            let tx = immediate(conn)?;
            let changed = tx.execute(
                "UPDATE outbox SET next_attempt_at = ?2 WHERE application_id = ?1",
                params![id, now],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "outbox entry",
                    id,
                });
            }
            audit::append(
                &tx,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "application.retry-now".into(),
                    application_id: Some(id.clone()),
                    detail: String::new(),
                },
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Checks the audit chain.
    pub fn verify_audit(&self) -> Result<AuditVerdict, StoreError> {
        self.readers.with(audit::verify)
    }

    /// The newest audit row's seq and hash, sent to the platform as the log's anchor.
    pub fn audit_head(&self) -> Result<Option<AuditHead>, StoreError> {
        self.readers.with(audit::head)
    }

    /// Checks the log against an anchor the platform holds (see [`Store::audit_head`]):
    /// `None` when the anchored row is still there unchanged.
    pub fn check_audit_anchor(&self, anchor: AuditHead) -> Result<Option<AuditBreak>, StoreError> {
        self.readers.with(move |c| audit::check_anchor(c, &anchor))
    }

    /// The newest audit rows, newest first.
    pub fn recent_audit(&self, limit: u32) -> Result<Vec<AuditRow>, StoreError> {
        self.readers.with(|c| audit::recent(c, limit))
    }

    // ----- staff -----

    /// Issues a one-time setup code for the first administrator (valid 24 h). Refused once
    /// an administrator exists. Only the code's hash is stored: show it once.
    pub fn issue_setup_code(&self, now: i64) -> Result<String, StoreError> {
        let code = staff::new_setup_code()?;
        let hash = staff::hash_setup_code(&code)?;
        self.write(move |conn| {
            let tx = immediate(conn)?;
            staff::insert_setup_code(&tx, &hash, now)?;
            tx.commit()?;
            Ok(())
        })?;
        Ok(code)
    }

    /// Creates the first administrator with a setup code from [`Store::issue_setup_code`].
    pub fn create_first_admin(
        &self,
        setup_code: &str,
        admin: NewStaff,
        now: i64,
    ) -> Result<(), StoreError> {
        let admin = NewStaff {
            role: Role::Admin,
            ..admin
        };
        staff::check_new(&admin)?;
        let candidates = self.readers.with(|c| staff::open_setup_codes(c, now))?;
        let code_hash =
            staff::setup_code_matches(setup_code, &candidates).ok_or_else(staff::bad_setup_code)?;
        let password_hash = staff::hash_secret(&admin.password)?;
        self.write(move |conn| {
            let tx = immediate(conn)?;
            if staff::admin_exists(&tx)? {
                return Err(staff::bad_setup_code());
            }
            let used = tx.execute(
                "UPDATE setup_codes SET used_at = ?2
                 WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
                params![code_hash, now],
            )?;
            if used == 0 {
                return Err(staff::bad_setup_code());
            }
            staff::insert(&tx, &admin, &password_hash, "setup-code", now)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Adds a staff account on behalf of `actor` (the caller checks that `actor` is an admin).
    pub fn add_staff(&self, new: NewStaff, actor: &str, now: i64) -> Result<(), StoreError> {
        staff::check_new(&new)?;
        let password_hash = staff::hash_secret(&new.password)?;
        let actor = actor.to_owned();
        self.write(move |conn| {
            let tx = immediate(conn)?;
            staff::insert(&tx, &new, &password_hash, &actor, now)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Checks a login. Every outcome (unknown name, wrong password, disabled or locked
    /// account) costs one Argon2 run and answers with the same code and message, so names
    /// cannot be probed. Failures are throttled per typed name ([`throttle::STAFF_LOGIN`]:
    /// 5 failures lock 1 minute, doubling, at most 15 minutes): no account, not even the last
    /// administrator, is ever locked out for longer, and an administrator or `kioskctl staff
    /// unlock` ends a lock at once.
    pub fn login(
        &self,
        username: &str,
        password: &str,
        now: i64,
    ) -> Result<StaffAccount, StoreError> {
        let key = throttle::login_key(username);
        let (row, found) = self
            .readers
            .with(|c| Ok((throttle::read(c, &key)?, staff::credentials(c, username)?)))?;
        let matches = match &found {
            Some(found) => staff::verify_secret(password, &found.password_hash),
            None => staff::spend_argon2(password),
        };
        if let Some(until) = throttle::STAFF_LOGIN.blocked_until(&row, now) {
            return Err(staff::locked(until, now));
        }
        let account = found.map(|f| f.account).filter(|a| !a.disabled && matches);
        let success = account.is_some();
        let actor = account
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), |a| a.username.clone());
        let after = self.write(move |conn| {
            let tx = immediate(conn)?;
            let after = throttle::record(&tx, &key, &throttle::STAFF_LOGIN, success, now)?;
            staff::audit_login(&tx, &actor, success, after.locked_until, now)?;
            tx.commit()?;
            Ok(after)
        })?;
        match account {
            Some(account) => Ok(account),
            None => match throttle::STAFF_LOGIN.blocked_until(&after, now) {
                Some(until) => Err(staff::locked(until, now)),
                None => Err(staff::wrong_credentials()),
            },
        }
    }

    /// Changes `username`'s own password after checking the current one (a wrong one counts
    /// towards the sign-in throttle).
    pub fn change_password(
        &self,
        username: &str,
        current: &str,
        new_password: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        staff::check_password(new_password)?;
        self.login(username, current, now)?;
        let hash = staff::hash_secret(new_password)?;
        let name = username.to_owned();
        self.write(move |conn| {
            let tx = immediate(conn)?;
            staff::set_password(&tx, &name, &hash, &name, "staff.password_changed", now)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Sets a new password for `username` on behalf of `actor` (an administrator or
    /// `kioskctl`; the caller checks who), and ends any sign-in lock.
    pub fn reset_password(
        &self,
        username: &str,
        new_password: &str,
        actor: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        staff::check_password(new_password)?;
        let hash = staff::hash_secret(new_password)?;
        let (name, actor) = (username.to_owned(), actor.to_owned());
        self.write(move |conn| {
            let tx = immediate(conn)?;
            staff::set_password(&tx, &name, &hash, &actor, "staff.password_reset", now)?;
            throttle::clear(&tx, &throttle::login_key(&name))?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Disables or enables `username` on behalf of `actor`. The last enabled administrator
    /// cannot be disabled (`STAFF_LAST_ADMIN`).
    pub fn set_staff_disabled(
        &self,
        username: &str,
        disabled: bool,
        actor: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let (name, actor) = (username.to_owned(), actor.to_owned());
        self.write(move |conn| {
            let tx = immediate(conn)?;
            staff::set_disabled(&tx, &name, disabled, &actor, now)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Ends the sign-in lock of `username` on behalf of `actor`.
    pub fn unlock_staff(&self, username: &str, actor: &str, now: i64) -> Result<(), StoreError> {
        let (name, actor) = (username.to_owned(), actor.to_owned());
        self.write(move |conn| {
            let tx = immediate(conn)?;
            staff::require_account(&tx, &name)?;
            throttle::clear(&tx, &throttle::login_key(&name))?;
            staff::audit_admin(&tx, &actor, "staff.unlocked", &name, now)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Records a visitor status lookup attempt against the kiosk's throttle
    /// ([`throttle::STATUS_LOOKUP`]); refused with `STATUS_LOOKUP_THROTTLED` while blocked.
    /// Call [`Store::status_lookup_outcome`] with the result afterwards.
    pub fn status_lookup_admit(&self, now: i64) -> Result<(), StoreError> {
        let row = self
            .readers
            .with(|c| throttle::read(c, throttle::STATUS_LOOKUP_KEY))?;
        match throttle::STATUS_LOOKUP.blocked_until(&row, now) {
            Some(until) => Err(throttle::lookup_throttled(until, now)),
            None => Ok(()),
        }
    }

    /// Records the outcome of an admitted status lookup (a miss counts as a failure).
    pub fn status_lookup_outcome(&self, found: bool, now: i64) -> Result<(), StoreError> {
        self.write(move |conn| {
            let tx = immediate(conn)?;
            throttle::record(
                &tx,
                throttle::STATUS_LOOKUP_KEY,
                &throttle::STATUS_LOOKUP,
                found,
                now,
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    /// All staff accounts.
    pub fn staff(&self) -> Result<Vec<StaffAccount>, StoreError> {
        self.readers.with(|c| {
            let mut accounts = staff::list(c)?;
            for account in &mut accounts {
                let row = throttle::read(c, &throttle::login_key(&account.username))?;
                account.locked_until = row.locked_until;
            }
            Ok(accounts)
        })
    }

    // ----- checks -----

    /// SQLCipher HMAC check, SQLite integrity check, foreign keys and schema version.
    pub fn check(&self) -> Result<DbCheck, StoreError> {
        self.readers.with(|c| {
            let collect = |sql: &str| -> Result<Vec<String>, StoreError> {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                Ok(rows
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .filter(|l| l != "ok")
                    .collect())
            };
            // Read before the checks: after a damaged page, SQLCipher fails every later read
            // on the connection.
            let schema_version = migrations::current_version(c)?;
            let cipher_version: String = c.query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
            // A page that cannot be read at all is a finding of its check, not a failure to
            // check: the HMAC check reads every page raw and says which ones are damaged.
            let cipher_problems = collect("PRAGMA cipher_integrity_check")
                .unwrap_or_else(|e| vec![format!("the page check stopped: {e}")]);
            let mut integrity_problems = collect("PRAGMA integrity_check")
                .unwrap_or_else(|e| vec![format!("the integrity check stopped: {e}")]);
            let foreign: i64 = c
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .unwrap_or_else(|e| {
                    integrity_problems.push(format!("the foreign-key check stopped: {e}"));
                    0
                });
            Ok(DbCheck {
                cipher_problems,
                integrity_problems,
                foreign_key_problems: u64::try_from(foreign).unwrap_or(0),
                schema_version,
                latest_version: migrations::latest_version(),
                cipher_version,
            })
        })
    }
}

/// Which sealed rows [`Store::reseal_to_platform`] re-seals (`?1` is the new recipient):
/// sealed locally, or sealed to another platform while the application is not delivered yet.
const RESEAL_FILTER: &str = "(sealing = 'local' OR (sealing = 'platform'
    AND (recipient IS NULL OR recipient <> ?1)
    AND application_id IN (SELECT id FROM applications WHERE state IN ('submitted', 'uploading'))))";

fn reseal_rows(
    tx: &Transaction<'_>,
    sealer: &Sealer,
    recipient: &PlatformRecipient,
    table: &str,
    id: &str,
) -> Result<(), StoreError> {
    let text = recipient.as_string();
    let rows: Vec<(i64, Vec<u8>)> = {
        let mut stmt = tx.prepare(&format!(
            "SELECT rowid, body FROM {table} WHERE application_id = ?2 AND {RESEAL_FILTER}"
        ))?;
        let rows = stmt.query_map(params![text, id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (rowid, body) in rows {
        let plain = sealer.open_local(&body)?;
        let (sealing, sealed) = sealer.seal(Some(recipient), &plain)?;
        tx.execute(
            &format!("UPDATE {table} SET sealing = ?2, recipient = ?3, body = ?4 WHERE rowid = ?1"),
            params![rowid, sealing.as_str(), text, sealed],
        )?;
    }
    Ok(())
}
