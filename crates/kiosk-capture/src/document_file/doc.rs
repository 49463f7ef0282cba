//! OLE2 compound files: a Word 97-2003 `.doc` (its `WordDocument` stream and the FIB's
//! encryption flags), or a password-protected Office 2007+ file (an `EncryptedPackage`).
//!
//! The `cfb` crate reads the header, the FAT and the directory, checking every sector index
//! against the file's length, so its work and memory are bounded by the input (which the
//! slot's byte limit bounds); of the streams only the FIB's first 12 bytes are read.

use std::io::{Cursor, Read};

use super::DocumentError;

/// `wIdent` of a Word binary file's FIB.
const WORD_IDENT: u16 = 0xA5EC;
/// FibBase flag: the document is encrypted (RC4 or XOR obfuscation).
const F_ENCRYPTED: u16 = 0x0100;
/// FibBase flag: XOR obfuscation (set together with `fEncrypted`).
const F_OBFUSCATED: u16 = 0x8000;

/// What an OLE file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OleKind {
    /// A Word 97-2003 document, not encrypted.
    Word,
    /// Some other OLE file (a spreadsheet, a presentation, an MSI...).
    Other,
}

fn invalid(detail: impl Into<String>) -> DocumentError {
    DocumentError::DocInvalid {
        detail: detail.into(),
    }
}

/// Checks `bytes` (an OLE2 compound file): encrypted Office files and encrypted `.doc` are
/// refused with [`DocumentError::DocEncrypted`]; a damaged file or FIB is
/// [`DocumentError::DocInvalid`].
pub fn check(bytes: &[u8]) -> Result<OleKind, DocumentError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| invalid(format!("compound file: {e}")))?;
    if file.is_stream("/EncryptedPackage") {
        return Err(DocumentError::DocEncrypted);
    }
    if !file.is_stream("/WordDocument") {
        return Ok(OleKind::Other);
    }
    let mut fib = [0u8; 12];
    file.open_stream("/WordDocument")
        .and_then(|mut stream| stream.read_exact(&mut fib))
        .map_err(|e| invalid(format!("WordDocument stream: {e}")))?;
    if u16::from_le_bytes([fib[0], fib[1]]) != WORD_IDENT {
        return Err(invalid("no Word FIB"));
    }
    let flags = u16::from_le_bytes([fib[10], fib[11]]);
    if flags & (F_ENCRYPTED | F_OBFUSCATED) != 0 {
        return Err(DocumentError::DocEncrypted);
    }
    Ok(OleKind::Word)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use kiosk_testkit::documents;

    use super::*;

    #[test]
    fn a_word_97_document_passes() {
        assert_eq!(check(&documents::doc()), Ok(OleKind::Word));
    }

    #[test]
    fn encrypted_office_files_are_refused() {
        assert_eq!(
            check(&documents::doc_encrypted()),
            Err(DocumentError::DocEncrypted)
        );
        assert_eq!(
            check(&documents::docx_encrypted()),
            Err(DocumentError::DocEncrypted)
        );
    }

    #[test]
    fn other_ole_files_are_not_word() {
        assert_eq!(check(&documents::xls()), Ok(OleKind::Other));
    }

    #[test]
    fn damaged_compound_files_are_invalid() {
        let mut doc = documents::doc();
        doc.truncate(600);
        assert!(matches!(check(&doc), Err(DocumentError::DocInvalid { .. })));
        let mut header_only = super::super::detect::CFB_MAGIC.to_vec();
        header_only.resize(512, 0xFF);
        assert!(matches!(
            check(&header_only),
            Err(DocumentError::DocInvalid { .. })
        ));
        let bad_fib = documents::ole(&[("/WordDocument", &[0u8; 64])]);
        assert!(matches!(
            check(&bad_fib),
            Err(DocumentError::DocInvalid { .. })
        ));
    }
}
