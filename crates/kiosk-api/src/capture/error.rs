//! The capture use cases' own refusals (the image pipeline's are `kiosk_capture::CaptureError`).

use kiosk_core::{Catalogued, UserFacing};

/// Why a capture use case refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureApiError {
    /// No preset slot has this name; `known` lists the names.
    #[error("unknown slot {name}")]
    UnknownSlotName {
        /// The name asked for.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// The UI sent a slot that is not one.
    #[error("bad slot {slot}")]
    BadSlot {
        /// The slot sent.
        slot: String,
    },
    /// The UI sent an application kind that is not one.
    #[error("bad kind {kind}")]
    BadKind {
        /// The kind sent.
        kind: String,
    },
    /// The request takes no attachment in this slot.
    #[error("slot {slot} not in profile")]
    SlotNotInProfile {
        /// The slot sent.
        slot: String,
    },
    /// No scanner was found.
    #[error("no scanner")]
    NoScanner,
    /// The tray holds as much as it may.
    #[error("tray full")]
    TrayFull {
        /// Most images.
        max_items: usize,
        /// Most megabytes in all.
        max_mb: u64,
    },
    /// The captured image is gone.
    #[error("capture not found")]
    NotFound,
    /// No working ID-card reader.
    #[error("no ID-card reader")]
    NoIdReader,
}

impl UserFacing for CaptureApiError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownSlotName { .. }
            | Self::BadSlot { .. }
            | Self::BadKind { .. }
            | Self::SlotNotInProfile { .. } => "CAPTURE_UNKNOWN_SLOT",
            Self::NoScanner => "CAPTURE_NO_SCANNER",
            Self::TrayFull { .. } => "CAPTURE_TRAY_FULL",
            Self::NotFound => "CAPTURE_NOT_FOUND",
            Self::NoIdReader => "ID_READER_NONE",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::UnknownSlotName { name, known } => {
                format!("未知的材料类型“{name}”。可选：{known}。")
            }
            Self::BadSlot { .. } => "材料类型无效，请返回上一步重新选择。".to_owned(),
            Self::BadKind { .. } => "业务类型无效，请返回上一步重新选择。".to_owned(),
            Self::SlotNotInProfile { .. } => {
                "此业务不需要这类材料，请返回上一步重新选择。".to_owned()
            }
            Self::NoScanner => {
                "没有找到扫描仪。请检查扫描仪的电源和数据线，或改用拍照、文件上传。".to_owned()
            }
            Self::TrayFull { max_items, max_mb } => format!(
                "已采集的材料过多（最多 {max_items} 份，共 {max_mb} MB）。请先删除不需要的图片，或提交后再继续采集。"
            ),
            Self::NotFound => {
                "找不到这张已采集的图片（可能已删除或会话已结束）。请重新采集。".to_owned()
            }
            Self::NoIdReader => {
                "没有找到可用的身份证读卡器。请检查读卡器的 USB 线，或手工填写证件信息。".to_owned()
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Self::UnknownSlotName { name, known } => {
                format!("Unknown document slot \"{name}\". Choose one of: {known}.")
            }
            Self::BadSlot { slot } => {
                format!("\"{slot}\" is not a document slot. Go back and choose the document again.")
            }
            Self::BadKind { kind } => format!(
                "\"{kind}\" is not an application kind. Go back and choose the request again."
            ),
            Self::SlotNotInProfile { slot } => format!(
                "This request takes no \"{slot}\" attachment. Go back and choose the document again."
            ),
            Self::NoScanner => "No scanner was found. Check the scanner's power and cable, or use the camera or a file instead.".to_owned(),
            Self::TrayFull { max_items, max_mb } => format!(
                "Too many captured images (at most {max_items} files, {max_mb} MB in all). Remove the ones you do not need, or submit, then capture again."
            ),
            Self::NotFound => {
                "This captured image is gone (removed, or the session ended). Capture it again."
                    .to_owned()
            }
            Self::NoIdReader => "No working ID-card reader was found. Check the reader's USB cable, or type the card details by hand.".to_owned(),
        }
    }
}

impl Catalogued for CaptureApiError {
    fn samples() -> Vec<Self> {
        vec![
            Self::UnknownSlotName {
                name: "<名称>".into(),
                known: "id-front, id-back, ...".into(),
            },
            Self::BadSlot {
                slot: "<slot>".into(),
            },
            Self::BadKind {
                kind: "<kind>".into(),
            },
            Self::SlotNotInProfile {
                slot: "<slot>".into(),
            },
            Self::NoScanner,
            Self::TrayFull {
                max_items: 40,
                max_mb: 200,
            },
            Self::NotFound,
            Self::NoIdReader,
        ]
    }
}
