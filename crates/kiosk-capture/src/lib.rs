//! Capture for the kiosk: images from scanners, ID-card readers, files and the webview camera
//! are turned into clear, upright, right-sized, watermarked JPEGs without metadata.
//!
//! - [`pipeline::normalize`] is the pure pipeline over bytes (limits before decoding, EXIF
//!   orientation, optional document crop and deskew, resize, quality gates, watermark, JPEG
//!   fitted to the [`slot::Slot`]'s byte limit).
//! - [`source`] holds the devices: SANE scanners, watched folders, cameras.
//! - [`id_reader`] talks to second-generation ID-card readers (GA 467) on serial ports.
//! - [`qr`] reads the application number from a scanned risk letter.
//! - [`document_file`] recognises PDF and Word attachments by content and checks them with
//!   bounded work (they are stored as they are), and previews a PDF's first page.
//!
//! May import: kiosk-core (for its problems and document types). Imported by kiosk-api.
#![deny(missing_docs)]

pub mod decode;
pub mod document;
pub mod document_file;
pub mod encode;
pub mod error;
pub mod id_reader;
pub mod pipeline;
pub mod qr;
pub mod quality;
pub mod resize;
pub mod slot;
pub mod source;
pub mod thumbnail;
pub mod watermark;

pub use error::CaptureError;
pub use pipeline::{NormalizeOptions, Normalized, Watermark, normalize};
pub use slot::{ImageFormat, Slot};
