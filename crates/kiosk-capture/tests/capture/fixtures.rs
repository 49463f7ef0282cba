//! Inputs built byte by byte.

use image::{Rgb, RgbImage};

/// Encodes `image` as JPEG with `jpeg-encoder`'s sibling, image's own encoder (independent
/// of the code under test).
pub fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .unwrap();
    out
}

/// Encodes any image as PNG.
pub fn png(image: &image::DynamicImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A marker string placed in the EXIF block, so tests can prove it is gone.
pub const EXIF_SECRET: &str = "GPS-SECRET-39.9042N-116.4074E";

/// Inserts an EXIF APP1 segment right after SOI with Orientation = `orientation` and an
/// ImageDescription holding [`EXIF_SECRET`] (standing in for GPS data).
pub fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let secret = format!("{EXIF_SECRET}\0");
    // TIFF header (big endian) + IFD0 with two entries.
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2A\0\0\0\x08");
    tiff.extend_from_slice(&2u16.to_be_bytes());
    let data_offset: u32 = 8 + 2 + 2 * 12 + 4;
    // 0x010E ImageDescription, ASCII, count, offset.
    tiff.extend_from_slice(&0x010Eu16.to_be_bytes());
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&(secret.len() as u32).to_be_bytes());
    tiff.extend_from_slice(&data_offset.to_be_bytes());
    // 0x0112 Orientation, SHORT, 1, value.
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes());
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(secret.as_bytes());
    let mut app1 = vec![0xFF, 0xE1];
    let length = (2 + 6 + tiff.len()) as u16;
    app1.extend_from_slice(&length.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A valid-looking 50,000 × 50,000 RGB PNG of a few hundred bytes (a decoder would inflate
/// ~7.5 GB).
pub fn png_bomb() -> Vec<u8> {
    kiosk_testkit::png::bomb(50_000, 50_000)
}

/// A deterministic xorshift generator.
pub struct Noise(u32);

impl Noise {
    pub fn new(seed: u32) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// A photo-like 12 MP (4000 × 3000) image: a lit desk gradient, a light card with dark
/// "print" in the middle, and sensor noise of ±`noise`.
pub fn noisy_photo(width: u32, height: u32, noise: u32) -> RgbImage {
    let mut rng = Noise::new(7);
    let (cw, ch) = (width * 55 / 100, height * 55 / 100);
    let (cx0, cy0) = ((width - cw) / 2, (height - ch) / 2);
    RgbImage::from_fn(width, height, |x, y| {
        let base = if x >= cx0 && x < cx0 + cw && y >= cy0 && y < cy0 + ch {
            let (u, v) = (x - cx0, y - cy0);
            let print =
                (v / 40) % 3 != 2 && v % 40 < 24 && (u / 18) % 6 != 0 && u % 18 < 11 && u > cw / 10;
            if print {
                [50u32, 50, 60]
            } else {
                [228, 226, 218]
            }
        } else {
            let shade = 60 + (x + y) * 50 / (width + height);
            [shade, shade + 8, shade + 20]
        };
        let n = rng.next();
        let jitter = |c: u32, shift: u32| -> u8 {
            let delta = ((n >> shift) % (2 * noise + 1)) as i64 - i64::from(noise);
            (i64::from(c) + delta).clamp(0, 255) as u8
        };
        Rgb([jitter(base[0], 0), jitter(base[1], 8), jitter(base[2], 16)])
    })
}

/// Whether `jpeg` carries any APP1 (EXIF/XMP) segment before the scan data.
pub fn has_app1(jpeg: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        if marker == 0xDA {
            return false;
        }
        if marker == 0xE1 {
            return true;
        }
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        i += 2 + len;
    }
    false
}
