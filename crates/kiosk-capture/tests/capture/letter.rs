//! The signed risk letter, photographed at the counter: its QR code must still give the
//! application number after the photo is normalised for the `risk-commitment` slot.

use image::{Rgb, RgbImage, imageops};
use kiosk_capture::decode::{self, DecodeLimits};
use kiosk_capture::{NormalizeOptions, Slot, normalize, qr};

use crate::fixtures::{Noise, jpeg};

/// An A4 page at 150 dpi (1240 × 1754) as kiosk-docs lays out the letter: body text and the
/// footer QR code (30 mm ≈ 177 px) bottom right, carrying `payload`.
fn letter_page(payload: &str) -> RgbImage {
    let (w, h) = (1240u32, 1754u32);
    let mut page = RgbImage::from_fn(w, h, |x, y| {
        let in_body = (120..w - 120).contains(&x) && (150..1350).contains(&y);
        let line = (y / 30) % 4 != 3 && y % 30 < 17;
        let glyph = (x / 19) % 7 != 0 && x % 19 < 15;
        if in_body && line && glyph {
            Rgb([35, 35, 40])
        } else {
            Rgb([250, 250, 248])
        }
    });
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .unwrap();
    let modules = code.width() as u32 + 8;
    let module = (177 + modules / 2) / modules;
    let qr = code
        .render::<image::Luma<u8>>()
        .module_dimensions(module, module)
        .quiet_zone(true)
        .build();
    let qr = image::DynamicImage::ImageLuma8(qr).into_rgb8();
    let (qx, qy) = (w - 120 - qr.width(), h - 100 - qr.height());
    imageops::replace(&mut page, &qr, i64::from(qx), i64::from(qy));
    page
}

/// Rotates `image` by `degrees` about its centre onto a `canvas`-coloured background
/// (bilinear), as a page lying slightly askew on a desk.
fn rotate(image: &RgbImage, degrees: f64, canvas: Rgb<u8>) -> RgbImage {
    let (w, h) = image.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (f64::from(x) - cx, f64::from(y) - cy);
        let (sx, sy) = (cos * dx + sin * dy + cx, -sin * dx + cos * dy + cy);
        if sx < 0.0 || sy < 0.0 || sx >= f64::from(w - 1) || sy >= f64::from(h - 1) {
            return canvas;
        }
        let (x0, y0) = (sx.floor() as u32, sy.floor() as u32);
        let (fx, fy) = (sx - sx.floor(), sy - sy.floor());
        let p = |x: u32, y: u32, c: usize| f64::from(image.get_pixel(x, y)[c]);
        Rgb(std::array::from_fn(|c| {
            let top = p(x0, y0, c) * (1.0 - fx) + p(x0 + 1, y0, c) * fx;
            let bottom = p(x0, y0 + 1, c) * (1.0 - fx) + p(x0 + 1, y0 + 1, c) * fx;
            (top * (1.0 - fy) + bottom * fy).round() as u8
        }))
    })
}

/// The letter as a phone or document camera sees it: askew by `degrees`, scaled to
/// `scale`, lit unevenly (darker towards the bottom right), with sensor noise.
fn photographed(page: &RgbImage, degrees: f64, scale: f64) -> RgbImage {
    let rotated = rotate(page, degrees, Rgb([96, 90, 84]));
    let (w, h) = (
        (f64::from(page.width()) * scale) as u32,
        (f64::from(page.height()) * scale) as u32,
    );
    let mut small = imageops::resize(&rotated, w, h, imageops::FilterType::Triangle);
    let mut rng = Noise::new(2026);
    for (x, y, p) in small.enumerate_pixels_mut() {
        let light = 1.0 - 0.22 * (f64::from(x) / f64::from(w) + f64::from(y) / f64::from(h)) / 2.0;
        let n = rng.next();
        *p = Rgb(std::array::from_fn(|c| {
            let noise = f64::from((n >> (8 * c)) % 25) - 12.0;
            (f64::from(p[c]) * light + noise).clamp(0.0, 255.0) as u8
        }));
    }
    small
}

#[test]
fn photographed_letter_gives_its_application_number_after_normalising() {
    let number = "0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11";
    let page = letter_page(&kiosk_core::letter_qr::payload(number));
    // The page tilted by 3.5° in a 2.2 MP still, saved at quality 80: 5 px per module.
    let photo = jpeg(&photographed(&page, 3.5, 1.0), 80);
    let normalized = normalize(
        &photo,
        &Slot::for_attachment("risk-commitment"),
        &NormalizeOptions::default(),
    )
    .unwrap();
    let stored = decode::decode(&normalized.jpeg, &DecodeLimits::default()).unwrap();
    assert_eq!(
        qr::application_number(&stored.image).as_deref(),
        Some(number),
        "the QR code survives photo, tilt, noise and normalisation"
    );
}

#[test]
fn tilted_low_resolution_photo_of_the_letter_is_read_directly() {
    let number = "0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11";
    let page = letter_page(&kiosk_core::letter_qr::payload(number));
    // ≈ 1.6 MP, tilted the other way by 6°: an old document camera's still, about 4 px per
    // module. (At about 3 px per module the code is no longer found.)
    let photo = photographed(&page, -6.0, 0.85);
    assert_eq!(
        qr::application_number(&photo).as_deref(),
        Some(number),
        "the code is found at about 4 px per module"
    );
}
