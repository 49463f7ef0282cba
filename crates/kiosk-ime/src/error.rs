//! What can go wrong in the input method, in words a visitor or an administrator can act on.

use std::path::PathBuf;

use kiosk_core::problem::UserFacing;

use crate::data::DataKind;
use crate::handwriting::{HandwritingError, InkError, ZinniaError};
use crate::pinyin::{InputError, MAX_INPUT_LEN, MAX_PAGE_SIZE, PinyinError};

/// Everything that can go wrong while typing pinyin or handwriting.
#[derive(Debug, thiserror::Error)]
pub enum ImeError {
    /// A dictionary, model or library is not installed.
    #[error("{} missing at {}: install {}", .kind.en(), .path.display(), .kind.package())]
    DataMissing {
        /// What is missing.
        kind: DataKind,
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The data is there but unusable.
    #[error("{} unusable: {detail}", .kind.en())]
    DataInvalid {
        /// Which data.
        kind: DataKind,
        /// What went wrong.
        detail: String,
    },
    /// The pinyin request.
    #[error(transparent)]
    Pinyin(#[from] PinyinError),
    /// The strokes.
    #[error(transparent)]
    Ink(#[from] InkError),
    /// The recogniser gave no answer.
    #[error("handwriting recogniser failed")]
    Recogniser,
}

impl From<HandwritingError> for ImeError {
    fn from(error: HandwritingError) -> Self {
        match error {
            HandwritingError::Ink(ink) => Self::Ink(ink),
            HandwritingError::Zinnia(ZinniaError::Library(detail)) => Self::DataInvalid {
                kind: DataKind::HandwritingLibrary,
                detail,
            },
            HandwritingError::Zinnia(ZinniaError::Model(detail)) => Self::DataInvalid {
                kind: DataKind::HandwritingModel,
                detail,
            },
            HandwritingError::Zinnia(ZinniaError::Classify) => Self::Recogniser,
        }
    }
}

impl UserFacing for ImeError {
    fn code(&self) -> &'static str {
        match self {
            Self::DataMissing { .. } => "IME_DATA_MISSING",
            Self::DataInvalid { .. } => "IME_DATA_INVALID",
            Self::Pinyin(PinyinError::Input(InputError::NotPinyin)) => "IME_INPUT_INVALID",
            Self::Pinyin(PinyinError::Input(InputError::TooLong(_))) => "IME_INPUT_TOO_LONG",
            Self::Pinyin(PinyinError::PageSize) => "IME_PAGE_SIZE_INVALID",
            Self::Pinyin(PinyinError::UnknownCandidate) => "IME_CANDIDATE_UNKNOWN",
            Self::Ink(InkError::Canvas | InkError::NotFinite) => "IME_STROKES_INVALID",
            Self::Ink(InkError::TooManyStrokes(_) | InkError::TooManyPoints(_)) => {
                "IME_STROKES_TOO_MANY"
            }
            Self::Recogniser => "IME_RECOGNISER_FAILED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::DataMissing { kind, path } => format!(
                "未安装{}（{}）。请工作人员安装 Debian 软件包 {} 后重试；此前请使用其他输入方式。",
                kind.zh(),
                path.display(),
                kind.package()
            ),
            Self::DataInvalid { kind, .. } => format!(
                "{}已损坏或无法使用。请工作人员重新安装 Debian 软件包 {}。",
                kind.zh(),
                kind.package()
            ),
            Self::Pinyin(PinyinError::Input(InputError::NotPinyin)) => {
                "拼音只能包含字母 a-z 和分隔符（'）。请删除其他字符后重试。".to_owned()
            }
            Self::Pinyin(PinyinError::Input(InputError::TooLong(_))) => format!(
                "拼音太长（最多 {MAX_INPUT_LEN} 个字母）。请先选择已输入部分的候选字，再继续输入。"
            ),
            Self::Pinyin(PinyinError::PageSize) => {
                format!("每页候选数应为 1 到 {MAX_PAGE_SIZE}。")
            }
            Self::Pinyin(PinyinError::UnknownCandidate) => {
                "所选候选字已失效。请重新选择候选字。".to_owned()
            }
            Self::Ink(InkError::Canvas | InkError::NotFinite) => {
                "手写笔迹无法识别。请清除后重新书写。".to_owned()
            }
            Self::Ink(InkError::TooManyStrokes(_) | InkError::TooManyPoints(_)) => {
                "笔画太多。请一次只写一个字：清除后重新书写。".to_owned()
            }
            Self::Recogniser => "手写识别暂时失败。请清除后重新书写，或改用拼音输入。".to_owned(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::DataMissing { kind, path } => format!(
                "The {} is not installed ({}). Ask staff to install the Debian package {}; use another input method meanwhile.",
                kind.en(),
                path.display(),
                kind.package()
            ),
            Self::DataInvalid { kind, .. } => format!(
                "The {} is damaged or unusable. Ask staff to reinstall the Debian package {}.",
                kind.en(),
                kind.package()
            ),
            Self::Pinyin(PinyinError::Input(InputError::NotPinyin)) => {
                "Pinyin may only hold the letters a-z and the separator ('). Delete the other characters and try again.".to_owned()
            }
            Self::Pinyin(PinyinError::Input(InputError::TooLong(_))) => format!(
                "The pinyin is too long (at most {MAX_INPUT_LEN} letters). Choose a candidate for what you typed, then go on typing."
            ),
            Self::Pinyin(PinyinError::PageSize) => {
                format!("A page holds 1 to {MAX_PAGE_SIZE} candidates.")
            }
            Self::Pinyin(PinyinError::UnknownCandidate) => {
                "The chosen candidate is no longer offered. Choose a candidate again.".to_owned()
            }
            Self::Ink(InkError::Canvas | InkError::NotFinite) => {
                "The handwriting could not be read. Clear the pad and write again.".to_owned()
            }
            Self::Ink(InkError::TooManyStrokes(_) | InkError::TooManyPoints(_)) => {
                "Too many strokes. Write one character at a time: clear the pad and write again.".to_owned()
            }
            Self::Recogniser => {
                "Handwriting recognition failed. Clear the pad and write again, or use pinyin.".to_owned()
            }
        }
    }
}

impl kiosk_core::Catalogued for ImeError {
    fn samples() -> Vec<Self> {
        vec![
            Self::DataMissing {
                kind: DataKind::PinyinDictionary,
                path: PathBuf::from("<路径> / <path>"),
            },
            Self::DataInvalid {
                kind: DataKind::HandwritingModel,
                detail: "<原因> / <reason>".into(),
            },
            Self::Pinyin(PinyinError::Input(InputError::NotPinyin)),
            Self::Pinyin(PinyinError::Input(InputError::TooLong(MAX_INPUT_LEN + 1))),
            Self::Pinyin(PinyinError::PageSize),
            Self::Pinyin(PinyinError::UnknownCandidate),
            Self::Ink(InkError::Canvas),
            Self::Ink(InkError::TooManyStrokes(1000)),
            Self::Recogniser,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_data_names_the_package_to_install() {
        let error = ImeError::DataMissing {
            kind: DataKind::HandwritingModel,
            path: "/nowhere/model".into(),
        };
        assert_eq!(error.code(), "IME_DATA_MISSING");
        assert!(error.zh().contains("tegaki-zinnia-simplified-chinese"));
        assert!(error.en().contains("tegaki-zinnia-simplified-chinese"));
    }

    #[test]
    fn every_error_has_a_code_and_two_messages() {
        let all = [
            ImeError::DataMissing {
                kind: DataKind::PinyinDictionary,
                path: "/x".into(),
            },
            ImeError::DataInvalid {
                kind: DataKind::HandwritingLibrary,
                detail: "x".into(),
            },
            PinyinError::Input(InputError::NotPinyin).into(),
            PinyinError::Input(InputError::TooLong(99)).into(),
            PinyinError::PageSize.into(),
            PinyinError::UnknownCandidate.into(),
            InkError::Canvas.into(),
            InkError::NotFinite.into(),
            InkError::TooManyStrokes(99).into(),
            InkError::TooManyPoints(99_999).into(),
            ImeError::Recogniser,
        ];
        for error in &all {
            let code = error.code();
            assert!(code.starts_with("IME_"), "{code}");
            assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            assert!(!error.zh().is_empty() && !error.en().is_empty(), "{code}");
        }
    }
}
