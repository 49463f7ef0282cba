//! Offline voice guidance for the self-service kiosk.
//!
//! The kiosk reads each self-service step aloud, in Mandarin, without a network. The speech is
//! made by Debian's `espeak-ng` (run as a program, [`Speaker`]) with its `cmn-latn-pinyin`
//! voice: hanzi are read through espeak's Mandarin dictionary, and what that dictionary reads
//! wrongly is written out first as tone-numbered pinyin ([`reading::for_espeak`]: heteronym
//! phrases such as 长辈 *zhang3 bei4*, long digit runs digit by digit). The result is a WAV
//! ([`Wav`], header checked and its sizes set) the web view plays.
//!
//! This crate speaks the text it is given; what is said (step prompts, never what a visitor
//! typed) is composed by `kiosk-api`.
//!
//! May import: kiosk-core. Imported by kiosk-api.
#![deny(missing_docs)]

mod error;
pub mod reading;
mod speaker;
pub mod wav;

pub use error::VoiceError;
pub use speaker::{DEFAULT_PROGRAM, Language, MAX_TEXT_CHARS, PROGRAM_ENV, Speaker};
pub use wav::Wav;
