//! The pipeline on real-looking inputs.

use std::path::Path;
use std::time::{Duration, Instant};

use image::{Rgb, RgbImage, Rgba, RgbaImage};
use kiosk_capture::decode::DecodeLimits;
use kiosk_capture::quality::QualityIssue;
use kiosk_capture::watermark::{WatermarkFont, watermark_text};
use kiosk_capture::{CaptureError, NormalizeOptions, Slot, Watermark, normalize};
use kiosk_core::UserFacing;

use crate::fixtures::{self, EXIF_SECRET};

const FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

fn font() -> WatermarkFont {
    WatermarkFont::from_file(Path::new(FONT), 2).expect("fonts-noto-cjk installed")
}

fn decode(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory(jpeg)
        .expect("output decodes")
        .into_rgb8()
}

/// A landscape image whose left half is red and right half blue, with a text pattern so it
/// passes the quality gates.
fn two_halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let stripe = (x / 6 + y / 6) % 2 == 0;
        let shade = if stripe { 0 } else { 40 };
        if x < width / 2 {
            Rgb([220 - shade, 30, 30])
        } else {
            Rgb([30, 30, 220 - shade])
        }
    })
}

#[test]
fn exif_orientation_6_is_applied_and_all_metadata_is_stripped() {
    let stored = fixtures::jpeg(&two_halves(800, 600), 90);
    let rotated = fixtures::with_exif_orientation(&stored, 6);
    assert!(fixtures::has_app1(&rotated), "fixture carries EXIF");
    let out = normalize(&rotated, &Slot::id_front(), &NormalizeOptions::default()).unwrap();
    assert_eq!(
        (out.width, out.height),
        (600, 800),
        "portrait after orientation 6"
    );
    let pixels = decode(&out.jpeg);
    // Orientation 6 turns the stored image 90° clockwise: the stored left (red) half is now on top.
    let top = pixels.get_pixel(300, 100);
    let bottom = pixels.get_pixel(300, 700);
    assert!(top[0] > 150 && top[2] < 100, "top is red, got {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue, got {bottom:?}"
    );
    assert!(
        !fixtures::has_app1(&out.jpeg),
        "no EXIF/XMP segment in the output"
    );
    let text = String::from_utf8_lossy(&out.jpeg);
    assert!(
        !text.contains(EXIF_SECRET) && !text.contains("Exif"),
        "metadata gone"
    );
}

#[test]
fn twelve_megapixel_noisy_photo_fits_one_megabyte() {
    let photo = fixtures::noisy_photo(4000, 3000, 24);
    let input = fixtures::jpeg(&photo, 92);
    assert!(
        input.len() > 2_000_000,
        "noisy input is large: {}",
        input.len()
    );
    let slot = Slot {
        max_dimension: 2400,
        ..Slot::id_front()
    };
    let out = normalize(&input, &slot, &NormalizeOptions::default()).unwrap();
    assert!(
        out.jpeg.len() as u64 <= slot.max_bytes,
        "{} bytes",
        out.jpeg.len()
    );
    assert_eq!((out.width, out.height), (2400, 1800));
    assert!(out.quality >= 40, "quality {} stayed usable", out.quality);
}

#[test]
fn document_on_a_desk_is_found_deskewed_and_cropped() {
    // A card-sized light rectangle rotated by 6° on a dark desk.
    let (sin, cos) = 6f64.to_radians().sin_cos();
    let photo = RgbImage::from_fn(1600, 1200, |x, y| {
        let (dx, dy) = (f64::from(x) - 800.0, f64::from(y) - 600.0);
        let (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
        if u.abs() < 428.0 && v.abs() < 270.0 {
            let print = ((u + 428.0) as i64 / 9 + (v + 270.0) as i64 / 9) % 2 == 0;
            if print {
                Rgb([60, 60, 70])
            } else {
                Rgb([230, 228, 220])
            }
        } else {
            Rgb([35, 40, 48])
        }
    });
    let input = fixtures::jpeg(&photo, 90);
    let options = NormalizeOptions {
        crop_document: true,
        ..NormalizeOptions::default()
    };
    let out = normalize(&input, &Slot::id_front(), &options).unwrap();
    assert!(out.cropped, "document found");
    assert!(
        (out.deskew_degrees + 6.0).abs() < 0.7,
        "deskew {}",
        out.deskew_degrees
    );
    let ratio = f64::from(out.width) / f64::from(out.height);
    assert!(
        (ratio - 856.0 / 540.0).abs() < 0.06,
        "card aspect kept, got {}x{}",
        out.width,
        out.height
    );
}

#[test]
fn tiny_image_is_refused_with_advice_to_move_closer() {
    let input = fixtures::jpeg(&two_halves(60, 40), 90);
    let err = normalize(&input, &Slot::id_front(), &NormalizeOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            CaptureError::TooSmall {
                width: 60,
                height: 40,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "CAPTURE_TOO_SMALL");
    assert!(err.zh().contains("靠近"), "{}", err.zh());
}

#[test]
fn small_but_legible_image_passes_with_a_too_small_warning() {
    let input = fixtures::jpeg(&two_halves(400, 250), 90);
    let out = normalize(&input, &Slot::id_front(), &NormalizeOptions::default()).unwrap();
    assert!(
        out.issues.contains(&QualityIssue::TooSmall),
        "{:?}",
        out.issues
    );
    assert!(out.has_blocking_issue(), "too small blocks");
}

#[test]
fn png_bomb_is_refused_from_its_header_quickly() {
    let bomb = fixtures::png_bomb();
    assert!(bomb.len() < 1000, "the bomb is small: {}", bomb.len());
    let started = Instant::now();
    let err = normalize(&bomb, &Slot::risk_letter(), &NormalizeOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            CaptureError::TooManyPixels {
                width: 50_000,
                height: 50_000,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "refused in {:?}",
        started.elapsed()
    );
    assert_eq!(err.code(), "CAPTURE_TOO_MANY_PIXELS");
}

#[test]
fn allocation_limit_stops_a_decode_even_when_the_pixel_limit_is_raised() {
    let bomb = fixtures::png_bomb();
    let limits = DecodeLimits {
        max_pixels: u64::MAX,
        max_alloc: 64 * 1024 * 1024,
        ..DecodeLimits::default()
    };
    let options = NormalizeOptions {
        limits,
        ..NormalizeOptions::default()
    };
    let started = Instant::now();
    let err = normalize(&bomb, &Slot::risk_letter(), &options).unwrap_err();
    assert!(matches!(err, CaptureError::TooManyPixels { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "refused in {:?}",
        started.elapsed()
    );
}

#[test]
fn oversized_file_is_refused_before_decoding() {
    let limits = DecodeLimits {
        max_file_bytes: 1000,
        ..DecodeLimits::default()
    };
    let input = fixtures::jpeg(&fixtures::noisy_photo(400, 300, 40), 95);
    let options = NormalizeOptions {
        limits,
        ..NormalizeOptions::default()
    };
    let err = normalize(&input, &Slot::id_front(), &options).unwrap_err();
    assert_eq!(err.code(), "CAPTURE_FILE_TOO_LARGE", "{err:?}");
}

#[test]
fn truncated_jpeg_is_a_corrupt_image_error() {
    let full = fixtures::jpeg(&fixtures::noisy_photo(800, 600, 20), 90);
    let truncated = &full[..full.len() / 2];
    let err = normalize(truncated, &Slot::id_front(), &NormalizeOptions::default()).unwrap_err();
    assert_eq!(err.code(), "CAPTURE_CORRUPT_IMAGE", "{err:?}");
    assert!(err.en().contains("damaged"), "{}", err.en());
}

#[test]
fn png_with_alpha_gets_a_white_background() {
    let mut rgba = RgbaImage::from_pixel(800, 600, Rgba([0, 0, 0, 0]));
    for y in 150..450 {
        for x in 200..600 {
            let ink = (x / 5 + y / 5) % 2 == 0;
            rgba.put_pixel(
                x,
                y,
                if ink {
                    Rgba([20, 20, 120, 255])
                } else {
                    Rgba([200, 200, 240, 255])
                },
            );
        }
    }
    let input = fixtures::png(&image::DynamicImage::ImageRgba8(rgba));
    let out = normalize(&input, &Slot::id_front(), &NormalizeOptions::default()).unwrap();
    let pixels = decode(&out.jpeg);
    let corner = pixels.get_pixel(10, 10);
    assert!(
        corner.0.iter().all(|&c| c > 240),
        "transparent corner is white, got {corner:?}"
    );
}

#[test]
fn webp_input_is_decoded() {
    let page = two_halves(640, 480);
    let mut webp = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(page)
        .write_to(&mut webp, image::ImageFormat::WebP)
        .unwrap();
    let out = normalize(
        &webp.into_inner(),
        &Slot::id_front(),
        &NormalizeOptions::default(),
    )
    .unwrap();
    assert_eq!(out.source_format, kiosk_capture::ImageFormat::Webp);
    assert_eq!((out.width, out.height), (640, 480));
}

#[test]
fn heic_is_refused_with_save_as_jpeg_advice() {
    let mut heic = vec![0, 0, 0, 0x18];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    let err = normalize(&heic, &Slot::id_front(), &NormalizeOptions::default()).unwrap_err();
    assert_eq!(err.code(), "CAPTURE_HEIC_UNSUPPORTED");
    assert!(
        err.zh().contains("JPEG") && err.en().contains("JPEG"),
        "says what to do"
    );
}

#[test]
fn watermark_is_stamped_visibly_and_output_fits_the_limit() {
    let page = RgbImage::from_fn(1200, 800, |x, y| {
        if (y / 20) % 3 == 0 && (x / 10) % 4 != 0 {
            Rgb([40, 40, 40])
        } else {
            Rgb([250, 250, 250])
        }
    });
    let input = fixtures::jpeg(&page, 92);
    let font = font();
    let text = watermark_text("国家税务总局", "2026-11-23");
    let plain = normalize(&input, &Slot::id_back(), &NormalizeOptions::default()).unwrap();
    let options = NormalizeOptions {
        watermark: Some(Watermark {
            font: &font,
            text: &text,
        }),
        ..NormalizeOptions::default()
    };
    let marked = normalize(&input, &Slot::id_back(), &options).unwrap();
    assert!(marked.jpeg.len() as u64 <= Slot::id_back().max_bytes);
    let (a, b) = (decode(&plain.jpeg), decode(&marked.jpeg));
    let changed = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| (i32::from(p[0]) - i32::from(q[0])).abs() > 30)
        .count();
    assert!(
        changed > 20_000,
        "watermark changed {changed} pixels visibly"
    );
}

#[test]
fn tight_byte_limit_is_met_by_lowering_quality_then_size() {
    let input = fixtures::jpeg(&fixtures::noisy_photo(2000, 1500, 60), 92);
    let slot = Slot {
        max_bytes: 120_000,
        max_dimension: 2000,
        ..Slot::business_licence()
    };
    let out = normalize(&input, &slot, &NormalizeOptions::default()).unwrap();
    assert!(out.jpeg.len() as u64 <= 120_000, "{} bytes", out.jpeg.len());
}

#[test]
fn slot_that_refuses_jpeg_is_reported() {
    let input = fixtures::jpeg(&two_halves(800, 600), 90);
    let slot = Slot {
        accepted: vec![kiosk_capture::ImageFormat::Png],
        ..Slot::id_front()
    };
    let err = normalize(&input, &slot, &NormalizeOptions::default()).unwrap_err();
    assert_eq!(err.code(), "CAPTURE_FORMAT_NOT_ACCEPTED");
}
