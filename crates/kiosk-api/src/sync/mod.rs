//! Enrolment with the central platform and synchronisation of the outbox (protocol v1,
//! `docs/protocol.md`), as use cases for the front doors (the app's IPC commands and
//! `kioskctl`). The decisions of a round and of the worker's passes are kiosk-sync's pure plan
//! (`kiosk_sync::plan`); these modules perform them against the kiosk's store:
//! - `enrolment`: enrol (and re-enrol), the credential, the pinned platform key;
//! - `round`: one round now, a heartbeat now, the sync status and its stored outcome;
//! - `worker`: the app's background worker (probe, rounds, heartbeats, back-off);
//! - `outbox`: the store as the engine's outbox;
//! - `error`: this room's own error codes; `credential_file`: the credential on disk;
//!   `runtime`: blocking store calls from async code and `kioskctl`'s runtime;
//! - `round_lock`: one round at a time per data folder, across processes (app and `kioskctl`).
//!
//! May import kiosk-store, kiosk-sync and kiosk-core; nothing in kiosk-api imports it but
//! the modules that report sync figures (status, doctor, support, update, export).

use std::path::PathBuf;

use crate::Kiosk;

/// Setting: the last status feed cursor applied.
const SETTING_STATUS_CURSOR: &str = kiosk_core::settings::STATUS_CURSOR.key;
/// Setting: when the last sync round (or bundle import) succeeded, Unix ms.
pub const SETTING_LAST_SUCCESS_AT: &str = kiosk_core::settings::LAST_SYNC_SUCCESS_AT.key;
/// Setting: the last round's error (empty when it succeeded).
pub const SETTING_LAST_ERROR: &str = kiosk_core::settings::LAST_SYNC_ERROR.key;
/// Setting: whether the platform answered the last attempt (`1` or `0`).
pub const SETTING_ONLINE: &str = kiosk_core::settings::SYNC_ONLINE.key;

mod credential_file;
mod enrolment;
mod error;
mod outbox;
mod round;
mod round_lock;
mod runtime;
mod worker;

pub(crate) use enrolment::credential;
pub use enrolment::{Enrolment, enrol, enrol_and_start, enrol_pinned};
pub use error::SyncApiError;
pub use outbox::StoreOutbox;
pub(crate) use round::audit_anchor;
pub use round::{
    SyncReport, SyncStatus, current_status, send_heartbeat, sync_now, sync_once, sync_status,
};
pub use runtime::block_on;
use runtime::blocking;
pub use worker::{SyncWorker, WorkerConfig};

fn credential_path(kiosk: &Kiosk) -> PathBuf {
    kiosk.data_dir().join("sync").join("credential.json")
}
