//! Row a: the 12 MP test photo, and kiosk-capture's normalisation of it as its own process (so
//! bench/run measures its time and peak RSS exactly as it measures `vips` and ImageMagick).

use std::time::Instant;

use image::{Rgb, RgbImage};
use kiosk_capture::{NormalizeOptions, Slot, normalize};
use serde_json::json;

use crate::Failure;

/// A photo-like image (the kiosk-capture bench's): desk gradient, a printed sheet with lines of
/// "text", mild sensor noise (which is what makes JPEG work hard).
pub fn photo(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut state = 7u32.wrapping_add(seed.wrapping_mul(0x9E37_79B9)) | 1;
    let (cw, ch) = (width * 60 / 100, height * 70 / 100);
    let (cx0, cy0) = ((width - cw) / 2, (height - ch) / 2);
    RgbImage::from_fn(width, height, |x, y| {
        let base = if x >= cx0 && x < cx0 + cw && y >= cy0 && y < cy0 + ch {
            let (u, v) = (x - cx0, y - cy0);
            let print = (v / 40) % 3 != 2 && v % 40 < 24 && (u / 18) % 6 != 0 && u % 18 < 11;
            if print { 50 } else { 225 }
        } else {
            70 + (x + y) * 60 / (width + height)
        };
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n =
            |shift: u32| (((state >> shift) % 9) as i64 - 4 + i64::from(base)).clamp(0, 255) as u8;
        Rgb([n(0), n(8), n(16)])
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
