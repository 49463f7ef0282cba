//! Why a strokes file for handwriting could not be used (codes `IME_STROKES_*`).

use std::path::PathBuf;

use kiosk_core::{Catalogued, UserFacing};

/// Why a strokes file for handwriting could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImeApiError {
    /// The strokes are not JSON of the expected shape.
    #[error("strokes JSON invalid: {0}")]
    StrokesJsonInvalid(String),
    /// The strokes file cannot be read (missing, too large, not UTF-8).
    #[error("strokes file {path} unreadable: {detail}")]
    StrokesFileUnreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
}

impl UserFacing for ImeApiError {
    fn code(&self) -> &'static str {
        match self {
            Self::StrokesJsonInvalid(_) => "IME_STROKES_JSON_INVALID",
            Self::StrokesFileUnreadable { .. } => "IME_STROKES_FILE_UNREADABLE",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::StrokesJsonInvalid(detail) => format!(
                "笔迹文件不是有效的 JSON（{detail}）。应为 {{\"width\": 宽, \"height\": 高, \"strokes\": [[[x, y], ...], ...]}}。"
            ),
            Self::StrokesFileUnreadable { path, detail } => format!(
                "无法读取笔迹文件 {}：{detail}。请检查路径。",
                path.display()
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::StrokesJsonInvalid(detail) => format!(
                "The strokes file is not valid JSON ({detail}). Expected {{\"width\": W, \"height\": H, \"strokes\": [[[x, y], ...], ...]}}."
            ),
            Self::StrokesFileUnreadable { path, detail } => format!(
                "The strokes file {} cannot be read: {detail}. Check the path.",
                path.display()
            ),
        }
    }
}

impl Catalogued for ImeApiError {
    fn samples() -> Vec<Self> {
        vec![
            Self::StrokesJsonInvalid("<原因 reason>".into()),
            Self::StrokesFileUnreadable {
                path: PathBuf::from("<路径 path>"),
                detail: "<原因 reason>".into(),
            },
        ]
    }
}
