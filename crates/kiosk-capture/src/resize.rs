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

/// Resizes `image` to exactly `width × height` with a Lanczos3 filter. Returns the input
/// unchanged when the size already matches.
pub fn resize(image: RgbImage, width: u32, height: u32) -> Result<RgbImage, CaptureError> {
    if image.dimensions() == (width, height) {
        return Ok(image);
    }
    let failed = |detail: String| CaptureError::Encode { detail };
    let (src_w, src_h) = image.dimensions();
    let src = ImageRef::new(src_w, src_h, image.as_raw(), PixelType::U8x3)
        .map_err(|e| failed(e.to_string()))?;
    let mut dst = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| failed(e.to_string()))?;
    RgbImage::from_raw(width, height, dst.into_vec())
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
}
