//! `kioskctl` run as its own process, as an operator or a script would: one module per area.
//!
//! The areas share one test binary, so the workspace links one program for them instead of
//! thirteen (most of the cost of building a test that drives a process is the link). The
//! hostile-attachment memory test stays apart (`tests/attachment_rss.rs`): it measures its
//! children's peak memory and needs a process of its own.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

mod documents;
mod idcard;
mod ime;
mod print;
mod privacy;
mod purge_crash;
mod scan;
mod settings;
mod store;
mod sync_crash;
mod validate;
mod voice;
mod wizard;
