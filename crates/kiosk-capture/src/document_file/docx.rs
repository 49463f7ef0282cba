//! `.docx` checks from the ZIP central directory alone: entry count, declared sizes and
//! compression ratios are judged before anything is inflated, and the only part ever
//! inflated is `[Content_Types].xml`, through a reader capped at [`MAX_CONTENT_TYPES_BYTES`].
//!
//! The limits are far above any Word document a visitor brings (a 200-page report with
//! scanned pages has a few hundred entries and tens of megabytes) and far below what would
//! hurt a kiosk if a platform or a clerk's viewer unpacked the file.

use std::io::Read;

use super::DocumentError;

/// Most entries a `.docx` may have.
pub const MAX_ENTRIES: u64 = 1_000;
/// Largest declared uncompressed size of one entry, in bytes.
pub const MAX_ENTRY_BYTES: u64 = 50 * 1_000_000;
/// Largest declared uncompressed size of all entries together, in bytes.
pub const MAX_TOTAL_BYTES: u64 = 100 * 1_000_000;
/// Largest uncompressed / compressed ratio of an entry.
pub const MAX_RATIO: u64 = 100;
/// Entries smaller than this are not judged by ratio: a few kilobytes of repetitive XML
/// compress well and cannot hurt anyone.
pub const RATIO_FLOOR_BYTES: u64 = 1_000_000;
/// Largest `[Content_Types].xml` read (real ones are 1–3 KB).
pub const MAX_CONTENT_TYPES_BYTES: u64 = 256 * 1024;

/// The content type `[Content_Types].xml` gives a Word document's main part.
pub const WORD_MAIN_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

const EOCD_SIGNATURE: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIGNATURE: u32 = 0x0606_4b50;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
const EOCD_LEN: usize = 22;
const MAX_COMMENT: usize = 0xFFFF;

/// What the central directory says about a `.docx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocxFacts {
    /// Number of entries.
    pub entries: u64,
    /// Declared uncompressed size of all entries.
    pub uncompressed_bytes: u64,
}

fn invalid(detail: &'static str) -> DocumentError {
    DocumentError::DocxInvalid { detail }
}

fn bomb(detail: String) -> DocumentError {
    DocumentError::ArchiveBomb { detail }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}

/// Where the central directory is and how many entries it claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Directory {
    entries: u64,
    offset: u64,
    size: u64,
}

/// Finds the end-of-central-directory record (searching at most the last 64 KiB + 22 bytes)
/// and, when its fields overflow, the ZIP64 record it points to.
fn directory(bytes: &[u8]) -> Result<Directory, DocumentError> {
    let search_from = bytes.len().saturating_sub(EOCD_LEN + MAX_COMMENT);
    let mut at = bytes
        .len()
        .checked_sub(EOCD_LEN)
        .ok_or(invalid("too short"))?;
    let eocd = loop {
        if u32_at(bytes, at) == Some(EOCD_SIGNATURE) {
            let comment = usize::from(u16_at(bytes, at + 20).unwrap_or(0));
            if at + EOCD_LEN + comment <= bytes.len() {
                break at;
            }
        }
        if at == search_from {
            return Err(invalid("no end of central directory"));
        }
        at -= 1;
    };
    let entries16 = u16_at(bytes, eocd + 10).ok_or(invalid("short record"))?;
    let size32 = u32_at(bytes, eocd + 12).ok_or(invalid("short record"))?;
    let offset32 = u32_at(bytes, eocd + 16).ok_or(invalid("short record"))?;
    if entries16 != u16::MAX && size32 != u32::MAX && offset32 != u32::MAX {
        return Ok(Directory {
            entries: u64::from(entries16),
            offset: u64::from(offset32),
            size: u64::from(size32),
        });
    }
    let locator = eocd.checked_sub(20).ok_or(invalid("no ZIP64 locator"))?;
    if u32_at(bytes, locator) != Some(ZIP64_LOCATOR_SIGNATURE) {
        return Err(invalid("no ZIP64 locator"));
    }
    let record = u64_at(bytes, locator + 8)
        .and_then(|o| usize::try_from(o).ok())
        .ok_or(invalid("bad ZIP64 locator"))?;
    if u32_at(bytes, record) != Some(ZIP64_EOCD_SIGNATURE) {
        return Err(invalid("no ZIP64 end of central directory"));
    }
    Ok(Directory {
        entries: u64_at(bytes, record + 32).ok_or(invalid("short ZIP64 record"))?,
        size: u64_at(bytes, record + 40).ok_or(invalid("short ZIP64 record"))?,
        offset: u64_at(bytes, record + 48).ok_or(invalid("short ZIP64 record"))?,
    })
}

/// One central directory record, as far as the checks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry<'a> {
    name: &'a [u8],
    flags: u16,
    method: u16,
    compressed: u64,
    uncompressed: u64,
    local_offset: u64,
    /// Length of the whole record.
    len: usize,
}

/// Reads the record at the start of `record`, with ZIP64 sizes from its extra field.
fn entry(record: &[u8]) -> Result<Entry<'_>, DocumentError> {
    let short = || invalid("short central directory record");
    if u32_at(record, 0) != Some(CENTRAL_SIGNATURE) {
        return Err(invalid("bad central directory record"));
    }
    let flags = u16_at(record, 8).ok_or_else(short)?;
    let method = u16_at(record, 10).ok_or_else(short)?;
    let compressed32 = u32_at(record, 20).ok_or_else(short)?;
    let uncompressed32 = u32_at(record, 24).ok_or_else(short)?;
    let name_len = usize::from(u16_at(record, 28).ok_or_else(short)?);
    let extra_len = usize::from(u16_at(record, 30).ok_or_else(short)?);
    let comment_len = usize::from(u16_at(record, 32).ok_or_else(short)?);
    let offset32 = u32_at(record, 42).ok_or_else(short)?;
    let name = record.get(46..46 + name_len).ok_or_else(short)?;
    let extra = record
        .get(46 + name_len..46 + name_len + extra_len)
        .ok_or_else(short)?;
    let len = 46 + name_len + extra_len + comment_len;
    if record.len() < len {
        return Err(short());
    }
    let mut uncompressed = u64::from(uncompressed32);
    let mut compressed = u64::from(compressed32);
    let mut local_offset = u64::from(offset32);
    let mut at = 0;
    while let (Some(id), Some(size)) = (u16_at(extra, at), u16_at(extra, at + 2)) {
        let size = usize::from(size);
        let body = extra.get(at + 4..at + 4 + size).ok_or_else(short)?;
        if id == 0x0001 {
            let mut fields = body
                .chunks_exact(8)
                .map(|c| u64_at(c, 0).unwrap_or(u64::MAX));
            if uncompressed32 == u32::MAX {
                uncompressed = fields.next().ok_or_else(short)?;
            }
            if compressed32 == u32::MAX {
                compressed = fields.next().ok_or_else(short)?;
            }
            if offset32 == u32::MAX {
                local_offset = fields.next().ok_or_else(short)?;
            }
        }
        at += 4 + size;
    }
    Ok(Entry {
        name,
        flags,
        method,
        compressed,
        uncompressed,
        local_offset,
        len,
    })
}

/// Inflates (or copies) `entry` from its local header, refusing more than `limit` bytes out.
fn read_entry(bytes: &[u8], entry: &Entry<'_>, limit: u64) -> Result<Vec<u8>, DocumentError> {
    let local = usize::try_from(entry.local_offset).map_err(|_| invalid("bad local offset"))?;
    if u32_at(bytes, local) != Some(LOCAL_SIGNATURE) {
        return Err(invalid("bad local header"));
    }
    let name_len = usize::from(u16_at(bytes, local + 26).ok_or(invalid("bad local header"))?);
    let extra_len = usize::from(u16_at(bytes, local + 28).ok_or(invalid("bad local header"))?);
    let start = local + 30 + name_len + extra_len;
    let compressed = usize::try_from(entry.compressed).map_err(|_| invalid("bad size"))?;
    let data = start
        .checked_add(compressed)
        .and_then(|end| bytes.get(start..end))
        .ok_or(invalid("entry runs past the end"))?;
    let mut out = Vec::new();
    let read = match entry.method {
        0 => data.take(limit + 1).read_to_end(&mut out),
        8 => flate2::bufread::DeflateDecoder::new(data)
            .take(limit + 1)
            .read_to_end(&mut out),
        _ => return Err(invalid("unsupported compression method")),
    };
    read.map_err(|_| invalid("entry does not inflate"))?;
    if out.len() as u64 > limit {
        return Err(invalid("[Content_Types].xml too large"));
    }
    Ok(out)
}

/// Checks `bytes` (a ZIP) as a Word document from its central directory; see the module.
pub fn check(bytes: &[u8]) -> Result<DocxFacts, DocumentError> {
    let dir = directory(bytes)?;
    if dir.entries > MAX_ENTRIES {
        return Err(bomb(format!(
            "{} entries (at most {MAX_ENTRIES})",
            dir.entries
        )));
    }
    let start = usize::try_from(dir.offset).map_err(|_| invalid("bad directory offset"))?;
    let end = usize::try_from(dir.size)
        .ok()
        .and_then(|size| start.checked_add(size))
        .filter(|&end| end <= bytes.len())
        .ok_or(invalid("central directory runs past the end"))?;
    let mut records = bytes.get(start..end).ok_or(invalid("bad directory"))?;
    let (mut total, mut content_types, mut main_part) = (0u64, None, false);
    for _ in 0..dir.entries {
        let entry = entry(records)?;
        records = &records[entry.len..];
        if entry.flags & 1 != 0 {
            return Err(DocumentError::DocEncrypted);
        }
        if entry.uncompressed > MAX_ENTRY_BYTES {
            return Err(bomb(format!(
                "an entry of {} bytes (at most {MAX_ENTRY_BYTES})",
                entry.uncompressed
            )));
        }
        total = total.saturating_add(entry.uncompressed);
        if total > MAX_TOTAL_BYTES {
            return Err(bomb(format!("more than {MAX_TOTAL_BYTES} bytes in all")));
        }
        if entry.uncompressed >= RATIO_FLOOR_BYTES
            && entry.uncompressed / entry.compressed.max(1) > MAX_RATIO
        {
            return Err(bomb(format!(
                "an entry compressed {}:1 (at most {MAX_RATIO}:1)",
                entry.uncompressed / entry.compressed.max(1)
            )));
        }
        match entry.name {
            b"[Content_Types].xml" => content_types = Some(entry),
            b"word/document.xml" => main_part = true,
            _ => {}
        }
    }
    let content_types = content_types.ok_or(invalid("no [Content_Types].xml"))?;
    if !main_part {
        return Err(invalid("no word/document.xml"));
    }
    let xml = read_entry(bytes, &content_types, MAX_CONTENT_TYPES_BYTES)?;
    let xml = String::from_utf8_lossy(&xml);
    let names_main = xml
        .split("<Override")
        .skip(1)
        .any(|o| o.contains(WORD_MAIN_CONTENT_TYPE) && o.contains("/word/document.xml"));
    if !names_main {
        return Err(invalid("[Content_Types].xml names no Word main part"));
    }
    Ok(DocxFacts {
        entries: dir.entries,
        uncompressed_bytes: total,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use kiosk_testkit::documents::{self, ZipEntry};

    use super::*;

    #[test]
    fn a_minimal_word_document_passes() {
        let facts = check(&documents::docx()).unwrap();
        assert!(facts.entries >= 3, "{facts:?}");
    }

    #[test]
    fn a_spreadsheet_is_not_a_word_document() {
        let xlsx = documents::zip(&[
            ZipEntry::deflated(
                "[Content_Types].xml",
                br#"<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
            ),
            ZipEntry::deflated("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert_eq!(
            check(&xlsx),
            Err(DocumentError::DocxInvalid {
                detail: "no word/document.xml"
            })
        );
        let renamed = documents::zip(&[
            ZipEntry::deflated("[Content_Types].xml", b"<Types/>"),
            ZipEntry::deflated("word/document.xml", b"<w:document/>"),
        ]);
        assert!(matches!(
            check(&renamed),
            Err(DocumentError::DocxInvalid { .. })
        ));
    }

    #[test]
    fn declared_sizes_beyond_the_limits_are_a_bomb_before_inflating() {
        let lying = documents::zip_bomb_declared(10_000_000_000);
        assert!(matches!(
            check(&lying),
            Err(DocumentError::ArchiveBomb { .. })
        ));
        let real = documents::zip_bomb_real(120_000_000);
        assert!(matches!(
            check(&real),
            Err(DocumentError::ArchiveBomb { .. })
        ));
    }

    #[test]
    fn too_many_entries_are_refused_from_the_end_record() {
        let many = documents::docx_with_entries(1_500);
        assert!(matches!(
            check(&many),
            Err(DocumentError::ArchiveBomb { detail }) if detail.contains("1500 entries")
        ));
        let huge = documents::docx_with_entries(100_000);
        assert!(huge.len() < 10_000_000, "fits a 10 MB slot: {}", huge.len());
        assert!(matches!(
            check(&huge),
            Err(DocumentError::ArchiveBomb { detail }) if detail.contains("100000 entries")
        ));
    }

    #[test]
    fn a_very_compressible_entry_is_a_bomb() {
        let zeros = vec![0u8; 2_000_000];
        let zip = documents::zip(&[ZipEntry::deflated("word/media/x.bin", &zeros)]);
        assert!(matches!(
            check(&zip),
            Err(DocumentError::ArchiveBomb { detail }) if detail.contains(":1")
        ));
    }

    #[test]
    fn zip64_records_are_read() {
        let zip = documents::zip64_docx();
        assert!(check(&zip).is_ok());
    }

    #[test]
    fn broken_archives_are_invalid_not_panics() {
        for bytes in [b"PK\x03\x04".to_vec(), documents::docx()[..100].to_vec(), {
            let mut d = documents::docx();
            let n = d.len();
            d[n - 6] = 0xFF; // central directory offset far away
            d
        }] {
            assert!(
                matches!(check(&bytes), Err(DocumentError::DocxInvalid { .. })),
                "{:?}",
                check(&bytes)
            );
        }
    }
}
