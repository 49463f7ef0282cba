//! JPEG output that fits a byte limit: a search on quality, then smaller dimensions if
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

/// How much a JPEG shrinks per quality step below the ceiling, as a first guess before two
/// sizes are known: about ×0.96 per step, i.e. half the bytes 16 steps lower (photos and scans
/// between quality 40 and 88).
const FIRST_GUESS_LN_RATIO_PER_STEP: f64 = 0.043;

/// The highest quality in `FLOOR_QUALITY..=CEILING_QUALITY` whose JPEG fits `max_bytes`. `None`
/// when even the floor is too big.
///
/// Each full encode of a 12 MP photo's output costs tens of milliseconds, so the search guesses
/// instead of halving: the size of a JPEG falls roughly exponentially with quality, so each next
/// quality is interpolated on the logarithm of the sizes of the closest qualities known to fit
/// and not to fit (a guess from the ceiling's size alone at first), always strictly between them.
/// It ends when they are neighbours: usually three encodes after the first instead of six, and
/// the same answer as a bisection (both rely on size growing with quality).
pub fn encode_to_fit(image: &RgbImage, max_bytes: u64) -> Result<Option<Encoded>, CaptureError> {
    let first = encode_jpeg(image, CEILING_QUALITY)?;
    if first.len() as u64 <= max_bytes {
        return Ok(Some(Encoded {
            bytes: first,
            quality: CEILING_QUALITY,
        }));
    }
    // `fits`: the highest quality known to fit (with its JPEG); `too_big`: the lowest known not to.
    let mut fits: Option<Encoded> = None;
    let mut too_big = (CEILING_QUALITY, first.len() as u64);
    loop {
        let low = fits.as_ref().map_or(FLOOR_QUALITY - 1, |e| e.quality);
        if too_big.0 - low <= 1 {
            return Ok(fits);
        }
        let guess = next_guess(fits.as_ref(), too_big, max_bytes).clamp(low + 1, too_big.0 - 1);
        let bytes = encode_jpeg(image, guess)?;
        if bytes.len() as u64 <= max_bytes {
            fits = Some(Encoded {
                bytes,
                quality: guess,
            });
        } else if guess == FLOOR_QUALITY {
            return Ok(None);
        } else {
            too_big = (guess, bytes.len() as u64);
        }
    }
}

/// The quality whose JPEG is predicted to be just under `max_bytes`: interpolated on log size
/// between the closest qualities known to fit and not to fit, or extrapolated down from the one
/// that does not fit.
fn next_guess(fits: Option<&Encoded>, too_big: (u8, u64), max_bytes: u64) -> u8 {
    let ln = |bytes: u64| (bytes.max(1) as f64).ln();
    let (high_q, high_ln) = (f64::from(too_big.0), ln(too_big.1));
    let target = ln(max_bytes);
    let guess = match fits {
        Some(fit) => {
            let (low_q, low_ln) = (f64::from(fit.quality), ln(fit.bytes.len() as u64));
            if high_ln - low_ln <= f64::EPSILON {
                (low_q + high_q) / 2.0
            } else {
                low_q + (target - low_ln) / (high_ln - low_ln) * (high_q - low_q)
            }
        }
        None => high_q - (high_ln - target) / FIRST_GUESS_LN_RATIO_PER_STEP,
    };
    guess.floor().clamp(0.0, f64::from(u8::MAX)) as u8
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

    /// The answer by brute force: every quality from the ceiling down.
    fn highest_fitting_by_scan(image: &RgbImage, limit: u64) -> Option<u8> {
        (FLOOR_QUALITY..=CEILING_QUALITY)
            .rev()
            .find(|&q| encode_jpeg(image, q).unwrap().len() as u64 <= limit)
    }

    #[test]
    fn search_agrees_with_a_scan_at_many_limits_and_encodes_less() {
        let image = noise(160, 120);
        let sizes: Vec<u64> = [FLOOR_QUALITY, 55, 70, 80, CEILING_QUALITY]
            .iter()
            .map(|&q| encode_jpeg(&image, q).unwrap().len() as u64)
            .collect();
        let (smallest, largest) = (sizes[0], sizes[4]);
        for step in 0..=24u64 {
            let limit = smallest - 500 + (largest + 1_000 - smallest) * step / 24;
            let found = encode_to_fit(&image, limit).unwrap();
            assert_eq!(
                found.as_ref().map(|e| e.quality),
                highest_fitting_by_scan(&image, limit),
                "limit {limit}"
            );
            if let Some(found) = found {
                assert!(found.bytes.len() as u64 <= limit);
                assert_eq!(found.bytes, encode_jpeg(&image, found.quality).unwrap());
            }
        }
    }

    #[test]
    fn guesses_stay_strictly_inside_the_bracket() {
        let fit = Encoded {
            bytes: vec![0; 1_000],
            quality: 50,
        };
        // Interpolation: half way in log size between 1,000 and 4,000 bytes is 2,000 → q 55.
        assert_eq!(next_guess(Some(&fit), (60, 4_000), 2_000), 55);
        // From the ceiling alone: 2× too big → about 16 steps lower.
        assert_eq!(next_guess(None, (88, 2_000_000), 1_000_000), 71);
        // Equal sizes (no slope) fall back to the middle.
        assert_eq!(next_guess(Some(&fit), (60, 1_000), 900), 55);
    }

    #[test]
    fn impossible_limit_gives_none() {
        assert!(encode_to_fit(&noise(300, 300), 2_000).unwrap().is_none());
    }
}
