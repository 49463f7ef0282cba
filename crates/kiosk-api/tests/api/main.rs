//! kiosk-api's use cases across crates: the kiosk against a real platformd on loopback (sync,
//! online checks, re-enrolment, the audit anchor) and the export to removable media.
//!
//! One module per area in one test binary, so the workspace links one program for them
//! instead of five.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod audit_anchor;
mod export;
mod online;
mod re_enrol;
mod sync;
