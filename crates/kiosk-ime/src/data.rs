//! Where the engines' data lives, and which Debian package brings it.

use std::path::PathBuf;

/// The pinyin lexicon of Debian's `rime-data-pinyin-simp` (the Android pinyin IME's word list,
/// Simplified Chinese, with usage weights).
pub const DEBIAN_PINYIN_DICTIONARY: &str = "/usr/share/rime-data/pinyin_simp.dict.yaml";
/// The zinnia model of Debian's `tegaki-zinnia-simplified-chinese`.
pub const DEBIAN_HANDWRITING_MODEL: &str =
    "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";
/// The zinnia library of Debian's `libzinnia0` (found through the loader's search path).
pub const DEBIAN_ZINNIA_LIBRARY: &str = "libzinnia.so.0";

/// A piece of data an engine needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// The pinyin dictionary.
    PinyinDictionary,
    /// The handwriting model.
    HandwritingModel,
    /// The handwriting recogniser's shared library.
    HandwritingLibrary,
}

impl DataKind {
    /// The Debian package that installs it.
    pub fn package(self) -> &'static str {
        match self {
            Self::PinyinDictionary => "rime-data-pinyin-simp",
            Self::HandwritingModel => "tegaki-zinnia-simplified-chinese",
            Self::HandwritingLibrary => "libzinnia0",
        }
    }

    /// What it is, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::PinyinDictionary => "拼音词库",
            Self::HandwritingModel => "手写识别模型",
            Self::HandwritingLibrary => "手写识别程序库",
        }
    }

    /// What it is, in English.
    pub fn en(self) -> &'static str {
        match self {
            Self::PinyinDictionary => "pinyin dictionary",
            Self::HandwritingModel => "handwriting model",
            Self::HandwritingLibrary => "handwriting library",
        }
    }
}

/// Where the engines read their data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPaths {
    /// A rime `*.dict.yaml` pinyin dictionary with weights.
    pub pinyin_dictionary: PathBuf,
    /// A zinnia model.
    pub handwriting_model: PathBuf,
    /// The zinnia shared library: a file name for the loader's search, or a path.
    pub zinnia_library: String,
}

impl Default for DataPaths {
    /// Debian's paths.
    fn default() -> Self {
        Self {
            pinyin_dictionary: DEBIAN_PINYIN_DICTIONARY.into(),
            handwriting_model: DEBIAN_HANDWRITING_MODEL.into(),
            zinnia_library: DEBIAN_ZINNIA_LIBRARY.to_owned(),
        }
    }
}
