//! The wall clock, read only at the front doors: use cases take `now` as a parameter. China
//! time, printed dates and service hours live in the `china_clock` crate, the product's one
//! clock module; the front doors (the shell, kioskctl) reach it here.

pub use china_clock::{date_text, hour, minute_of_day, now_ms, timestamp_text};
