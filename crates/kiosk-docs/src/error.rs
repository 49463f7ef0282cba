//! Errors of document rendering and printing, each with a stable code and messages that say
//! what to do next.

use kiosk_core::UserFacing;

/// Why a document could not be produced or printed.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// The font file is missing or unreadable.
    #[error("font file {path} cannot be read: {source}")]
    FontUnreadable {
        /// Where the font was looked for.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The font file is not a usable OpenType font.
    #[error("font file is not a usable OpenType font")]
    FontInvalid,
    /// No template exists for this profile, document kind and version.
    #[error("no {kind} template for profile {profile:?}, version {version:?}")]
    TemplateMissing {
        /// Platform profile, e.g. `tianjin`.
        profile: String,
        /// Document kind, e.g. `risk-letter`.
        kind: &'static str,
        /// The requested version (`latest` when none was given).
        version: String,
    },
    /// A template file does not have the expected fields.
    #[error("template {path} is invalid: {reason}")]
    TemplateInvalid {
        /// Path of the template inside `assets/templates/`.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The application number cannot be encoded as a QR code (too long).
    #[error("application number of {length} bytes does not fit in a QR code")]
    QrTooLong {
        /// Length of the application number in bytes.
        length: usize,
    },
    /// No printer is set up in CUPS (none named and no default).
    #[error("no printer is configured and CUPS has no default printer")]
    NoPrinter,
    /// The named printer does not exist in CUPS.
    #[error("printer {name:?} is not known to CUPS")]
    PrinterNotFound {
        /// The printer that was asked for.
        name: String,
    },
    /// The CUPS scheduler does not answer or its tools are missing.
    #[error("CUPS is not available: {detail}")]
    CupsUnavailable {
        /// What `lp`/`lpstat` reported.
        detail: String,
    },
    /// CUPS refused or failed the job (printer stopped, paper out, job aborted).
    #[error("print job failed: {detail}")]
    PrintFailed {
        /// What CUPS reported.
        detail: String,
    },
    /// Writing the document failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// Target path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl UserFacing for DocsError {
    fn code(&self) -> &'static str {
        match self {
            Self::FontUnreadable { .. } => "DOC_FONT_MISSING",
            Self::FontInvalid => "DOC_FONT_INVALID",
            Self::TemplateMissing { .. } => "DOC_TEMPLATE_MISSING",
            Self::TemplateInvalid { .. } => "DOC_TEMPLATE_INVALID",
            Self::QrTooLong { .. } => "DOC_APPLICATION_NO_TOO_LONG",
            Self::NoPrinter => "PRINTER_NONE",
            Self::PrinterNotFound { .. } => "PRINTER_NOT_FOUND",
            Self::CupsUnavailable { .. } => "PRINTER_SYSTEM_UNAVAILABLE",
            Self::PrintFailed { .. } => "PRINT_JOB_FAILED",
            Self::Write { .. } => "DOC_WRITE_FAILED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::FontUnreadable { path, .. } => {
                format!("找不到打印字体 {path}。请重新安装本软件，或联系运维人员。")
            }
            Self::FontInvalid => "打印字体文件已损坏。请重新安装本软件，或联系运维人员。".into(),
            Self::TemplateMissing {
                profile, version, ..
            } => format!(
                "平台“{profile}”没有版本为“{version}”的文书模板。请更新本软件，或联系运维人员。"
            ),
            Self::TemplateInvalid { path, .. } => {
                format!("文书模板 {path} 格式有误。请联系运维人员。")
            }
            Self::QrTooLong { .. } => "受理编号过长，无法生成二维码。请联系工作人员。".into(),
            Self::NoPrinter => {
                "没有可用的打印机。请工作人员在系统中添加打印机并设为默认打印机。".into()
            }
            Self::PrinterNotFound { name } => {
                format!("找不到打印机“{name}”。请工作人员检查打印机设置。")
            }
            Self::CupsUnavailable { .. } => {
                "打印服务未运行。请工作人员重启打印服务（CUPS）后再试。".into()
            }
            Self::PrintFailed { detail } => format!(
                "打印失败（{detail}）。请检查打印机是否开机、是否缺纸或卡纸，然后重新打印。"
            ),
            Self::Write { path, .. } => {
                format!("无法保存文件 {path}。请检查磁盘空间和目录权限。")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::FontUnreadable { path, .. } => {
                format!("The print font {path} is missing. Reinstall the software or call support.")
            }
            Self::FontInvalid => {
                "The print font file is damaged. Reinstall the software or call support.".into()
            }
            Self::TemplateMissing {
                profile, version, ..
            } => format!(
                "Platform {profile:?} has no document template version {version:?}. Update the software or call support."
            ),
            Self::TemplateInvalid { path, reason } => {
                format!("Document template {path} is invalid ({reason}). Call support.")
            }
            Self::QrTooLong { .. } => {
                "The application number is too long for a QR code. Ask the clerk.".into()
            }
            Self::NoPrinter => {
                "No printer is available. Staff: add a printer and make it the default.".into()
            }
            Self::PrinterNotFound { name } => {
                format!("Printer {name:?} was not found. Staff: check the printer settings.")
            }
            Self::CupsUnavailable { detail } => format!(
                "The printing service is not running ({detail}). Staff: restart CUPS and try again."
            ),
            Self::PrintFailed { detail } => format!(
                "Printing failed ({detail}). Check that the printer is on and has paper, then print again."
            ),
            Self::Write { path, source } => {
                format!("Cannot save {path} ({source}). Check disk space and folder permissions.")
            }
        }
    }
}

impl kiosk_core::Catalogued for DocsError {
    fn samples() -> Vec<Self> {
        let path = || "<路径> / <path>".to_owned();
        let io = || std::io::Error::other("<原因> / <reason>");
        vec![
            Self::FontUnreadable {
                path: path(),
                source: io(),
            },
            Self::FontInvalid,
            Self::TemplateMissing {
                profile: "<平台> / <profile>".into(),
                kind: "receipt",
                version: "<版本> / <version>".into(),
            },
            Self::TemplateInvalid {
                path: path(),
                reason: "<原因> / <reason>".into(),
            },
            Self::QrTooLong { length: 3000 },
            Self::NoPrinter,
            Self::PrinterNotFound {
                name: "<打印机> / <printer>".into(),
            },
            Self::CupsUnavailable {
                detail: "<原因> / <reason>".into(),
            },
            Self::PrintFailed {
                detail: "<原因> / <reason>".into(),
            },
            Self::Write {
                path: path(),
                source: io(),
            },
        ]
    }
}
