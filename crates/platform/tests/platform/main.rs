//! platformd from the outside: its HTTP API, the journeys kiosks take through it, admin
//! accounts, the hardened edges, personal data at rest, the storage backends, the `platformd`
//! command line, the OpenAPI document, power loss, and the load test (ignored; run with
//! `--ignored load::`).
//!
//! One module per concern in one test binary: the workspace links one program for them
//! instead of ten, and with `PLATFORM_TEST_BACKEND=postgres` the modules share one PostgreSQL
//! and one S3 server ([`common::shared_servers`]) instead of starting them once per file.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

mod admins;
mod api;
mod edges;
mod journeys;
mod load;
mod openapi;
mod platformd;
mod power_loss;
mod privacy;
mod storage;
