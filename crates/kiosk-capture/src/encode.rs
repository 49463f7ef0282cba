//! JPEG output that fits a byte limit: binary search on quality, then smaller dimensions if
//! even the lowest quality does not fit. `jpeg-encoder` writes only JFIF: no EXIF, no GPS.

use image::RgbImage;
use jpeg_encoder::{ColorType, Encoder};

use crate::error::CaptureError;

/// Quality tried first; most documents fit at this quality and need one encode only.
pub const CEILING_QUALITY: u8 = 88;
/// Lowest quality the search goes to before shrinking the image.
pub const FLOOR_QUALITY: u8 = 40;

/// A JPEG and the quality it was written at.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The JPEG file.
    pub bytes: Vec<u8>,
    /// JPEG quality 1..100 used.
    pub quality: u8,
}

/// Encodes `image` as baseline JPEG at `quality`.
pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>, CaptureError> {
    let (w, h) = image.dimensions();
    let (w16, h16) = match (u16::try_from(w), u16::try_from(h)) {
        (Ok(w), Ok(h)) => (w, h),
        _ => {
            return Err(CaptureError::Encode {
                detail: format!("{w}x{h} exceeds JPEG's 65535 limit"),
            });
        }
    };
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    Encoder::new(&mut out, quality)
        .encode(image.as_raw(), w16, h16, ColorType::Rgb)
        .map_err(|e| CaptureError::Encode {
            detail: e.to_string(),
        })?;
    Ok(out)
}

/// The highest quality in `FLOOR_QUALITY..=CEILING_QUALITY` whose JPEG fits `max_bytes`, found
/// by binary search (at most 6 encodes after the first). `None` when even the floor is too big.
pub fn encode_to_fit(image: &RgbImage, max_bytes: u64) -> Result<Option<Encoded>, CaptureError> {
    let first = encode_jpeg(image, CEILING_QUALITY)?;
    if first.len() as u64 <= max_bytes {
        return Ok(Some(Encoded {
            bytes: first,
            quality: CEILING_QUALITY,
        }));
    }
    let (mut low, mut high) = (FLOOR_QUALITY, CEILING_QUALITY - 1);
    let mut best = None;
    while low <= high {
        let mid = low + (high - low) / 2;
        let bytes = encode_jpeg(image, mid)?;
        if bytes.len() as u64 <= max_bytes {
            best = Some(Encoded {
                bytes,
                quality: mid,
            });
            low = mid + 1;
        } else if mid == FLOOR_QUALITY {
            break;
        } else {
            high = mid - 1;
        }
    }
    Ok(best)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn noise(width: u32, height: u32) -> RgbImage {
        let mut state = 0x1234_5678u32;
        RgbImage::from_fn(width, height, |_, _| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let [a, b, c, _] = state.to_le_bytes();
            image::Rgb([a, b, c])
        })
    }

    #[test]
    fn easy_image_fits_at_the_ceiling_quality() {
        let flat = RgbImage::from_pixel(400, 300, image::Rgb([200, 200, 200]));
        let out = encode_to_fit(&flat, 100_000).unwrap().expect("fits");
        assert_eq!(out.quality, CEILING_QUALITY);
        assert_eq!(&out.bytes[..2], &[0xFF, 0xD8], "JPEG SOI");
    }

    #[test]
    fn search_finds_the_highest_quality_that_fits() {
        let image = noise(300, 300);
        let limit = 60_000;
        let out = encode_to_fit(&image, limit)
            .unwrap()
            .expect("fits at some quality");
        assert!(
            out.bytes.len() as u64 <= limit,
            "{} > {limit}",
            out.bytes.len()
        );
        assert!(out.quality < CEILING_QUALITY, "noise needs a lower quality");
        let one_higher = encode_jpeg(&image, out.quality + 1).unwrap();
        assert!(
            one_higher.len() as u64 > limit,
            "quality {} would also fit",
            out.quality + 1
        );
    }

    #[test]
    fn impossible_limit_gives_none() {
        assert!(encode_to_fit(&noise(300, 300), 2_000).unwrap().is_none());
    }
}
