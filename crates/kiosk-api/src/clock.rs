//! The wall clock, read only at the front doors: use cases take `now` as a parameter. China
//! time, printed dates and service hours live in the `china_clock` crate, the product's one
//! clock module.

pub use china_clock::now_ms;
