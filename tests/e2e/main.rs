//! Real-app end-to-end tests: the freshly built kiosk driven through WebDriver
//! (tauri-driver and WebKitWebDriver) under Xvfb, one module per journey. They share one test
//! binary so the app's test harness is linked once and the sessions can be rationed
//! (see [`harness::PARALLEL_SESSIONS`]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod camera;
mod hall;
mod harness;
mod home;
mod legal_entity;
mod lockdown;
mod recovery;
mod register;
mod review;
mod self_service;
mod steps;
mod tianjin_person;
mod zhengzhou;
