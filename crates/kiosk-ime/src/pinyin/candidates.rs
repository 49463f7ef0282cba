//! The candidate list a visitor pages through: first what spells all the letters (words and
//! sentences), then words for the first syllables only (choosing one keeps the rest to type).

use std::collections::HashSet;
use std::fmt;

use super::input::PinyinInput;
use super::lexicon::Lexicon;
use super::memory::SessionMemory;
use super::search::{Matches, Sentence, WordMatch, sentences};
use super::syllables::SyllableId;
use super::tokens::{Lattice, Reading};

/// The most candidates listed for one input.
pub const MAX_CANDIDATES: usize = 120;
/// Sentences besides the best one listed before the words for the first syllables...
const CLOSE_SENTENCES: usize = 3;
/// ...when they are this close to the best (natural log: about 20 times less likely). Further
/// ones (北京是朝阳区 for 北京市朝阳区) come after those words (北京市, 北京).
const CLOSE_SCORE: f64 = 3.0;

/// One candidate: characters for the first `consumed` letters of the input.
#[derive(Clone, PartialEq)]
pub struct Candidate {
    /// The characters.
    pub text: String,
    /// How many letters of the normalised input it spells (apostrophes included).
    pub consumed: usize,
    /// Its syllables, for remembering the choice.
    pub syllables: Vec<SyllableId>,
    /// How the letters were read: where each typed syllable ends.
    pub cuts: Vec<usize>,
    /// Whether this session chose it before.
    pub remembered: bool,
    /// Score (log probability minus penalties; remembered choices rank first regardless).
    pub score: f64,
}

// Candidates spell what a visitor types (names): Debug shows their shape only.
impl fmt::Debug for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Candidate({} chars for {} letters)",
            self.text.chars().count(),
            self.consumed
        )
    }
}

impl Candidate {
    fn of_word(word: &WordMatch<'_>) -> Self {
        Self {
            text: word.text.to_owned(),
            consumed: word.end,
            syllables: word.syllables.clone(),
            cuts: word.cuts.clone(),
            remembered: word.recency().is_some(),
            score: word.score,
        }
    }

    fn of_sentence(sentence: &Sentence<'_>) -> Self {
        Self {
            text: sentence.text(),
            consumed: sentence.words.last().map_or(0, |w| w.end),
            syllables: sentence
                .words
                .iter()
                .flat_map(|w| w.syllables.iter().copied())
                .collect(),
            cuts: sentence
                .words
                .iter()
                .flat_map(|w| w.cuts.iter().copied())
                .collect(),
            remembered: false,
            score: sentence.score,
        }
    }
}

/// Every candidate for `input`, best first (at most [`MAX_CANDIDATES`]).
pub fn candidates(
    lexicon: &Lexicon,
    memory: &SessionMemory,
    input: &PinyinInput,
) -> Vec<Candidate> {
    if input.is_empty() {
        return Vec::new();
    }
    let lattice = Lattice::new(lexicon.syllables(), input);
    let matches = Matches::find(lexicon, memory, &lattice);
    let sentences = sentences(&lattice, &matches);
    let len = lattice.len();

    // All the letters first: this session's choices; words typed in whole syllables; the best
    // sentence; names; a few other sentences nearly as likely. When none of these exists,
    // what reads a syllable from its initial or unfinished (`bjs`, `zhangs`) comes first.
    let mut remembered = Vec::new();
    let mut words = Vec::new();
    let mut guessed = Vec::new();
    for word in matches.span(0, len) {
        let candidate = Candidate::of_word(word);
        if candidate.remembered {
            remembered.push(candidate);
        } else if word.partial {
            guessed.push(candidate);
        } else {
            words.push(candidate);
        }
    }
    let mut joined = Vec::new();
    for sentence in sentences.iter().filter(|s| s.words.len() > 1) {
        if sentence.words.iter().any(|w| w.partial) {
            guessed.push(Candidate::of_sentence(sentence));
        } else {
            joined.push(Candidate::of_sentence(sentence));
        }
    }
    // A name is likely when no word spells the syllables and the best sentence is single
    // characters only (科技 + 厅 is no name).
    let single_characters = sentences
        .iter()
        .find(|s| s.words.len() > 1 && !s.words.iter().any(|w| w.partial))
        .is_some_and(|s| s.words.iter().all(|w| w.syllables.len() == 1));
    let names = if words.is_empty() && single_characters {
        names(lexicon, &lattice)
    } else {
        Vec::new()
    };
    remembered.sort_by(|a, b| b.score.total_cmp(&a.score));
    guessed.sort_by(|a, b| b.score.total_cmp(&a.score));
    let best_sentence = joined.first().map(|c| c.score);
    let close = joined
        .iter()
        .skip(1)
        .take(CLOSE_SENTENCES)
        .take_while(|c| best_sentence.is_some_and(|best| best - c.score <= CLOSE_SCORE))
        .count();
    let later: Vec<Candidate> = joined.split_off((1 + close).min(joined.len()));
    let mut first: Vec<Candidate> = remembered.into_iter().chain(words).collect();
    let mut joined = joined.into_iter();
    first.extend(joined.next());
    first.extend(names);
    first.extend(joined);
    let guessed_first = first.is_empty();
    if guessed_first {
        first.append(&mut guessed);
    }

    // The first syllables only: where the best sentences break between words (any word
    // there), and where whole syllables read greedily end (words of whole syllables only).
    let sentence_breaks: HashSet<usize> = sentences
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.end))
        .filter(|&end| end < len)
        .collect();
    let greedy: HashSet<usize> = lattice
        .greedy_ends()
        .into_iter()
        .filter(|&end| end < len)
        .collect();
    let mut ends: Vec<usize> = sentence_breaks.union(&greedy).copied().collect();
    ends.sort_unstable_by(|a, b| b.cmp(a));

    let mut listed = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |candidate: Candidate, listed: &mut Vec<Candidate>| {
        if listed.len() < MAX_CANDIDATES
            && seen.insert((candidate.text.clone(), candidate.consumed))
        {
            listed.push(candidate);
        }
    };
    for candidate in first {
        push(candidate, &mut listed);
    }
    // Then the first syllables only (longest first), then the rest of all the letters.
    for end in ends {
        let any_word = sentence_breaks.contains(&end);
        for word in matches.span(0, end) {
            if any_word || !word.partial {
                push(Candidate::of_word(word), &mut listed);
            }
        }
    }
    for candidate in later.into_iter().chain(guessed) {
        push(candidate, &mut listed);
    }
    listed
}

/// Names offered when two or three whole syllables spell all the letters.
const NAMES_OFFERED: usize = 3;

/// Surname-and-given-name candidates for every reading of all the letters as two or three
/// whole syllables.
fn names(lexicon: &Lexicon, lattice: &Lattice) -> Vec<Candidate> {
    let mut found = Vec::new();
    let mut paths = Vec::new();
    whole_paths(lattice, 0, &mut Vec::new(), &mut paths);
    for path in paths {
        let syllables: Vec<SyllableId> = path.iter().map(|&(id, _)| id).collect();
        let cuts: Vec<usize> = path.iter().map(|&(_, end)| end).collect();
        for text in lexicon.names().names(&syllables, NAMES_OFFERED) {
            found.push(Candidate {
                text,
                consumed: lattice.len(),
                syllables: syllables.clone(),
                cuts: cuts.clone(),
                remembered: false,
                score: f64::NEG_INFINITY,
            });
        }
    }
    found.truncate(NAMES_OFFERED);
    found
}

/// Every reading of the letters from `position` to the end as at most three whole syllables.
fn whole_paths(
    lattice: &Lattice,
    position: usize,
    path: &mut Vec<(SyllableId, usize)>,
    paths: &mut Vec<Vec<(SyllableId, usize)>>,
) {
    if position >= lattice.len() {
        if path.len() >= 2 {
            paths.push(path.clone());
        }
        return;
    }
    if path.len() == 3 {
        return;
    }
    for token in lattice.at(position) {
        if let Reading::Whole(id) = token.reading {
            path.push((id, token.end));
            whole_paths(lattice, lattice.next_start(token.end), path, paths);
            path.pop();
        }
    }
}

/// How the letters of `input` read as syllables for the composing line, following the best
/// candidate (`zhang san`; what it does not spell is read greedily, then left as typed).
pub fn composition(
    lexicon: &Lexicon,
    input: &PinyinInput,
    best: Option<&Candidate>,
) -> Vec<String> {
    let text = input.as_str();
    let mut parts = Vec::new();
    let mut position = 0;
    if let Some(best) = best {
        for &cut in &best.cuts {
            parts.push(text[position..cut].to_owned());
            position = next_start(text, cut);
        }
    }
    let rest = input.rest(position);
    let lattice = Lattice::new(lexicon.syllables(), &rest);
    let mut from = 0;
    for end in lattice.greedy_ends() {
        parts.push(rest.as_str()[from..end].to_owned());
        from = lattice.next_start(end);
    }
    if from < rest.len() {
        parts.push(rest.as_str()[from..].to_owned());
    }
    parts
}

fn next_start(text: &str, end: usize) -> usize {
    if text.as_bytes().get(end) == Some(&b'\'') {
        end + 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::tests::SAMPLE;
    use super::*;

    fn list(typed: &str, memory: &SessionMemory) -> Vec<(String, usize)> {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        candidates(&lexicon, memory, &PinyinInput::parse(typed).unwrap())
            .into_iter()
            .map(|c| (c.text, c.consumed))
            .collect()
    }

    fn texts(typed: &str) -> Vec<String> {
        list(typed, &SessionMemory::default())
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn whole_input_comes_first_then_the_first_syllables() {
        let listed = list("beijingshi", &SessionMemory::default());
        assert_eq!(listed[0], ("北京市".to_owned(), 10));
        let pos = |t: &str| listed.iter().position(|(x, _)| x == t).unwrap();
        assert!(pos("北京") < pos("被"), "{listed:?}");
        assert!(listed.contains(&("北京".to_owned(), 7)));
        assert!(listed.contains(&("被".to_owned(), 3)));
    }

    #[test]
    fn apostrophe_splits_syllables() {
        assert_eq!(texts("xi'an")[0], "西安");
        assert_eq!(texts("xian")[0], "现", "one syllable reads first");
        assert!(texts("xian").contains(&"西安".to_owned()));
    }

    #[test]
    fn sentences_spell_what_no_word_does() {
        assert_eq!(texts("zhangsanbeijing")[0], "张三北京");
        let listed = list("beijingshichaoyangqu", &SessionMemory::default());
        assert_eq!(listed[0].0, "北京市朝阳区");
        let partial = listed.iter().position(|c| *c == ("北京市".to_owned(), 10));
        assert!(
            partial.is_some_and(|at| at < 5),
            "partial choice early: {listed:?}"
        );
    }

    #[test]
    fn initials_alone_come_first_when_nothing_else_spells_all_the_letters() {
        assert_eq!(texts("bjs")[0], "北京市");
        let listed = texts("zhangs");
        let zhangsan = listed.iter().position(|t| t == "张三").unwrap();
        let zhang = listed.iter().position(|t| t == "张").unwrap();
        assert!(zhangsan < zhang, "{listed:?}");
    }

    #[test]
    fn remembered_choices_rank_first() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let input = PinyinInput::parse("lisi").unwrap();
        let mut memory = SessionMemory::default();
        let before = candidates(&lexicon, &memory, &input);
        assert_eq!(before[0].text, "里斯");
        let lisi = before.iter().find(|c| c.text == "李四").unwrap();
        memory.learn(&lisi.syllables, &lisi.text);
        let after = candidates(&lexicon, &memory, &input);
        assert_eq!(after[0].text, "李四");
        assert!(after[0].remembered);
        memory.forget();
        assert_eq!(candidates(&lexicon, &memory, &input)[0].text, "里斯");
    }

    #[test]
    fn composition_follows_the_best_candidate() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let memory = SessionMemory::default();
        let input = PinyinInput::parse("zhangsan").unwrap();
        let listed = candidates(&lexicon, &memory, &input);
        assert_eq!(
            composition(&lexicon, &input, listed.first()),
            ["zhang", "san"]
        );
        let input = PinyinInput::parse("beijingq").unwrap();
        assert_eq!(composition(&lexicon, &input, None), ["bei", "jing", "q"]);
    }

    #[test]
    fn nothing_typed_lists_nothing() {
        assert!(texts("").is_empty());
        assert!(texts("vvv").is_empty());
    }
}
