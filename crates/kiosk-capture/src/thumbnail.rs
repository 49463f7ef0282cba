//! Small previews of normalised images, as `data:` URLs the webview shows without touching
//! the disk (the CSP allows `img-src data:`).

use base64::Engine as _;

use crate::decode::{self, DecodeLimits};
use crate::error::CaptureError;
use crate::{encode, resize};

/// Longest side of a thumbnail in pixels: sharp enough to recognise the document on a
/// 1080p kiosk screen, a few kilobytes.
pub const THUMBNAIL_SIDE: u32 = 240;
/// JPEG quality of thumbnails.
const THUMBNAIL_QUALITY: u8 = 70;

/// A JPEG thumbnail of the encoded image `bytes` (any format the pipeline reads), at most
/// `max_side` pixels on its longest side, as a `data:image/jpeg;base64,...` URL.
pub fn data_url(bytes: &[u8], max_side: u32) -> Result<String, CaptureError> {
    let decoded = decode::decode(bytes, &DecodeLimits::default())?;
    let (w, h) = decoded.image.dimensions();
    let (tw, th) = resize::fit_within(w, h, max_side.max(1));
    let small = resize::resize(decoded.image, tw, th)?;
    let jpeg = encode::encode_jpeg(&small, THUMBNAIL_QUALITY)?;
    Ok(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use base64::Engine as _;

    use super::*;

    #[test]
    fn thumbnail_is_a_small_jpeg_data_url_keeping_the_aspect_ratio() {
        let page = crate::quality::tests::text_page(1600, 1000, 235, 40);
        let jpeg = encode::encode_jpeg(&page, 85).unwrap();
        let url = data_url(&jpeg, THUMBNAIL_SIDE).unwrap();
        let encoded = url
            .strip_prefix("data:image/jpeg;base64,")
            .expect("a JPEG data URL");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        let thumb = decode::decode(&bytes, &DecodeLimits::default()).unwrap();
        assert_eq!(
            thumb.image.dimensions(),
            (240, 150),
            "fits 240 px, keeps 16:10"
        );
        assert!(
            url.len() < 40_000,
            "a thumbnail stays small: {} bytes",
            url.len()
        );
    }

    #[test]
    fn corrupt_input_gives_no_thumbnail() {
        let error = data_url(b"\xFF\xD8\xFF\xE0garbage", THUMBNAIL_SIDE).unwrap_err();
        assert!(
            matches!(
                error,
                CaptureError::Corrupt { .. } | CaptureError::UnsupportedFormat
            ),
            "{error:?}"
        );
    }
}
