//! The one typeface of every document: Noto Sans CJK SC, parsed once and shared.
//!
//! The package does not ship the font: it depends on Debian's `fonts-noto-cjk`, whose
//! collection [`SYSTEM_FONT_PATH`] holds the Simplified Chinese face ([`SYSTEM_FONT_FACE`]).
//! The webview draws the screens with the same package (fontconfig), so screen and paper agree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile};
use printpdf::ParsedFont;

use crate::DocsError;

/// File name of a single-face Noto Sans CJK SC inside an assets folder's `fonts/` (a machine
/// without `fonts-noto-cjk` may be given one through the assets folder; see [`FontSource`]).
pub const FONT_FILE_NAME: &str = "NotoSansCJKsc-Regular.otf";

/// Debian's `fonts-noto-cjk` collection (a dependency of the package): the documents' font.
pub const SYSTEM_FONT_PATH: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// The face of [`SYSTEM_FONT_PATH`] that is Noto Sans CJK SC (Simplified Chinese); faces 0, 1,
/// 3 and 4 are the Japanese, Korean, Traditional Chinese and Hong Kong ones.
pub const SYSTEM_FONT_FACE: u32 = 2;

/// A font file and the face to use inside it (0 for a file with a single face).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontSource {
    /// The font file (`.otf`, `.ttf` or a `.ttc` collection).
    pub path: PathBuf,
    /// Index of the face inside a collection.
    pub face: u32,
}

impl FontSource {
    /// Noto Sans CJK SC inside Debian's `fonts-noto-cjk` collection.
    pub fn system() -> Self {
        Self {
            path: PathBuf::from(SYSTEM_FONT_PATH),
            face: SYSTEM_FONT_FACE,
        }
    }

    /// Where the documents' font may be, in order: [`FONT_FILE_NAME`] under `fonts/` of each
    /// of `asset_dirs` (an override for machines without the Debian package), then
    /// [`FontSource::system`].
    pub fn candidates(asset_dirs: &[PathBuf]) -> Vec<Self> {
        asset_dirs
            .iter()
            .map(|dir| Self {
                path: dir.join("fonts").join(FONT_FILE_NAME),
                face: 0,
            })
            .chain(std::iter::once(Self::system()))
            .collect()
    }

    /// The first of [`FontSource::candidates`] whose file exists; the system font when none
    /// does (loading it then reports the missing file and what to install).
    pub fn locate(asset_dirs: &[PathBuf]) -> Self {
        Self::candidates(asset_dirs)
            .into_iter()
            .find(|source| source.path.is_file())
            .unwrap_or_else(Self::system)
    }
}

/// A parsed OpenType font used to measure and draw text.
///
/// Parsing the 16 MB CJK font takes a while; load it once and reuse it for every document
/// (it is `Send + Sync`). A document embeds only the glyphs it uses ([`DocumentFont::subset`]).
#[derive(Debug, Clone)]
pub struct DocumentFont {
    /// The whole file (all faces of a collection), its character map and advance widths.
    parsed: ParsedFont,
    /// The face's PostScript name (`NotoSansCJKsc-Regular`), which the PDF names it by.
    postscript_name: String,
    units_per_em: f32,
}

impl DocumentFont {
    /// Reads and parses the single-face font file at `path`.
    pub fn load(path: &Path) -> Result<Self, DocsError> {
        Self::load_source(&FontSource {
            path: path.to_path_buf(),
            face: 0,
        })
    }

    /// Reads and parses face `source.face` of the font file at `source.path`.
    pub fn load_source(source: &FontSource) -> Result<Self, DocsError> {
        let bytes = std::fs::read(&source.path).map_err(|error| DocsError::FontUnreadable {
            path: source.path.display().to_string(),
            source: error,
        })?;
        Self::from_bytes_face(&bytes, source.face)
    }

    /// Parses a single-face OpenType/TrueType font.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DocsError> {
        Self::from_bytes_face(bytes, 0)
    }

    /// Parses face `face` of an OpenType/TrueType font or collection (PDFs embed a subset
    /// of that face alone).
    pub fn from_bytes_face(bytes: &[u8], face: u32) -> Result<Self, DocsError> {
        let mut warnings = Vec::new();
        let index = usize::try_from(face).map_err(|_| DocsError::FontInvalid)?;
        let parsed =
            ParsedFont::from_bytes(bytes, index, &mut warnings).ok_or(DocsError::FontInvalid)?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em);
        if units_per_em <= 0.0 || parsed.lookup_glyph_index(u32::from('中')).is_none() {
            return Err(DocsError::FontInvalid);
        }
        let postscript_name = postscript_name(bytes, index).ok_or(DocsError::FontInvalid)?;
        Ok(Self {
            parsed,
            postscript_name,
            units_per_em,
        })
    }

    /// Whether the font has a glyph for `ch`.
    pub fn covers(&self, ch: char) -> bool {
        self.parsed
            .lookup_glyph_index(u32::from(ch))
            .is_some_and(|gid| gid != 0)
    }

    /// The characters of `text` that the font cannot draw, in order, without repeats.
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        let mut missing: Vec<char> = Vec::new();
        for ch in text.chars() {
            if !self.covers(ch) && !missing.contains(&ch) {
                missing.push(ch);
            }
        }
        missing
    }

    /// Advance width of `ch` in millimetres at `size_pt`; zero for characters without a glyph.
    pub(crate) fn advance_mm(&self, ch: char, size_pt: f32) -> f32 {
        let Some(gid) = self.parsed.lookup_glyph_index(u32::from(ch)) else {
            return 0.0;
        };
        let units = f32::from(self.parsed.get_glyph_width(gid).unwrap_or(0));
        units / self.units_per_em * size_pt * MM_PER_PT
    }

    /// Width of `text` in millimetres at `size_pt`.
    pub(crate) fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|ch| self.advance_mm(ch, size_pt)).sum()
    }

    /// A font of the glyphs of `chars` alone (and `.notdef`), to embed in a document: the
    /// face keeps its outlines, advances and character map for them, and nothing else (a
    /// letter's font is some 40 KB instead of the face's 16 MB). Characters the font does not
    /// cover are left out; the layout has replaced them already (`text::printable`).
    pub(crate) fn subset(&self, chars: &BTreeSet<char>) -> Result<ParsedFont, DocsError> {
        // allsorts wants .notdef first and no glyph twice.
        let glyphs: BTreeSet<u16> = chars
            .iter()
            .filter_map(|&ch| self.parsed.lookup_glyph_index(u32::from(ch)))
            .filter(|&gid| gid != 0)
            .collect();
        let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
        let face = usize::try_from(self.parsed.font_index).map_err(|_| DocsError::FontInvalid)?;
        let file = ReadScope::new(&self.parsed.original_bytes)
            .read::<FontData<'_>>()
            .map_err(|_| DocsError::FontInvalid)?;
        let provider = file
            .table_provider(face)
            .map_err(|_| DocsError::FontInvalid)?;
        let bytes =
            allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
                .map_err(|_| DocsError::FontInvalid)?;
        let mut warnings = Vec::new();
        let mut subset =
            ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or(DocsError::FontInvalid)?;
        subset.font_name = Some(format!("{}+{}", subset_tag(&ids), self.postscript_name));
        Ok(subset)
    }
}

/// The PostScript name (name ID 6) of face `face` of a font file.
fn postscript_name(bytes: &[u8], face: usize) -> Option<String> {
    use allsorts::tables::{FontTableProvider, NameTable};
    let file = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = file.table_provider(face).ok()?;
    let data = provider.read_table_data(allsorts::tag::NAME).ok()?;
    let name = ReadScope::new(&data).read::<NameTable<'_>>().ok()?;
    name.string_for_id(NameTable::POSTSCRIPT_NAME)
        .filter(|name| !name.is_empty())
}

/// The six capital letters that mark a subset font's name (ISO 32000-1, 9.6.4): the same for
/// the same glyphs, different (almost always) for others, as the standard asks.
fn subset_tag(glyphs: &[u16]) -> String {
    // FNV-1a over the glyph ids.
    let hash = glyphs.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, gid| {
        gid.to_be_bytes().iter().fold(hash, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    });
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8))
        .collect()
}

/// Millimetres per PostScript point.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The font the package uses (Debian's fonts-noto-cjk, face SC), parsed once per test
    /// binary.
    pub(crate) fn shipped() -> &'static DocumentFont {
        static FONT: OnceLock<DocumentFont> = OnceLock::new();
        FONT.get_or_init(|| {
            DocumentFont::load_source(&FontSource::system())
                .expect("fonts-noto-cjk is installed (scripts/bootstrap)")
        })
    }

    /// The `name` table of face `face` of the TrueType collection `bytes`.
    fn name_table_of_face(bytes: &[u8], face: usize) -> &[u8] {
        let u32_at = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        assert_eq!(&bytes[..4], b"ttcf", "a collection");
        let sfnt = u32_at(12 + 4 * face);
        let tables = usize::from(u16::from_be_bytes([bytes[sfnt + 4], bytes[sfnt + 5]]));
        (0..tables)
            .map(|i| sfnt + 12 + 16 * i)
            .find(|&record| &bytes[record..record + 4] == b"name")
            .map(|record| &bytes[u32_at(record + 8)..u32_at(record + 8) + u32_at(record + 12)])
            .expect("a name table")
    }

    #[test]
    fn the_system_face_is_simplified_chinese() {
        let bytes = std::fs::read(SYSTEM_FONT_PATH).expect("fonts-noto-cjk is installed");
        let utf16 =
            |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_be_bytes).collect() };
        let names = name_table_of_face(&bytes, SYSTEM_FONT_FACE as usize);
        let sc = utf16("Noto Sans CJK SC");
        assert!(
            names.windows(sc.len()).any(|w| w == sc.as_slice()),
            "face {SYSTEM_FONT_FACE} of {SYSTEM_FONT_PATH} is Noto Sans CJK SC"
        );
        let jp = utf16("Noto Sans CJK JP");
        let first = name_table_of_face(&bytes, 0);
        assert!(
            first.windows(jp.len()).any(|w| w == jp.as_slice()),
            "the check can fail: face 0 is the Japanese one"
        );
    }

    #[test]
    fn an_asset_folder_font_comes_before_the_system_font() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = [dir.path().join("missing"), dir.path().to_path_buf()];
        assert_eq!(
            FontSource::candidates(&dirs),
            vec![
                FontSource {
                    path: dirs[0].join("fonts").join(FONT_FILE_NAME),
                    face: 0
                },
                FontSource {
                    path: dirs[1].join("fonts").join(FONT_FILE_NAME),
                    face: 0
                },
                FontSource::system(),
            ]
        );
        assert_eq!(
            FontSource::locate(&dirs),
            FontSource::system(),
            "no file yet"
        );
        std::fs::create_dir(dir.path().join("fonts")).unwrap();
        std::fs::write(dirs[1].join("fonts").join(FONT_FILE_NAME), b"x").unwrap();
        assert_eq!(
            FontSource::locate(&dirs).path,
            dirs[1].join("fonts").join(FONT_FILE_NAME)
        );
    }

    #[test]
    fn a_missing_font_file_says_where_it_was_looked_for() {
        let source = FontSource {
            path: PathBuf::from("/nonexistent/NotoSansCJK-Regular.ttc"),
            face: 2,
        };
        let err = DocumentFont::load_source(&source).unwrap_err();
        assert!(
            matches!(&err, DocsError::FontUnreadable { path, .. } if path.contains("/nonexistent/")),
            "{err:?}"
        );
    }

    #[test]
    fn shipped_font_covers_rare_and_latin_characters() {
        let font = shipped();
        for ch in ['中', '𠮷', '䶮', 'A', 'é', '<', '（', '　'] {
            assert!(font.covers(ch), "font should draw {ch:?}");
        }
    }

    #[test]
    fn missing_glyphs_lists_each_uncovered_character_once() {
        let font = shipped();
        let missing = font.missing_glyphs("مرحبا مر 中");
        assert_eq!(
            missing,
            vec!['م', 'ر', 'ح', 'ب', 'ا'],
            "Arabic is not in the CJK font"
        );
    }

    #[test]
    fn cjk_ideograph_is_one_em_wide() {
        let width = shipped().width_mm("中文", 10.0);
        let expected = 2.0 * 10.0 * MM_PER_PT;
        assert!((width - expected).abs() < 0.01, "{width} vs {expected}");
    }

    #[test]
    fn a_subset_holds_the_glyphs_asked_for_and_no_others() {
        let font = shipped();
        let subset = font.subset(&BTreeSet::from(['中', '𠮷', 'A'])).unwrap();
        for ch in ['中', '𠮷', 'A'] {
            let gid = subset.lookup_glyph_index(u32::from(ch));
            assert!(gid.is_some_and(|gid| gid != 0), "{ch:?} is in the subset");
            assert_eq!(
                subset.get_glyph_width(gid.unwrap()),
                font.parsed
                    .get_glyph_width(font.parsed.lookup_glyph_index(u32::from(ch)).unwrap()),
                "{ch:?} keeps its advance"
            );
        }
        assert_eq!(subset.lookup_glyph_index(u32::from('文')), None);
        // The CFF's shared subroutines stay whole: some 34 KB of the face's 16 MB.
        assert!(
            subset.original_bytes.len() < 60_000,
            "{} bytes",
            subset.original_bytes.len()
        );
        let name = subset.font_name.unwrap();
        let (tag, face) = name.split_once('+').unwrap();
        assert_eq!(face, "NotoSansCJKsc-Regular");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{tag}"
        );
        let other = font.subset(&BTreeSet::from(['中'])).unwrap();
        assert_ne!(
            other.font_name.unwrap(),
            name,
            "another subset, another tag"
        );
    }

    #[test]
    fn garbage_bytes_are_not_a_font() {
        let err = DocumentFont::from_bytes(b"not a font").unwrap_err();
        assert!(matches!(err, DocsError::FontInvalid), "{err:?}");
    }
}
