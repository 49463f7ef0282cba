//! Time as the service halls live it, in one place for every crate of the product.
//!
//! - [`china`]: China Standard Time (UTC+8 all year, no daylight saving): the calendar day,
//!   the minute and hour of the day, and dates and times as printed on receipts and letters.
//! - [`civil`]: Unix day numbers to and from calendar dates.
//! - [`hours`]: daily service hours (`08:00-18:00`, possibly past midnight), as platform
//!   profiles and `platformd` state them.
//! - [`source`]: the [`Clock`] trait, the system clock and a clock tests set by hand. The
//!   system clock here is the only place of the product that reads the wall clock; every
//!   rule takes "now" as a parameter.
//!
//! May import: nothing (std only). Imported by kiosk-core, kiosk-api, kiosk-sync and platform.

#![deny(missing_docs)]

pub mod china;
pub mod civil;
pub mod hours;
pub mod source;

pub use china::{date_text, day_number, hour, minute_of_day, timestamp_text};
pub use hours::DailyHours;
pub use source::{Clock, ManualClock, SystemClock, now_ms};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
