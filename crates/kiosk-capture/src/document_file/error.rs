//! Why an attachment file was refused, in words a visitor can act on.

use kiosk_core::problem::UserFacing;

/// Everything that can make the kiosk refuse a document or attachment file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The file is larger than the slot accepts.
    #[error("file of {actual} bytes exceeds the slot's limit of {limit} bytes")]
    TooLarge {
        /// Size of the file in bytes.
        actual: u64,
        /// The slot's limit in bytes.
        limit: u64,
    },
    /// The content is none of the types the slot accepts.
    #[error("content is not one of the accepted formats ({accepted})")]
    Type {
        /// The slot's accepted formats, for people (`PDF、Word (.docx)、JPG`).
        accepted: String,
    },
    /// The file name's extension says one type, the content another.
    #[error("name ends in .{extension} but the content is {content}")]
    TypeMismatch {
        /// The extension of the file name (lower case, no dot).
        extension: String,
        /// What the content is (`PDF`, `Word`, `image`).
        content: &'static str,
    },
    /// A PDF without `%%EOF` near its end: cut off while copying or downloading.
    #[error("the PDF is truncated")]
    PdfTruncated,
    /// A PDF protected by a password or with restricted rights (`/Encrypt` in its trailer).
    #[error("the PDF is encrypted")]
    PdfEncrypted,
    /// A PDF whose header or cross-reference pointer is missing or wrong.
    #[error("the PDF is damaged: {detail}")]
    PdfInvalid {
        /// What is wrong (structure only, never content).
        detail: &'static str,
    },
    /// A ZIP (`.docx`) whose central directory promises more than any Word document needs.
    #[error("archive exceeds the limits: {detail}")]
    ArchiveBomb {
        /// Which limit (entries, size, ratio).
        detail: String,
    },
    /// A ZIP that is not a Word document, or whose directory is damaged.
    #[error("not a valid .docx: {detail}")]
    DocxInvalid {
        /// What is wrong (structure only).
        detail: &'static str,
    },
    /// A password-protected Word file (an OLE `EncryptedPackage`, or a `.doc` whose FIB says
    /// encrypted or obfuscated, or a ZIP with encrypted entries).
    #[error("the Word document is encrypted")]
    DocEncrypted,
    /// An OLE compound file that cannot be read, or a `.doc` without a valid Word header.
    #[error("not a valid .doc: {detail}")]
    DocInvalid {
        /// What is wrong (structure only).
        detail: String,
    },
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

impl UserFacing for DocumentError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "ATTACHMENT_EMPTY",
            Self::TooLarge { .. } => "CAPTURE_FILE_TOO_LARGE",
            Self::Type { .. } => "ATTACHMENT_TYPE",
            Self::TypeMismatch { .. } => "ATTACHMENT_TYPE_MISMATCH",
            Self::PdfTruncated => "ATTACHMENT_PDF_TRUNCATED",
            Self::PdfEncrypted => "ATTACHMENT_PDF_ENCRYPTED",
            Self::PdfInvalid { .. } => "ATTACHMENT_PDF_INVALID",
            Self::ArchiveBomb { .. } => "ATTACHMENT_ARCHIVE_BOMB",
            Self::DocxInvalid { .. } => "ATTACHMENT_DOCX_INVALID",
            Self::DocEncrypted => "ATTACHMENT_DOC_ENCRYPTED",
            Self::DocInvalid { .. } => "ATTACHMENT_DOC_INVALID",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::Empty => "文件是空的，请重新选择文件。".to_owned(),
            Self::TooLarge { actual, limit } => format!(
                "文件过大（{}，此处上限 {}）。请压缩或拆分后再上传。",
                mb(*actual),
                mb(*limit)
            ),
            Self::Type { accepted } => {
                format!("文件内容不是此处接受的格式。此处只接受：{accepted}。请换一个文件。")
            }
            Self::TypeMismatch { extension, content } => format!(
                "文件名是 .{extension}，内容却是{}。请确认选对了文件，或用原软件另存为正确格式后再上传。",
                content_zh(content)
            ),
            Self::PdfTruncated => {
                "PDF 文件不完整（可能复制或下载时中断）。请重新复制或下载后再上传。".to_owned()
            }
            Self::PdfEncrypted => {
                "PDF 已加密或设置了密码，平台无法打开。请提交未加密的 PDF（在原软件中取消密码后另存）。"
                    .to_owned()
            }
            Self::PdfInvalid { .. } => {
                "PDF 文件已损坏，无法打开。请用原软件重新导出 PDF 后再上传。".to_owned()
            }
            Self::ArchiveBomb { .. } => {
                "文件解压后异常巨大，不像正常的 Word 文档，已拒收。请用 Word 重新保存后再上传，或改为上传 PDF。"
                    .to_owned()
            }
            Self::DocxInvalid { .. } => {
                "这不是有效的 Word 文档（.docx）。请用 Word 或 WPS 另存为 .docx 或 PDF 后再上传。".to_owned()
            }
            Self::DocEncrypted => {
                "Word 文档已加密或设置了打开密码，平台无法打开。请取消密码后另存，再上传。".to_owned()
            }
            Self::DocInvalid { .. } => {
                "Word 文档（.doc）已损坏或不是 Word 文件。请用 Word 或 WPS 另存为 .docx 或 PDF 后再上传。"
                    .to_owned()
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::Empty => "The file is empty. Choose the file again.".to_owned(),
            Self::TooLarge { actual, limit } => format!(
                "The file is too large ({}, limit here {}). Compress or split it, then upload again.",
                mb(*actual),
                mb(*limit)
            ),
            Self::Type { accepted } => format!(
                "The file's content is not a format accepted here. Accepted: {accepted}. Choose another file."
            ),
            Self::TypeMismatch { extension, content } => format!(
                "The file name ends in .{extension} but the file is {}. Check you chose the right file, or save it in the right format and upload it again.",
                content_en(content)
            ),
            Self::PdfTruncated => {
                "The PDF is incomplete (copying or downloading was cut off). Copy or download it again, then upload it.".to_owned()
            }
            Self::PdfEncrypted => {
                "The PDF is encrypted or password-protected, so the platform cannot open it. Submit an unencrypted PDF (remove the password and save it again).".to_owned()
            }
            Self::PdfInvalid { .. } => {
                "The PDF is damaged and cannot be opened. Export the PDF again from the original program, then upload it.".to_owned()
            }
            Self::ArchiveBomb { .. } => {
                "The file would unpack to an abnormal size and is not a normal Word document, so it was refused. Save it again in Word, or upload a PDF instead.".to_owned()
            }
            Self::DocxInvalid { .. } => {
                "This is not a valid Word document (.docx). Save it as .docx or PDF in Word or WPS, then upload it.".to_owned()
            }
            Self::DocEncrypted => {
                "The Word document is encrypted or has an open password, so the platform cannot open it. Remove the password, save it again, then upload it.".to_owned()
            }
            Self::DocInvalid { .. } => {
                "The Word document (.doc) is damaged or not a Word file. Save it as .docx or PDF in Word or WPS, then upload it.".to_owned()
            }
        }
    }
}

fn content_zh(content: &str) -> &'static str {
    match content {
        "PDF" => " PDF 文件",
        "Word" => " Word 文档",
        _ => "图片",
    }
}

fn content_en(content: &str) -> &'static str {
    match content {
        "PDF" => "a PDF",
        "Word" => "a Word document",
        _ => "an image",
    }
}

impl kiosk_core::Catalogued for DocumentError {
    fn samples() -> Vec<Self> {
        vec![
            Self::Empty,
            Self::TooLarge {
                actual: 12_000_000,
                limit: 10_000_000,
            },
            Self::Type {
                accepted: "JPEG, PDF".into(),
            },
            Self::TypeMismatch {
                extension: "pdf".into(),
                content: "JPEG",
            },
            Self::PdfTruncated,
            Self::PdfEncrypted,
            Self::PdfInvalid {
                detail: "<原因> / <reason>",
            },
            Self::ArchiveBomb {
                detail: "<原因> / <reason>".into(),
            },
            Self::DocxInvalid {
                detail: "<原因> / <reason>",
            },
            Self::DocEncrypted,
            Self::DocInvalid {
                detail: "<原因> / <reason>".into(),
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_stable_code_and_both_languages() {
        let all = [
            DocumentError::Empty,
            DocumentError::TooLarge {
                actual: 11_000_000,
                limit: 10_485_760,
            },
            DocumentError::Type {
                accepted: "PDF、JPG".to_owned(),
            },
            DocumentError::TypeMismatch {
                extension: "docx".to_owned(),
                content: "PDF",
            },
            DocumentError::PdfTruncated,
            DocumentError::PdfEncrypted,
            DocumentError::PdfInvalid { detail: "x" },
            DocumentError::ArchiveBomb {
                detail: "x".to_owned(),
            },
            DocumentError::DocxInvalid { detail: "x" },
            DocumentError::DocEncrypted,
            DocumentError::DocInvalid {
                detail: "x".to_owned(),
            },
        ];
        for error in &all {
            let code = error.code();
            assert!(
                code.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{code}"
            );
            assert!(!error.zh().is_empty() && !error.en().is_empty(), "{code}");
        }
        let mismatch = &all[3];
        assert!(mismatch.zh().contains(".docx") && mismatch.zh().contains("PDF"));
        assert!(
            all[2].en().contains("PDF、JPG"),
            "names the accepted formats"
        );
        assert!(
            DocumentError::PdfEncrypted
                .zh()
                .contains("请提交未加密的 PDF")
        );
    }
}
