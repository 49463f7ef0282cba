//! Chinese input for the on-screen keyboard: pinyin candidates, the visitor's choices ranked
//! first until the session ends, and handwriting. The app keeps one [`Ime`] in its state and
//! `kioskctl ime` makes one per run; both call the functions below. The engines
//! (`kiosk-ime`) load on first use and write nothing to disk.

use std::path::PathBuf;

use kiosk_core::Problem;
use kiosk_ime::{DataPaths, Engines};

pub use kiosk_ime::{Chosen, Ink, PinyinCandidate, PinyinPage, Recognised};

mod error;

pub use error::ImeApiError;

/// Environment variable naming a rime pinyin dictionary to read instead of Debian's
/// (`/usr/share/rime-data/pinyin_simp.dict.yaml`).
pub const PINYIN_DICTIONARY_ENV: &str = "KIOSK_IME_PINYIN_DICT";
/// Environment variable naming a zinnia model to read instead of Debian's tegaki model.
pub const HANDWRITING_MODEL_ENV: &str = "KIOSK_IME_HANDWRITING_MODEL";
/// Candidates on a page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 8;
/// The largest strokes file `kioskctl ime handwriting` reads.
pub const MAX_STROKES_FILE: u64 = 4 * 1024 * 1024;

/// The input method of one kiosk process: engines and the current visitor's choices.
#[derive(Debug)]
pub struct Ime {
    engines: Engines,
}

impl Ime {
    /// Reads Debian's data, or the files the environment variables above name.
    pub fn from_env() -> Self {
        let mut paths = DataPaths::default();
        if let Some(path) = std::env::var_os(PINYIN_DICTIONARY_ENV).filter(|p| !p.is_empty()) {
            paths.pinyin_dictionary = PathBuf::from(path);
        }
        if let Some(path) = std::env::var_os(HANDWRITING_MODEL_ENV).filter(|p| !p.is_empty()) {
            paths.handwriting_model = PathBuf::from(path);
        }
        Self::with_paths(paths)
    }

    /// Reads the data at `paths`.
    pub fn with_paths(paths: DataPaths) -> Self {
        Self {
            engines: Engines::new(paths),
        }
    }
}

/// Page `page` (from 0) of the candidates for the typed `input`, `page_size` a page (default
/// [`DEFAULT_PAGE_SIZE`], at most 20).
pub fn pinyin(
    ime: &Ime,
    input: &str,
    page: u32,
    page_size: Option<u32>,
) -> Result<PinyinPage, Problem> {
    Ok(ime
        .engines
        .pinyin(input, page, page_size.unwrap_or(DEFAULT_PAGE_SIZE))?)
}

/// The visitor chose `candidate` for `input`: remembered for this session (it ranks first
/// next time); returns the characters to write and the letters left to convert.
pub fn choose(ime: &Ime, input: &str, candidate: &PinyinCandidate) -> Result<Chosen, Problem> {
    Ok(ime
        .engines
        .choose(input, &candidate.text, candidate.consumed)?)
}

/// Forgets every choice of the visitor's session (called when the session is wiped).
pub fn forget(ime: &Ime) {
    ime.engines.forget();
}

/// How many choices the session remembers (for tests and the support screen; never which).
pub fn remembered(ime: &Ime) -> usize {
    ime.engines.remembered()
}

/// The characters read in handwritten `ink`, best first (empty when nothing was drawn).
pub fn handwriting(ime: &Ime, ink: &Ink) -> Result<Vec<Recognised>, Problem> {
    Ok(ime.engines.handwriting(ink)?)
}

fn strokes_json_invalid(detail: &str) -> Problem {
    ImeApiError::StrokesJsonInvalid(detail.to_owned()).into()
}

/// Strokes from JSON text: an [`Ink`] object, or an object holding one under `ink` (the test
/// fixtures' form).
pub fn ink_from_json(text: &str) -> Result<Ink, Problem> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| strokes_json_invalid(&e.to_string()))?;
    let ink = match value.get("ink") {
        Some(inner) => inner.clone(),
        None => value,
    };
    serde_json::from_value(ink).map_err(|e| strokes_json_invalid(&e.to_string()))
}

/// Strokes from a JSON file (at most [`MAX_STROKES_FILE`] bytes).
pub fn ink_from_file(path: &std::path::Path) -> Result<Ink, Problem> {
    let unreadable = |detail: String| -> Problem {
        ImeApiError::StrokesFileUnreadable {
            path: path.to_path_buf(),
            detail,
        }
        .into()
    };
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > MAX_STROKES_FILE {
        return Err(unreadable(format!(
            "{size} bytes, at most {MAX_STROKES_FILE}"
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    ink_from_json(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_dictionary(dir: &std::path::Path) -> PathBuf {
        let path = dir.join("pinyin.dict.yaml");
        std::fs::write(
            &path,
            "...\n张\tzhang\t27300\n章\tzhang\t6000\n三\tsan\t20000\n张三\tzhang san\t361\n\
             山\tshan\t9000\n章三\tzhang san\t10\n",
        )
        .unwrap();
        path
    }

    fn ime(dir: &std::path::Path) -> Ime {
        Ime::with_paths(DataPaths {
            pinyin_dictionary: sample_dictionary(dir),
            handwriting_model: dir.join("missing.model"),
            zinnia_library: "libzinnia.so.0".to_owned(),
        })
    }

    #[test]
    fn a_choice_ranks_first_until_the_session_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let ime = ime(dir.path());
        let page = pinyin(&ime, "zhangsan", 0, None).unwrap();
        assert_eq!(page.page_size, DEFAULT_PAGE_SIZE);
        assert_eq!(page.candidates[0].text, "张三");
        let other = page.candidates.iter().find(|c| c.text == "章三").unwrap();
        let chosen = choose(&ime, "zhangsan", other).unwrap();
        assert_eq!((chosen.text.as_str(), chosen.rest.as_str()), ("章三", ""));
        assert_eq!(remembered(&ime), 1);
        let again = pinyin(&ime, "zhangsan", 0, Some(3)).unwrap();
        assert_eq!(again.candidates[0].text, "章三");
        forget(&ime);
        assert_eq!(remembered(&ime), 0);
        let forgotten = pinyin(&ime, "zhangsan", 0, Some(3)).unwrap();
        assert_eq!(forgotten.candidates[0].text, "张三");
    }

    #[test]
    fn bad_input_gets_stable_codes() {
        let dir = tempfile::tempdir().unwrap();
        let ime = ime(dir.path());
        assert_eq!(
            pinyin(&ime, "张三", 0, None).unwrap_err().code,
            "IME_INPUT_INVALID"
        );
        assert_eq!(
            pinyin(&ime, "zhang", 0, Some(0)).unwrap_err().code,
            "IME_PAGE_SIZE_INVALID"
        );
        let stale = PinyinCandidate {
            text: "王五".into(),
            consumed: 8,
            pinyin: "wang wu".into(),
        };
        assert_eq!(
            choose(&ime, "zhangsan", &stale).unwrap_err().code,
            "IME_CANDIDATE_UNKNOWN"
        );
        let ink =
            ink_from_json(r#"{"width": 10, "height": 10, "strokes": [[[1, 1], [9, 9]]]}"#).unwrap();
        let missing = handwriting(&ime, &ink).unwrap_err();
        assert_eq!(missing.code, "IME_DATA_MISSING");
        assert!(missing.zh.contains("tegaki-zinnia-simplified-chinese"));
    }

    #[test]
    fn strokes_json_is_an_ink_or_holds_one() {
        let plain = ink_from_json(r#"{"width": 300, "height": 200, "strokes": []}"#).unwrap();
        assert_eq!(plain.width, 300.0);
        let fixture = ink_from_json(
            r#"{"character": "一", "ink": {"width": 1, "height": 2, "strokes": [[[0, 1]]]}}"#,
        )
        .unwrap();
        assert_eq!(fixture.strokes.len(), 1);
        for bad in [
            "",
            "[]",
            "{\"width\": 1}",
            "{\"strokes\": \"x\", \"width\": 1, \"height\": 1}",
        ] {
            assert_eq!(
                ink_from_json(bad).unwrap_err().code,
                "IME_STROKES_JSON_INVALID",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_strokes_file_is_read_or_refused() {
        let dir = tempfile::tempdir().unwrap();
        let missing = ink_from_file(&dir.path().join("none.json")).unwrap_err();
        assert_eq!(missing.code, "IME_STROKES_FILE_UNREADABLE");
        let path = dir.path().join("ink.json");
        std::fs::write(&path, r#"{"width": 5, "height": 5, "strokes": [[[1, 1]]]}"#).unwrap();
        assert_eq!(ink_from_file(&path).unwrap().height, 5.0);
    }
}
