//! Safe decoding: sniff the format, read the header dimensions, refuse what is too large, then
//! decode with bounded memory and apply the EXIF orientation.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};

use crate::error::CaptureError;
use crate::slot::ImageFormat;

/// Limits checked before and during decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest input file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest pixel count (width × height) the header may declare.
    pub max_pixels: u64,
    /// Largest single allocation the decoder may make, in bytes.
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    /// 40 MB files, 50 megapixels (an 8000×6000 phone photo fits), 512 MiB allocations.
    fn default() -> Self {
        Self {
            max_file_bytes: 40 * 1_000_000,
            max_pixels: 50_000_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

/// What the header says, read without decoding any pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Detected format.
    pub format: ImageFormat,
    /// Declared width in pixels (before EXIF orientation).
    pub width: u32,
    /// Declared height in pixels (before EXIF orientation).
    pub height: u32,
}

/// Detects the format from the first bytes. HEIC/HEIF and AVIF give
/// [`CaptureError::HeicUnsupported`]; anything else unknown gives
/// [`CaptureError::UnsupportedFormat`].
pub fn sniff_format(bytes: &[u8]) -> Result<ImageFormat, CaptureError> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Ok(ImageFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Ok(ImageFormat::Png),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Ok(ImageFormat::Webp),
        [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => Ok(ImageFormat::Tiff),
        [_, _, _, _, b'f', b't', b'y', b'p', brand @ ..] if is_heif_brand(brand) => {
            Err(CaptureError::HeicUnsupported)
        }
        _ => Err(CaptureError::UnsupportedFormat),
    }
}

fn is_heif_brand(brand: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 8] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"mif1", b"msf1", b"avif",
    ];
    brand
        .get(..4)
        .is_some_and(|b| BRANDS.iter().any(|known| known.as_slice() == b))
}

fn image_format(format: ImageFormat) -> image::ImageFormat {
    match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Webp => image::ImageFormat::WebP,
        ImageFormat::Tiff => image::ImageFormat::Tiff,
    }
}

fn corrupt(error: image::ImageError) -> CaptureError {
    match error {
        image::ImageError::Unsupported(_) => CaptureError::UnsupportedFormat,
        other => CaptureError::Corrupt {
            detail: other.to_string(),
        },
    }
}

fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(image_format(format));
    reader
}

/// Checks the file size and reads the header. Refuses oversized files and pixel counts
/// without allocating for pixels: a 50,000 × 50,000 PNG costs a few microseconds here.
pub fn read_header(bytes: &[u8], limits: &DecodeLimits) -> Result<Header, CaptureError> {
    let size = bytes.len() as u64;
    if size > limits.max_file_bytes {
        return Err(CaptureError::FileTooLarge {
            actual: size,
            limit: limits.max_file_bytes,
        });
    }
    let format = sniff_format(bytes)?;
    let (width, height) = reader(bytes, format).into_dimensions().map_err(corrupt)?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(CaptureError::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    if width == 0 || height == 0 {
        return Err(CaptureError::Corrupt {
            detail: "zero-sized image".to_owned(),
        });
    }
    Ok(Header {
        format,
        width,
        height,
    })
}

/// A decoded image, upright, as 8-bit RGB (alpha laid over white).
#[derive(Debug)]
pub struct Decoded {
    /// The format the bytes were in.
    pub format: ImageFormat,
    /// Upright RGB pixels.
    pub image: RgbImage,
}

/// Reads the header (see [`read_header`]), decodes with memory limits, applies the EXIF
/// orientation and flattens alpha onto white.
pub fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, CaptureError> {
    let header = read_header(bytes, limits)?;
    let mut decoder = reader(bytes, header.format)
        .into_decoder()
        .map_err(corrupt)?;
    let mut image_limits = Limits::default();
    image_limits.max_image_width = Some(header.width);
    image_limits.max_image_height = Some(header.height);
    image_limits.max_alloc = Some(limits.max_alloc);
    decoder.set_limits(image_limits).map_err(corrupt)?;
    let too_many = || CaptureError::TooManyPixels {
        width: header.width,
        height: header.height,
        limit: limits.max_pixels,
    };
    if decoder.total_bytes() > limits.max_alloc {
        return Err(too_many());
    }
    if header.format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(CaptureError::Corrupt {
            detail: "JPEG ends before its end-of-image marker".to_owned(),
        });
    }
    // A broken EXIF block must not lose an otherwise good photo: fall back to "as stored".
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|error| match error {
        image::ImageError::Limits(_) => too_many(),
        other => corrupt(other),
    })?;
    image.apply_orientation(orientation);
    Ok(Decoded {
        format: header.format,
        image: flatten_onto_white(image),
    })
}

/// Whether a JPEG's marker structure reaches its end-of-image marker. Decoders fill a
/// truncated scan with grey silently; a cut-off upload must be refused instead. Segments are
/// skipped by their lengths (so an EXIF thumbnail's EOI does not count) and entropy-coded data
/// is scanned for the next marker; bytes after EOI (camera trailers) are allowed.
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2;
    let at = |i: usize| bytes.get(i).copied();
    while let (Some(0xFF), Some(marker)) = (at(i), at(i + 1)) {
        match marker {
            0xD9 => return true,
            0xFF => i += 1,
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => {
                let (Some(hi), Some(lo)) = (at(i + 2), at(i + 3)) else {
                    return false;
                };
                i += 2 + usize::from(u16::from_be_bytes([hi, lo]));
                if marker == 0xDA {
                    // Entropy-coded data runs to the next marker that is not a stuffed
                    // 0xFF00 or a restart marker.
                    loop {
                        match (at(i), at(i + 1)) {
                            (Some(0xFF), Some(0x00 | 0xD0..=0xD7)) => i += 2,
                            (Some(0xFF), Some(_)) => break,
                            (Some(_), _) => i += 1,
                            (None, _) => return false,
                        }
                    }
                }
            }
        }
    }
    false
}

/// Converts to RGB8, compositing any alpha channel over white (a transparent PNG background
/// would otherwise turn black in JPEG).
fn flatten_onto_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut out = RgbImage::new(width, height);
    for (src, dst) in rgba.pixels().zip(out.pixels_mut()) {
        let alpha = u32::from(src[3]);
        for c in 0..3 {
            let value = (u32::from(src[c]) * alpha + 255 * (255 - alpha) + 127) / 255;
            dst[c] = u8::try_from(value).unwrap_or(u8::MAX);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_heic_as_a_clear_unsupported_error() {
        let mut heic = vec![0, 0, 0, 0x18];
        heic.extend_from_slice(b"ftypheic");
        heic.extend_from_slice(&[0; 16]);
        assert!(matches!(
            sniff_format(&heic),
            Err(CaptureError::HeicUnsupported)
        ));
    }

    #[test]
    fn sniffs_unknown_bytes_as_unsupported() {
        assert!(matches!(
            sniff_format(b"%PDF-1.7 ..."),
            Err(CaptureError::UnsupportedFormat)
        ));
        assert!(matches!(
            sniff_format(&[]),
            Err(CaptureError::UnsupportedFormat)
        ));
    }

    #[test]
    fn refuses_files_over_the_size_limit_before_looking_inside() {
        let limits = DecodeLimits {
            max_file_bytes: 10,
            ..DecodeLimits::default()
        };
        let err = read_header(&[0xFF; 11], &limits).unwrap_err();
        assert!(
            matches!(
                err,
                CaptureError::FileTooLarge {
                    actual: 11,
                    limit: 10
                }
            ),
            "{err:?}"
        );
    }

    fn tiny_jpeg() -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&RgbImage::from_fn(64, 48, |x, y| {
                image::Rgb([x as u8 * 4, y as u8 * 5, 90])
            }))
            .unwrap();
        out
    }

    #[test]
    fn complete_jpeg_passes_and_every_truncation_fails() {
        let jpeg = tiny_jpeg();
        assert!(jpeg_is_complete(&jpeg), "whole file");
        let mut trailer = jpeg.clone();
        trailer.extend_from_slice(b"camera trailer");
        assert!(jpeg_is_complete(&trailer), "data after EOI is fine");
        for cut in (2..jpeg.len() - 1).step_by(7) {
            assert!(
                !jpeg_is_complete(&jpeg[..cut]),
                "cut at {cut} of {}",
                jpeg.len()
            );
        }
    }

    #[test]
    fn transparent_pixels_become_white_and_opaque_keep_their_colour() {
        let mut rgba = image::RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        rgba.put_pixel(1, 0, image::Rgba([10, 20, 30, 255]));
        let rgb = flatten_onto_white(DynamicImage::ImageRgba8(rgba));
        assert_eq!(
            rgb.get_pixel(0, 0).0,
            [255, 255, 255],
            "transparent → white"
        );
        assert_eq!(rgb.get_pixel(1, 0).0, [10, 20, 30], "opaque unchanged");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = decode(&bytes, &DecodeLimits::default());
        }

        #[test]
        fn png_signature_with_garbage_never_panics(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
            bytes.extend(tail);
            let _ = decode(&bytes, &DecodeLimits::default());
        }
    }
}
