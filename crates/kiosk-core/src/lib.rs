//! The kiosk's pure domain: identity rules, platform profiles and the application lifecycle.
//!
//! Nothing in this crate performs I/O (no files, clock, network or randomness): callers pass
//! in everything a rule needs, which keeps every rule deterministic and testable.
//!
//! May import: china-clock (pure functions of a given time). Imported by every kiosk crate.
#![deny(missing_docs)]

pub mod application;
pub mod checks;
pub mod date;
pub mod document;
pub mod field;
pub mod form;
pub mod kiosk;
pub mod letter_qr;
pub mod lifecycle;
pub mod privacy;
pub mod problem;
pub mod profile;
pub mod receipt;
pub mod reference;
pub mod review;
pub mod settings;
#[macro_use]
pub mod rules;
// After `rules`: uses its `user_facing_errors!` macro.
pub mod id_card;
pub mod sms;
pub mod validate;
pub mod wizard;

pub use application::{Application, ApplicationForm, ApplicationKind, MaskedSummary};
pub use date::Date;
pub use document::{DocumentType, Sex};
pub use field::{FieldKind, FieldReport, check_field};
pub use kiosk::KioskMode;
pub use problem::{CatalogueEntry, Catalogued, Problem, UserFacing, catalogue_of};
pub use profile::Profile;
pub use validate::{ApplicationReport, validate_application};
