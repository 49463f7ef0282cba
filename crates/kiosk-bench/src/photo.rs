//! Row a: the 12 MP test photo, and kiosk-capture's normalisation of it as its own process (so
//! bench/run measures its time and peak RSS exactly as it measures `vips` and ImageMagick).

use std::time::Instant;

use image::{Rgb, RgbImage};
use kiosk_capture::{NormalizeOptions, Slot, normalize};
use serde_json::json;

use crate::Failure;

/// The photo-like test image (`kiosk_testkit::photo`): the same pixels the kiosk-capture
/// criterion bench normalises for the same `seed`.
pub fn photo(width: u32, height: u32, seed: u32) -> RgbImage {
    let pixels = kiosk_testkit::photo::photo_rgb(width, height, seed);
    RgbImage::from_fn(width, height, |x, y| {
        let at = (y as usize * width as usize + x as usize) * 3;
        Rgb([pixels[at], pixels[at + 1], pixels[at + 2]])
    })
}

/// Writes the 4000 × 3000 test photo as a camera would (JPEG, quality 92); `seed` varies the
/// noise (seed 0 is the kiosk-capture bench's photo).
pub fn write_photo(out: &str, seed: u32) -> Result<serde_json::Value, Failure> {
    let (width, height) = (4000, 3000);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&photo(width, height, seed))?;
    std::fs::write(out, &jpeg)?;
    Ok(json!({ "width": width, "height": height, "bytes": jpeg.len() }))
}

/// The slot of the row: a platform's generic document slot (≤ 1 MB, 2400 px longest side),
/// no document crop, no watermark (the peers do neither).
pub fn slot() -> Slot {
    Slot::document("bench")
}

/// Reads `input`, normalises it for [`slot`] and writes the JPEG to `output`.
pub fn normalize_file(input: &str, output: &str) -> Result<serde_json::Value, Failure> {
    let started = Instant::now();
    let bytes = std::fs::read(input)?;
    let slot = slot();
    let out = normalize(&bytes, &slot, &NormalizeOptions::default())?;
    std::fs::write(output, &out.jpeg)?;
    Ok(json!({
        "ms": started.elapsed().as_secs_f64() * 1e3,
        "bytes": out.jpeg.len(),
        "limit": slot.max_bytes,
        "quality": out.quality,
        "width": out.width,
        "height": out.height,
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_small_photo_normalises_within_the_slot() {
        let dir = tempfile::tempdir().unwrap();
        let (input, output) = (dir.path().join("in.jpg"), dir.path().join("out.jpg"));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
            .encode_image(&photo(800, 600, 0))
            .unwrap();
        std::fs::write(&input, jpeg).unwrap();
        let report = normalize_file(input.to_str().unwrap(), output.to_str().unwrap()).unwrap();
        assert_eq!(report["width"], 800);
        let written = std::fs::metadata(&output).unwrap().len();
        assert_eq!(report["bytes"], written);
        assert!(written <= slot().max_bytes);
    }
}
