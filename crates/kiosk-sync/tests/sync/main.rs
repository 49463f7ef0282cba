//! The sync client against a real platformd on loopback, one module per concern: the
//! audit anchor, attacks on the link, faults of the link, the plain loopback round,
//! key rotation and TLS.
//!
//! The modules share one test binary, so the workspace links one program for them instead
//! of six; each test still starts its own platform on a free port.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

mod anchor;
mod attacks;
mod faults;
mod loopback;
mod rotation;
mod tls;
