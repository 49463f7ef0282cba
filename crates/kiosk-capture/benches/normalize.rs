//! Benchmark: a 12-megapixel 4000×3000 JPEG → ≤ 1 MB normalised JPEG (2400 px longest side),
//! p50 over 30 runs, next to ImageMagick's
//! `convert -auto-orient -resize 2400x2400 -quality 85` on the same file in the same run.
//!
//! Run: `cargo bench -p kiosk-capture --bench normalize` (release). Without `--bench` (as
//! `cargo test --benches` runs it) it does one quick smoke run on a small image.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use image::{Rgb, RgbImage};
use kiosk_capture::watermark::{WatermarkFont, watermark_text};
use kiosk_capture::{NormalizeOptions, Slot, Watermark, normalize};

const RUNS: usize = 30;
const FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const IMAGEMAGICK: &str = "/usr/bin/convert";

/// The photo-like test image (`kiosk_testkit::photo`, seed 0), as an image.
fn photo(width: u32, height: u32) -> RgbImage {
    let pixels = kiosk_testkit::photo::photo_rgb(width, height, 0);
    RgbImage::from_fn(width, height, |x, y| {
        let at = (y as usize * width as usize + x as usize) * 3;
        Rgb([pixels[at], pixels[at + 1], pixels[at + 2]])
    })
}

fn p(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (w, h, runs) = if full {
        (4000, 3000, RUNS)
    } else {
        (800, 600, 1)
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("photo.jpg");
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&photo(w, h))
        .unwrap();
    std::fs::write(&input, &jpeg).unwrap();
    println!("input: {w}x{h} JPEG, {} bytes", jpeg.len());

    let slot = Slot {
        name: "bench".to_owned(),
        max_dimension: 2400,
        ..Slot::id_front()
    };
    let font = WatermarkFont::from_file(Path::new(FONT), 2).ok();
    let text = watermark_text("测试平台", "2026-11-23");
    let ours = |watermark: bool| {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let started = Instant::now();
            let bytes = std::fs::read(&input).unwrap();
            let options = NormalizeOptions {
                watermark: font
                    .as_ref()
                    .filter(|_| watermark)
                    .map(|font| Watermark { font, text: &text }),
                ..NormalizeOptions::default()
            };
            let out = normalize(&bytes, &slot, &options).unwrap();
            std::fs::write(dir.path().join("ours.jpg"), &out.jpeg).unwrap();
            times.push(started.elapsed());
            last = Some((out.jpeg.len(), out.quality, out.width, out.height));
        }
        times.sort();
        (times, last)
    };
    let (plain, plain_out) = ours(false);
    let (marked, marked_out) = ours(true);

    let magick = if Path::new(IMAGEMAGICK).exists() {
        let mut times = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let status = Command::new(IMAGEMAGICK)
                .arg(&input)
                .args(["-auto-orient", "-resize", "2400x2400", "-quality", "85"])
                .arg(dir.path().join("magick.jpg"))
                .status()
                .unwrap();
            assert!(status.success(), "convert failed");
            times.push(started.elapsed());
        }
        times.sort();
        Some(times)
    } else {
        println!("ImageMagick not found at {IMAGEMAGICK}: apt-get install imagemagick");
        None
    };

    println!(
        "kiosk-capture, no watermark: p50 {:?} p90 {:?} → {:?} (bytes, quality, w, h)",
        p(&plain, 0.5),
        p(&plain, 0.9),
        plain_out
    );
    println!(
        "kiosk-capture, watermark:    p50 {:?} p90 {:?} → {:?}",
        p(&marked, 0.5),
        p(&marked, 0.9),
        marked_out
    );
    if let Some(magick) = magick {
        let size = std::fs::metadata(dir.path().join("magick.jpg"))
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "ImageMagick convert:         p50 {:?} p90 {:?} → {size} bytes",
            p(&magick, 0.5),
            p(&magick, 0.9)
        );
        let ratio = p(&marked, 0.5).as_secs_f64() / p(&magick, 0.5).as_secs_f64();
        let ratio_plain = p(&plain, 0.5).as_secs_f64() / p(&magick, 0.5).as_secs_f64();
        println!(
            "ratio (ours / ImageMagick, p50): {ratio:.2} with watermark, {ratio_plain:.2} without (target ≤ 0.50)"
        );
    }
}
