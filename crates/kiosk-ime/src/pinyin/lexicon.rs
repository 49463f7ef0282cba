//! The words the engine knows, with their pinyin and how often they are used: a rime
//! dictionary (`*.dict.yaml`: a YAML header, `...`, then `word<TAB>pin yin<TAB>weight` lines),
//! held as a trie keyed by syllables.

use std::collections::HashMap;

use super::names::NameModel;
use super::syllables::{SyllableId, Syllables};

/// The trie's edges while it is built: (node, syllable) → child.
type Edges = HashMap<(NodeId, SyllableId), NodeId>;

/// The most syllables of one word the trie holds (the pinyin_simp lexicon has at most four).
pub const MAX_WORD_SYLLABLES: usize = 8;

/// A word of the lexicon.
#[derive(Debug, Clone)]
pub struct Word {
    /// The characters.
    pub text: Box<str>,
    /// How often it is used (the dictionary's weight).
    pub weight: u32,
}

/// Index of a trie node.
pub type NodeId = u32;

/// A trie node: the words spelled by the syllables on the way here, most used first.
#[derive(Debug, Default, Clone)]
pub struct Node {
    /// Next syllable and its node, sorted by syllable.
    children: Vec<(SyllableId, NodeId)>,
    /// Indices into the word list, highest weight first.
    words: Vec<u32>,
}

impl Node {
    /// The syllables that continue a word from here, with their nodes.
    pub fn children(&self) -> &[(SyllableId, NodeId)] {
        &self.children
    }

    /// The node after syllable `id`, if a word continues with it.
    pub fn child(&self, id: SyllableId) -> Option<NodeId> {
        self.children
            .binary_search_by_key(&id, |&(syllable, _)| syllable)
            .ok()
            .map(|at| self.children[at].1)
    }

    /// The words spelled exactly by the way here, most used first.
    pub fn words(&self) -> &[u32] {
        &self.words
    }
}

/// Why a dictionary text could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    /// No entry could be read (not a rime dictionary, or empty).
    #[error("no dictionary entry found")]
    Empty,
}

/// The loaded lexicon.
#[derive(Clone)]
pub struct Lexicon {
    syllables: Syllables,
    words: Vec<Word>,
    nodes: Vec<Node>,
    /// ln of the sum of all weights (plus one per word): turns a weight into a log probability.
    log_total: f64,
    skipped: usize,
    names: NameModel,
}

// Debug tells the size only: the word list is large.
impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Lexicon({} words, {} syllables)",
            self.words.len(),
            self.syllables.len()
        )
    }
}

/// The root node of every trie.
pub const ROOT: NodeId = 0;

impl Lexicon {
    /// Reads a rime dictionary text. Lines that do not parse (wrong field count, a syllable
    /// count that differs from the character count, unknown letters) are skipped and counted.
    pub fn parse(text: &str) -> Result<Self, LexiconError> {
        // The YAML header ends with a line `...`; a text without one is all entries.
        let has_header = text.lines().any(|line| line.trim_end() == "...");
        let mut in_header = has_header;
        let mut lexicon = Self {
            syllables: Syllables::default(),
            words: Vec::new(),
            nodes: vec![Node::default()],
            log_total: 0.0,
            skipped: 0,
            names: NameModel::default(),
        };
        let mut total = 0.0_f64;
        let mut path = Vec::with_capacity(MAX_WORD_SYLLABLES);
        let mut edges = HashMap::new();
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            if in_header {
                in_header = line.trim_end() != "...";
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match lexicon.add_line(line, &mut path, &mut edges) {
                Some(weight) => total += f64::from(weight) + 1.0,
                None => lexicon.skipped += 1,
            }
        }
        if lexicon.words.is_empty() {
            return Err(LexiconError::Empty);
        }
        lexicon.log_total = total.ln();
        let words = &lexicon.words;
        for node in &mut lexicon.nodes {
            node.children
                .sort_unstable_by_key(|&(syllable, _)| syllable);
            node.words.sort_by(|&a, &b| {
                let (a, b) = (&words[a as usize], &words[b as usize]);
                b.weight.cmp(&a.weight).then_with(|| a.text.cmp(&b.text))
            });
        }
        lexicon.names = NameModel::of(&lexicon);
        Ok(lexicon)
    }

    /// Adds one `word<TAB>pinyin[<TAB>weight]` line; returns its weight, `None` when skipped.
    fn add_line(
        &mut self,
        line: &str,
        path: &mut Vec<SyllableId>,
        edges: &mut Edges,
    ) -> Option<u32> {
        let mut fields = line.split('\t');
        let text = fields.next()?.trim();
        let code = fields.next()?;
        let weight = match fields.next() {
            None => 0,
            Some(weight) => weight.trim().parse::<u32>().ok()?,
        };
        if text.is_empty() || fields.next().is_some() {
            return None;
        }
        path.clear();
        for spelling in code.split(' ').filter(|s| !s.is_empty()) {
            path.push(self.syllables.intern(spelling)?);
        }
        if path.is_empty() || path.len() > MAX_WORD_SYLLABLES || path.len() != text.chars().count()
        {
            return None;
        }
        let index = u32::try_from(self.words.len()).ok()?;
        let mut node = ROOT;
        for &syllable in path.iter() {
            node = self.child_or_insert(node, syllable, edges)?;
        }
        self.nodes[node as usize].words.push(index);
        self.words.push(Word {
            text: text.into(),
            weight,
        });
        Some(weight)
    }

    fn child_or_insert(
        &mut self,
        node: NodeId,
        syllable: SyllableId,
        edges: &mut Edges,
    ) -> Option<NodeId> {
        if let Some(&child) = edges.get(&(node, syllable)) {
            return Some(child);
        }
        let child = NodeId::try_from(self.nodes.len()).ok()?;
        self.nodes.push(Node::default());
        self.nodes[node as usize].children.push((syllable, child));
        edges.insert((node, syllable), child);
        Some(child)
    }

    /// Surnames and given-name characters, derived from the words.
    pub fn names(&self) -> &NameModel {
        &self.names
    }

    /// The syllable table.
    pub fn syllables(&self) -> &Syllables {
        &self.syllables
    }

    /// Trie node `id` (the root for an unknown id).
    pub fn node(&self, id: NodeId) -> &Node {
        self.nodes
            .get(id as usize)
            .unwrap_or(&self.nodes[ROOT as usize])
    }

    /// Word `index`.
    pub fn word(&self, index: u32) -> Option<&Word> {
        self.words.get(index as usize)
    }

    /// How many words the lexicon holds.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether it holds no word (never true for a parsed lexicon).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Lines of the dictionary that were skipped.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The natural log of how likely word `index` is (always below zero).
    pub fn log_probability(&self, index: u32) -> f64 {
        let weight = self.word(index).map_or(0, |w| w.weight);
        (f64::from(weight) + 1.0).ln() - self.log_total
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small dictionary in rime's format, for the tests of this module and its neighbours.
    pub(crate) const SAMPLE: &str = "# Rime dictionary\n---\nname: sample\nsort: by_weight\n...\n\n\
张\tzhang\t27300\n章\tzhang\t6000\n长\tzhang\t9175\n长\tchang\t13911\n三\tsan\t20000\n\
张三\tzhang san\t361\n掌声\tzhang sheng\t900\n北\tbei\t9000\n被\tbei\t30000\n京\tjing\t5000\n\
市\tshi\t12000\n是\tshi\t90000\n北京\tbei jing\t12000\n背景\tbei jing\t3000\n北京市\tbei jing shi\t4805\n\
西\txi\t8000\n安\tan\t9000\n西安\txi an\t2000\n先\txian\t20000\n现\txian\t30000\n\
朝\tchao\t5000\n阳\tyang\t5000\n区\tqu\t6000\n朝阳\tchao yang\t1000\n朝阳区\tchao yang qu\t685\n\
李\tli\t20000\n四\tsi\t10000\n里斯\tli si\t500\n李四\tli si\t148\n磊\tlei\t889\n类\tlei\t20000\n\
赵\tzhao\t6376\n找\tzhao\t40000\n";

    #[test]
    fn rime_dictionary_lines_become_a_trie() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        assert_eq!(lexicon.len(), 33);
        assert_eq!(lexicon.skipped(), 0);
        let s = lexicon.syllables();
        let zhang = lexicon.node(ROOT).child(s.id("zhang").unwrap()).unwrap();
        let texts: Vec<_> = lexicon
            .node(zhang)
            .words()
            .iter()
            .map(|&w| &*lexicon.word(w).unwrap().text)
            .collect();
        assert_eq!(texts, ["张", "长", "章"], "most used first");
        let san = lexicon.node(zhang).child(s.id("san").unwrap()).unwrap();
        assert_eq!(
            &*lexicon.word(lexicon.node(san).words()[0]).unwrap().text,
            "张三"
        );
        assert!(lexicon.log_probability(0) < 0.0);
    }

    #[test]
    fn malformed_lines_are_skipped_and_counted() {
        let text =
            "...\n张三\tzhang\t1\n坏\tbad3\t1\n好\thao\tmany\n多\tduo\t1\textra\n\t\tx\n好\thao\n";
        let lexicon = Lexicon::parse(text).unwrap();
        assert_eq!(lexicon.len(), 1, "only 好 without weight is kept");
        assert_eq!(lexicon.skipped(), 5);
    }

    #[test]
    fn a_text_without_entries_is_refused() {
        assert_eq!(
            Lexicon::parse("not a dictionary").unwrap_err(),
            LexiconError::Empty
        );
        assert_eq!(
            Lexicon::parse("---\n...\n").unwrap_err(),
            LexiconError::Empty
        );
    }
}
