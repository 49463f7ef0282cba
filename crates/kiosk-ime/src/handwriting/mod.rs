//! Handwriting: strokes drawn on the pad in, ranked characters out. [`ink`] checks and
//! prepares the strokes (pure); [`zinnia`] asks Debian's zinnia recogniser with the tegaki
//! Simplified Chinese model.

pub mod ink;
pub mod zinnia;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use ink::{Ink, InkError, MAX_POINTS, MAX_STROKES, Prepared, prepare};
pub use zinnia::{Zinnia, ZinniaError};

/// The most characters returned for one drawing.
pub const MAX_RESULTS: usize = 10;

/// A character the recogniser read, with its score.
#[derive(Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Recognised {
    /// The character.
    pub text: String,
    /// zinnia's score: higher is more likely; about 1 is a clear match, below -1 a guess.
    pub score: f32,
}

// What was written may be part of a name: Debug shows the score only.
impl std::fmt::Debug for Recognised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recognised(score {:.2})", self.score)
    }
}

/// Why strokes could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandwritingError {
    /// The strokes themselves.
    #[error(transparent)]
    Ink(#[from] InkError),
    /// The recogniser.
    #[error(transparent)]
    Zinnia(#[from] ZinniaError),
}

/// The characters `recogniser` reads in `prepared` strokes, best first (none when nothing was
/// drawn).
pub fn recognise(
    recogniser: &mut Zinnia,
    prepared: &Prepared,
) -> Result<Vec<Recognised>, HandwritingError> {
    if prepared.is_empty() {
        return Ok(Vec::new());
    }
    let found = recogniser.classify(ink::SQUARE.unsigned_abs(), &prepared.strokes, MAX_RESULTS)?;
    Ok(found
        .into_iter()
        .filter(|(text, _)| !text.is_empty())
        .map(|(text, score)| Recognised { text, score })
        .collect())
}
