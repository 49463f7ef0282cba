//! Reading QR codes from scanned pages (the signed risk letter carries its application
//! number as a QR code, so the scan attaches to its application by itself).

use image::{GrayImage, RgbImage};

/// Longest side the page is reduced to before searching. A QR code printed 2–3 cm wide on an
/// A4 page keeps several pixels per module at this size, and detection stays fast.
const SEARCH_SIZE: u32 = 1600;

/// Texts of all QR codes found on `image`, in detection order. Unreadable codes are skipped.
pub fn read_qr_codes(image: &RgbImage) -> Vec<String> {
    let (w, h) = crate::resize::fit_within(image.width(), image.height(), SEARCH_SIZE);
    let small = crate::resize::resize(image.clone(), w, h).unwrap_or_else(|_| image.clone());
    read_qr_codes_grey(&image::DynamicImage::ImageRgb8(small).into_luma8())
}

/// Texts of all QR codes found on a grey image.
pub fn read_qr_codes_grey(grey: &GrayImage) -> Vec<String> {
    let (w, h) = grey.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            grey.get_pixel(x as u32, y as u32)[0]
        });
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_meta, text)| text))
        .collect()
}

/// The application number carried by the page's QR codes: the first code whose text is a
/// letter's payload (see [`kiosk_core::letter_qr`], where kiosk-docs writes it).
pub fn application_number(image: &RgbImage) -> Option<String> {
    read_qr_codes(image)
        .into_iter()
        .find_map(|text| kiosk_core::letter_qr::application_number(&text))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod tests {
    use super::*;
    use image::{Rgb, imageops};

    /// A white A4-ish page (2480×3508 at 300 dpi, scaled by `scale`) with some text-like
    /// lines and a QR code of `payload` in the lower-right corner, a little noise and a
    /// slight grey cast, as a flatbed scan looks.
    pub(crate) fn scanned_page(payload: &str, scale: f64) -> RgbImage {
        let (w, h) = ((2480.0 * scale) as u32, (3508.0 * scale) as u32);
        let mut page = crate::quality::tests::text_page(w, h, 238, 40);
        let code = qrcode::QrCode::new(payload.as_bytes()).unwrap();
        let module = ((12.0 * scale) as u32).max(4);
        let qr = code
            .render::<image::Luma<u8>>()
            .module_dimensions(module, module)
            .quiet_zone(true)
            .build();
        let qr_rgb = image::DynamicImage::ImageLuma8(qr).into_rgb8();
        let (qx, qy) = (w - qr_rgb.width() - w / 15, h - qr_rgb.height() - h / 20);
        imageops::replace(&mut page, &qr_rgb, i64::from(qx), i64::from(qy));
        let mut state = 99u32;
        for p in page.pixels_mut() {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let n = ((state >> 16) % 13) as i16 - 6;
            *p = Rgb(p.0.map(|c| (i16::from(c) + n).clamp(0, 255) as u8));
        }
        page
    }

    #[test]
    fn reads_the_application_number_from_a_scanned_letter() {
        let page = scanned_page(&kiosk_core::letter_qr::payload("A20261123-0042"), 0.35);
        assert_eq!(application_number(&page).as_deref(), Some("A20261123-0042"));
    }

    #[test]
    fn page_without_qr_has_no_number() {
        let page = crate::quality::tests::text_page(800, 1100, 238, 40);
        assert_eq!(application_number(&page), None);
    }

    #[test]
    fn implausible_qr_text_is_not_an_application_number() {
        let page = scanned_page("https://example.invalid/some/long/url?with=query", 0.35);
        assert_eq!(read_qr_codes(&page).len(), 1, "the code is read");
        assert_eq!(application_number(&page), None, "but it is not a number");
    }
}
