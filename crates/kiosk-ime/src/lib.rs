//! Chinese input for the kiosk's on-screen keyboard, where no desktop input method runs.
//!
//! - [`pinyin`]: an engine of our own over Debian's `rime-data-pinyin-simp` lexicon (65,000
//!   words and characters with usage weights): syllable segmentation with apostrophes,
//!   initials typed alone (`bjs`), the last syllable unfinished, sentences joined from words,
//!   paging, choosing the first syllables only, and the session's choices ranked first until
//!   [`Engines::forget`]. Pure functions over the parsed lexicon.
//! - [`handwriting`]: Debian's zinnia recogniser with the tegaki Simplified Chinese model,
//!   loaded at run time (the crate's one `unsafe` module, [`handwriting::zinnia`]).
//! - [`Engines`]: both engines loaded on first use, shared by all requests, and the session's
//!   memory. Nothing is written to disk.
//!
//! May import: kiosk-core. Imported by kiosk-api.
#![deny(missing_docs)]

pub mod data;
pub mod engines;
pub mod error;
pub mod handwriting;
pub mod pinyin;

pub use data::{DataKind, DataPaths};
pub use engines::Engines;
pub use error::ImeError;
pub use handwriting::{Ink, Recognised};
pub use pinyin::{Chosen, PinyinCandidate, PinyinPage};
