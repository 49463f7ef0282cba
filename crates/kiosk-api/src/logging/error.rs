//! Why the log could not be written (code `LOG_DIR_UNWRITABLE`).

use std::path::PathBuf;

use kiosk_core::{Catalogued, UserFacing};

/// Why the log could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// The log folder cannot be created or written.
    #[error("cannot write the log folder {dir}: {reason}")]
    DirUnwritable {
        /// The log folder.
        dir: PathBuf,
        /// What the system said.
        reason: String,
    },
}

impl UserFacing for LogError {
    fn code(&self) -> &'static str {
        match self {
            Self::DirUnwritable { .. } => "LOG_DIR_UNWRITABLE",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::DirUnwritable { dir, reason } => format!(
                "无法写入日志目录 {}：{reason}。请检查数据目录的权限和剩余空间。",
                dir.display()
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::DirUnwritable { dir, reason } => format!(
                "Cannot write the log folder {}: {reason}. Check the data directory's permissions and free space.",
                dir.display()
            ),
        }
    }
}

impl Catalogued for LogError {
    fn samples() -> Vec<Self> {
        vec![Self::DirUnwritable {
            dir: PathBuf::from("<路径 path>"),
            reason: "<原因 reason>".into(),
        }]
    }
}
