//! The engines of one kiosk process: the lexicon and the recogniser load on first use, once
//! (a failed load is tried again next time, so installing the package mends it without a
//! restart), and this visitor's choices are kept beside them until forgotten.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use crate::data::{DataKind, DataPaths};
use crate::error::ImeError;
use crate::handwriting::{self, Ink, Recognised, Zinnia};
use crate::pinyin::{self, Chosen, Lexicon, PinyinPage, SessionMemory};

/// The input method's engines and session memory; `Send + Sync`, shared by every request.
#[derive(Debug)]
pub struct Engines {
    paths: DataPaths,
    lexicon: Mutex<Option<Arc<Lexicon>>>,
    recogniser: Mutex<Option<Arc<Mutex<Zinnia>>>>,
    memory: Mutex<SessionMemory>,
}

/// Locks `mutex`, taking the value over from a thread that panicked while holding it (every
/// value here stays consistent between statements).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Engines {
    /// Engines reading their data from `paths`; nothing is loaded yet.
    pub fn new(paths: DataPaths) -> Self {
        Self {
            paths,
            lexicon: Mutex::new(None),
            recogniser: Mutex::new(None),
            memory: Mutex::new(SessionMemory::default()),
        }
    }

    /// Where the data is read.
    pub fn paths(&self) -> &DataPaths {
        &self.paths
    }

    /// The lexicon, loaded on first use.
    pub fn lexicon(&self) -> Result<Arc<Lexicon>, ImeError> {
        let mut loaded = lock(&self.lexicon);
        if let Some(lexicon) = loaded.as_ref() {
            return Ok(Arc::clone(lexicon));
        }
        let path = &self.paths.pinyin_dictionary;
        let started = Instant::now();
        let text = std::fs::read_to_string(path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => ImeError::DataMissing {
                kind: DataKind::PinyinDictionary,
                path: path.clone(),
            },
            _ => ImeError::DataInvalid {
                kind: DataKind::PinyinDictionary,
                detail: error.to_string(),
            },
        })?;
        let lexicon = Lexicon::parse(&text).map_err(|error| ImeError::DataInvalid {
            kind: DataKind::PinyinDictionary,
            detail: error.to_string(),
        })?;
        log::info!(
            "pinyin lexicon loaded: {} words, {} syllables, {} lines skipped, {} ms",
            lexicon.len(),
            lexicon.syllables().len(),
            lexicon.skipped(),
            started.elapsed().as_millis()
        );
        let lexicon = Arc::new(lexicon);
        *loaded = Some(Arc::clone(&lexicon));
        Ok(lexicon)
    }

    fn recogniser(&self) -> Result<Arc<Mutex<Zinnia>>, ImeError> {
        let mut loaded = lock(&self.recogniser);
        if let Some(recogniser) = loaded.as_ref() {
            return Ok(Arc::clone(recogniser));
        }
        let model = &self.paths.handwriting_model;
        if !model.is_file() {
            return Err(ImeError::DataMissing {
                kind: DataKind::HandwritingModel,
                path: model.clone(),
            });
        }
        let started = Instant::now();
        let zinnia =
            Zinnia::open(&self.paths.zinnia_library, model).map_err(|error| match error {
                handwriting::ZinniaError::Library(_) => ImeError::DataMissing {
                    kind: DataKind::HandwritingLibrary,
                    path: self.paths.zinnia_library.clone().into(),
                },
                other => ImeError::from(handwriting::HandwritingError::from(other)),
            })?;
        log::info!(
            "handwriting model loaded in {} ms",
            started.elapsed().as_millis()
        );
        let recogniser = Arc::new(Mutex::new(zinnia));
        *loaded = Some(Arc::clone(&recogniser));
        Ok(recogniser)
    }

    /// Page `page` of the candidates for `typed`.
    pub fn pinyin(&self, typed: &str, page: u32, page_size: u32) -> Result<PinyinPage, ImeError> {
        let lexicon = self.lexicon()?;
        let memory = lock(&self.memory);
        Ok(pinyin::page(&lexicon, &memory, typed, page, page_size)?)
    }

    /// Records that the visitor chose `text` for the first `consumed` characters of `typed`.
    pub fn choose(&self, typed: &str, text: &str, consumed: u32) -> Result<Chosen, ImeError> {
        let lexicon = self.lexicon()?;
        let mut memory = lock(&self.memory);
        Ok(pinyin::choose(
            &lexicon,
            &mut memory,
            typed,
            text,
            consumed,
        )?)
    }

    /// Wipes this session's choices (the visitor's session ended).
    pub fn forget(&self) {
        lock(&self.memory).forget();
    }

    /// How many choices this session remembers.
    pub fn remembered(&self) -> usize {
        lock(&self.memory).len()
    }

    /// The characters read in `ink`, best first.
    pub fn handwriting(&self, ink: &Ink) -> Result<Vec<Recognised>, ImeError> {
        // Bad strokes are refused before the model is loaded (or found missing).
        let prepared = handwriting::ink::prepare(ink)?;
        if prepared.is_empty() {
            return Ok(Vec::new());
        }
        let recogniser = self.recogniser()?;
        let mut zinnia = lock(&recogniser);
        Ok(handwriting::recognise(&mut zinnia, &prepared)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing() -> DataPaths {
        DataPaths {
            pinyin_dictionary: "/nonexistent/pinyin.dict.yaml".into(),
            handwriting_model: "/nonexistent/handwriting.model".into(),
            zinnia_library: "libzinnia.so.0".to_owned(),
        }
    }

    fn code(error: &ImeError) -> &'static str {
        kiosk_core::problem::UserFacing::code(error)
    }

    #[test]
    fn missing_data_is_reported_not_panicked() {
        let engines = Engines::new(missing());
        let error = engines.pinyin("zhangsan", 0, 5).unwrap_err();
        assert_eq!(code(&error), "IME_DATA_MISSING");
        let ink = Ink {
            strokes: vec![vec![[1.0, 1.0], [9.0, 1.0]]],
            width: 10.0,
            height: 10.0,
        };
        let error = engines.handwriting(&ink).unwrap_err();
        assert_eq!(code(&error), "IME_DATA_MISSING");
        assert!(
            error
                .to_string()
                .contains("tegaki-zinnia-simplified-chinese")
        );
    }

    #[test]
    fn bad_strokes_are_refused_before_loading_anything() {
        let engines = Engines::new(missing());
        let ink = Ink {
            strokes: vec![vec![[f64::NAN, 1.0]]],
            width: 10.0,
            height: 10.0,
        };
        assert_eq!(
            code(&engines.handwriting(&ink).unwrap_err()),
            "IME_STROKES_INVALID"
        );
        let empty = Ink {
            strokes: vec![],
            width: 10.0,
            height: 10.0,
        };
        assert!(engines.handwriting(&empty).unwrap().is_empty());
    }

    #[test]
    fn a_dictionary_installed_later_is_picked_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pinyin.dict.yaml");
        let engines = Engines::new(DataPaths {
            pinyin_dictionary: path.clone(),
            ..missing()
        });
        assert!(engines.pinyin("zhang", 0, 5).is_err());
        std::fs::write(&path, crate::pinyin::lexicon::tests::SAMPLE).unwrap();
        let page = engines.pinyin("zhang", 0, 5).unwrap();
        assert_eq!(page.candidates[0].text, "张");
        std::fs::write(&path, "garbage").unwrap();
        assert!(engines.pinyin("zhang", 0, 5).is_ok(), "loaded once, kept");
    }

    #[test]
    fn an_unreadable_dictionary_is_invalid_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pinyin.dict.yaml");
        std::fs::write(&path, "no entries here").unwrap();
        let engines = Engines::new(DataPaths {
            pinyin_dictionary: path,
            ..missing()
        });
        assert_eq!(
            code(&engines.pinyin("zhang", 0, 5).unwrap_err()),
            "IME_DATA_INVALID"
        );
    }

    #[test]
    fn engines_are_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Engines>();
    }
}
