//! What a file is, from its first bytes (never from its name), and what its name claims.

use crate::decode;
use crate::error::CaptureError;

/// The OLE2 / Compound File Binary signature (`.doc`, `.xls`, encrypted Office files).
pub const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// A ZIP local file header (`.docx` and every other OOXML or ODF file).
pub const ZIP_MAGIC: [u8; 4] = [b'P', b'K', 0x03, 0x04];
/// How far into the file the `%PDF-` header may start (readers tolerate leading junk there).
pub const PDF_HEADER_WINDOW: usize = 1024;

/// The container a file's first bytes announce. Which document it really is (a `.docx` or
/// some other ZIP, a `.doc` or an encrypted `.docx` in OLE) is for the format's checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// An image the pipeline reads (JPEG, PNG, WebP, TIFF), or HEIC/HEIF (refused there
    /// with its own advice).
    Image,
    /// `%PDF-` in the first kilobyte.
    Pdf,
    /// A ZIP archive.
    Zip,
    /// An OLE2 compound file.
    Ole,
    /// Anything else.
    Unknown,
}

/// Where `needle` first occurs in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where `needle` last occurs in `haystack`.
pub(crate) fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The container of `bytes`, from their first bytes only.
pub fn container(bytes: &[u8]) -> Container {
    if bytes.starts_with(&CFB_MAGIC) {
        return Container::Ole;
    }
    if bytes.starts_with(&ZIP_MAGIC) {
        return Container::Zip;
    }
    match decode::sniff_format(bytes) {
        Ok(_) | Err(CaptureError::HeicUnsupported) => return Container::Image,
        Err(_) => {}
    }
    let head = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    if find(head, b"%PDF-").is_some() {
        return Container::Pdf;
    }
    Container::Unknown
}

/// What a file name's extension claims the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claimed {
    /// `.jpg`, `.jpeg`, `.png`, `.webp`, `.tif`, `.tiff`, `.heic`, `.heif`.
    Image,
    /// `.pdf`.
    Pdf,
    /// `.doc` or `.docx` (Word and WPS open either content under either name, so they are one
    /// family here; the stored file gets the extension of its content).
    Word,
}

impl Claimed {
    /// The family's name as [`super::DocumentError::TypeMismatch`] reports content.
    pub fn content_name(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Pdf => "PDF",
            Self::Word => "Word",
        }
    }
}

/// The extension of `file_name`'s base name, lower case, when it has one.
pub fn extension(file_name: &str) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() || ext.len() > 8 {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// What `file_name` claims to be; `None` for names without a known extension (camera frames,
/// scans and files named by other programs are judged by content alone).
pub fn claimed(file_name: &str) -> Option<Claimed> {
    match extension(file_name)?.as_str() {
        "jpg" | "jpeg" | "jpe" | "png" | "webp" | "tif" | "tiff" | "heic" | "heif" => {
            Some(Claimed::Image)
        }
        "pdf" => Some(Claimed::Pdf),
        "doc" | "docx" => Some(Claimed::Word),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_told_apart_by_their_first_bytes() {
        assert_eq!(container(b"%PDF-1.7\n"), Container::Pdf);
        assert_eq!(container(b"\xEF\xBB\xBF  %PDF-1.4"), Container::Pdf);
        assert_eq!(container(b"PK\x03\x04rest"), Container::Zip);
        assert_eq!(container(&CFB_MAGIC), Container::Ole);
        assert_eq!(container(b"\xFF\xD8\xFF\xE0"), Container::Image);
        assert_eq!(
            container(b"\0\0\0\x18ftypheic\0\0\0\0"),
            Container::Image,
            "HEIC goes to the image pipeline for its advice"
        );
        assert_eq!(container(b"hello"), Container::Unknown);
        assert_eq!(container(b""), Container::Unknown);
        let mut late = vec![b' '; PDF_HEADER_WINDOW];
        late.extend_from_slice(b"%PDF-1.4");
        assert_eq!(container(&late), Container::Unknown, "header too far in");
    }

    #[test]
    fn names_claim_a_family_by_extension_only() {
        assert_eq!(claimed("C:\\docs\\执照.PDF"), Some(Claimed::Pdf));
        assert_eq!(claimed("a.b.docx"), Some(Claimed::Word));
        assert_eq!(claimed("x.doc"), Some(Claimed::Word));
        assert_eq!(claimed("photo.JPEG"), Some(Claimed::Image));
        assert_eq!(claimed("id-front-camera"), None);
        assert_eq!(claimed(".pdf"), None, "a hidden name has no extension");
        assert_eq!(claimed("notes.txt"), None);
        assert_eq!(claimed("dir.pdf/file"), None);
    }

    #[test]
    fn find_and_rfind_handle_short_inputs() {
        assert_eq!(find(b"ab", b"abc"), None);
        assert_eq!(rfind(b"xabab", b"ab"), Some(3));
        assert_eq!(find(b"xabab", b"ab"), Some(1));
        assert_eq!(find(b"x", b""), None);
    }
}
