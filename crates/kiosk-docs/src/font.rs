//! The one typeface of every document: Noto Sans CJK SC, parsed once and shared.

use std::path::Path;

use printpdf::ParsedFont;

use crate::DocsError;

/// File name of the shipped font inside `assets/fonts/`.
pub const FONT_FILE_NAME: &str = "NotoSansCJKsc-Regular.otf";

/// A parsed OpenType font used to measure and draw text.
///
/// Parsing the 16 MB CJK font takes a while; load it once and reuse it for every document
/// (it is `Send + Sync`). Rendering embeds only the glyphs a page uses.
#[derive(Debug, Clone)]
pub struct DocumentFont {
    parsed: ParsedFont,
    units_per_em: f32,
}

impl DocumentFont {
    /// Reads and parses the font file at `path`.
    pub fn load(path: &Path) -> Result<Self, DocsError> {
        let bytes = std::fs::read(path).map_err(|source| DocsError::FontUnreadable {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }

    /// Parses a single-face OpenType/TrueType font.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DocsError> {
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(DocsError::FontInvalid)?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em);
        if units_per_em <= 0.0 || parsed.lookup_glyph_index(u32::from('中')).is_none() {
            return Err(DocsError::FontInvalid);
        }
        Ok(Self {
            parsed,
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
        let units = f32::from(self.parsed.get_horizontal_advance(gid));
        units / self.units_per_em * size_pt * MM_PER_PT
    }

    /// Width of `text` in millimetres at `size_pt`.
    pub(crate) fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|ch| self.advance_mm(ch, size_pt)).sum()
    }

    pub(crate) fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }
}

/// Millimetres per PostScript point.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The shipped font, parsed once per test binary.
    pub(crate) fn shipped() -> &'static DocumentFont {
        static FONT: OnceLock<DocumentFont> = OnceLock::new();
        FONT.get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../assets/fonts")
                .join(FONT_FILE_NAME);
            DocumentFont::load(&path).expect("shipped font loads")
        })
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
    fn garbage_bytes_are_not_a_font() {
        let err = DocumentFont::from_bytes(b"not a font").unwrap_err();
        assert!(matches!(err, DocsError::FontInvalid), "{err:?}");
    }
}
