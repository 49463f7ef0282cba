//! PDF checks without parsing the document: the header, `%%EOF` near the end, the
//! cross-reference pointer, and whether the trailer names an encryption dictionary.
//!
//! Work is bounded: at most [`TAIL_WINDOW`] bytes at the end and [`XREF_WINDOW`] bytes at the
//! cross-reference position are searched, whatever the file's size; nothing is allocated.

use super::DocumentError;
use super::detect::{PDF_HEADER_WINDOW, find, rfind};

/// `%%EOF` must lie within this many bytes of the end (ISO 32000 puts it last; writers add a
/// line break or a little padding).
pub const EOF_WINDOW: usize = 1024;
/// How much of the end is searched for the last `trailer` dictionary.
pub const TAIL_WINDOW: usize = 64 * 1024;
/// How much is read at the cross-reference offset to find an xref stream's dictionary.
pub const XREF_WINDOW: usize = 64 * 1024;

/// What the checks found out about a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfFacts {
    /// Byte offset of the last cross-reference section.
    pub startxref: u64,
}

fn tail(bytes: &[u8], window: usize) -> (&[u8], usize) {
    let start = bytes.len().saturating_sub(window);
    (&bytes[start..], start)
}

/// The number after the last `startxref` in `tail`.
fn startxref(tail: &[u8]) -> Option<u64> {
    let at = rfind(tail, b"startxref")?;
    let rest = &tail[at + b"startxref".len()..];
    let digits: Vec<u8> = rest
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(u8::is_ascii_digit)
        .take(20)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// The dictionary text from `<<` to where `end` starts (or the window's end), if `region`
/// begins (after whitespace and an `N G obj` header) with one.
fn dictionary_before<'a>(region: &'a [u8], end: &[u8]) -> &'a [u8] {
    let stop = find(region, end).unwrap_or(region.len());
    &region[..stop]
}

/// Whether `region` starts with an indirect object header `N G obj`.
fn starts_with_object(region: &[u8]) -> bool {
    let head = &region[..region.len().min(64)];
    let mut words = head
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    let number = |w: Option<&[u8]>| w.is_some_and(|w| w.iter().all(u8::is_ascii_digit));
    number(words.next())
        && number(words.next())
        && words.next().is_some_and(|w| w.starts_with(b"obj"))
}

fn names_encrypt(dictionary: &[u8]) -> bool {
    find(dictionary, b"/Encrypt").is_some()
}

/// Checks `bytes` as a PDF: refuses a missing header, a cut-off end
/// ([`DocumentError::PdfTruncated`]), a missing or impossible `startxref`, and an encrypted
/// file ([`DocumentError::PdfEncrypted`]).
pub fn check(bytes: &[u8]) -> Result<PdfFacts, DocumentError> {
    let head = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    if find(head, b"%PDF-").is_none() {
        return Err(DocumentError::PdfInvalid {
            detail: "no %PDF- header",
        });
    }
    let (end, _) = tail(bytes, EOF_WINDOW);
    if rfind(end, b"%%EOF").is_none() {
        return Err(DocumentError::PdfTruncated);
    }
    let (last, _) = tail(bytes, TAIL_WINDOW);
    let offset = startxref(end)
        .or_else(|| startxref(last))
        .ok_or(DocumentError::PdfInvalid {
            detail: "no startxref",
        })?;
    let at = usize::try_from(offset)
        .ok()
        .filter(|&at| at < bytes.len())
        .ok_or(DocumentError::PdfInvalid {
            detail: "startxref points past the end",
        })?;

    // A classic cross-reference table ends in `trailer << ... >>` just before `startxref`.
    if let Some(trailer) = rfind(last, b"trailer") {
        let dictionary = dictionary_before(&last[trailer..], b"startxref");
        if names_encrypt(dictionary) {
            return Err(DocumentError::PdfEncrypted);
        }
    }
    // A cross-reference stream (PDF 1.5+) carries the trailer keys in its own dictionary.
    let region = &bytes[at..bytes.len().min(at.saturating_add(XREF_WINDOW))];
    let trimmed = region
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&region[..0], |i| &region[i..]);
    // A pointer at neither (readers rebuild the table then) is not refused: only what the
    // stream's dictionary says counts.
    if !trimmed.starts_with(b"xref") && starts_with_object(trimmed) {
        let dictionary = dictionary_before(trimmed, b"stream");
        if names_encrypt(dictionary) {
            return Err(DocumentError::PdfEncrypted);
        }
    }
    Ok(PdfFacts { startxref: offset })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use kiosk_testkit::documents;

    use super::*;

    #[test]
    fn a_well_formed_pdf_passes() {
        let pdf = documents::pdf();
        let facts = check(&pdf).unwrap();
        assert!(facts.startxref > 0);
    }

    #[test]
    fn a_cut_off_pdf_is_truncated() {
        let mut pdf = documents::pdf();
        pdf.truncate(pdf.len() - 8);
        assert_eq!(check(&pdf), Err(DocumentError::PdfTruncated));
        let mut long = documents::pdf();
        long.truncate(long.len() / 2);
        assert_eq!(check(&long), Err(DocumentError::PdfTruncated));
    }

    #[test]
    fn eof_followed_by_more_than_a_kilobyte_is_truncated() {
        let mut pdf = documents::pdf();
        pdf.extend(std::iter::repeat_n(b'\n', EOF_WINDOW + 1));
        assert_eq!(check(&pdf), Err(DocumentError::PdfTruncated));
    }

    #[test]
    fn an_encryption_dictionary_in_the_trailer_is_refused() {
        let pdf = documents::pdf_encrypted();
        assert_eq!(check(&pdf), Err(DocumentError::PdfEncrypted));
    }

    #[test]
    fn an_encrypted_xref_stream_is_refused() {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let at = pdf.len();
        pdf.extend_from_slice(
            b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R /Encrypt 4 0 R /Length 0 >>\nstream\n\nendstream\nendobj\n",
        );
        pdf.extend_from_slice(format!("startxref\n{at}\n%%EOF\n").as_bytes());
        assert_eq!(check(&pdf), Err(DocumentError::PdfEncrypted));
        let plain = String::from_utf8(pdf)
            .unwrap()
            .replace("/Encrypt 4 0 R ", "");
        assert!(check(plain.as_bytes()).is_ok(), "same file unencrypted");
    }

    #[test]
    fn a_pointer_past_the_end_or_missing_is_refused() {
        let pdf = b"%PDF-1.4\nstartxref\n999999\n%%EOF\n";
        assert!(matches!(check(pdf), Err(DocumentError::PdfInvalid { .. })));
        let none = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
        assert!(matches!(check(none), Err(DocumentError::PdfInvalid { .. })));
        let nowhere = b"%PDF-1.4\nhello world\nstartxref\n3\n%%EOF\n";
        assert!(
            check(nowhere).is_ok(),
            "a wrong pointer is left to the reader's repair"
        );
        assert!(!starts_with_object(b"12 x obj"));
        assert!(starts_with_object(b"12 0 obj<<"));
    }
}
