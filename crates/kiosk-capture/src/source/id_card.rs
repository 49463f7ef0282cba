//! Second-generation resident ID-card readers, behind a trait, and a simulated reader with
//! made-up cards for development and tests.

use std::io::Cursor;

use serde::Serialize;
use ts_rs::TS;

use super::{SourceInfo, SourceKind};
use crate::error::CaptureError;

/// Weights of GB 11643 for the first 17 characters.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check characters indexed by the weighted sum modulo 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The GB 11643 check character of the first 17 digits, or `None` if `first17` is not 17
/// ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    CHECK_CHARS.get((sum % 11) as usize).map(|&b| char::from(b))
}

/// What the chip of a resident ID card holds.
#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IdCard {
    /// 姓名.
    pub name: String,
    /// 性别 as printed (男 / 女).
    pub sex: String,
    /// 民族 as printed (e.g. 汉).
    pub ethnicity: String,
    /// 出生 as `YYYY-MM-DD`.
    pub birth_date: String,
    /// 住址.
    pub address: String,
    /// 公民身份号码 (18 characters).
    pub id_number: String,
    /// 有效期限 start, `YYYY-MM-DD`.
    pub valid_from: String,
    /// 有效期限 end, `YYYY-MM-DD`; `None` for 长期 (long-term).
    pub valid_until: Option<String>,
    /// 签发机关.
    pub issuing_authority: String,
    /// The chip's portrait, decoded to an image file (PNG or JPEG). Not serialised: the UI
    /// fetches it separately when it needs it.
    #[serde(skip)]
    #[ts(skip)]
    pub photo: Vec<u8>,
}

impl std::fmt::Debug for IdCard {
    /// Never prints personal data: only the masked ID number.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let masked = match (self.id_number.get(..3), self.id_number.get(14..)) {
            (Some(head), Some(tail)) => format!("{head}***********{tail}"),
            _ => "***".to_owned(),
        };
        f.debug_struct("IdCard")
            .field("id_number", &masked)
            .finish_non_exhaustive()
    }
}

/// A resident ID-card reader.
pub trait IdCardReader {
    /// How the reader is listed.
    fn info(&self) -> SourceInfo;

    /// Reads the card on the reader. `Ok(None)` when no card is present.
    fn read_card(&mut self) -> Result<Option<IdCard>, CaptureError>;
}

/// A reader that hands out made-up cards in turn (with valid check characters), for
/// development without hardware.
#[derive(Debug, Clone)]
pub struct SimulatedReader {
    cards: Vec<IdCard>,
    next: usize,
}

impl SimulatedReader {
    /// A reader holding `cards`, returned in order, round and round.
    pub fn new(cards: Vec<IdCard>) -> Self {
        Self { cards, next: 0 }
    }

    /// A reader with three made-up cards.
    pub fn with_sample_cards() -> Self {
        let samples = [
            (
                "张测试",
                "男",
                "汉",
                "110101",
                "19900307",
                "123",
                "北京市东城区测试路1号",
                "北京市公安局东城分局",
                "2015-06-01",
                Some("2035-06-01"),
            ),
            (
                "李示例",
                "女",
                "回",
                "310104",
                "19851122",
                "046",
                "上海市徐汇区示例路88弄2号",
                "上海市公安局徐汇分局",
                "2008-03-15",
                None,
            ),
            (
                "王样本",
                "男",
                "蒙古",
                "440305",
                "20000229",
                "017",
                "广东省深圳市南山区样本街道9号",
                "深圳市公安局南山分局",
                "2018-09-09",
                Some("2028-09-09"),
            ),
        ];
        let cards = samples
            .iter()
            .map(
                |&(name, sex, ethnicity, region, birth, seq, address, authority, from, until)| {
                    let first17 = format!("{region}{birth}{seq}");
                    let check = check_char(&first17).unwrap_or('X');
                    IdCard {
                        name: name.to_owned(),
                        sex: sex.to_owned(),
                        ethnicity: ethnicity.to_owned(),
                        birth_date: format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..]),
                        address: address.to_owned(),
                        id_number: format!("{first17}{check}"),
                        valid_from: from.to_owned(),
                        valid_until: until.map(str::to_owned),
                        issuing_authority: authority.to_owned(),
                        photo: portrait_png(seq.len() as u8 * 40),
                    }
                },
            )
            .collect();
        Self::new(cards)
    }
}

/// A 102×126 placeholder portrait (the chip's photo size): a head and shoulders on blue.
fn portrait_png(tint: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(102, 126, |x, y| {
        let (dx, dy) = (f64::from(x) - 51.0, f64::from(y) - 50.0);
        let head = dx * dx / 400.0 + dy * dy / 625.0 <= 1.0;
        let shoulders = y > 90 && (f64::from(x) - 51.0).abs() < 45.0 - f64::from(126 - y) * 0.3;
        if head || shoulders {
            image::Rgb([200, 170u8.saturating_sub(tint / 4), 150])
        } else {
            image::Rgb([70, 130, 200])
        }
    });
    let mut out = Cursor::new(Vec::new());
    match image.write_to(&mut out, image::ImageFormat::Png) {
        Ok(()) => out.into_inner(),
        Err(_) => Vec::new(),
    }
}

impl IdCardReader for SimulatedReader {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            id: "simulated-id-reader".to_owned(),
            kind: SourceKind::IdCardReader,
            label: "模拟身份证阅读器 / simulated ID-card reader".to_owned(),
        }
    }

    fn read_card(&mut self) -> Result<Option<IdCard>, CaptureError> {
        if self.cards.is_empty() {
            return Ok(None);
        }
        let card = self.cards[self.next % self.cards.len()].clone();
        self.next = (self.next + 1) % self.cards.len();
        Ok(Some(card))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn check_char_matches_the_standard_example() {
        // The example number from GB 11643-1999.
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert_eq!(check_char("44052418800101001"), Some('4'));
        assert_eq!(check_char("1101051949123100"), None, "16 digits");
        assert_eq!(check_char("1101051949123100A"), None, "not a digit");
    }

    #[test]
    fn simulated_cards_have_valid_ids_and_a_decodable_photo() {
        let mut reader = SimulatedReader::with_sample_cards();
        for _ in 0..3 {
            let card = reader.read_card().unwrap().expect("card present");
            let (first17, last) = card.id_number.split_at(17);
            assert_eq!(
                check_char(first17).map(String::from).as_deref(),
                Some(last),
                "{card:?}"
            );
            assert_eq!(
                &first17[6..14],
                card.birth_date.replace('-', ""),
                "birth date embedded"
            );
            let photo = image::load_from_memory(&card.photo).expect("photo decodes");
            assert_eq!((photo.width(), photo.height()), (102, 126));
        }
    }

    #[test]
    fn debug_output_masks_personal_data() {
        let card = SimulatedReader::with_sample_cards()
            .read_card()
            .unwrap()
            .unwrap();
        let text = format!("{card:?}");
        assert!(!text.contains(&card.name), "name hidden: {text}");
        assert!(!text.contains(&card.id_number), "id hidden: {text}");
        assert!(text.contains("110***********"), "masked id shown: {text}");
    }

    #[test]
    fn empty_reader_reports_no_card() {
        assert!(
            SimulatedReader::new(Vec::new())
                .read_card()
                .unwrap()
                .is_none()
        );
    }
}
