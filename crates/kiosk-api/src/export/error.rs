//! Why an offline export failed (codes `EXPORT_*`).

use std::path::PathBuf;

use kiosk_core::{Catalogued, Problem, UserFacing};

/// Why an offline export failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The medium ran out of space while the bundle was written.
    #[error("{0} is full")]
    MediumFull(PathBuf),
    /// The bundle could not be written to the medium.
    #[error("cannot write {path}: {reason}")]
    WriteFailed {
        /// The bundle's path.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The kiosk has no platform credential to seal and sign with.
    #[error("not enrolled")]
    NotEnrolled,
    /// The bundle could not be encoded or streamed.
    #[error("could not encode the bundle: {0}")]
    EncodeFailed(String),
    /// The chosen folder does not exist.
    #[error("no folder {0}")]
    FolderMissing(PathBuf),
    /// No application is waiting to be exported.
    #[error("nothing to export")]
    Nothing,
}

impl UserFacing for ExportError {
    fn code(&self) -> &'static str {
        match self {
            Self::MediumFull(_) => "EXPORT_MEDIUM_FULL",
            Self::WriteFailed { .. } => "EXPORT_WRITE_FAILED",
            Self::NotEnrolled => "EXPORT_NOT_ENROLLED",
            Self::EncodeFailed(_) => "EXPORT_ENCODE_FAILED",
            Self::FolderMissing(_) => "EXPORT_FOLDER_MISSING",
            Self::Nothing => "EXPORT_NOTHING",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::MediumFull(path) => format!(
                "{} 空间不足，导出未完成。请换一个空间更大的移动介质。",
                path.display()
            ),
            Self::WriteFailed { path, reason } => format!(
                "无法写入 {}：{reason}。请检查移动介质是否插好、是否只读。",
                path.display()
            ),
            Self::NotEnrolled => {
                "本机尚未在平台注册，不能导出（导出的申请须加密给平台并由本机签名）。请先完成注册。"
                    .to_owned()
            }
            Self::EncodeFailed(reason) => {
                format!("导出文件无法生成：{reason}。请重试；仍不行请联系技术支持。")
            }
            Self::FolderMissing(dir) => format!(
                "找不到文件夹 {}。请插好移动介质后选择它的文件夹。",
                dir.display()
            ),
            Self::Nothing => {
                "没有需要导出的申请（待审核、已送达或已导出的不会再导出）。".to_owned()
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::MediumFull(path) => format!(
                "{} is full; nothing was exported. Use a larger removable medium.",
                path.display()
            ),
            Self::WriteFailed { path, reason } => format!(
                "Cannot write {}: {reason}. Check that the medium is plugged in and writable.",
                path.display()
            ),
            Self::NotEnrolled => "This kiosk is not enrolled; bundles must be sealed to the platform and signed by the kiosk. Enrol it first.".to_owned(),
            Self::EncodeFailed(reason) => format!(
                "The bundle could not be written: {reason}. Try again; if it persists, call support."
            ),
            Self::FolderMissing(dir) => format!(
                "There is no folder {}. Plug in the medium and choose its folder.",
                dir.display()
            ),
            Self::Nothing => "Nothing to export (applications awaiting review, delivered or already exported are left out).".to_owned(),
        }
    }

    fn problem(&self) -> Problem {
        let problem = Problem::new(self.code(), self.zh(), self.en());
        match self {
            Self::FolderMissing(_) => problem.at("dir"),
            _ => problem,
        }
    }
}

impl Catalogued for ExportError {
    fn samples() -> Vec<Self> {
        let path = || PathBuf::from("<路径 path>");
        vec![
            Self::MediumFull(path()),
            Self::WriteFailed {
                path: path(),
                reason: "<原因 reason>".into(),
            },
            Self::NotEnrolled,
            Self::EncodeFailed("<原因 reason>".into()),
            Self::FolderMissing(path()),
            Self::Nothing,
        ]
    }
}
