//! Every way the typed letters can be read as syllables: at each position, the whole
//! syllables, the initials typed alone, and (at the end) the syllable still being typed.
//! `xian` holds `xian`, `xi`+`an`, `xia`+`n`...; the ranking decides between them.

use super::input::PinyinInput;
use super::syllables::{MAX_SYLLABLE_LEN, SyllableId, Syllables, is_initial};

/// How letters stand for a syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The whole syllable was typed.
    Whole(SyllableId),
    /// A consonant initial typed alone: any syllable it starts (`s` for `san`, `shi`).
    Initial,
    /// The start of the last syllable, still being typed (`zhangsa` for `zhang san`).
    Unfinished,
}

/// Letters `start..end` of the input read one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First letter.
    pub start: usize,
    /// One past the last letter.
    pub end: usize,
    /// How the letters stand for a syllable.
    pub reading: Reading,
}

impl Token {
    /// Whether syllable `id` is a reading of these letters of `text`.
    pub fn matches(&self, syllables: &Syllables, text: &str, id: SyllableId) -> bool {
        match self.reading {
            Reading::Whole(whole) => whole == id,
            Reading::Initial => syllables.starts_with(id, &text[self.start..self.end]),
            Reading::Unfinished => {
                let typed = &text[self.start..self.end];
                syllables.starts_with(id, typed) && syllables.name(id) != typed
            }
        }
    }

    /// Whether the letters are less than a whole syllable.
    pub fn is_partial(&self) -> bool {
        !matches!(self.reading, Reading::Whole(_))
    }
}

/// The tokens of an input by start position, and where the next syllable may start.
#[derive(Debug)]
pub struct Lattice {
    text: String,
    by_start: Vec<Vec<Token>>,
}

impl Lattice {
    /// Reads `input` against `syllables`.
    pub fn new(syllables: &Syllables, input: &PinyinInput) -> Self {
        let text = input.as_str();
        let len = text.len();
        let mut by_start = vec![Vec::new(); len + 1];
        for (start, tokens) in by_start.iter_mut().enumerate().take(len) {
            if text.as_bytes()[start] == b'\'' {
                continue;
            }
            let max_end = text[start..]
                .find('\'')
                .map_or(len, |offset| start + offset);
            for end in (start + 1..=max_end.min(start + MAX_SYLLABLE_LEN)).rev() {
                let typed = &text[start..end];
                if let Some(id) = syllables.id(typed) {
                    tokens.push(Token {
                        start,
                        end,
                        reading: Reading::Whole(id),
                    });
                }
                if is_initial(typed) {
                    tokens.push(Token {
                        start,
                        end,
                        reading: Reading::Initial,
                    });
                } else if end == len && syllables.is_proper_prefix(typed) {
                    tokens.push(Token {
                        start,
                        end,
                        reading: Reading::Unfinished,
                    });
                }
            }
        }
        Self {
            text: text.to_owned(),
            by_start,
        }
    }

    /// The normalised input.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Its length.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The tokens starting at `position`, longest first.
    pub fn at(&self, position: usize) -> &[Token] {
        self.by_start.get(position).map_or(&[], Vec::as_slice)
    }

    /// Where the syllable after one ending at `end` starts (past an apostrophe).
    pub fn next_start(&self, end: usize) -> usize {
        if self.text.as_bytes().get(end) == Some(&b'\'') {
            end + 1
        } else {
            end
        }
    }

    /// The whole syllables from the left, longest first, as far as they go (`xian` reads
    /// `xian`, `beijingshi` reads `bei jing shi`): the positions where they end.
    pub fn greedy_ends(&self) -> Vec<usize> {
        let mut ends = Vec::new();
        let mut position = 0;
        while position < self.len() {
            let whole = self
                .at(position)
                .iter()
                .find(|token| matches!(token.reading, Reading::Whole(_)));
            let Some(token) = whole else { break };
            ends.push(token.end);
            position = self.next_start(token.end);
        }
        ends
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syllables() -> Syllables {
        let mut table = Syllables::default();
        for name in [
            "xi", "xian", "xia", "an", "n", "zhang", "san", "sa", "sang", "shi", "bei", "jing",
        ] {
            table.intern(name).unwrap();
        }
        table
    }

    fn lattice(typed: &str) -> Lattice {
        Lattice::new(&syllables(), &PinyinInput::parse(typed).unwrap())
    }

    fn spelled(lattice: &Lattice, position: usize) -> Vec<String> {
        lattice
            .at(position)
            .iter()
            .map(|t| {
                let kind = match t.reading {
                    Reading::Whole(_) => "",
                    Reading::Initial => "~",
                    Reading::Unfinished => "…",
                };
                format!("{}{kind}", &lattice.text()[t.start..t.end])
            })
            .collect()
    }

    #[test]
    fn every_reading_of_xian_is_kept() {
        let l = lattice("xian");
        assert_eq!(spelled(&l, 0), ["xian", "xia", "xi", "x~"]);
        assert_eq!(spelled(&l, 2), ["an"]);
        assert_eq!(spelled(&l, 3), ["n", "n~"]);
    }

    #[test]
    fn an_apostrophe_ends_a_syllable() {
        let l = lattice("xi'an");
        assert_eq!(spelled(&l, 0), ["xi", "x~"]);
        assert!(l.at(2).is_empty());
        assert_eq!(l.next_start(2), 3);
        assert_eq!(spelled(&l, 3), ["an"]);
    }

    #[test]
    fn the_last_syllable_may_be_unfinished() {
        let l = lattice("zhangsa");
        assert_eq!(spelled(&l, 5), ["sa", "sa…", "s~"]);
        let sang = syllables().id("sang").unwrap();
        let sa = syllables().id("sa").unwrap();
        let unfinished = l.at(5)[1];
        assert!(unfinished.matches(&syllables(), l.text(), sang));
        assert!(!unfinished.matches(&syllables(), l.text(), sa));
        assert!(unfinished.is_partial());
    }

    #[test]
    fn greedy_reading_takes_the_longest_syllables() {
        assert_eq!(lattice("beijingshi").greedy_ends(), [3, 7, 10]);
        assert_eq!(lattice("xian").greedy_ends(), [4]);
        assert_eq!(lattice("xi'an").greedy_ends(), [2, 5]);
        assert_eq!(lattice("qq").greedy_ends(), Vec::<usize>::new());
    }
}
