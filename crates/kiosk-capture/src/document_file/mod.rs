//! Attachments that are kept as they are: PDF and Word (`.doc`, `.docx`) files, recognised
//! by content and checked with bounded work before the kiosk keeps them.
//!
//! - [`detect`]: the container from the first bytes; what the file name claims.
//! - [`pdf`]: header, `%%EOF` near the end, `/Encrypt` in the trailer.
//! - [`docx`]: the ZIP central directory only (entries, sizes, ratios, the main part).
//! - [`doc`]: the OLE2 directory and the Word FIB's encryption flags.
//! - [`preview`]: page 1 of a PDF as a small PNG, through poppler's `pdftoppm` in a bounded
//!   child process.
//!
//! [`check`] ties them together for a slot: images are left to the image pipeline
//! ([`crate::normalize`]), documents come back as [`DocumentInfo`] to be stored unchanged.

pub mod detect;
pub mod doc;
pub mod docx;
mod error;
pub mod pdf;
pub mod preview;

pub use error::DocumentError;

use detect::{Claimed, Container};

/// A document type kept as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// PDF.
    Pdf,
    /// Word 97-2003 binary document.
    Doc,
    /// Word 2007+ (Office Open XML) document.
    Docx,
}

impl DocumentKind {
    /// All document kinds.
    pub const ALL: [Self; 3] = [Self::Pdf, Self::Doc, Self::Docx];

    /// The media type platforms list for it.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Doc => "application/msword",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    /// The file extension (no dot).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Doc => "doc",
            Self::Docx => "docx",
        }
    }

    /// The kind with media type `media_type` (case and surrounding space ignored).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let wanted = media_type.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.media_type().eq_ignore_ascii_case(wanted))
    }

    /// How people call it in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Doc => "Word (.doc)",
            Self::Docx => "Word (.docx)",
        }
    }
}

/// What a slot accepts, from its media types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepts {
    /// Images (JPEG or PNG in the list): they go through the image pipeline.
    pub images: bool,
    /// Document kinds kept as they are.
    pub documents: Vec<DocumentKind>,
    /// The accepted formats for people, in the profile's order (`PDF、JPG、PNG、Word (.doc)`).
    pub names: String,
}

impl Accepts {
    /// From a slot's media types (`image/jpeg`, `application/pdf`, ...); unknown types are
    /// ignored.
    pub fn from_media_types<S: AsRef<str>>(media_types: &[S]) -> Self {
        let mut images = false;
        let mut documents = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for media_type in media_types {
            let media_type = media_type.as_ref().trim().to_ascii_lowercase();
            let name = match media_type.as_str() {
                "image/jpeg" => {
                    images = true;
                    "JPG"
                }
                "image/png" => {
                    images = true;
                    "PNG"
                }
                other => match DocumentKind::from_media_type(other) {
                    Some(kind) => {
                        documents.push(kind);
                        kind.label()
                    }
                    None => continue,
                },
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Self {
            images,
            documents,
            names: names.join("、"),
        }
    }

    fn takes(&self, kind: DocumentKind) -> bool {
        self.documents.contains(&kind)
    }

    fn refused(&self) -> DocumentError {
        DocumentError::Type {
            accepted: self.names.clone(),
        }
    }
}

/// A checked document, to be stored exactly as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentInfo {
    /// What it is.
    pub kind: DocumentKind,
}

/// What [`check`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// An image (or HEIC): for the image pipeline, which decodes, judges and re-encodes it.
    Image,
    /// A document that passed its checks.
    Document(DocumentInfo),
}

/// Checks an attachment file for a slot that `accepts` these types and stores documents of
/// at most `max_bytes`: the content type (from the first bytes, never the name), the size of
/// a document, that the name does not contradict the content, then the format's own bounded
/// checks. Never panics, and
/// never reads more of `bytes` than the checks above describe.
pub fn check(
    bytes: &[u8],
    file_name: &str,
    accepts: &Accepts,
    max_bytes: u64,
) -> Result<Checked, DocumentError> {
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(DocumentError::Empty);
    }
    let container = detect::container(bytes);
    // Images are re-encoded to fit the slot (the pipeline has its own input limits);
    // documents are stored as they are, so they must fit already.
    if container != Container::Image && size > max_bytes {
        return Err(DocumentError::TooLarge {
            actual: size,
            limit: max_bytes,
        });
    }
    let family = match container {
        Container::Image if accepts.images => Claimed::Image,
        Container::Pdf if accepts.takes(DocumentKind::Pdf) => Claimed::Pdf,
        Container::Zip | Container::Ole
            if accepts.takes(DocumentKind::Docx) || accepts.takes(DocumentKind::Doc) =>
        {
            Claimed::Word
        }
        _ => return Err(accepts.refused()),
    };
    if detect::claimed(file_name).is_some_and(|claimed| claimed != family) {
        return Err(DocumentError::TypeMismatch {
            extension: detect::extension(file_name).unwrap_or_default(),
            content: family.content_name(),
        });
    }
    let kind = match container {
        Container::Image => return Ok(Checked::Image),
        Container::Pdf => {
            pdf::check(bytes)?;
            DocumentKind::Pdf
        }
        Container::Zip => {
            docx::check(bytes)?;
            DocumentKind::Docx
        }
        Container::Ole => match doc::check(bytes)? {
            doc::OleKind::Word => DocumentKind::Doc,
            doc::OleKind::Other => return Err(accepts.refused()),
        },
        Container::Unknown => return Err(accepts.refused()),
    };
    if !accepts.takes(kind) {
        return Err(accepts.refused());
    }
    Ok(Checked::Document(DocumentInfo { kind }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use kiosk_core::problem::UserFacing;
    use kiosk_testkit::documents;
    use proptest::prelude::*;

    use super::*;

    const TEN_MB: u64 = 10_485_760;

    fn tianjin() -> Accepts {
        Accepts::from_media_types(&[
            "application/pdf",
            "image/jpeg",
            "image/png",
            "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ])
    }

    fn jpeg() -> Vec<u8> {
        let page = crate::quality::tests::text_page(400, 300, 235, 40);
        crate::encode::encode_jpeg(&page, 85).unwrap()
    }

    fn code(result: Result<Checked, DocumentError>) -> &'static str {
        match result {
            Ok(_) => "OK",
            Err(e) => e.code(),
        }
    }

    #[test]
    fn accepted_types_are_named_for_people() {
        let accepts = tianjin();
        assert!(accepts.images);
        assert_eq!(
            accepts.documents,
            [DocumentKind::Pdf, DocumentKind::Doc, DocumentKind::Docx]
        );
        assert_eq!(accepts.names, "PDF、JPG、PNG、Word (.doc)、Word (.docx)");
        let images = Accepts::from_media_types(&["image/jpeg", "image/png"]);
        assert_eq!(images.names, "JPG、PNG");
        assert!(images.documents.is_empty());
    }

    #[test]
    fn each_document_kind_is_recognised_by_content() {
        let accepts = tianjin();
        let cases = [
            (documents::pdf(), "licence.pdf", DocumentKind::Pdf),
            (documents::docx(), "letter.docx", DocumentKind::Docx),
            (documents::doc(), "permit.doc", DocumentKind::Doc),
            (documents::doc(), "permit.docx", DocumentKind::Doc),
            (documents::pdf(), "no-extension", DocumentKind::Pdf),
        ];
        for (bytes, name, kind) in cases {
            assert_eq!(
                check(&bytes, name, &accepts, TEN_MB),
                Ok(Checked::Document(DocumentInfo { kind })),
                "{name}"
            );
        }
        assert_eq!(
            check(&jpeg(), "scan.jpg", &accepts, TEN_MB),
            Ok(Checked::Image)
        );
    }

    #[test]
    fn a_renamed_file_is_a_mismatch() {
        let accepts = tianjin();
        let refused = check(&documents::pdf(), "letter.docx", &accepts, TEN_MB).unwrap_err();
        assert_eq!(refused.code(), "ATTACHMENT_TYPE_MISMATCH");
        assert!(refused.en().contains(".docx") && refused.en().contains("a PDF"));
        assert_eq!(
            code(check(&documents::docx(), "x.pdf", &accepts, TEN_MB)),
            "ATTACHMENT_TYPE_MISMATCH"
        );
        assert_eq!(
            code(check(&jpeg(), "x.pdf", &accepts, TEN_MB)),
            "ATTACHMENT_TYPE_MISMATCH"
        );
        assert_eq!(
            code(check(&documents::pdf(), "x.JPG", &accepts, TEN_MB)),
            "ATTACHMENT_TYPE_MISMATCH"
        );
    }

    #[test]
    fn what_the_slot_does_not_take_names_what_it_does() {
        let images = Accepts::from_media_types(&["image/jpeg", "image/png"]);
        let refused = check(&documents::pdf(), "x.pdf", &images, TEN_MB).unwrap_err();
        assert_eq!(refused.code(), "ATTACHMENT_TYPE");
        assert!(refused.zh().contains("JPG、PNG"), "{}", refused.zh());
        assert_eq!(
            code(check(&documents::docx(), "x.docx", &images, TEN_MB)),
            "ATTACHMENT_TYPE"
        );
        let pdf_only = Accepts::from_media_types(&["application/pdf", "image/jpeg"]);
        assert_eq!(
            code(check(&documents::docx(), "x.docx", &pdf_only, TEN_MB)),
            "ATTACHMENT_TYPE"
        );
        assert_eq!(
            code(check(b"just some text", "x.pdf", &tianjin(), TEN_MB)),
            "ATTACHMENT_TYPE",
            "content decides, not the name"
        );
        assert_eq!(
            code(check(&documents::xls(), "x.doc", &tianjin(), TEN_MB)),
            "ATTACHMENT_TYPE"
        );
    }

    #[test]
    fn hostile_documents_get_their_codes() {
        let accepts = tianjin();
        let cases = [
            (
                documents::pdf_truncated(),
                "a.pdf",
                "ATTACHMENT_PDF_TRUNCATED",
            ),
            (
                documents::pdf_encrypted(),
                "a.pdf",
                "ATTACHMENT_PDF_ENCRYPTED",
            ),
            (
                documents::zip_bomb_declared(10_000_000_000),
                "a.docx",
                "ATTACHMENT_ARCHIVE_BOMB",
            ),
            (
                documents::docx_encrypted(),
                "a.docx",
                "ATTACHMENT_DOC_ENCRYPTED",
            ),
            (
                documents::doc_encrypted(),
                "a.doc",
                "ATTACHMENT_DOC_ENCRYPTED",
            ),
            (
                documents::docx_with_entries(1_001),
                "a.docx",
                "ATTACHMENT_ARCHIVE_BOMB",
            ),
        ];
        for (bytes, name, expected) in cases {
            assert_eq!(
                code(check(&bytes, name, &accepts, TEN_MB)),
                expected,
                "{name}"
            );
        }
        assert_eq!(
            code(check(&documents::pdf(), "a.pdf", &accepts, 100)),
            "CAPTURE_FILE_TOO_LARGE"
        );
        assert_eq!(
            code(check(b"", "a.pdf", &accepts, TEN_MB)),
            "ATTACHMENT_EMPTY"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_bytes_get_an_answer_or_a_stable_code(bytes in proptest::collection::vec(any::<u8>(), 0..4096), name in "[a-z]{0,6}(\\.(pdf|docx|doc|jpg))?") {
            let result = check(&bytes, &name, &tianjin(), TEN_MB);
            if let Err(e) = result {
                prop_assert!(e.code().starts_with("ATTACHMENT_") || e.code().starts_with("CAPTURE_"));
            }
        }

        #[test]
        fn damaged_documents_never_panic(
            which in 0usize..5,
            cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
            keep in any::<prop::sample::Index>(),
        ) {
            let mut bytes = match which {
                0 => documents::pdf(),
                1 => documents::docx(),
                2 => documents::doc(),
                3 => documents::docx_encrypted(),
                _ => documents::zip64_docx(),
            };
            for (at, value) in cuts {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
            let keep = keep.index(bytes.len() + 1).max(1);
            bytes.truncate(keep);
            let started = std::time::Instant::now();
            let result = check(&bytes, "file", &tianjin(), TEN_MB);
            prop_assert!(started.elapsed() < std::time::Duration::from_secs(2));
            if let Err(e) = result {
                prop_assert!(!e.zh().is_empty() && !e.en().is_empty());
            }
        }
    }
}
