//! The visible watermark the platforms ask for: "仅供<platform>注册使用 <date>", tiled across
//! the image in staggered rows, drawn with a CJK font through `ab_glyph`.

use std::path::Path;

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use image::RgbImage;

use crate::error::CaptureError;

/// Grey the watermark is blended towards; visible on white paper and on black print alike.
const INK: [f32; 3] = [128.0, 128.0, 128.0];
/// Opacity of fully covered watermark pixels.
const OPACITY: f32 = 0.42;

/// A loaded font that can draw Chinese text.
#[derive(Debug)]
pub struct WatermarkFont {
    font: FontVec,
}

impl WatermarkFont {
    /// Loads face `index` of a TrueType/OpenType font or collection (`.ttf`, `.otf`, `.ttc`).
    /// For Debian's `NotoSansCJK-Regular.ttc`, face 2 is Simplified Chinese.
    pub fn from_bytes(bytes: Vec<u8>, index: u32) -> Result<Self, CaptureError> {
        let font =
            FontVec::try_from_vec_and_index(bytes, index).map_err(|e| CaptureError::Font {
                detail: e.to_string(),
            })?;
        let probe = font.glyph_id('册');
        if probe.0 == 0 {
            return Err(CaptureError::Font {
                detail: "font has no Chinese glyphs".to_owned(),
            });
        }
        Ok(Self { font })
    }

    /// Reads the font file at `path`, then [`WatermarkFont::from_bytes`].
    pub fn from_file(path: &Path, index: u32) -> Result<Self, CaptureError> {
        let bytes = std::fs::read(path).map_err(|e| CaptureError::Font {
            detail: format!("{}: {e}", path.display()),
        })?;
        Self::from_bytes(bytes, index)
    }
}

/// The watermark's wording: "仅供<platform>注册使用 <date>".
pub fn watermark_text(platform: &str, date: &str) -> String {
    format!("仅供{platform}注册使用 {date}")
}

/// A rendered line of text: coverage 0..1, row-major.
#[derive(Debug)]
struct Coverage {
    width: usize,
    height: usize,
    alpha: Vec<f32>,
}

fn render_line(font: &WatermarkFont, text: &str, px: f32) -> Coverage {
    let scaled = font.font.as_scaled(PxScale::from(px));
    let ascent = scaled.ascent();
    let height = (ascent - scaled.descent()).ceil().max(1.0) as usize;
    let mut caret = 0.0f32;
    let mut glyphs = Vec::new();
    let mut previous = None;
    for ch in text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(prev) = previous {
            caret += scaled.kern(prev, id);
        }
        glyphs.push(id.with_scale_and_position(px, point(caret, ascent)));
        caret += scaled.h_advance(id);
        previous = Some(id);
    }
    let width = caret.ceil().max(1.0) as usize;
    let mut alpha = vec![0.0f32; width * height];
    for glyph in glyphs {
        if let Some(outline) = font.font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|x, y, c| {
                let gx = bounds.min.x as i64 + i64::from(x);
                let gy = bounds.min.y as i64 + i64::from(y);
                if gx >= 0 && gy >= 0 && (gx as usize) < width && (gy as usize) < height {
                    let cell = &mut alpha[gy as usize * width + gx as usize];
                    *cell = (*cell + c).min(1.0);
                }
            });
        }
    }
    Coverage {
        width,
        height,
        alpha,
    }
}

/// Draws `text` tiled across `image` in staggered rows. The text height scales with the
/// image (1/16 of the short side, at least 14 px) so it stays legible after resizing.
pub fn stamp(image: &mut RgbImage, font: &WatermarkFont, text: &str) {
    let (w, h) = image.dimensions();
    let px = (w.min(h) as f32 / 16.0).max(14.0);
    let line = render_line(font, text, px);
    let row_pitch = (line.height as f32 * 3.2) as i64;
    let col_pitch = (line.width as f32 + px * 2.0) as i64;
    let mut row = 0i64;
    let mut top = row_pitch / 3;
    while top < i64::from(h) {
        let shift = if row % 2 == 0 { 0 } else { col_pitch / 2 };
        let mut left = -shift;
        while left < i64::from(w) {
            blit(image, &line, left, top);
            left += col_pitch;
        }
        top += row_pitch;
        row += 1;
    }
}

fn blit(image: &mut RgbImage, line: &Coverage, left: i64, top: i64) {
    let (w, h) = (i64::from(image.width()), i64::from(image.height()));
    for ly in 0..line.height {
        let y = top + ly as i64;
        if y < 0 || y >= h {
            continue;
        }
        for lx in 0..line.width {
            let x = left + lx as i64;
            let a = line.alpha[ly * line.width + lx] * OPACITY;
            if a <= 0.0 || x < 0 || x >= w {
                continue;
            }
            let pixel = image.get_pixel_mut(x as u32, y as u32);
            for c in 0..3 {
                let v = f32::from(pixel[c]) * (1.0 - a) + INK[c] * a;
                pixel[c] = v.round().clamp(0.0, 255.0) as u8;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod tests {
    use super::*;

    /// Debian's Noto Sans CJK collection (`fonts-noto-cjk`), face 2 = Simplified Chinese.
    pub(crate) const TEST_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    pub(crate) const TEST_FACE: u32 = 2;

    pub(crate) fn test_font() -> WatermarkFont {
        WatermarkFont::from_file(Path::new(TEST_FONT), TEST_FACE)
            .expect("fonts-noto-cjk must be installed for the watermark tests")
    }

    #[test]
    fn text_follows_the_platforms_wording() {
        assert_eq!(
            watermark_text("国家税务总局", "2026-11-23"),
            "仅供国家税务总局注册使用 2026-11-23"
        );
    }

    #[test]
    fn rendered_line_has_ink_for_chinese_glyphs() {
        let line = render_line(&test_font(), "仅供注册使用", 32.0);
        let inked = line.alpha.iter().filter(|&&a| a > 0.5).count();
        assert!(
            line.width > 120,
            "six CJK glyphs on a 32 px line are wide, got {}",
            line.width
        );
        assert!(inked > 300, "glyphs drawn, {inked} inked pixels");
    }

    #[test]
    fn stamp_darkens_white_paper_visibly_across_the_image() {
        let mut image = RgbImage::from_pixel(800, 500, image::Rgb([255, 255, 255]));
        stamp(
            &mut image,
            &test_font(),
            &watermark_text("测试平台", "2026-11-23"),
        );
        let marked = |x0: u32, x1: u32| {
            (0..image.height())
                .flat_map(|y| (x0..x1).map(move |x| (x, y)))
                .filter(|&(x, y)| image.get_pixel(x, y)[0] < 220)
                .count()
        };
        assert!(marked(0, 400) > 1000, "left half marked");
        assert!(marked(400, 800) > 1000, "right half marked");
    }

    #[test]
    fn font_without_chinese_is_refused() {
        let err = WatermarkFont::from_bytes(vec![0; 64], 0).unwrap_err();
        assert!(matches!(err, CaptureError::Font { .. }), "{err:?}");
    }
}
