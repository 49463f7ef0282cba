//! Where images come from: scanners, files and folders. The webview camera is not a source
//! here: its frames arrive as bytes through the api layer. ID-card readers live in
//! [`crate::id_reader`]; they are listed as sources of kind [`SourceKind::IdCardReader`].

pub mod camera;
pub mod folder;
pub mod process;
pub mod sane;

use serde::Serialize;
use ts_rs::TS;

use crate::error::CaptureError;

/// The kind of a capture source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum SourceKind {
    /// A SANE scanner (flatbed, sheet feeder, or a document camera with a SANE driver).
    Scanner,
    /// A file or a watched folder (USB stick, network share).
    Folder,
    /// A second-generation resident ID-card reader.
    IdCardReader,
    /// A camera (V4L2: document camera or webcam), used through the webview.
    Camera,
}

/// A source as listed to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SourceInfo {
    /// Stable identifier to select the source with (e.g. the SANE device name `test:0`).
    pub id: String,
    /// What kind of source it is.
    pub kind: SourceKind,
    /// Human-readable label (vendor and model).
    pub label: String,
}

/// One captured image, still encoded as the device wrote it.
#[derive(Debug, Clone)]
pub struct CapturedImage {
    /// The encoded image (PNG, TIFF, JPEG ...), ready for [`crate::pipeline::normalize`].
    pub bytes: Vec<u8>,
    /// Where it came from (a device id or a file name), for the audit trail.
    pub origin: String,
}

/// Anything that can hand over an image.
pub trait CaptureSource {
    /// How the source is listed.
    fn info(&self) -> SourceInfo;

    /// Captures one image. `Ok(None)` means nothing is available right now (an empty
    /// folder); errors mean the device failed.
    fn capture(&mut self) -> Result<Option<CapturedImage>, CaptureError>;
}
