//! Why a document could not be made or printed (the renderer's own errors are
//! `kiosk_docs::DocsError`).

use kiosk_core::{Catalogued, UserFacing};

/// Why a document could not be made or printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentsError {
    /// Risk letters are for legal-entity registrations only.
    #[error("risk letter not applicable")]
    RiskLetterNotApplicable,
    /// A draft has no receipt.
    #[error("receipt of a draft")]
    ReceiptNotSubmitted,
    /// The draft cannot be read as an application yet.
    #[error("draft incomplete: {detail}")]
    DraftIncomplete {
        /// What the parser said.
        detail: String,
    },
    /// The queued summary cannot be read.
    #[error("summary unreadable")]
    ReceiptSummaryUnreadable,
    /// The document to print is not in the print folder (any more).
    #[error("print file gone")]
    PrintFileGone,
    /// The file to print does not exist.
    #[error("print file missing: {path}")]
    PrintFileMissing {
        /// The path asked for.
        path: String,
    },
    /// The print folder cannot be used.
    #[error("print folder {path}: {detail}")]
    PrintFolderFailed {
        /// The folder.
        path: String,
        /// The I/O error.
        detail: String,
    },
    /// Not a paper the kiosk prints on.
    #[error("unknown paper {text}")]
    PaperUnknown {
        /// What was asked for.
        text: String,
    },
}

impl UserFacing for DocumentsError {
    fn code(&self) -> &'static str {
        match self {
            Self::RiskLetterNotApplicable => "RISK_LETTER_NOT_APPLICABLE",
            Self::ReceiptNotSubmitted => "RECEIPT_NOT_SUBMITTED",
            Self::DraftIncomplete { .. } => "DRAFT_INCOMPLETE",
            Self::ReceiptSummaryUnreadable => "RECEIPT_SUMMARY_UNREADABLE",
            Self::PrintFileGone | Self::PrintFileMissing { .. } => "PRINT_FILE_MISSING",
            Self::PrintFolderFailed { .. } => "PRINT_FOLDER_FAILED",
            Self::PaperUnknown { .. } => "PAPER_UNKNOWN",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::RiskLetterNotApplicable => "只有法人（单位）用户注册需要风险承诺书。".to_owned(),
            Self::ReceiptNotSubmitted => {
                "这份申请还没有提交，不能打印受理回执。请先提交申请。".to_owned()
            }
            Self::DraftIncomplete { .. } => {
                "草稿还没有填完，暂时不能生成风险承诺书。请先填写单位信息和法定代表人。".to_owned()
            }
            Self::ReceiptSummaryUnreadable => {
                "这份申请的摘要无法读取，不能打印回执。请联系管理员。".to_owned()
            }
            Self::PrintFileGone => "要打印的文书不存在或已打印。请重新生成文书。".to_owned(),
            Self::PrintFileMissing { path } => {
                format!("找不到要打印的文件 {path}。请重新生成文书。")
            }
            Self::PrintFolderFailed { path, detail } => {
                format!("无法使用打印文件夹 {path}（{detail}）。请检查磁盘空间和目录权限。")
            }
            Self::PaperUnknown { text } => format!("不支持的纸张“{text}”。请选择 a4 或 80mm。"),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::RiskLetterNotApplicable => {
                "Only legal-entity registrations need a risk commitment letter.".to_owned()
            }
            Self::ReceiptNotSubmitted => "This application has not been submitted yet; submit it before printing a receipt.".to_owned(),
            Self::DraftIncomplete { detail } => format!(
                "The draft is not complete yet ({detail}); fill in the unit and legal representative first."
            ),
            Self::ReceiptSummaryUnreadable => "The application's summary cannot be read, so no receipt can be printed. Call an administrator.".to_owned(),
            Self::PrintFileGone => "The document to print does not exist or was already printed. Generate it again.".to_owned(),
            Self::PrintFileMissing { path } => format!(
                "The file to print, {path}, does not exist. Generate the document again."
            ),
            Self::PrintFolderFailed { path, detail } => format!(
                "Cannot use the print folder {path} ({detail}). Check disk space and folder permissions."
            ),
            Self::PaperUnknown { text } => format!("Unknown paper {text:?}. Choose a4 or 80mm."),
        }
    }
}

impl Catalogued for DocumentsError {
    fn samples() -> Vec<Self> {
        vec![
            Self::RiskLetterNotApplicable,
            Self::ReceiptNotSubmitted,
            Self::DraftIncomplete {
                detail: "<reason>".into(),
            },
            Self::ReceiptSummaryUnreadable,
            Self::PrintFileGone,
            Self::PrintFileMissing {
                path: "<路径>".into(),
            },
            Self::PrintFolderFailed {
                path: "<路径>".into(),
                detail: "<原因>".into(),
            },
            Self::PaperUnknown {
                text: "<纸张>".into(),
            },
        ]
    }
}
