//! The watermark's font and date: where the CJK font is found and how the date is written.

use kiosk_capture::watermark::WatermarkFont;
use kiosk_core::Problem;
use std::path::{Path, PathBuf};

/// Environment variable naming the watermark font file (optionally `path#face`).
pub const FONT_ENV: &str = "KIOSK_WATERMARK_FONT";
/// The font the kiosk ships (Noto Sans CJK SC, OFL), relative to the installation's assets.
pub const SHIPPED_FONT: &str = "assets/fonts/NotoSansCJKsc-Regular.otf";
/// Debian's `fonts-noto-cjk` collection; face 2 is Simplified Chinese.
pub const SYSTEM_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// The watermark date for `now_ms` (Unix milliseconds), as `YYYY-MM-DD` in China Standard
/// Time (UTC+8), where the kiosks stand.
pub fn watermark_date(now_ms: i64) -> String {
    crate::validate::today_in_china(now_ms).to_string()
}

/// Where the watermark font comes from, first match wins: `explicit`, then `$KIOSK_WATERMARK_FONT`,
/// then [`SHIPPED_FONT`] under `assets_dir`, then Debian's [`SYSTEM_FONT`]. A `#N` suffix selects
/// face N of a collection; Noto CJK `.ttc` files default to face 2 (Simplified Chinese).
pub fn font_candidates(
    explicit: Option<&Path>,
    env: Option<String>,
    assets_dir: Option<&Path>,
) -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    let mut push = |spec: &str| {
        let (path, face) = match spec.rsplit_once('#') {
            Some((path, face)) if face.parse::<u32>().is_ok() => (path, face.parse().ok()),
            _ => (spec, None),
        };
        let default_face = if path.ends_with(".ttc") && path.contains("NotoSansCJK") {
            2
        } else {
            0
        };
        out.push((PathBuf::from(path), face.unwrap_or(default_face)));
    };
    if let Some(path) = explicit {
        push(&path.to_string_lossy());
    }
    if let Some(spec) = env.filter(|s| !s.is_empty()) {
        push(&spec);
    }
    if let Some(dir) = assets_dir {
        push(&dir.join(SHIPPED_FONT).to_string_lossy());
    }
    push(SYSTEM_FONT);
    out
}

/// Loads the first usable font of [`font_candidates`].
pub fn load_watermark_font(candidates: &[(PathBuf, u32)]) -> Result<WatermarkFont, Problem> {
    let mut last = None;
    for (path, face) in candidates {
        if !path.exists() {
            continue;
        }
        match WatermarkFont::from_file(path, *face) {
            Ok(font) => return Ok(font),
            Err(error) => last = Some(error),
        }
    }
    Err(last
        .unwrap_or(kiosk_capture::CaptureError::Font {
            detail: "no font file found".to_owned(),
        })
        .into())
}
