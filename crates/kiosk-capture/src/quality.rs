//! Quality gates: is the picture usable? Each finding carries a stable code and advice in
//! Chinese and English.

use image::{GrayImage, RgbImage};
use serde::Serialize;
use ts_rs::TS;

/// Longest side of the grey copy the measurements use.
const MEASURE_SIZE: u32 = 640;
/// Below this mean brightness (0..255) the picture is too dark.
const DARK_MEAN: f64 = 60.0;
/// Above this mean brightness, or with this share of clipped-white pixels, it is too bright.
const BRIGHT_MEAN: f64 = 240.0;
/// Share of clipped (≥ 250) pixels that means glare.
const GLARE_SHARE: f64 = 0.25;
/// Variance of the Laplacian below which the picture is blurry.
const BLUR_VARIANCE: f64 = 150.0;
/// Standard deviation of brightness below which the picture is mostly empty.
const EMPTY_STDDEV: f64 = 6.0;

/// One quality finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum QualityIssue {
    /// The image has too few pixels to be legible.
    TooSmall,
    /// Underexposed.
    TooDark,
    /// Overexposed or glare.
    TooBright,
    /// Out of focus or shaken.
    Blurry,
    /// Almost nothing on it (lens cap, blank page, empty platen).
    MostlyEmpty,
}

impl QualityIssue {
    /// Stable code for programs, e.g. `QUALITY_BLURRY`.
    pub fn code(self) -> &'static str {
        match self {
            Self::TooSmall => "QUALITY_TOO_SMALL",
            Self::TooDark => "QUALITY_TOO_DARK",
            Self::TooBright => "QUALITY_TOO_BRIGHT",
            Self::Blurry => "QUALITY_BLURRY",
            Self::MostlyEmpty => "QUALITY_MOSTLY_EMPTY",
        }
    }

    /// Advice in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::TooSmall => "图片太小，看不清内容。请靠近证件，让证件占满取景框后重新拍摄。",
            Self::TooDark => "图片太暗。请打开补光灯或移到光线充足处重新拍摄。",
            Self::TooBright => "图片过亮或有反光。请将证件放平并避免反光，关闭闪光灯后重新拍摄。",
            Self::Blurry => "图片模糊。请保持证件和设备稳定，对焦清晰后重新拍摄。",
            Self::MostlyEmpty => "图片中几乎没有内容。请将证件放在取景框内重新拍摄。",
        }
    }

    /// Advice in English.
    pub fn en(self) -> &'static str {
        match self {
            Self::TooSmall => {
                "The image is too small to read. Move closer so the card fills the frame, then take it again."
            }
            Self::TooDark => {
                "The image is too dark. Turn on the light or move somewhere brighter, then take it again."
            }
            Self::TooBright => {
                "The image is too bright or has glare. Lay the card flat and avoid glare, turn off the flash, then take it again."
            }
            Self::Blurry => {
                "The image is blurry. Hold the card and the device still and let it focus, then take it again."
            }
            Self::MostlyEmpty => {
                "There is almost nothing in the image. Place the document inside the frame and take it again."
            }
        }
    }

    /// Whether the image should be refused (the others are warnings a clerk may override).
    pub fn is_blocking(self) -> bool {
        matches!(self, Self::TooSmall | Self::TooDark | Self::MostlyEmpty)
    }

    /// The finding as a [`kiosk_core::Problem`].
    pub fn problem(self) -> kiosk_core::Problem {
        kiosk_core::Problem::new(self.code(), self.zh(), self.en())
    }
}

/// The measurements the gates are based on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QualityMeasures {
    /// Mean brightness, 0..255.
    pub mean: f64,
    /// Standard deviation of brightness.
    pub stddev: f64,
    /// Share of pixels at or above 250.
    pub clipped_share: f64,
    /// Variance of the Laplacian of the grey copy (sharpness).
    pub laplacian_variance: f64,
}

/// Measures a grey image.
pub fn measure(grey: &GrayImage) -> QualityMeasures {
    let n = f64::from(grey.width()) * f64::from(grey.height());
    let (mut sum, mut sum_sq, mut clipped) = (0.0, 0.0, 0.0);
    for p in grey.pixels() {
        let v = f64::from(p[0]);
        sum += v;
        sum_sq += v * v;
        if p[0] >= 250 {
            clipped += 1.0;
        }
    }
    let mean = if n > 0.0 { sum / n } else { 0.0 };
    let variance = if n > 0.0 {
        (sum_sq / n - mean * mean).max(0.0)
    } else {
        0.0
    };
    QualityMeasures {
        mean,
        stddev: variance.sqrt(),
        clipped_share: if n > 0.0 { clipped / n } else { 0.0 },
        laplacian_variance: laplacian_variance(grey),
    }
}

/// Variance of the 4-neighbour Laplacian over the interior pixels.
pub fn laplacian_variance(grey: &GrayImage) -> f64 {
    let (w, h) = grey.dimensions();
    if w < 3 || h < 3 {
        return 0.0;
    }
    let (mut sum, mut sum_sq, mut n) = (0.0, 0.0, 0.0);
    let at = |x: u32, y: u32| f64::from(grey.get_pixel(x, y)[0]);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let lap = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y);
            sum += lap;
            sum_sq += lap * lap;
            n += 1.0;
        }
    }
    let mean = sum / n;
    sum_sq / n - mean * mean
}

/// A grey copy no larger than the measuring size.
pub fn measuring_copy(image: &RgbImage) -> GrayImage {
    let (w, h) = crate::resize::fit_within(image.width(), image.height(), MEASURE_SIZE);
    let small = crate::resize::resize(image.clone(), w, h).unwrap_or_else(|_| image.clone());
    image::DynamicImage::ImageRgb8(small).into_luma8()
}

/// Runs every gate on `image` (the document after cropping, before the watermark).
/// `min_short_side` is the slot's legibility minimum for the source resolution.
pub fn assess(
    image: &RgbImage,
    source_short_side: u32,
    min_short_side: u32,
) -> (Vec<QualityIssue>, QualityMeasures) {
    let measures = measure(&measuring_copy(image));
    let mut issues = Vec::new();
    if source_short_side < min_short_side {
        issues.push(QualityIssue::TooSmall);
    }
    if measures.stddev < EMPTY_STDDEV {
        issues.push(QualityIssue::MostlyEmpty);
    } else {
        if measures.mean < DARK_MEAN {
            issues.push(QualityIssue::TooDark);
        }
        if measures.mean > BRIGHT_MEAN || measures.clipped_share > GLARE_SHARE {
            issues.push(QualityIssue::TooBright);
        }
        if measures.laplacian_variance < BLUR_VARIANCE {
            issues.push(QualityIssue::Blurry);
        }
    }
    (issues, measures)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod tests {
    use super::*;
    use image::Rgb;

    /// A document-like page: light paper with dark "text" strokes.
    pub(crate) fn text_page(width: u32, height: u32, paper: u8, ink: u8) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let line = (y / 14) % 3 != 2 && y % 14 < 9;
            let glyph = (x / 7 + y / 14) % 5 != 0 && x % 7 < 4;
            let margin = x < width / 12
                || x > width - width / 12
                || y < height / 12
                || y > height - height / 12;
            if line && glyph && !margin {
                Rgb([ink; 3])
            } else {
                Rgb([paper; 3])
            }
        })
    }

    fn box_blur(image: &RgbImage, radius: i64) -> RgbImage {
        let (w, h) = image.dimensions();
        RgbImage::from_fn(w, h, |x, y| {
            let (mut sum, mut n) = (0u64, 0u64);
            for dy in -radius..=radius {
                for dx in -radius..=radius {
                    let (sx, sy) = (i64::from(x) + dx, i64::from(y) + dy);
                    if sx >= 0 && sy >= 0 && sx < i64::from(w) && sy < i64::from(h) {
                        sum += u64::from(image.get_pixel(sx as u32, sy as u32)[0]);
                        n += 1;
                    }
                }
            }
            Rgb([(sum / n) as u8; 3])
        })
    }

    #[test]
    fn sharp_well_lit_page_passes_every_gate() {
        let (issues, m) = assess(&text_page(600, 400, 230, 30), 1000, 300);
        assert!(issues.is_empty(), "{issues:?} {m:?}");
    }

    #[test]
    fn blurred_page_is_blurry() {
        let blurred = box_blur(&text_page(400, 300, 230, 30), 3);
        let (issues, m) = assess(&blurred, 1000, 300);
        assert_eq!(issues, vec![QualityIssue::Blurry], "{m:?}");
    }

    #[test]
    fn dark_page_is_too_dark() {
        let (issues, m) = assess(&text_page(600, 400, 45, 5), 1000, 300);
        assert!(issues.contains(&QualityIssue::TooDark), "{issues:?} {m:?}");
    }

    #[test]
    fn glare_is_too_bright_with_the_lay_flat_advice() {
        let (issues, m) = assess(&text_page(600, 400, 255, 200), 1000, 300);
        assert!(
            issues.contains(&QualityIssue::TooBright),
            "{issues:?} {m:?}"
        );
        assert!(
            QualityIssue::TooBright
                .zh()
                .contains("请将证件放平并避免反光")
        );
        assert!(
            QualityIssue::TooBright
                .en()
                .contains("Lay the card flat and avoid glare")
        );
    }

    #[test]
    fn blank_frame_is_mostly_empty_and_blocking() {
        let (issues, _) = assess(
            &RgbImage::from_pixel(300, 200, Rgb([120, 120, 120])),
            1000,
            300,
        );
        assert_eq!(issues, vec![QualityIssue::MostlyEmpty]);
        assert!(QualityIssue::MostlyEmpty.is_blocking());
        assert!(!QualityIssue::Blurry.is_blocking(), "blur is a warning");
    }

    #[test]
    fn low_source_resolution_is_too_small() {
        let (issues, _) = assess(&text_page(600, 400, 230, 30), 200, 300);
        assert!(issues.contains(&QualityIssue::TooSmall), "{issues:?}");
    }
}
