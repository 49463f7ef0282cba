//! Why a support bundle could not be written (code `SUPPORT_BUNDLE_FAILED`).

use std::path::PathBuf;

use kiosk_core::{Catalogued, UserFacing};

/// Why a support bundle could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupportError {
    /// The zip could not be created or written.
    #[error("could not write {path}: {reason}")]
    BundleFailed {
        /// The zip file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

impl UserFacing for SupportError {
    fn code(&self) -> &'static str {
        match self {
            Self::BundleFailed { .. } => "SUPPORT_BUNDLE_FAILED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::BundleFailed { path, reason } => format!(
                "无法写入支持包 {}：{reason}。请换一个可写的位置。",
                path.display()
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::BundleFailed { path, reason } => format!(
                "Could not write the support bundle {}: {reason}. Choose a writable location.",
                path.display()
            ),
        }
    }
}

impl Catalogued for SupportError {
    fn samples() -> Vec<Self> {
        vec![Self::BundleFailed {
            path: PathBuf::from("<路径 path>"),
            reason: "<原因 reason>".into(),
        }]
    }
}
