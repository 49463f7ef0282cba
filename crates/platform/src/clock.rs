//! The platform's clock, injectable so tests can pin service hours and code expiry: the
//! product's one clock module, `china_clock`, re-exported where the platform's code looks.

pub use china_clock::{Clock, ManualClock, SystemClock};
