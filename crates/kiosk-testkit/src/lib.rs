//! Fixtures that several crates' tests need, written once.
//!
//! This crate is a dev-dependency only; nothing in the product links it. Its helpers panic
//! with a clear message when the environment is broken, because a broken fixture is a failed
//! test, not a condition to handle.
//!
//! May import: platform (to run a real platformd on loopback). A dev-dependency only.
#![deny(missing_docs)]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test fixtures: a failure is a test failure"
)]

pub mod chromium;
pub mod cups;
pub mod documents;
pub mod idcard_sim;
pub mod noise;
pub mod photo;
pub mod platformd;
pub mod png;
