//! Normalising one image for a slot: upload options, the slot's limits and the one entry point
//! [`normalize_upload`] for camera frames, scans and files, plus reading image files and import folders.

use super::CaptureApiError;
use super::{Slot, WatchedFolder};
use kiosk_capture::decode::DecodeLimits;
use kiosk_capture::source::folder;
use kiosk_capture::watermark::WatermarkFont;
use kiosk_capture::{ImageFormat, NormalizeOptions, Watermark, watermark};
use kiosk_core::Problem;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// What the UI asks for when it hands over an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UploadOptions {
    /// Find the document on its background, deskew and crop to its edges.
    #[serde(default)]
    pub crop_document: bool,
    /// Stamp "仅供<platform>注册使用 <date>" when set.
    #[serde(default)]
    #[ts(optional)]
    pub watermark: Option<WatermarkRequest>,
}

/// The watermark's variable parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WatermarkRequest {
    /// Platform name as the platform asks to see it, e.g. `国家税务总局`.
    pub platform: String,
    /// Date text, e.g. `2026-11-23` (see [`watermark_date`]).
    pub date: String,
}

/// A normalised image and what the kiosk thinks of it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NormalizedUpload {
    /// The JPEG (no metadata). Not serialised: the shell stores it or returns it as raw bytes.
    #[serde(skip)]
    #[ts(skip)]
    pub jpeg: Vec<u8>,
    /// Size of the JPEG in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// JPEG quality used.
    pub quality: u8,
    /// Format of the input.
    pub source_format: ImageFormat,
    /// Whether the image was cropped to a detected document.
    pub cropped: bool,
    /// Rotation applied to straighten the document, in degrees.
    pub deskew_degrees: f64,
    /// Quality findings with advice (codes `QUALITY_*`).
    pub advice: Vec<Problem>,
    /// Whether a finding means the image should be taken again.
    pub blocking: bool,
}

/// The preset slot called `name`, or a problem listing the known names.
pub fn slot_named(name: &str) -> Result<Slot, Problem> {
    Slot::named(name).ok_or_else(|| {
        let known = Slot::PRESET_NAMES.join(", ");
        Problem::from(CaptureApiError::UnknownSlotName {
            name: name.into(),
            known,
        })
    })
}

/// `slot` with its byte limit lowered to `max_bytes` (never raised above the platform's).
pub fn with_max_bytes(mut slot: Slot, max_bytes: Option<u64>) -> Slot {
    if let Some(limit) = max_bytes {
        slot.max_bytes = slot.max_bytes.min(limit);
    }
    slot
}

/// Normalises an uploaded or captured image for `slot`: the one entry point for camera frames,
/// scans and files. `font` is needed only when a watermark is requested.
pub fn normalize_upload(
    bytes: &[u8],
    slot: &Slot,
    options: &UploadOptions,
    font: Option<&WatermarkFont>,
) -> Result<NormalizedUpload, Problem> {
    let text = options
        .watermark
        .as_ref()
        .map(|w| watermark::watermark_text(&w.platform, &w.date));
    let watermark = match (&text, font) {
        (Some(text), Some(font)) => Some(Watermark { font, text }),
        (Some(_), None) => {
            return Err(kiosk_capture::CaptureError::Font {
                detail: "watermark requested without a font".to_owned(),
            }
            .into());
        }
        (None, _) => None,
    };
    let normalized = kiosk_capture::normalize(
        bytes,
        slot,
        &NormalizeOptions {
            limits: DecodeLimits::default(),
            crop_document: options.crop_document,
            watermark,
        },
    )?;
    log::info!(
        "capture normalised for slot {}: {}x{} q{} {} bytes",
        slot.name,
        normalized.width,
        normalized.height,
        normalized.quality,
        normalized.jpeg.len()
    );
    Ok(NormalizedUpload {
        bytes: normalized.jpeg.len() as u64,
        blocking: normalized.has_blocking_issue(),
        advice: normalized.issues.iter().map(|i| i.problem()).collect(),
        width: normalized.width,
        height: normalized.height,
        quality: normalized.quality,
        source_format: normalized.source_format,
        cropped: normalized.cropped,
        deskew_degrees: normalized.deskew_degrees,
        jpeg: normalized.jpeg,
    })
}

/// Reads an image file (refusing files over the decode limit without reading them whole).
pub fn read_image_file(path: &Path) -> Result<Vec<u8>, Problem> {
    Ok(folder::read_file(
        path,
        DecodeLimits::default().max_file_bytes,
    )?)
}

/// Reads an attachment file (image, PDF, Word) for [`check_attachment`] or [`upload_to`]:
/// files over the image pipeline's input limit (40 MB, above every slot's) are refused
/// without being read.
pub fn read_attachment_file(path: &Path) -> Result<Vec<u8>, Problem> {
    read_image_file(path)
}

/// New, settled image files in a watched import folder (staff USB stick or a scanner's
/// scan-to-folder share), oldest first; each is returned once. Read each with
/// [`read_image_file`] and pass it to [`normalize_upload`].
pub fn poll_import_folder(folder: &mut WatchedFolder) -> Result<Vec<PathBuf>, Problem> {
    Ok(folder.poll()?)
}
