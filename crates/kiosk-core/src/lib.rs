//! The kiosk's pure domain: identity rules, platform profiles and the application lifecycle.
//!
//! Nothing in this crate performs I/O (no files, clock, network or randomness): callers pass
//! in everything a rule needs, which keeps every rule deterministic and testable.
#![deny(missing_docs)]

pub mod kiosk;
pub mod lifecycle;
pub mod problem;

pub use kiosk::KioskMode;
pub use problem::{Problem, UserFacing};
