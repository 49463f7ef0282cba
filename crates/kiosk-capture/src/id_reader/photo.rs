//! The chip's portrait: 1024 bytes of the vendor's WLT compression, 102×126 pixels once
//! decoded. The format is not public; only the reader vendors' decoder library
//! (`libwlt2bmp.so`) turns it into a picture. The kiosk loads that library at run time when
//! it is installed; without it the card says its photo is not available. Nothing ever
//! invents a photo.
//!
//! The library's `unpack(const char *wlt, char *out, int flag)` is called with `flag = 0`
//! (some versions write a BMP file to the working directory for other values, which would
//! leave a portrait on disk) and returns 1 on success. Its output is either a whole BMP file
//! (`BM`, 54-byte header, rows bottom-up, BGR, padded to 4 bytes) or the bare BGR rows
//! without padding, depending on the vendor; both are understood.

use std::path::{Path, PathBuf};

use image::RgbImage;

/// Width of the chip's portrait.
pub const WIDTH: u32 = 102;
/// Height of the chip's portrait.
pub const HEIGHT: u32 = 126;
/// Environment variable naming the decoder library explicitly.
pub const DECODER_ENV: &str = "KIOSK_WLT_DECODER";
/// Where vendors' installers put the library.
pub const DECODER_PATHS: [&str; 5] = [
    "/usr/lib/libwlt2bmp.so",
    "/usr/local/lib/libwlt2bmp.so",
    "/usr/lib/x86_64-linux-gnu/libwlt2bmp.so",
    "/usr/lib/aarch64-linux-gnu/libwlt2bmp.so",
    "/opt/tongban/lib/libwlt2bmp.so",
];

/// Why the photo is not there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// No decoder library is installed.
    #[error("no WLT decoder library installed")]
    DecoderMissing,
    /// The library could not be loaded or lacks `unpack`.
    #[error("WLT decoder {path} unusable: {detail}")]
    DecoderUnusable {
        /// The library's path.
        path: PathBuf,
        /// The loader's message.
        detail: String,
    },
    /// The library refused the block, or its output is not a 102×126 picture.
    #[error("WLT block could not be decoded: {0}")]
    Decode(String),
}

impl kiosk_core::problem::UserFacing for PhotoError {
    fn code(&self) -> &'static str {
        match self {
            Self::DecoderMissing => "ID_PHOTO_DECODER_MISSING",
            Self::DecoderUnusable { .. } => "ID_PHOTO_DECODER_UNUSABLE",
            Self::Decode(_) => "ID_PHOTO_UNREADABLE",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::DecoderMissing => {
                "证件照片不可用：本终端未安装读卡器厂商的照片解码库（libwlt2bmp.so）。证件文字信息不受影响；需要照片时请管理员安装厂商驱动。"
                    .to_owned()
            }
            Self::DecoderUnusable { .. } => {
                "证件照片不可用：照片解码库无法加载（版本或架构不匹配）。请管理员重新安装读卡器厂商驱动。"
                    .to_owned()
            }
            Self::Decode(_) => "证件照片无法解码。请重新读卡；文字信息不受影响。".to_owned(),
        }
    }

    fn en(&self) -> String {
        match self {
            Self::DecoderMissing => {
                "The card's photo is not available: the reader vendor's photo decoder (libwlt2bmp.so) is not installed on this kiosk. The card's text is unaffected; an administrator can install the vendor's driver if photos are needed."
                    .to_owned()
            }
            Self::DecoderUnusable { .. } => {
                "The card's photo is not available: the photo decoder library cannot be loaded (wrong version or architecture). An administrator should reinstall the reader vendor's driver."
                    .to_owned()
            }
            Self::Decode(_) => {
                "The card's photo could not be decoded. Read the card again; the text is unaffected."
                    .to_owned()
            }
        }
    }
}

/// The vendor's decoder, loaded.
#[derive(Debug)]
pub struct WltDecoder {
    library: ffi::Library,
    path: PathBuf,
}

impl WltDecoder {
    /// Where to look, first match wins: `explicit`, `$KIOSK_WLT_DECODER`, [`DECODER_PATHS`].
    pub fn candidates(explicit: Option<&Path>, env: Option<String>) -> Vec<PathBuf> {
        explicit
            .map(Path::to_path_buf)
            .into_iter()
            .chain(env.filter(|s| !s.is_empty()).map(PathBuf::from))
            .chain(DECODER_PATHS.iter().map(PathBuf::from))
            .collect()
    }

    /// Loads the first existing candidate; [`PhotoError::DecoderMissing`] when none exists.
    pub fn find(candidates: &[PathBuf]) -> Result<Self, PhotoError> {
        match candidates.iter().find(|p| p.is_file()) {
            Some(path) => Self::load(path),
            None => Err(PhotoError::DecoderMissing),
        }
    }

    /// Loads the library at `path` and checks it exports `unpack`.
    pub fn load(path: &Path) -> Result<Self, PhotoError> {
        let library = ffi::Library::open(path).map_err(|detail| PhotoError::DecoderUnusable {
            path: path.to_path_buf(),
            detail,
        })?;
        Ok(Self {
            library,
            path: path.to_path_buf(),
        })
    }

    /// The library's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Decodes a 1024-byte WLT block into the 102×126 portrait.
    pub fn decode(&self, wlt: &[u8]) -> Result<RgbImage, PhotoError> {
        if wlt.len() != super::reader::PHOTO_LEN {
            return Err(PhotoError::Decode(format!(
                "{} bytes instead of 1024",
                wlt.len()
            )));
        }
        let out = self.library.unpack(wlt).map_err(PhotoError::Decode)?;
        image_from_output(&out).ok_or_else(|| {
            PhotoError::Decode("output is neither a 102×126 BMP nor BGR rows".to_owned())
        })
    }

    /// Decodes and encodes the portrait as PNG.
    pub fn decode_png(&self, wlt: &[u8]) -> Result<Vec<u8>, PhotoError> {
        let image = self.decode(wlt)?;
        let mut out = std::io::Cursor::new(Vec::new());
        image
            .write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| PhotoError::Decode(e.to_string()))?;
        Ok(out.into_inner())
    }
}

/// Bytes of one BGR row of the portrait, and padded to 4 bytes as in a BMP file.
const ROW: usize = WIDTH as usize * 3;
const PADDED_ROW: usize = ROW.div_ceil(4) * 4;

/// The portrait in the decoder's output: a BMP file or bare bottom-up BGR rows.
fn image_from_output(out: &[u8]) -> Option<RgbImage> {
    let (pixels, stride) = if out.starts_with(b"BM") {
        let offset = usize::try_from(u32::from_le_bytes(out.get(10..14)?.try_into().ok()?)).ok()?;
        let width = i32::from_le_bytes(out.get(18..22)?.try_into().ok()?);
        let height = i32::from_le_bytes(out.get(22..26)?.try_into().ok()?);
        let bits = u16::from_le_bytes(out.get(28..30)?.try_into().ok()?);
        if width != WIDTH as i32 || height.unsigned_abs() != HEIGHT || bits != 24 {
            return None;
        }
        (out.get(offset..)?, PADDED_ROW)
    } else {
        (out, ROW)
    };
    if pixels.len() < stride * (HEIGHT as usize - 1) + ROW {
        return None;
    }
    Some(RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let row = (HEIGHT - 1 - y) as usize * stride;
        let at = row + x as usize * 3;
        image::Rgb([pixels[at + 2], pixels[at + 1], pixels[at]])
    }))
}

/// The only unsafe code of the crate: loading the vendor's C library and calling it.
#[allow(unsafe_code)]
mod ffi {
    use std::os::raw::{c_char, c_int};
    use std::path::Path;

    /// Room for the decoder's output: a BMP of the portrait is 38,862 bytes; the buffer is
    /// larger so that a decoder writing a little more does not overrun it.
    const OUT_LEN: usize = 64 * 1024;

    /// `int unpack(const char *wlt, char *out, int flag)`.
    type Unpack = unsafe extern "C" fn(*const c_char, *mut c_char, c_int) -> c_int;

    #[derive(Debug)]
    pub(super) struct Library(libloading::Library);

    impl Library {
        pub(super) fn open(path: &Path) -> Result<Self, String> {
            // SAFETY: loading runs the library's initialisers. The path is the vendor's
            // decoder, chosen by the administrator (setting, environment or a fixed system
            // directory writable only by root); the kiosk trusts it as it trusts any system
            // library it links.
            let library = unsafe { libloading::Library::new(path) }.map_err(|e| e.to_string())?;
            // SAFETY: only looks the symbol up; the type is checked when it is called.
            unsafe { library.get::<Unpack>(b"unpack\0") }.map_err(|e| e.to_string())?;
            Ok(Self(library))
        }

        /// Calls `unpack` on a copy of `wlt` (1024 bytes) with a zeroed output buffer.
        pub(super) fn unpack(&self, wlt: &[u8]) -> Result<Vec<u8>, String> {
            let input = wlt.to_vec();
            let mut out = vec![0u8; OUT_LEN];
            // SAFETY: `unpack` was found in `open`; its published signature is `int
            // unpack(char *src, char *dst, int flag)`. `src` points at 1024 readable bytes
            // (the caller checks the length), `dst` at OUT_LEN writable bytes, more than the
            // 38,862 the decoder writes; both outlive the call, which keeps no pointer.
            let status = unsafe {
                let unpack = self
                    .0
                    .get::<Unpack>(b"unpack\0")
                    .map_err(|e| e.to_string())?;
                unpack(input.as_ptr().cast(), out.as_mut_ptr().cast(), 0)
            };
            if status == 1 {
                Ok(out)
            } else {
                Err(format!("unpack returned {status}"))
            }
        }
    }
}

impl kiosk_core::Catalogued for PhotoError {
    fn samples() -> Vec<Self> {
        vec![
            Self::DecoderMissing,
            Self::DecoderUnusable {
                path: PathBuf::from("<路径> / <path>"),
                detail: "<原因> / <reason>".into(),
            },
            Self::Decode("<原因> / <reason>".into()),
        ]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn bmp(pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let size = 54 + PADDED_ROW * HEIGHT as usize;
        let mut out = vec![0u8; size];
        out[..2].copy_from_slice(b"BM");
        out[2..6].copy_from_slice(&(size as u32).to_le_bytes());
        out[10..14].copy_from_slice(&54u32.to_le_bytes());
        out[14..18].copy_from_slice(&40u32.to_le_bytes());
        out[18..22].copy_from_slice(&(WIDTH as i32).to_le_bytes());
        out[22..26].copy_from_slice(&(HEIGHT as i32).to_le_bytes());
        out[26..28].copy_from_slice(&1u16.to_le_bytes());
        out[28..30].copy_from_slice(&24u16.to_le_bytes());
        for y in 0..HEIGHT {
            for x in 0..WIDTH {
                let [r, g, b] = pixel(x, y);
                let at = 54 + (HEIGHT - 1 - y) as usize * PADDED_ROW + x as usize * 3;
                out[at..at + 3].copy_from_slice(&[b, g, r]);
            }
        }
        out
    }

    #[test]
    fn bmp_output_is_read_bottom_up_and_bgr() {
        let image = image_from_output(&bmp(|x, y| [x as u8, y as u8, 7])).unwrap();
        assert_eq!(image.dimensions(), (WIDTH, HEIGHT));
        assert_eq!(image.get_pixel(0, 0).0, [0, 0, 7]);
        assert_eq!(image.get_pixel(101, 125).0, [101, 125, 7]);
    }

    #[test]
    fn bare_rows_are_understood_and_short_output_refused() {
        let file = bmp(|x, y| [x as u8, 200, y as u8]);
        let mut bare = Vec::new();
        for row in file[54..].chunks(PADDED_ROW) {
            bare.extend_from_slice(&row[..ROW]);
        }
        let image = image_from_output(&bare).unwrap();
        assert_eq!(image.get_pixel(5, 9).0, [5, 200, 9]);
        assert!(image_from_output(&bare[..1000]).is_none());
        assert!(image_from_output(b"BM").is_none());
        let mut wrong_size = file.clone();
        wrong_size[18] = 50;
        assert!(image_from_output(&wrong_size).is_none());
    }

    #[test]
    fn without_a_library_the_photo_is_missing_not_made_up() {
        let missing = WltDecoder::find(&[PathBuf::from("/nonexistent/libwlt2bmp.so")]);
        assert_eq!(missing.unwrap_err(), PhotoError::DecoderMissing);
        let not_a_library = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(not_a_library.path(), b"not an ELF file").unwrap();
        let unusable = WltDecoder::load(not_a_library.path()).unwrap_err();
        assert!(matches!(unusable, PhotoError::DecoderUnusable { .. }));
    }

    #[test]
    fn candidates_put_the_explicit_choice_first() {
        let list = WltDecoder::candidates(Some(Path::new("/a.so")), Some("/b.so".into()));
        assert_eq!(list[0], PathBuf::from("/a.so"));
        assert_eq!(list[1], PathBuf::from("/b.so"));
        assert_eq!(list.len(), 2 + DECODER_PATHS.len());
    }
}
