//! Word and PDF files for the attachment checks, good and hostile, built in memory: minimal
//! but well-formed PDFs, `.docx` archives (with a ZIP writer that can also lie about sizes
//! and write ZIP64 records), `.doc` compound files, and encrypted Office containers.

use std::io::{Cursor, Write};

/// A one-page PDF with a correct classic cross-reference table; `extra_trailer` is added
/// to its trailer dictionary and `extra_objects` after its four objects.
fn pdf_with(extra_trailer: &str, extra_objects: &[&str]) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        "<< /Length 35 >>\nstream\n0 0 0 rg 100 600 200 100 re f\nendstream",
    ];
    objects.extend_from_slice(extra_objects);
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n", objects.len() + 1).as_bytes());
    out.extend_from_slice(b"0000000000 65535 f \n");
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{extra_trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A valid one-page A4 PDF (a black rectangle) that poppler renders.
pub fn pdf() -> Vec<u8> {
    pdf_with("", &[])
}

/// [`pdf`] cut off in the middle, as an interrupted copy leaves it.
pub fn pdf_truncated() -> Vec<u8> {
    let mut pdf = pdf();
    pdf.truncate(pdf.len() / 2);
    pdf
}

/// A PDF with the standard security handler (RC4 40-bit, revision 2) named in its trailer:
/// what "protect with a password" writes. The strings are not real keys; readers that
/// honour `/Encrypt` refuse or try to decrypt, which is what the check is about.
pub fn pdf_encrypted() -> Vec<u8> {
    pdf_with(
        " /Encrypt 5 0 R /ID [<8A3BCA2F6D7E4C1B9A0F2E3D4C5B6A79><8A3BCA2F6D7E4C1B9A0F2E3D4C5B6A79>]",
        &[
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A> /U <6F2C2E7B7A1D9C0B3E5F4A8D2C1B0A99887766554433221100FFEEDDCCBBAA99> >>",
        ],
    )
}

/// One file in a ZIP built by [`zip`].
#[derive(Debug, Clone)]
pub struct ZipEntry {
    name: String,
    data: Vec<u8>,
    method: u16,
    crc: u32,
    uncompressed: u64,
}

impl ZipEntry {
    /// `content` stored without compression.
    pub fn stored(name: &str, content: &[u8]) -> Self {
        Self {
            name: name.to_owned(),
            data: content.to_vec(),
            method: 0,
            crc: crc32fast::hash(content),
            uncompressed: content.len() as u64,
        }
    }

    /// `content` deflated.
    pub fn deflated(name: &str, content: &[u8]) -> Self {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(content).unwrap();
        Self {
            name: name.to_owned(),
            data: encoder.finish().unwrap(),
            method: 8,
            crc: crc32fast::hash(content),
            uncompressed: content.len() as u64,
        }
    }

    /// `count` zero bytes deflated, written in chunks so the test never holds them at once.
    pub fn deflated_zeros(name: &str, count: u64) -> Self {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let mut crc = crc32fast::Hasher::new();
        let chunk = vec![0u8; 1 << 20];
        let mut left = count;
        while left > 0 {
            let n = usize::try_from(left.min(chunk.len() as u64)).unwrap();
            encoder.write_all(&chunk[..n]).unwrap();
            crc.update(&chunk[..n]);
            left -= n as u64;
        }
        Self {
            name: name.to_owned(),
            data: encoder.finish().unwrap(),
            method: 8,
            crc: crc.finalize(),
            uncompressed: count,
        }
    }

    /// The same entry, its headers declaring `size` uncompressed bytes (a lying bomb).
    pub fn declaring(mut self, size: u64) -> Self {
        self.uncompressed = size;
        self
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn clamp32(v: u64, zip64: bool) -> u32 {
    if zip64 {
        u32::MAX
    } else {
        u32::try_from(v).expect("sizes over 4 GiB need zip64")
    }
}

/// A ZIP archive of `entries` (classic records).
pub fn zip(entries: &[ZipEntry]) -> Vec<u8> {
    zip_with(entries, false)
}

/// A ZIP archive of `entries`; with `zip64` every size and offset goes in ZIP64 extra fields
/// and a ZIP64 end record, as large archivers write them. More than 65,534 entries get the
/// ZIP64 end record whatever `zip64` says (the classic one counts in 16 bits).
pub fn zip_with(entries: &[ZipEntry], zip64: bool) -> Vec<u8> {
    let end64 = zip64 || entries.len() >= 0xFFFF;
    let mut out = Vec::new();
    let mut offsets = Vec::with_capacity(entries.len());
    for e in entries {
        offsets.push(out.len() as u64);
        put32(&mut out, 0x0403_4b50);
        put16(&mut out, if zip64 { 45 } else { 20 });
        put16(&mut out, 0);
        put16(&mut out, e.method);
        put16(&mut out, 0);
        put16(&mut out, 0x21);
        put32(&mut out, e.crc);
        put32(&mut out, clamp32(e.data.len() as u64, zip64));
        put32(&mut out, clamp32(e.uncompressed, zip64));
        put16(&mut out, u16::try_from(e.name.len()).unwrap());
        put16(&mut out, if zip64 { 20 } else { 0 });
        out.extend_from_slice(e.name.as_bytes());
        if zip64 {
            put16(&mut out, 1);
            put16(&mut out, 16);
            put64(&mut out, e.uncompressed);
            put64(&mut out, e.data.len() as u64);
        }
        out.extend_from_slice(&e.data);
    }
    let directory = out.len() as u64;
    for (e, offset) in entries.iter().zip(&offsets) {
        put32(&mut out, 0x0201_4b50);
        put16(&mut out, if zip64 { 45 } else { 20 });
        put16(&mut out, if zip64 { 45 } else { 20 });
        put16(&mut out, 0);
        put16(&mut out, e.method);
        put16(&mut out, 0);
        put16(&mut out, 0x21);
        put32(&mut out, e.crc);
        put32(&mut out, clamp32(e.data.len() as u64, zip64));
        put32(&mut out, clamp32(e.uncompressed, zip64));
        put16(&mut out, u16::try_from(e.name.len()).unwrap());
        put16(&mut out, if zip64 { 28 } else { 0 });
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put32(&mut out, 0);
        put32(&mut out, clamp32(*offset, zip64));
        out.extend_from_slice(e.name.as_bytes());
        if zip64 {
            put16(&mut out, 1);
            put16(&mut out, 24);
            put64(&mut out, e.uncompressed);
            put64(&mut out, e.data.len() as u64);
            put64(&mut out, *offset);
        }
    }
    let size = out.len() as u64 - directory;
    let count = entries.len() as u64;
    if end64 {
        let record = out.len() as u64;
        put32(&mut out, 0x0606_4b50);
        put64(&mut out, 44);
        put16(&mut out, 45);
        put16(&mut out, 45);
        put32(&mut out, 0);
        put32(&mut out, 0);
        put64(&mut out, count);
        put64(&mut out, count);
        put64(&mut out, size);
        put64(&mut out, directory);
        put32(&mut out, 0x0706_4b50);
        put32(&mut out, 0);
        put64(&mut out, record);
        put32(&mut out, 1);
    }
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0);
    put16(&mut out, 0);
    let count16 = if end64 {
        u16::MAX
    } else {
        u16::try_from(count).unwrap()
    };
    put16(&mut out, count16);
    put16(&mut out, count16);
    put32(&mut out, clamp32(size, end64));
    put32(&mut out, clamp32(directory, end64));
    put16(&mut out, 0);
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>营业执照扫描件</w:t></w:r></w:p></w:body></w:document>"#;

fn docx_parts() -> Vec<ZipEntry> {
    vec![
        ZipEntry::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ZipEntry::deflated("_rels/.rels", RELS.as_bytes()),
        ZipEntry::deflated("word/document.xml", DOCUMENT.as_bytes()),
    ]
}

/// A minimal Word document (`.docx`) that Word and LibreOffice open.
pub fn docx() -> Vec<u8> {
    zip(&docx_parts())
}

/// [`docx`] written with ZIP64 records throughout.
pub fn zip64_docx() -> Vec<u8> {
    zip_with(&docx_parts(), true)
}

/// A `.docx` with `entries` entries in all (empty stored fillers after the real parts).
/// Above 65,534 the archive is ZIP64.
pub fn docx_with_entries(entries: usize) -> Vec<u8> {
    let mut parts = docx_parts();
    parts.extend((parts.len()..entries).map(|i| ZipEntry::stored(&format!("{i:x}"), b"")));
    zip(&parts)
}

/// A `.docx` whose directory declares `total` uncompressed bytes (in entries of at most
/// 4 GB) while the file holds a few kilobytes: the lying zip bomb.
pub fn zip_bomb_declared(total: u64) -> Vec<u8> {
    let mut parts = docx_parts();
    let mut left = total;
    let mut i = 0;
    while left > 0 {
        let size = left.min(4_000_000_000);
        parts.push(
            ZipEntry::deflated(&format!("word/media/image{i}.png"), &[0u8; 4096]).declaring(size),
        );
        left -= size;
        i += 1;
    }
    zip(&parts)
}

/// A `.docx` with one honest entry of `size` zero bytes (deflate packs 1,000:1): the real
/// zip bomb.
pub fn zip_bomb_real(size: u64) -> Vec<u8> {
    let mut parts = docx_parts();
    parts.push(ZipEntry::deflated_zeros("word/media/image1.png", size));
    zip(&parts)
}

/// A compound file with `streams` (path, content).
pub fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (path, content) in streams {
        if let Some((dir, _)) = path.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
            file.create_storage_all(dir).unwrap();
        }
        file.create_stream(path)
            .unwrap()
            .write_all(content)
            .unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// A Word 97-2003 FIB base: `wIdent` 0xA5EC, `nFib` 0x00C1 (Word 97), `flags` at offset 10.
fn fib(flags: u16) -> Vec<u8> {
    let mut fib = vec![0u8; 1472];
    fib[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    fib[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
    fib[10..12].copy_from_slice(&flags.to_le_bytes());
    fib
}

/// A `.doc` (Word 97-2003): `WordDocument` with a FIB, and a `1Table` stream.
pub fn doc() -> Vec<u8> {
    ole(&[("/WordDocument", &fib(0x0200)), ("/1Table", &[0u8; 512])])
}

/// A password-protected `.doc`: its FIB has `fEncrypted` (0x0100) set.
pub fn doc_encrypted() -> Vec<u8> {
    ole(&[("/WordDocument", &fib(0x0300)), ("/1Table", &[0u8; 512])])
}

/// A password-protected `.docx` as Office writes it: an OLE file with `EncryptionInfo` and
/// `EncryptedPackage` streams (ECMA-376 agile encryption; the contents are random here).
pub fn docx_encrypted() -> Vec<u8> {
    let info = b"\x04\x00\x04\x00\x40\x00\x00\x00<?xml version=\"1.0\"?><encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\"/>";
    let mut package = 4096u64.to_le_bytes().to_vec();
    package.extend(crate::noise::bytes(7, 4096));
    ole(&[
        ("/EncryptionInfo", info.as_slice()),
        ("/EncryptedPackage", &package),
    ])
}

/// An OLE file that is no Word document (an `.xls`-like `Workbook` stream).
pub fn xls() -> Vec<u8> {
    ole(&[("/Workbook", &[0u8; 4096])])
}
