//! Pinyin to characters: letters in, candidate pages out; choices remembered for the session.
//!
//! The pieces, all pure: [`input`] checks the letters, [`tokens`] reads them as syllables
//! every possible way, [`search`] finds the lexicon's words and joins them into sentences,
//! [`candidates`] ranks the list, [`memory`] keeps what this visitor chose. [`lexicon`] parses
//! the dictionary text; reading the file is the caller's business.

pub mod candidates;
pub mod input;
pub mod lexicon;
pub mod memory;
pub mod names;
pub mod search;
pub mod syllables;
pub mod tokens;

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use input::{InputError, MAX_INPUT_LEN, PinyinInput};
pub use lexicon::Lexicon;
pub use memory::SessionMemory;

/// The most candidates on one page.
pub const MAX_PAGE_SIZE: u32 = 20;

/// A candidate as the keyboard shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PinyinCandidate {
    /// The characters.
    pub text: String,
    /// How many characters of the (normalised) input it spells; the rest stays to be typed.
    pub consumed: u32,
    /// Its syllables, space-separated (`zhang san`; whole even when typed as `zs`).
    pub pinyin: String,
}

impl fmt::Debug for PinyinCandidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinyinCandidate(consumes {})", self.consumed)
    }
}

/// One page of candidates for what was typed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PinyinPage {
    /// The input in its one spelling (lowercase; apostrophes between separated syllables).
    /// `consumed` counts characters of this text.
    pub input: String,
    /// The input read as syllables, for the composing line (`["zhang", "san"]`).
    pub composition: Vec<String>,
    /// The candidates of this page, best first.
    pub candidates: Vec<PinyinCandidate>,
    /// This page's number, from 0.
    pub page: u32,
    /// Candidates per page.
    pub page_size: u32,
    /// Candidates on all pages.
    pub total: u32,
    /// Whether a next page exists.
    pub has_more: bool,
}

impl fmt::Debug for PinyinPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PinyinPage(page {} of {} candidates)",
            self.page, self.total
        )
    }
}

/// A candidate the visitor chose, and what is left to convert.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Chosen {
    /// The characters to write into the field.
    pub text: String,
    /// The letters still to convert (empty when the candidate spelled them all).
    pub rest: String,
}

impl fmt::Debug for Chosen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Chosen({} letters left)", self.rest.len())
    }
}

/// Why a page or a choice was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinyinError {
    /// The letters are not pinyin.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A page size of 0 or above [`MAX_PAGE_SIZE`].
    #[error("page size must be 1 to {MAX_PAGE_SIZE}")]
    PageSize,
    /// The chosen candidate is not one the engine offers for this input.
    #[error("candidate not offered for this input")]
    UnknownCandidate,
}

fn shown(lexicon: &Lexicon, candidate: &candidates::Candidate) -> PinyinCandidate {
    let syllables = lexicon.syllables();
    PinyinCandidate {
        text: candidate.text.clone(),
        consumed: u32::try_from(candidate.consumed).unwrap_or(u32::MAX),
        pinyin: candidate
            .syllables
            .iter()
            .map(|&id| syllables.name(id))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Page `page` (from 0) of the candidates for `typed`, `page_size` a page.
pub fn page(
    lexicon: &Lexicon,
    memory: &SessionMemory,
    typed: &str,
    page: u32,
    page_size: u32,
) -> Result<PinyinPage, PinyinError> {
    if page_size == 0 || page_size > MAX_PAGE_SIZE {
        return Err(PinyinError::PageSize);
    }
    let input = PinyinInput::parse(typed)?;
    let listed = candidates::candidates(lexicon, memory, &input);
    let composition = candidates::composition(lexicon, &input, listed.first());
    let size = page_size as usize;
    let start = (page as usize).saturating_mul(size);
    let on_page = listed
        .iter()
        .skip(start)
        .take(size)
        .map(|c| shown(lexicon, c))
        .collect();
    Ok(PinyinPage {
        input: input.as_str().to_owned(),
        composition,
        candidates: on_page,
        page,
        page_size,
        total: u32::try_from(listed.len()).unwrap_or(u32::MAX),
        has_more: start.saturating_add(size) < listed.len(),
    })
}

/// The visitor chose `text` spelling the first `consumed` characters of `typed`: remembers it
/// for this session and says what is left to convert.
pub fn choose(
    lexicon: &Lexicon,
    memory: &mut SessionMemory,
    typed: &str,
    text: &str,
    consumed: u32,
) -> Result<Chosen, PinyinError> {
    let input = PinyinInput::parse(typed)?;
    let listed = candidates::candidates(lexicon, memory, &input);
    let candidate = listed
        .iter()
        .find(|c| c.text == text && c.consumed as u64 == u64::from(consumed))
        .ok_or(PinyinError::UnknownCandidate)?;
    memory.learn(&candidate.syllables, &candidate.text);
    Ok(Chosen {
        text: candidate.text.clone(),
        rest: input.rest(candidate.consumed).as_str().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::lexicon::tests::SAMPLE;
    use super::*;

    #[test]
    fn pages_split_the_list_and_say_whether_more_follow() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let memory = SessionMemory::default();
        let first = page(&lexicon, &memory, "Beijingshi", 0, 2).unwrap();
        assert_eq!(first.input, "beijingshi");
        assert_eq!(first.composition, ["bei", "jing", "shi"]);
        assert_eq!(first.candidates.len(), 2);
        assert_eq!(first.candidates[0].text, "北京市");
        assert_eq!(first.candidates[0].pinyin, "bei jing shi");
        assert!(first.has_more);
        let last_page = (first.total - 1) / 2;
        let last = page(&lexicon, &memory, "beijingshi", last_page, 2).unwrap();
        assert!(!last.has_more);
        assert!(!last.candidates.is_empty());
        let beyond = page(&lexicon, &memory, "beijingshi", last_page + 1, 2).unwrap();
        assert!(beyond.candidates.is_empty() && !beyond.has_more);
        let huge = page(&lexicon, &memory, "beijingshi", u32::MAX, MAX_PAGE_SIZE).unwrap();
        assert!(huge.candidates.is_empty());
    }

    #[test]
    fn bad_requests_are_refused() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let mut memory = SessionMemory::default();
        assert_eq!(
            page(&lexicon, &memory, "zhang", 0, 0),
            Err(PinyinError::PageSize)
        );
        assert_eq!(
            page(&lexicon, &memory, "zhang", 0, MAX_PAGE_SIZE + 1),
            Err(PinyinError::PageSize)
        );
        assert_eq!(
            page(&lexicon, &memory, "张", 0, 5),
            Err(PinyinError::Input(InputError::NotPinyin))
        );
        assert_eq!(
            choose(&lexicon, &mut memory, "zhangsan", "王五", 8),
            Err(PinyinError::UnknownCandidate)
        );
        assert_eq!(
            choose(&lexicon, &mut memory, "zhangsan", "张三", 7),
            Err(PinyinError::UnknownCandidate),
            "the span must match too"
        );
        assert!(memory.is_empty());
    }

    #[test]
    fn choosing_the_first_syllables_keeps_the_rest_and_is_remembered() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let mut memory = SessionMemory::default();
        let chosen = choose(&lexicon, &mut memory, "beijingshichaoyangqu", "北京市", 10).unwrap();
        assert_eq!(chosen.text, "北京市");
        assert_eq!(chosen.rest, "chaoyangqu");
        assert_eq!(memory.len(), 1);
        let chosen = choose(&lexicon, &mut memory, "xi'an", "西", 2).unwrap();
        assert_eq!(chosen.rest, "an", "the apostrophe goes with the choice");
        let rest = page(&lexicon, &memory, &chosen.rest, 0, 5).unwrap();
        assert_eq!(rest.candidates[0].text, "安");
    }

    #[test]
    fn a_choice_ranks_first_next_time_until_forgotten() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let mut memory = SessionMemory::default();
        let before = page(&lexicon, &memory, "zhao", 0, 5).unwrap();
        assert_eq!(before.candidates[0].text, "找");
        choose(&lexicon, &mut memory, "zhao", "赵", 4).unwrap();
        let after = page(&lexicon, &memory, "zhao", 0, 5).unwrap();
        assert_eq!(after.candidates[0].text, "赵");
        memory.forget();
        let forgotten = page(&lexicon, &memory, "zhao", 0, 5).unwrap();
        assert_eq!(forgotten.candidates[0].text, "找");
    }
}
