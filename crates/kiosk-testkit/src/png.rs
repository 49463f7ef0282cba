//! PNG files written byte by byte, for decoder and pipeline tests that need exact control
//! over what the header declares (no encoder would write a decompression bomb for us).

/// An RGB PNG of `width` × `height` whose pixel at (x, y) is `pixel(x, y)`, stored
/// uncompressed.
pub fn rgb(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    with_image_data(width, height, &raw)
}

/// A page with text-like dark stripes on off-white paper.
pub fn page(width: u32, height: u32) -> Vec<u8> {
    rgb(width, height, |x, y| {
        let ink = (y / 12) % 3 == 0 && (x / 6) % 4 != 0;
        if ink { [30, 30, 40] } else { [235, 235, 228] }
    })
}

/// A valid-looking PNG of a few hundred bytes whose header declares `width` × `height`
/// (50,000 × 50,000 would inflate to ~7.5 GB): the image data holds 256 zero bytes.
pub fn bomb(width: u32, height: u32) -> Vec<u8> {
    with_image_data(width, height, &[0; 256])
}

/// The PNG signature, an 8-bit RGB header, `raw` (filtered scanlines) in stored zlib
/// blocks, and the end chunk.
fn with_image_data(width: u32, height: u32, raw: &[u8]) -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &stored_zlib(raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

/// `data` as a zlib stream of stored (uncompressed) blocks.
fn stored_zlib(data: &[u8]) -> Vec<u8> {
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (a, b) = data.iter().fold((1u32, 0u32), |(a, b), &x| {
        let a = (a + u32::from(x)) % 65_521;
        (a, (b + a) % 65_521)
    });
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    zlib
}

/// Appends a PNG chunk (length, type, data, CRC) to `out`.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_iend_matches_the_png_specification() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn a_page_starts_with_the_signature_and_ends_with_iend() {
        let png = page(10, 4);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[png.len() - 8..png.len() - 4], b"IEND");
    }
}
