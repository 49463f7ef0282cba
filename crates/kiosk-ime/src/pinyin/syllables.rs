//! The syllables a lexicon spells its words with, and which typed letters may stand for them.

use std::collections::{HashMap, HashSet};

/// Index of a syllable in a [`Syllables`] table.
pub type SyllableId = u16;

/// Consonant initials a visitor may type alone for a whole syllable (`bjs` for 北京市). As in
/// rime's luna pinyin, `z`, `c` and `s` also stand for the `zh`, `ch` and `sh` syllables.
pub const INITIALS: [&str; 23] = [
    "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "zh", "ch", "sh", "r",
    "z", "c", "s", "y", "w",
];

/// Spellings visitors type for a syllable the lexicon spells another way (ü written `v` or `u`).
const ALIASES: [(&str, &str); 2] = [("lve", "lue"), ("nve", "nue")];

/// The longest syllable the table accepts (`zhuang`, `chuang`, `shuang` have six letters).
pub const MAX_SYLLABLE_LEN: usize = 6;

/// A lexicon's syllables: every spelling it uses, numbered in the order first seen.
#[derive(Debug, Default, Clone)]
pub struct Syllables {
    names: Vec<Box<str>>,
    index: HashMap<Box<str>, SyllableId>,
    /// Every proper prefix of a syllable (`zh`, `zho`, `zhon` of `zhong`), for the syllable a
    /// visitor is still typing at the end of the input.
    prefixes: HashSet<Box<str>>,
}

impl Syllables {
    /// The id of `spelling`, numbering it when new. `None` when it is not a plausible syllable
    /// (letters `a`-`z` only, at most [`MAX_SYLLABLE_LEN`]) or the table is full.
    pub fn intern(&mut self, spelling: &str) -> Option<SyllableId> {
        if let Some(&id) = self.index.get(spelling) {
            return Some(id);
        }
        let plausible = !spelling.is_empty()
            && spelling.len() <= MAX_SYLLABLE_LEN
            && spelling.bytes().all(|b| b.is_ascii_lowercase());
        if !plausible {
            return None;
        }
        let id = SyllableId::try_from(self.names.len()).ok()?;
        for end in 1..spelling.len() {
            self.prefixes.insert(spelling[..end].into());
        }
        self.names.push(spelling.into());
        self.index.insert(spelling.into(), id);
        Some(id)
    }

    /// The id of a typed syllable, following the aliases (`lve` is `lue`).
    pub fn id(&self, typed: &str) -> Option<SyllableId> {
        let spelling = ALIASES
            .iter()
            .find(|(alias, _)| *alias == typed)
            .map_or(typed, |(_, canonical)| canonical);
        self.index.get(spelling).copied()
    }

    /// The spelling of syllable `id` (empty for an unknown id).
    pub fn name(&self, id: SyllableId) -> &str {
        self.names.get(usize::from(id)).map_or("", |name| name)
    }

    /// How many syllables the table holds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the table holds no syllable.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Whether `typed` is the start of a longer syllable (`zhon` of `zhong`).
    pub fn is_proper_prefix(&self, typed: &str) -> bool {
        self.prefixes.contains(typed)
    }

    /// Whether syllable `id` is spelled starting with `typed` (`zhang` with `z` and `zh`).
    pub fn starts_with(&self, id: SyllableId, typed: &str) -> bool {
        self.name(id).starts_with(typed)
    }
}

/// Whether `typed` is a consonant initial a visitor may type alone for a syllable.
pub fn is_initial(typed: &str) -> bool {
    INITIALS.contains(&typed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[&str]) -> Syllables {
        let mut table = Syllables::default();
        for name in names {
            table.intern(name).unwrap();
        }
        table
    }

    #[test]
    fn syllables_are_numbered_once_and_spelled_back() {
        let mut table = table(&["zhang", "san", "zhang"]);
        assert_eq!(table.len(), 2);
        assert_eq!(table.id("san"), Some(1));
        assert_eq!(table.name(0), "zhang");
        assert_eq!(table.intern("san"), Some(1));
        assert_eq!(table.name(99), "");
    }

    #[test]
    fn implausible_spellings_are_refused() {
        let mut table = Syllables::default();
        assert_eq!(table.intern(""), None);
        assert_eq!(table.intern("zhuangg"), None, "seven letters");
        assert_eq!(table.intern("Zhang"), None);
        assert_eq!(table.intern("lü"), None);
        assert!(table.is_empty());
    }

    #[test]
    fn aliases_reach_the_lexicon_spelling() {
        let table = table(&["lue", "nue"]);
        assert_eq!(table.id("lve"), table.id("lue"));
        assert_eq!(table.id("nve"), Some(1));
    }

    #[test]
    fn prefixes_and_initials_are_told_apart() {
        let table = table(&["zhong", "an"]);
        assert!(table.is_proper_prefix("zhon"));
        assert!(table.is_proper_prefix("z"));
        assert!(
            !table.is_proper_prefix("zhong"),
            "a whole syllable is no proper prefix"
        );
        assert!(!table.is_proper_prefix("an"));
        assert!(is_initial("zh") && is_initial("s"));
        assert!(!is_initial("a") && !is_initial("zho"));
        assert!(table.starts_with(0, "z") && !table.starts_with(0, "c"));
    }
}
