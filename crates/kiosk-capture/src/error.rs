//! Why a capture or an image was refused, in words a visitor or a clerk can act on.

use kiosk_core::problem::UserFacing;

/// Everything that can go wrong while capturing or normalising an image.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The file is larger than the slot or the pipeline accepts.
    #[error("file of {actual} bytes exceeds the limit of {limit} bytes")]
    FileTooLarge {
        /// Size of the file in bytes.
        actual: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The image header declares more pixels than the pipeline will decode (a decompression bomb
    /// or a photo far larger than any document needs).
    #[error("image of {width}x{height} pixels exceeds the limit of {limit} pixels")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// The pixel-count limit.
        limit: u64,
    },
    /// HEIC/HEIF (the iPhone default): no well-kept pure-Rust decoder exists.
    #[error("HEIC/HEIF images are not supported")]
    HeicUnsupported,
    /// A format the pipeline does not read at all.
    #[error("unsupported image format")]
    UnsupportedFormat,
    /// A format the pipeline reads but the target slot does not accept.
    #[error("format {format} not accepted by slot {slot}")]
    FormatNotAccepted {
        /// The detected format.
        format: &'static str,
        /// The slot's name.
        slot: String,
    },
    /// Truncated or corrupt image data.
    #[error("corrupt or truncated image: {detail}")]
    Corrupt {
        /// What the decoder reported (no personal data).
        detail: String,
    },
    /// The image is smaller than the slot needs to be legible.
    #[error("image of {width}x{height} pixels is too small (at least {min} on the short side)")]
    TooSmall {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Minimum length of the short side.
        min: u32,
    },
    /// Even the lowest JPEG quality at the smallest allowed size does not fit the byte limit.
    #[error("cannot fit the image into {limit} bytes")]
    CannotFit {
        /// The byte limit.
        limit: u64,
    },
    /// The watermark font could not be read.
    #[error("watermark font unusable: {detail}")]
    Font {
        /// What went wrong.
        detail: String,
    },
    /// A scanner, reader or folder could not be used.
    #[error("capture device failed: {detail}")]
    Device {
        /// What went wrong (device names only, never document content).
        detail: String,
    },
    /// Reading or writing a file failed.
    #[error("file access failed: {0}")]
    Io(#[from] std::io::Error),
    /// Encoding the output failed (should not happen for valid pixels).
    #[error("encoding failed: {detail}")]
    Encode {
        /// What the encoder reported.
        detail: String,
    },
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

impl UserFacing for CaptureError {
    fn code(&self) -> &'static str {
        match self {
            Self::FileTooLarge { .. } => "CAPTURE_FILE_TOO_LARGE",
            Self::TooManyPixels { .. } => "CAPTURE_TOO_MANY_PIXELS",
            Self::HeicUnsupported => "CAPTURE_HEIC_UNSUPPORTED",
            Self::UnsupportedFormat => "CAPTURE_UNSUPPORTED_FORMAT",
            Self::FormatNotAccepted { .. } => "CAPTURE_FORMAT_NOT_ACCEPTED",
            Self::Corrupt { .. } => "CAPTURE_CORRUPT_IMAGE",
            Self::TooSmall { .. } => "CAPTURE_TOO_SMALL",
            Self::CannotFit { .. } => "CAPTURE_CANNOT_FIT",
            Self::Font { .. } => "CAPTURE_FONT_UNUSABLE",
            Self::Device { .. } => "CAPTURE_DEVICE_FAILED",
            Self::Io(_) => "CAPTURE_FILE_ACCESS",
            Self::Encode { .. } => "CAPTURE_ENCODE_FAILED",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::FileTooLarge { actual, limit } => format!(
                "文件过大（{}，上限 {}）。请降低分辨率或重新拍摄后再试。",
                mib(*actual),
                mib(*limit)
            ),
            Self::TooManyPixels { width, height, .. } => format!(
                "图片尺寸过大（{width}×{height} 像素），无法处理。请用手机或高拍仪重新拍摄。"
            ),
            Self::HeicUnsupported => {
                "暂不支持 HEIC 格式（苹果手机默认格式）。请在手机上另存为 JPEG 后再上传，或在“设置—相机—格式”中选择“兼容性最佳”。".to_owned()
            }
            Self::UnsupportedFormat => {
                "无法识别的图片格式。请上传 JPG、PNG 或 WebP 图片。".to_owned()
            }
            Self::FormatNotAccepted { format, .. } => {
                format!("此处不接受 {format} 格式，请上传 JPG 或 PNG 图片。")
            }
            Self::Corrupt { .. } => {
                "图片文件已损坏或不完整。请重新拍摄或重新复制文件后再试。".to_owned()
            }
            Self::TooSmall { width, height, .. } => format!(
                "图片太小（{width}×{height} 像素），看不清内容。请靠近证件重新拍摄。"
            ),
            Self::CannotFit { limit } => format!(
                "图片内容过于复杂，无法压缩到 {} 以内。请在光线均匀处重新拍摄。",
                mib(*limit)
            ),
            Self::Font { .. } => "水印字体无法加载，请联系工作人员检查终端安装。".to_owned(),
            Self::Device { .. } => {
                "采集设备无响应。请检查扫描仪或读卡器的连接，或联系工作人员。".to_owned()
            }
            Self::Io(_) => "无法读取或写入文件。请检查 U 盘或文件路径后重试。".to_owned(),
            Self::Encode { .. } => "图片生成失败，请重试或联系工作人员。".to_owned(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::FileTooLarge { actual, limit } => format!(
                "The file is too large ({}, limit {}). Lower the resolution or take the picture again.",
                mib(*actual),
                mib(*limit)
            ),
            Self::TooManyPixels { width, height, .. } => format!(
                "The image is too large to process ({width}×{height} pixels). Take the picture again with a phone or the document camera."
            ),
            Self::HeicUnsupported => {
                "HEIC images (the iPhone default) are not supported. Save the photo as JPEG on the phone, or choose Settings > Camera > Formats > Most Compatible, then upload again.".to_owned()
            }
            Self::UnsupportedFormat => {
                "The image format is not recognised. Upload a JPG, PNG or WebP image.".to_owned()
            }
            Self::FormatNotAccepted { format, .. } => {
                format!("{format} is not accepted here. Upload a JPG or PNG image.")
            }
            Self::Corrupt { .. } => {
                "The image file is damaged or incomplete. Take the picture again or copy the file again.".to_owned()
            }
            Self::TooSmall { width, height, .. } => format!(
                "The image is too small ({width}×{height} pixels) to read. Move closer to the document and take the picture again."
            ),
            Self::CannotFit { limit } => format!(
                "The image cannot be compressed below {}. Take the picture again in even light.",
                mib(*limit)
            ),
            Self::Font { .. } => {
                "The watermark font could not be loaded. Ask staff to check the kiosk installation.".to_owned()
            }
            Self::Device { .. } => {
                "The capture device did not respond. Check the scanner or card reader connection, or ask staff.".to_owned()
            }
            Self::Io(_) => {
                "The file could not be read or written. Check the USB stick or the file path and try again.".to_owned()
            }
            Self::Encode { .. } => {
                "The image could not be produced. Try again or ask staff.".to_owned()
            }
        }
    }
}

impl kiosk_core::Catalogued for CaptureError {
    fn samples() -> Vec<Self> {
        let detail = || "<原因> / <reason>".to_owned();
        vec![
            Self::FileTooLarge {
                actual: 12_000_000,
                limit: 10_000_000,
            },
            Self::TooManyPixels {
                width: 20_000,
                height: 20_000,
                limit: 100_000_000,
            },
            Self::HeicUnsupported,
            Self::UnsupportedFormat,
            Self::FormatNotAccepted {
                format: "PNG",
                slot: "<材料> / <slot>".into(),
            },
            Self::Corrupt { detail: detail() },
            Self::TooSmall {
                width: 320,
                height: 200,
                min: 600,
            },
            Self::CannotFit { limit: 200_000 },
            Self::Font { detail: detail() },
            Self::Device { detail: detail() },
            Self::Io(std::io::Error::other("<原因> / <reason>")),
            Self::Encode { detail: detail() },
        ]
    }
}
