//! The chip's 256-byte text block (UTF-16LE, fields padded with spaces) in its four layouts,
//! told apart by the card-type mark at bytes 248-249.
//!
//! | layout | fields (bytes) |
//! |---|---|
//! | resident ID card (no mark) | name 30, sex 2, ethnicity 4, birth 16, address 70, number 36, authority 30, valid from 16, valid until 16 (or `长期`), reserved 36 |
//! | residence permit, mark `J` | as the resident card up to valid until, then pass number 18, issue count 4, reserved 6, mark 2, reserved 6 |
//! | foreigner's card 2017, mark `I` | English name 120, sex 2, number 30, nationality 6, Chinese name 30, valid from 16, valid until 16, birth 16, version 4, authority code 8, mark 2, reserved 6 |
//! | foreigner's card 2023, mark `Y` | Chinese name 30, sex 2, renewal count 4, birth 16, English name 70, number 36, reserved 30, valid from 16, valid until 16, English name continued 22, nationality 6, mark 2, previous-number link 6 |
//!
//! Sources: the readers' published interface descriptions (resident layout), the machine-
//! readable data table published with the 2017 foreigner's card (`I`), and a reader vendor's
//! public header file (`J`, `Y`). The `Y` layout comes from that one source only.

use kiosk_core::id_card::{ChipCard, ChipCardKind};

/// Size of the text block.
pub const TEXT_LEN: usize = 256;
/// Offset of the card-type mark (one UTF-16LE character).
pub const MARK_OFFSET: usize = 248;

/// Why a text block was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The block is not 256 bytes.
    #[error("text block of {0} bytes, expected 256")]
    Length(usize),
}

/// The card kind a text block's mark names.
pub fn kind_of(block: &[u8]) -> ChipCardKind {
    match block.get(MARK_OFFSET..MARK_OFFSET + 2) {
        Some([b'I', 0]) => ChipCardKind::ForeignPermanentResidence2017,
        Some([b'Y', 0]) => ChipCardKind::ForeignPermanentResidence2023,
        Some([b'J', 0]) => ChipCardKind::ResidencePermit,
        _ => ChipCardKind::ResidentId,
    }
}

/// Reads fields of the given byte lengths one after the other.
struct Fields<'a> {
    block: &'a [u8],
    at: usize,
}

impl Fields<'_> {
    /// The next field of `len` bytes, decoded and trimmed of padding.
    fn text(&mut self, len: usize) -> String {
        let end = (self.at + len).min(self.block.len());
        let bytes = self.block.get(self.at..end).unwrap_or(&[]);
        self.at = end;
        utf16le(bytes)
    }

    /// Like [`Fields::text`], `None` when empty.
    fn optional(&mut self, len: usize) -> Option<String> {
        Some(self.text(len)).filter(|s| !s.is_empty())
    }

    fn skip(&mut self, len: usize) {
        self.at = (self.at + len).min(self.block.len());
    }
}

/// Decodes UTF-16LE, replacing unpaired surrogates, and trims spaces and NULs.
fn utf16le(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    text.trim_matches(|c: char| c == ' ' || c == '\0' || c == '\u{3000}')
        .to_owned()
}

/// Decodes a text block into the card's fields (as stored, unchecked).
pub fn decode(block: &[u8]) -> Result<ChipCard, TextError> {
    if block.len() != TEXT_LEN {
        return Err(TextError::Length(block.len()));
    }
    let kind = kind_of(block);
    let mut f = Fields { block, at: 0 };
    let empty = |kind| ChipCard {
        kind,
        name: String::new(),
        name_latin: None,
        sex_code: String::new(),
        ethnicity_code: None,
        birth_date: String::new(),
        address: None,
        number: String::new(),
        issuing_authority: None,
        valid_from: String::new(),
        valid_until: String::new(),
        nationality: None,
        permit_number: None,
        issue_count: None,
    };
    let mut card = empty(kind);
    match kind {
        ChipCardKind::ResidentId | ChipCardKind::ResidencePermit => {
            card.name = f.text(30);
            card.sex_code = f.text(2);
            card.ethnicity_code = f.optional(4);
            card.birth_date = f.text(16);
            card.address = f.optional(70);
            card.number = f.text(36);
            card.issuing_authority = f.optional(30);
            card.valid_from = f.text(16);
            card.valid_until = f.text(16);
            if kind == ChipCardKind::ResidencePermit {
                card.permit_number = f.optional(18);
                card.issue_count = f.optional(4);
            }
        }
        ChipCardKind::ForeignPermanentResidence2017 => {
            card.name_latin = f.optional(120);
            card.sex_code = f.text(2);
            card.number = f.text(30);
            card.nationality = f.optional(6);
            card.name = f.text(30);
            card.valid_from = f.text(16);
            card.valid_until = f.text(16);
            card.birth_date = f.text(16);
            f.skip(4);
            card.issuing_authority = f.optional(8);
        }
        ChipCardKind::ForeignPermanentResidence2023 => {
            card.name = f.text(30);
            card.sex_code = f.text(2);
            card.issue_count = f.optional(4);
            card.birth_date = f.text(16);
            let latin = f.text(70);
            card.number = f.text(36);
            f.skip(30);
            card.valid_from = f.text(16);
            card.valid_until = f.text(16);
            let latin_more = f.text(22);
            card.name_latin =
                Some(format!("{latin}{latin_more}").trim().to_owned()).filter(|s| !s.is_empty());
            card.nationality = f.optional(6);
        }
    }
    Ok(card)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A text block with `fields` (text, byte length) in order, the card mark and padding.
    pub(crate) fn block(fields: &[(&str, usize)], mark: Option<char>) -> Vec<u8> {
        let mut out = Vec::new();
        for (text, len) in fields {
            let mut bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            bytes.resize(*len, 0);
            for pair in bytes.chunks_exact_mut(2).skip(text.encode_utf16().count()) {
                pair.copy_from_slice(&[b' ', 0]);
            }
            out.extend(bytes);
        }
        out.resize(TEXT_LEN, 0);
        if let Some(mark) = mark {
            out[MARK_OFFSET] = mark as u8;
            out[MARK_OFFSET + 1] = 0;
        }
        out
    }

    pub(crate) fn resident_block() -> Vec<u8> {
        block(
            &[
                ("张三", 30),
                ("2", 2),
                ("01", 4),
                ("19491231", 16),
                ("北京市朝阳区示例路1号", 70),
                ("11010519491231002X", 36),
                ("北京市公安局朝阳分局", 30),
                ("20150101", 16),
                ("长期", 16),
            ],
            None,
        )
    }

    #[test]
    fn resident_card_fields_are_decoded_in_place() {
        let card = decode(&resident_block()).unwrap();
        assert_eq!(card.kind, ChipCardKind::ResidentId);
        assert_eq!(card.name, "张三");
        assert_eq!(card.sex_code, "2");
        assert_eq!(card.ethnicity_code.as_deref(), Some("01"));
        assert_eq!(card.birth_date, "19491231");
        assert_eq!(card.address.as_deref(), Some("北京市朝阳区示例路1号"));
        assert_eq!(card.number, "11010519491231002X");
        assert_eq!(
            card.issuing_authority.as_deref(),
            Some("北京市公安局朝阳分局")
        );
        assert_eq!(card.valid_from, "20150101");
        assert_eq!(card.valid_until, "长期");
    }

    #[test]
    fn residence_permit_has_its_pass_number_and_issue_count() {
        let b = block(
            &[
                ("陈大文", 30),
                ("2", 2),
                ("", 4),
                ("19940823", 16),
                ("广东省深圳市福田区示例路2号", 70),
                ("810000199408230021", 36),
                ("深圳市公安局", 30),
                ("20220101", 16),
                ("20270101", 16),
                ("H12345678", 18),
                ("01", 4),
            ],
            Some('J'),
        );
        let card = decode(&b).unwrap();
        assert_eq!(card.kind, ChipCardKind::ResidencePermit);
        assert_eq!(card.ethnicity_code, None);
        assert_eq!(card.permit_number.as_deref(), Some("H12345678"));
        assert_eq!(card.issue_count.as_deref(), Some("01"));
        assert_eq!(card.number, "810000199408230021");
    }

    #[test]
    fn foreigners_2017_card_has_latin_name_and_nationality() {
        let b = block(
            &[
                ("SMITH JOHN", 120),
                ("1", 2),
                ("USA110085062101", 30),
                ("USA", 6),
                ("史密斯", 30),
                ("20170616", 16),
                ("20270616", 16),
                ("19850621", 16),
                ("01", 4),
                ("1100", 8),
            ],
            Some('I'),
        );
        let card = decode(&b).unwrap();
        assert_eq!(card.kind, ChipCardKind::ForeignPermanentResidence2017);
        assert_eq!(card.name_latin.as_deref(), Some("SMITH JOHN"));
        assert_eq!(card.name, "史密斯");
        assert_eq!(card.number, "USA110085062101");
        assert_eq!(card.nationality.as_deref(), Some("USA"));
        assert_eq!(card.birth_date, "19850621");
        assert_eq!(card.issuing_authority.as_deref(), Some("1100"));
    }

    #[test]
    fn foreigners_2023_card_joins_its_two_latin_name_parts() {
        let b = block(
            &[
                ("", 30),
                ("1", 2),
                ("00", 4),
                ("19850621", 16),
                ("SMITH JOHN ALEXANDER WILLIAMS", 70),
                ("911840198506210010", 36),
                ("", 30),
                ("20240101", 16),
                ("20340101", 16),
                ("", 22),
                ("USA", 6),
            ],
            Some('Y'),
        );
        let card = decode(&b).unwrap();
        assert_eq!(card.kind, ChipCardKind::ForeignPermanentResidence2023);
        assert_eq!(card.name, "");
        assert_eq!(
            card.name_latin.as_deref(),
            Some("SMITH JOHN ALEXANDER WILLIAMS")
        );
        assert_eq!(card.number, "911840198506210010");
        assert_eq!(card.nationality.as_deref(), Some("USA"));
        assert_eq!(card.valid_until, "20340101");
    }

    #[test]
    fn a_block_of_the_wrong_size_is_refused() {
        assert_eq!(decode(&[0; 255]), Err(TextError::Length(255)));
        assert_eq!(decode(&[]), Err(TextError::Length(0)));
    }

    proptest! {
        #[test]
        fn any_256_bytes_decode_without_panicking(bytes in proptest::collection::vec(any::<u8>(), TEXT_LEN)) {
            let card = decode(&bytes).unwrap();
            prop_assert_eq!(card.kind, kind_of(&bytes));
        }
    }
}
