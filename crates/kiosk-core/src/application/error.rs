//! Why application JSON could not be read (code `APPLICATION_JSON_INVALID`).

use crate::{Catalogued, UserFacing};

/// Why application JSON could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationJsonError {
    /// The text is not an application: where the parser stopped, and what it said.
    #[error("malformed application (line {line}, column {column}): {detail}")]
    Malformed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        detail: String,
    },
}

impl UserFacing for ApplicationJsonError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "APPLICATION_JSON_INVALID",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::Malformed { line, column, .. } => {
                format!("申请数据格式不正确（第 {line} 行第 {column} 列），请检查文件。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::Malformed {
                line,
                column,
                detail,
            } => format!(
                "The application data is malformed (line {line}, column {column}): {detail}. Check the file."
            ),
        }
    }
}

impl From<serde_json::Error> for ApplicationJsonError {
    fn from(e: serde_json::Error) -> Self {
        Self::Malformed {
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        }
    }
}

impl Catalogued for ApplicationJsonError {
    fn samples() -> Vec<Self> {
        vec![Self::Malformed {
            line: 1,
            column: 1,
            detail: "<原因 reason>".into(),
        }]
    }
}
