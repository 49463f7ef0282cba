//! Finding the document on the background, estimating its skew, and cutting it out upright.
//!
//! The approach is deliberately simple and robust: work on a small grey copy, split
//! foreground from background with Otsu's threshold (the background is whichever class owns
//! most of the border), keep the largest 4-connected blob, take the skew from the blob's
//! second-order moments (a card or a sheet is a rectangle whose long axis gives the angle),
//! and crop to the blob's bounding box in the rotated frame.

use image::{GrayImage, RgbImage};

/// Longest side of the grey copy the detection works on.
const DETECT_SIZE: u32 = 400;
/// Skews smaller than this (degrees) are left alone: rotating costs sharpness.
const MIN_SKEW_DEG: f64 = 0.5;
/// Skews larger than this (degrees) are not trusted (the blob is probably not a rectangle).
const MAX_SKEW_DEG: f64 = 20.0;

/// Where the document is in an image of `image_width × image_height` pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentRegion {
    /// Rotation (degrees, counter-clockwise positive in image coordinates with y down) to
    /// apply to make the document upright; 0 when below the noise threshold.
    pub deskew_degrees: f64,
    /// Crop rectangle in the frame rotated about the image centre: left, top, width, height,
    /// in full-resolution pixels.
    pub crop: (f64, f64, f64, f64),
    /// Share of the image the document covers (0..1).
    pub coverage: f64,
}

/// Otsu's threshold of a grey histogram.
fn otsu(histogram: &[u64; 256]) -> u8 {
    let total: u64 = histogram.iter().sum();
    let sum_all: f64 = histogram
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut weight_bg, mut sum_bg, mut best, mut best_var) = (0.0, 0.0, 0u8, -1.0);
    for (i, &n) in histogram.iter().enumerate() {
        weight_bg += n as f64;
        if weight_bg == 0.0 {
            continue;
        }
        let weight_fg = total as f64 - weight_bg;
        if weight_fg == 0.0 {
            break;
        }
        sum_bg += i as f64 * n as f64;
        let mean_bg = sum_bg / weight_bg;
        let mean_fg = (sum_all - sum_bg) / weight_fg;
        let between = weight_bg * weight_fg * (mean_bg - mean_fg).powi(2);
        if between > best_var {
            best_var = between;
            best = u8::try_from(i).unwrap_or(u8::MAX);
        }
    }
    best
}

/// Foreground mask: `true` where a pixel is on the other side of Otsu's threshold than the
/// majority of the border pixels.
fn foreground_mask(grey: &GrayImage) -> Vec<bool> {
    let mut histogram = [0u64; 256];
    for p in grey.pixels() {
        histogram[usize::from(p[0])] += 1;
    }
    let threshold = otsu(&histogram);
    let (w, h) = grey.dimensions();
    let (mut border_bright, mut border_total) = (0u64, 0u64);
    for (x, y, p) in grey.enumerate_pixels() {
        if x == 0 || y == 0 || x + 1 == w || y + 1 == h {
            border_total += 1;
            border_bright += u64::from(p[0] > threshold);
        }
    }
    let background_bright = border_bright * 2 > border_total;
    grey.pixels()
        .map(|p| (p[0] > threshold) != background_bright)
        .collect()
}

/// Pixel indices of the largest 4-connected `true` region.
fn largest_blob(mask: &[bool], width: usize, height: usize) -> Vec<usize> {
    let mut seen = vec![false; mask.len()];
    let mut best: Vec<usize> = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        let mut blob = Vec::new();
        seen[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            blob.push(i);
            let (x, y) = (i % width, i / width);
            let mut visit = |j: usize| {
                if mask[j] && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < width {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - width);
            }
            if y + 1 < height {
                visit(i + width);
            }
        }
        if blob.len() > best.len() {
            best = blob;
        }
    }
    best
}

/// Angle (radians) of the blob's principal axis, from its central second moments.
fn principal_angle(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
    let (mx, my) = (mx / n, my / n);
    let (mut mu20, mut mu02, mut mu11) = (0.0, 0.0, 0.0);
    for (x, y) in points {
        let (dx, dy) = (x - mx, y - my);
        mu20 += dx * dx;
        mu02 += dy * dy;
        mu11 += dx * dy;
    }
    0.5 * (2.0 * mu11).atan2(mu20 - mu02)
}

/// Reduces an axis angle to the nearest multiple of 90° (a document is upright in either
/// orientation; EXIF already handled quarter turns).
fn skew_from_axis(angle: f64) -> f64 {
    let degrees = angle.to_degrees();
    degrees - (degrees / 90.0).round() * 90.0
}

/// Finds the document in `image`. Returns `None` when no convincing document is found
/// (blob under 10 % of the image, or the blob fills the frame, so there is nothing to crop).
pub fn find_document(image: &RgbImage) -> Option<DocumentRegion> {
    let (full_w, full_h) = image.dimensions();
    let (w, h) = crate::resize::fit_within(full_w, full_h, DETECT_SIZE);
    let small = crate::resize::resize(image.clone(), w, h).ok()?;
    let grey = image::DynamicImage::ImageRgb8(small).into_luma8();
    let mask = foreground_mask(&grey);
    let (wu, hu) = (w as usize, h as usize);
    let blob = largest_blob(&mask, wu, hu);
    let coverage = blob.len() as f64 / (wu * hu) as f64;
    if !(0.10..=0.97).contains(&coverage) {
        return None;
    }
    let points: Vec<(f64, f64)> = blob
        .iter()
        .map(|&i| ((i % wu) as f64 + 0.5, (i / wu) as f64 + 0.5))
        .collect();
    let skew = skew_from_axis(principal_angle(&points));
    let deskew_degrees = if skew.abs() < MIN_SKEW_DEG || skew.abs() > MAX_SKEW_DEG {
        0.0
    } else {
        -skew
    };
    // Bounding box of the blob rotated by `deskew_degrees` about the small image's centre.
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    let (sin, cos) = deskew_degrees.to_radians().sin_cos();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in &points {
        let (dx, dy) = (x - cx, y - cy);
        let (rx, ry) = (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos);
        x0 = x0.min(rx - 0.5);
        y0 = y0.min(ry - 0.5);
        x1 = x1.max(rx + 0.5);
        y1 = y1.max(ry + 0.5);
    }
    let scale = f64::from(full_w) / f64::from(w);
    Some(DocumentRegion {
        deskew_degrees,
        crop: (x0 * scale, y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale),
        coverage,
    })
}

/// Rotates `image` by `degrees` about its centre and cuts out `crop` (left, top, width,
/// height in the rotated frame) with bilinear sampling. Pixels from outside the source are
/// white.
pub fn rotate_and_crop(image: &RgbImage, degrees: f64, crop: (f64, f64, f64, f64)) -> RgbImage {
    let (w, h) = image.dimensions();
    let (left, top, cw, ch) = crop;
    let out_w = cw.round().max(1.0) as u32;
    let out_h = ch.round().max(1.0) as u32;
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    // Inverse rotation maps an output pixel back into the source.
    let (sin, cos) = (-degrees).to_radians().sin_cos();
    let mut out = RgbImage::new(out_w, out_h);
    for (ox, oy, pixel) in out.enumerate_pixels_mut() {
        let (rx, ry) = (
            left + f64::from(ox) + 0.5 - cx,
            top + f64::from(oy) + 0.5 - cy,
        );
        let sx = cx + rx * cos - ry * sin - 0.5;
        let sy = cy + rx * sin + ry * cos - 0.5;
        pixel.0 = sample_bilinear(image, sx, sy);
    }
    out
}

fn sample_bilinear(image: &RgbImage, x: f64, y: f64) -> [u8; 3] {
    let (w, h) = image.dimensions();
    if x < -0.5 || y < -0.5 || x > f64::from(w) - 0.5 || y > f64::from(h) - 0.5 {
        return [255, 255, 255];
    }
    let x = x.clamp(0.0, f64::from(w - 1));
    let y = y.clamp(0.0, f64::from(h - 1));
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - f64::from(x0), y - f64::from(y0));
    let p = |px: u32, py: u32| image.get_pixel(px, py).0;
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    let mut out = [0u8; 3];
    for i in 0..3 {
        let top = f64::from(a[i]) * (1.0 - fx) + f64::from(b[i]) * fx;
        let bottom = f64::from(c[i]) * (1.0 - fx) + f64::from(d[i]) * fx;
        out[i] = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod tests {
    use super::*;
    use image::Rgb;

    /// A white `w × h` card rotated by `degrees`, centred at (`cx`, `cy`) on a dark desk.
    pub(crate) fn card_on_desk(
        size: (u32, u32),
        card: (f64, f64),
        centre: (f64, f64),
        degrees: f64,
    ) -> RgbImage {
        let (sin, cos) = degrees.to_radians().sin_cos();
        RgbImage::from_fn(size.0, size.1, |x, y| {
            let (dx, dy) = (f64::from(x) + 0.5 - centre.0, f64::from(y) + 0.5 - centre.1);
            // Into the card's frame.
            let (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
            if u.abs() <= card.0 / 2.0 && v.abs() <= card.1 / 2.0 {
                Rgb([235, 235, 230])
            } else {
                Rgb([40, 45, 50])
            }
        })
    }

    #[test]
    fn otsu_splits_a_two_peak_histogram_between_the_peaks() {
        let mut histogram = [0u64; 256];
        histogram[40] = 1000;
        histogram[200] = 1000;
        let t = otsu(&histogram);
        assert!((40..200).contains(&t), "threshold {t} between the peaks");
    }

    #[test]
    fn finds_an_upright_card_and_its_bounding_box() {
        let image = card_on_desk((800, 600), (428.0, 270.0), (400.0, 300.0), 0.0);
        let region = find_document(&image).expect("card found");
        assert_eq!(region.deskew_degrees, 0.0, "upright card needs no deskew");
        let (l, t, w, h) = region.crop;
        assert!(
            (l - 186.0).abs() < 6.0 && (t - 165.0).abs() < 6.0,
            "crop origin {l},{t}"
        );
        assert!(
            (w - 428.0).abs() < 8.0 && (h - 270.0).abs() < 8.0,
            "crop size {w}x{h}"
        );
    }

    #[test]
    fn estimates_skew_of_a_rotated_card_within_half_a_degree() {
        for degrees in [-12.0, -4.0, 3.0, 8.0] {
            let image = card_on_desk((800, 600), (428.0, 270.0), (390.0, 310.0), degrees);
            let region = find_document(&image).expect("card found");
            assert!(
                (region.deskew_degrees + degrees).abs() < 0.5,
                "card at {degrees}° gave deskew {}",
                region.deskew_degrees
            );
            let (_, _, w, h) = region.crop;
            assert!(
                (w - 428.0).abs() < 12.0 && (h - 270.0).abs() < 12.0,
                "upright crop {w}x{h} at {degrees}°"
            );
        }
    }

    #[test]
    fn deskewed_crop_is_card_coloured_to_the_edges() {
        let image = card_on_desk((800, 600), (428.0, 270.0), (400.0, 300.0), 7.0);
        let region = find_document(&image).expect("card found");
        let out = rotate_and_crop(&image, region.deskew_degrees, region.crop);
        let (w, h) = out.dimensions();
        let mut dark = 0;
        for (x, y, p) in out.enumerate_pixels() {
            let inner = x > 6 && y > 6 && x + 6 < w && y + 6 < h;
            if inner && p[0] < 128 {
                dark += 1;
            }
        }
        assert!(dark < 50, "{dark} desk pixels left inside the crop");
    }

    #[test]
    fn uniform_image_has_no_document() {
        let image = RgbImage::from_pixel(300, 200, Rgb([128, 128, 128]));
        assert!(find_document(&image).is_none(), "nothing to find");
    }
}
