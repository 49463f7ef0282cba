//! Finding the words the typed letters can spell, and the best ways to spell all of them with
//! several words (`zhangsanlisi` → 张三 + 李四). Pure: the lexicon, the session's choices and
//! the letters in, scored word matches out.

use std::collections::HashMap;

use super::lexicon::{Lexicon, MAX_WORD_SYLLABLES, NodeId, ROOT};
use super::memory::SessionMemory;
use super::syllables::SyllableId;
use super::tokens::{Lattice, Reading, Token};

/// Scores are natural-log probabilities; these are subtracted from them.
mod penalty {
    /// A consonant typed alone for one syllable of a longer word (`bjs`).
    pub const ABBREVIATED: f64 = 2.0;
    /// A single character found from its initial alone (`s` → 是): rarely meant.
    pub const LONE_INITIAL: f64 = 7.0;
    /// The last syllable still being typed (`zhangsa` → 张三).
    pub const UNFINISHED: f64 = 1.0;
    /// Each word after the first when the input is spelled with several words.
    pub const WORD_BREAK: f64 = 1.5;
}

/// How likely a remembered choice of this session is taken to be (a common word is about -6).
const REMEMBERED_LOG_PROBABILITY: f64 = -1.0;
/// Words kept per span for the candidate list (the spans that start at the first letter).
const LISTED_PER_SPAN: usize = 64;
/// Words kept per span for joining words into sentences.
const JOINED_PER_SPAN: usize = 6;
/// Words read from one trie node reached with a syllable spelled in part.
const WORDS_PER_PARTIAL_NODE: usize = 3;
/// Sentences (spellings of the whole input with several words) kept and offered.
pub const SENTENCES: usize = 6;
/// Trie nodes visited at most for one input: bounded work for any letters.
const MAX_VISITS: usize = 60_000;

/// Where a matched word comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Word `n` of the lexicon.
    Lexicon(u32),
    /// A choice of this session, with its recency.
    Remembered(u64),
}

/// A word that spells letters `start..end`.
#[derive(Debug, Clone)]
pub struct WordMatch<'a> {
    /// First letter.
    pub start: usize,
    /// One past the last letter.
    pub end: usize,
    /// The word.
    pub text: &'a str,
    /// Its syllables.
    pub syllables: Vec<SyllableId>,
    /// Where each typed syllable ends (the reading of the letters).
    pub cuts: Vec<usize>,
    /// Log probability minus penalties.
    pub score: f64,
    /// Lexicon or remembered.
    pub source: Source,
    /// Whether a syllable was typed in part (initial alone, or unfinished).
    pub partial: bool,
}

impl WordMatch<'_> {
    /// The recency when remembered.
    pub fn recency(&self) -> Option<u64> {
        match self.source {
            Source::Remembered(recency) => Some(recency),
            Source::Lexicon(_) => None,
        }
    }
}

/// Letters `0..end` spelled as a sequence of words.
#[derive(Debug, Clone)]
pub struct Sentence<'a> {
    /// Sum of the word scores minus the word-break penalties.
    pub score: f64,
    /// The words in order.
    pub words: Vec<WordMatch<'a>>,
}

impl Sentence<'_> {
    /// The characters of the sentence.
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.text).collect()
    }
}

/// Every scored word match of an input, by span.
#[derive(Debug, Default)]
pub struct Matches<'a> {
    by_span: HashMap<(usize, usize), Vec<WordMatch<'a>>>,
    visits: usize,
}

fn better(a: &WordMatch<'_>, b: &WordMatch<'_>) -> std::cmp::Ordering {
    // Remembered first (most recent first), then by score.
    b.recency()
        .cmp(&a.recency())
        .then_with(|| b.score.total_cmp(&a.score))
}

impl<'a> Matches<'a> {
    /// The words of `lexicon` and the choices in `memory` that the letters of `lattice` spell.
    pub fn find(lexicon: &'a Lexicon, memory: &'a SessionMemory, lattice: &Lattice) -> Self {
        let mut matches = Self::default();
        for start in 0..lattice.len() {
            if lattice.at(start).is_empty() {
                continue;
            }
            let mut walk = Walk {
                lexicon,
                lattice,
                start,
                syllables: Vec::with_capacity(MAX_WORD_SYLLABLES),
                cuts: Vec::with_capacity(MAX_WORD_SYLLABLES),
                tokens: Vec::with_capacity(MAX_WORD_SYLLABLES),
            };
            walk.step(&mut matches, start, ROOT);
            for entry in memory.entries() {
                let mut cuts = Vec::with_capacity(entry.syllables.len());
                let mut tokens = Vec::with_capacity(entry.syllables.len());
                remembered_from(
                    &mut matches,
                    lattice,
                    lexicon,
                    start,
                    start,
                    entry,
                    &mut cuts,
                    &mut tokens,
                );
            }
        }
        for (&(start, _), words) in &mut matches.by_span {
            words.sort_by(better);
            words.truncate(if start == 0 {
                LISTED_PER_SPAN
            } else {
                JOINED_PER_SPAN
            });
        }
        matches
    }

    fn add(&mut self, word: WordMatch<'a>) {
        let limit = if word.start == 0 {
            LISTED_PER_SPAN
        } else {
            JOINED_PER_SPAN
        };
        let words = self.by_span.entry((word.start, word.end)).or_default();
        if let Some(same) = words.iter_mut().find(|w| w.text == word.text) {
            if better(&word, same).is_lt() {
                *same = word;
            }
            return;
        }
        words.push(word);
        if words.len() >= 4 * limit {
            words.sort_by(better);
            words.truncate(limit);
        }
    }

    /// The words spelling exactly letters `start..end`, best first.
    pub fn span(&self, start: usize, end: usize) -> &[WordMatch<'a>] {
        self.by_span.get(&(start, end)).map_or(&[], Vec::as_slice)
    }

    /// The spans starting at `start`, by their end.
    pub fn ends_from(&self, start: usize) -> Vec<usize> {
        let mut ends: Vec<usize> = self
            .by_span
            .keys()
            .filter(|(s, _)| *s == start)
            .map(|&(_, e)| e)
            .collect();
        ends.sort_unstable();
        ends
    }

    /// Whether the walk stopped early at its visit budget.
    pub fn truncated(&self) -> bool {
        self.visits >= MAX_VISITS
    }
}

/// The penalty of a word read with `tokens`.
fn penalty_of(tokens: &[Token]) -> f64 {
    if let [only] = tokens
        && only.reading == Reading::Initial
    {
        return penalty::LONE_INITIAL;
    }
    tokens
        .iter()
        .map(|t| match t.reading {
            Reading::Whole(_) => 0.0,
            Reading::Initial => penalty::ABBREVIATED,
            Reading::Unfinished => penalty::UNFINISHED,
        })
        .sum()
}

/// Walks the trie along the lattice from one start position.
struct Walk<'l, 'x> {
    lexicon: &'l Lexicon,
    lattice: &'x Lattice,
    start: usize,
    syllables: Vec<SyllableId>,
    cuts: Vec<usize>,
    tokens: Vec<Token>,
}

impl<'l> Walk<'l, '_> {
    fn step(&mut self, matches: &mut Matches<'l>, position: usize, node: NodeId) {
        for token in self.lattice.at(position) {
            let here = self.lexicon.node(node);
            match token.reading {
                Reading::Whole(id) => {
                    if let Some(child) = here.child(id) {
                        self.visit(matches, *token, id, child);
                    }
                }
                Reading::Initial | Reading::Unfinished => {
                    for &(id, child) in here.children() {
                        if token.matches(self.lexicon.syllables(), self.lattice.text(), id) {
                            self.visit(matches, *token, id, child);
                        }
                    }
                }
            }
        }
    }

    fn visit(&mut self, matches: &mut Matches<'l>, token: Token, id: SyllableId, node: NodeId) {
        if matches.visits >= MAX_VISITS {
            return;
        }
        matches.visits += 1;
        self.syllables.push(id);
        self.cuts.push(token.end);
        self.tokens.push(token);
        let partial = self.tokens.iter().any(Token::is_partial);
        let penalty = penalty_of(&self.tokens);
        let words = self.lexicon.node(node).words();
        let take = if partial {
            WORDS_PER_PARTIAL_NODE
        } else if self.start == 0 {
            LISTED_PER_SPAN
        } else {
            JOINED_PER_SPAN
        };
        for &index in words.iter().take(take) {
            if let Some(word) = self.lexicon.word(index) {
                matches.add(WordMatch {
                    start: self.start,
                    end: token.end,
                    text: &word.text,
                    syllables: self.syllables.clone(),
                    cuts: self.cuts.clone(),
                    score: self.lexicon.log_probability(index) - penalty,
                    source: Source::Lexicon(index),
                    partial,
                });
            }
        }
        if self.syllables.len() < MAX_WORD_SYLLABLES && token.end < self.lattice.len() {
            let next = self.lattice.next_start(token.end);
            self.step(matches, next, node);
        }
        self.syllables.pop();
        self.cuts.pop();
        self.tokens.pop();
    }
}

/// Adds the remembered `entry` wherever its syllables spell the letters from `start`.
#[allow(clippy::too_many_arguments)]
fn remembered_from<'a>(
    matches: &mut Matches<'a>,
    lattice: &Lattice,
    lexicon: &Lexicon,
    start: usize,
    position: usize,
    entry: &'a super::memory::Remembered,
    cuts: &mut Vec<usize>,
    tokens: &mut Vec<Token>,
) {
    let Some(&wanted) = entry.syllables.get(cuts.len()) else {
        return;
    };
    for token in lattice.at(position) {
        if !token.matches(lexicon.syllables(), lattice.text(), wanted) {
            continue;
        }
        cuts.push(token.end);
        tokens.push(*token);
        if cuts.len() == entry.syllables.len() {
            matches.add(WordMatch {
                start,
                end: token.end,
                text: &entry.text,
                syllables: entry.syllables.clone(),
                cuts: cuts.clone(),
                score: REMEMBERED_LOG_PROBABILITY - penalty_of(tokens),
                source: Source::Remembered(entry.recency),
                partial: tokens.iter().any(Token::is_partial),
            });
        } else if token.end < lattice.len() {
            let next = lattice.next_start(token.end);
            remembered_from(matches, lattice, lexicon, start, next, entry, cuts, tokens);
        }
        cuts.pop();
        tokens.pop();
    }
}

/// The best ways to spell the whole input as a sequence of words (k-best over positions).
pub fn sentences<'a>(lattice: &Lattice, matches: &Matches<'a>) -> Vec<Sentence<'a>> {
    let len = lattice.len();
    let mut best: Vec<Vec<Sentence<'a>>> = vec![Vec::new(); len + 1];
    best[0].push(Sentence {
        score: 0.0,
        words: Vec::new(),
    });
    for position in 0..len {
        if best[position].is_empty() {
            continue;
        }
        let here = std::mem::take(&mut best[position]);
        for end in matches.ends_from(position) {
            let next = if end == len {
                len
            } else {
                lattice.next_start(end)
            };
            for word in matches.span(position, end).iter().take(JOINED_PER_SPAN) {
                for partial_sentence in &here {
                    let mut score = partial_sentence.score + word.score;
                    if !partial_sentence.words.is_empty() {
                        score -= penalty::WORD_BREAK;
                    }
                    let mut words = partial_sentence.words.clone();
                    words.push(word.clone());
                    keep_best(&mut best[next], Sentence { score, words });
                }
            }
        }
        best[position] = here;
    }
    best.pop().unwrap_or_default()
}

/// Adds `sentence` to `kept` (at most [`SENTENCES`], one per text, best first).
fn keep_best<'a>(kept: &mut Vec<Sentence<'a>>, sentence: Sentence<'a>) {
    let text = sentence.text();
    if let Some(at) = kept.iter().position(|r| r.text() == text) {
        if kept[at].score >= sentence.score {
            return;
        }
        kept.remove(at);
    }
    if kept.len() >= SENTENCES
        && kept
            .last()
            .is_some_and(|worst| worst.score >= sentence.score)
    {
        return;
    }
    let at = kept
        .iter()
        .position(|r| r.score < sentence.score)
        .unwrap_or(kept.len());
    kept.insert(at, sentence);
    kept.truncate(SENTENCES);
}

#[cfg(test)]
mod tests {
    use super::super::input::PinyinInput;
    use super::super::lexicon::tests::SAMPLE;
    use super::*;

    fn setup(typed: &str) -> (Lexicon, Lattice) {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let lattice = Lattice::new(lexicon.syllables(), &PinyinInput::parse(typed).unwrap());
        (lexicon, lattice)
    }

    fn texts(words: &[WordMatch<'_>]) -> Vec<String> {
        words.iter().map(|w| w.text.to_owned()).collect()
    }

    #[test]
    fn whole_syllables_find_words_most_used_first() {
        let (lexicon, lattice) = setup("beijing");
        let memory = SessionMemory::default();
        let matches = Matches::find(&lexicon, &memory, &lattice);
        assert_eq!(texts(matches.span(0, 7)), ["北京", "背景"]);
        assert_eq!(texts(matches.span(0, 3)), ["被", "北"]);
        assert_eq!(matches.span(0, 7)[0].cuts, [3, 7]);
    }

    #[test]
    fn initials_alone_and_an_unfinished_syllable_find_words_at_a_cost() {
        let (lexicon, lattice) = setup("bjs");
        let memory = SessionMemory::default();
        let matches = Matches::find(&lexicon, &memory, &lattice);
        let bjs = matches.span(0, 3);
        assert_eq!(bjs[0].text, "北京市");
        assert!(bjs[0].partial);
        let (lexicon, lattice) = setup("zhangsa");
        let matches = Matches::find(&lexicon, &memory, &lattice);
        let whole = matches.span(0, 7);
        assert!(
            texts(whole).contains(&"张三".to_owned()),
            "{:?}",
            texts(whole)
        );
    }

    #[test]
    fn the_best_sentence_joins_words() {
        let (lexicon, lattice) = setup("zhangsanlisi");
        let memory = SessionMemory::default();
        let matches = Matches::find(&lexicon, &memory, &lattice);
        let sentences = sentences(&lattice, &matches);
        assert_eq!(
            sentences[0].text(),
            "张三里斯",
            "里斯 is used more than 李四"
        );
        assert!(sentences.iter().any(|s| s.text() == "张三李四"));
        assert!(sentences.len() <= SENTENCES);
        let mut texts: Vec<_> = sentences.iter().map(Sentence::text).collect();
        texts.dedup();
        assert_eq!(texts.len(), sentences.len(), "one sentence per text");
    }

    #[test]
    fn a_remembered_choice_comes_first_for_its_syllables() {
        let (lexicon, lattice) = setup("zhaolei");
        let s = lexicon.syllables();
        let mut memory = SessionMemory::default();
        memory.learn(&[s.id("zhao").unwrap(), s.id("lei").unwrap()], "赵磊");
        let matches = Matches::find(&lexicon, &memory, &lattice);
        assert_eq!(matches.span(0, 7)[0].text, "赵磊");
        let sentences = sentences(&lattice, &matches);
        assert_eq!(sentences[0].text(), "赵磊");
        let (_, abbreviated) = setup("zl");
        let matches = Matches::find(&lexicon, &memory, &abbreviated);
        assert_eq!(matches.span(0, 2)[0].text, "赵磊", "also for its initials");
    }

    #[test]
    fn letters_no_syllable_starts_with_find_nothing() {
        let (lexicon, lattice) = setup("vvv");
        let memory = SessionMemory::default();
        let matches = Matches::find(&lexicon, &memory, &lattice);
        assert!(matches.ends_from(0).is_empty());
        assert!(sentences(&lattice, &matches).is_empty());
    }
}
