//! Fast downscaling with `fast_image_resize` (SIMD convolution).

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

use crate::error::CaptureError;

/// The size that fits `width × height` inside `max_dimension` on its longest side, keeping the
/// aspect ratio. Never enlarges.
pub fn fit_within(width: u32, height: u32, max_dimension: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max_dimension || longest == 0 {
        return (width, height);
    }
    let scale = f64::from(max_dimension) / f64::from(longest);
    let scaled = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, max_dimension);
    (scaled(width), scaled(height))
}

/// Destination rows made per pass. The convolution's temporary image is the source's width ×
/// the destination rows of one pass: 4000 × 64 × 3 B = 750 KiB for a 12 MP photo, where one
/// pass over the whole image needed 4000 × 1800 × 3 B = 21 MB next to the photo and the result
/// (the largest part of the pipeline's peak memory after the decoded photo itself).
const BAND_ROWS: u32 = 64;

/// Resizes `image` to exactly `width × height` with a Lanczos3 filter, band of rows by band of
/// rows (see [`BAND_ROWS`]); each band is the crop of the source that maps onto it, so the
/// filter weights are those of one whole-image pass. Returns the input unchanged when the size
/// already matches.
pub fn resize(image: RgbImage, width: u32, height: u32) -> Result<RgbImage, CaptureError> {
    if image.dimensions() == (width, height) {
        return Ok(image);
    }
    let failed = |detail: String| CaptureError::Encode { detail };
    let (src_w, src_h) = image.dimensions();
    let src = ImageRef::new(src_w, src_h, image.as_raw(), PixelType::U8x3)
        .map_err(|e| failed(e.to_string()))?;
    let scale = f64::from(src_h) / f64::from(height.max(1));
    let row_bytes = width as usize * 3;
    let mut out = Vec::with_capacity(row_bytes * height as usize);
    let mut resizer = Resizer::new();
    let mut band = Image::new(width, BAND_ROWS.min(height), PixelType::U8x3);
    let mut top = 0;
    while top < height {
        let rows = BAND_ROWS.min(height - top);
        if band.height() != rows {
            band = Image::new(width, rows, PixelType::U8x3);
        }
        let src_top = f64::from(top) * scale;
        let src_rows = (f64::from(rows) * scale).min(f64::from(src_h) - src_top);
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .crop(0.0, src_top, f64::from(src_w), src_rows);
        resizer
            .resize(&src, &mut band, &options)
            .map_err(|e| failed(e.to_string()))?;
        out.extend_from_slice(band.buffer());
        top += rows;
    }
    RgbImage::from_raw(width, height, out)
        .ok_or_else(|| failed("resized buffer has the wrong length".to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn fit_within_keeps_aspect_and_never_enlarges() {
        assert_eq!(fit_within(4000, 3000, 2400), (2400, 1800));
        assert_eq!(fit_within(3000, 4000, 2400), (1800, 2400));
        assert_eq!(fit_within(800, 600, 2400), (800, 600), "small images stay");
        assert_eq!(
            fit_within(10_000, 1, 100),
            (100, 1),
            "never collapses to zero"
        );
    }

    #[test]
    fn resize_produces_the_requested_size_and_keeps_flat_colour() {
        let image = RgbImage::from_pixel(400, 300, image::Rgb([200, 100, 50]));
        let out = resize(image, 200, 150).unwrap();
        assert_eq!(out.dimensions(), (200, 150));
        assert_eq!(
            out.get_pixel(100, 75).0,
            [200, 100, 50],
            "flat colour survives"
        );
    }

    /// The whole image in one pass, as `resize` did before it worked in bands.
    fn resize_in_one_pass(image: &RgbImage, width: u32, height: u32) -> RgbImage {
        let (w, h) = image.dimensions();
        let src = ImageRef::new(w, h, image.as_raw(), PixelType::U8x3).unwrap();
        let mut dst = Image::new(width, height, PixelType::U8x3);
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
        Resizer::new().resize(&src, &mut dst, &options).unwrap();
        RgbImage::from_raw(width, height, dst.into_vec()).unwrap()
    }

    #[test]
    fn bands_give_the_one_pass_result() {
        let mut state = 0x2545_F491u32;
        let image = RgbImage::from_fn(503, 401, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let edge = if (x / 37 + y / 23) % 2 == 0 { 40 } else { 210 };
            let noise = (state % 21) as u8;
            image::Rgb([edge + noise, edge / 2 + noise, 255 - edge - noise])
        });
        // Down (several bands and a short last one), down in one direction only, and up. The
        // filter's integer weights are scaled per pass, so a band may round a level away from
        // the whole-image pass: one level when shrinking (all the pipeline does), two when
        // enlarging.
        for (width, height, tolerance) in
            [(301, 240, 1), (503, 150, 1), (240, 401, 1), (700, 530, 2)]
        {
            let banded = resize(image.clone(), width, height).unwrap();
            let whole = resize_in_one_pass(&image, width, height);
            let worst = banded
                .as_raw()
                .iter()
                .zip(whole.as_raw())
                .map(|(a, b)| a.abs_diff(*b))
                .max()
                .unwrap();
            assert!(worst <= tolerance, "{width}x{height}: off by {worst}");
        }
    }
}
