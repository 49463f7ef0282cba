//! Real-app end-to-end tests: the freshly built kiosk driven through WebDriver
//! (tauri-driver and WebKitWebDriver) under Xvfb, one module per journey. They share one test
//! binary so the app's test harness is linked once and the sessions can be rationed
//! (see [`harness::PARALLEL_SESSIONS`]).
//!
//! libtest starts tests in the order of their names, and the run ends with its last journey: the
//! two that take longest start first, so their modules are named to sort first. `abandoned`
//! waits a minute for the idle wipe (lending its turn meanwhile, [`harness::Session::while_idle`]);
//! `at_zhengzhou_hall` walks three applications in a row. Started last, as their former names
//! had it, they kept the run going 30 s after the others were done.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod abandoned;
mod at_zhengzhou_hall;
mod camera;
mod hall;
mod harness;
mod home;
mod id_reader;
mod legal_entity;
mod lockdown;
mod recovery;
mod register;
mod review;
mod steps;
mod tianjin_person;
