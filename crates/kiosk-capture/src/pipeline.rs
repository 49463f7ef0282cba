//! The normalisation pipeline: bytes in, an upright, cropped, right-sized, watermarked JPEG
//! without metadata out, plus quality findings.
//!
//! decode (limits first) → EXIF orientation → optional document crop and deskew → resize to
//! the slot → quality gates → watermark → JPEG fitted to the slot's byte limit.

use image::RgbImage;

use crate::decode::{self, DecodeLimits};
use crate::document;
use crate::encode;
use crate::error::CaptureError;
use crate::quality::{self, QualityIssue, QualityMeasures};
use crate::resize;
use crate::slot::{ImageFormat, Slot};
use crate::watermark::{self, WatermarkFont};

/// Smallest short side the shrinking fallback goes to when the byte limit is very tight.
const MIN_OUTPUT_SHORT_SIDE: u32 = 320;

/// The watermark to stamp: a font and the full text (see [`watermark::watermark_text`]).
#[derive(Debug, Clone, Copy)]
pub struct Watermark<'a> {
    /// Font with Chinese glyphs.
    pub font: &'a WatermarkFont,
    /// Text to tile across the image.
    pub text: &'a str,
}

/// How to normalise.
#[derive(Debug, Clone, Copy, Default)]
pub struct NormalizeOptions<'a> {
    /// Size and pixel limits checked before decoding.
    pub limits: DecodeLimits,
    /// Find the document on its background, deskew it and crop to its edges.
    pub crop_document: bool,
    /// The watermark, if one is required.
    pub watermark: Option<Watermark<'a>>,
}

/// A normalised image.
#[derive(Clone)]
pub struct Normalized {
    /// The JPEG file (JFIF only: no EXIF, no GPS, no comments).
    pub jpeg: Vec<u8>,
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// JPEG quality used.
    pub quality: u8,
    /// Format of the input.
    pub source_format: ImageFormat,
    /// Rotation applied to straighten the document (degrees; 0 when none).
    pub deskew_degrees: f64,
    /// Whether the image was cropped to a detected document.
    pub cropped: bool,
    /// Quality findings, most important first; see [`QualityIssue::is_blocking`].
    pub issues: Vec<QualityIssue>,
    /// The measurements behind the findings.
    pub measures: QualityMeasures,
}

impl std::fmt::Debug for Normalized {
    /// Shows the JPEG's size, not its bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalized")
            .field("jpeg_bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .field("quality", &self.quality)
            .field("source_format", &self.source_format)
            .field("deskew_degrees", &self.deskew_degrees)
            .field("cropped", &self.cropped)
            .field("issues", &self.issues)
            .field("measures", &self.measures)
            .finish()
    }
}

impl Normalized {
    /// Whether any finding should make the kiosk refuse the image.
    pub fn has_blocking_issue(&self) -> bool {
        self.issues.iter().any(|i| i.is_blocking())
    }
}

/// Normalises `bytes` for `slot`. Pure apart from CPU and memory: no files, no clock.
pub fn normalize(
    bytes: &[u8],
    slot: &Slot,
    options: &NormalizeOptions<'_>,
) -> Result<Normalized, CaptureError> {
    if !slot.accepted.contains(&ImageFormat::Jpeg) {
        return Err(CaptureError::FormatNotAccepted {
            format: ImageFormat::Jpeg.as_str(),
            slot: slot.name.clone(),
        });
    }
    let decoded = decode::decode(bytes, &options.limits)?;
    let image = decoded.image;
    let (src_w, src_h) = image.dimensions();
    if src_w.min(src_h) < slot.min_short_side / 2 {
        return Err(CaptureError::TooSmall {
            width: src_w,
            height: src_h,
            min: slot.min_short_side,
        });
    }

    let region = if options.crop_document {
        document::find_document(&image)
    } else {
        None
    };
    let (mut out, source_short_side, deskew_degrees) = match region {
        Some(region) => {
            let (left, top, cw, ch) = region.crop;
            let scale = (f64::from(slot.max_dimension) / cw.max(ch)).min(1.0);
            let (rw, rh) = (
                ((f64::from(src_w) * scale).round() as u32).max(1),
                ((f64::from(src_h) * scale).round() as u32).max(1),
            );
            let resized = resize::resize(image, rw, rh)?;
            let crop = (left * scale, top * scale, cw * scale, ch * scale);
            let out = document::rotate_and_crop(&resized, region.deskew_degrees, crop);
            (out, cw.min(ch).round() as u32, region.deskew_degrees)
        }
        None => {
            let (w, h) = resize::fit_within(src_w, src_h, slot.max_dimension);
            (resize::resize(image, w, h)?, src_w.min(src_h), 0.0)
        }
    };

    let (issues, measures) = quality::assess(&out, source_short_side, slot.min_short_side);
    if let Some(mark) = options.watermark {
        watermark::stamp(&mut out, mark.font, mark.text);
    }
    let (jpeg, quality) = fit_bytes(out, slot.max_bytes)?;
    let (width, height) = jpeg.1;
    Ok(Normalized {
        jpeg: jpeg.0,
        width,
        height,
        quality,
        source_format: decoded.format,
        deskew_degrees,
        cropped: region.is_some(),
        issues,
        measures,
    })
}

type Fitted = ((Vec<u8>, (u32, u32)), u8);

/// Encodes within `max_bytes`, shrinking by 3/4 steps while even the floor quality is too big.
fn fit_bytes(mut image: RgbImage, max_bytes: u64) -> Result<Fitted, CaptureError> {
    loop {
        if let Some(encoded) = encode::encode_to_fit(&image, max_bytes)? {
            return Ok(((encoded.bytes, image.dimensions()), encoded.quality));
        }
        let (w, h) = image.dimensions();
        let (nw, nh) = (w * 3 / 4, h * 3 / 4);
        if nw.min(nh) < MIN_OUTPUT_SHORT_SIDE {
            return Err(CaptureError::CannotFit { limit: max_bytes });
        }
        image = resize::resize(image, nw, nh)?;
    }
}
