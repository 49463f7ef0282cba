//! The kiosk side of the platform protocol v1 (`docs/protocol.md`): enrolment, the signed
//! HTTP client and the sync engine that drains the local outbox to the platform.
//!
//! The engine's decisions are a pure plan ([`plan`]: no I/O, time passed in, table-tested);
//! [`engine`] only performs its steps. It may import kiosk-core (pure) and no other kiosk
//! crate; the platform shares only the wire protocol with it.
//!
//! The engine works against the [`Outbox`] trait; the kiosk store implements it in
//! `kiosk-api`, tests use [`MemoryOutbox`].
//!
//! May import: kiosk-core, china-clock. Never the store: the outbox is a trait kiosk-api
//! implements. Imported by kiosk-api.
#![deny(missing_docs)]

pub mod backoff;
pub mod client;
pub mod engine;
pub mod error;
pub mod outbox;
pub mod plan;
pub mod signing;
pub mod trust;

pub use backoff::Backoff;
pub use client::{
    AttachmentRef, AuditAnchor, AuditHead, BlobStart, Heartbeat, PlatformClient, Receipt,
    StatusEvent, StoredAuditHead, Timeouts, enrol, enrol_pinned,
};
pub use engine::{EngineConfig, RoundReport, SyncEngine, SyncProgress, master_datasets};
pub use error::{PlatformReason, SyncError};
pub use outbox::{MemoryOutbox, MemoryState, Outbox, Outgoing, OutgoingAttachment};
pub use signing::Credential;
pub use trust::TrustError;

/// Now, Unix ms, from the system clock (the product's one reader of it, `china_clock`).
pub use china_clock::now_ms;
