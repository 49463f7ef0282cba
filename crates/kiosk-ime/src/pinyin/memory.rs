//! What this visitor chose: the chosen words rank first for the same pinyin until the visitor's
//! session ends and [`SessionMemory::forget`] wipes them. Held in memory only, never written.

use std::fmt;

use super::syllables::SyllableId;

/// The most choices remembered; the oldest is dropped first.
pub const MAX_REMEMBERED: usize = 256;

/// A word the visitor chose, with the syllables it was chosen for.
#[derive(Clone, PartialEq, Eq)]
pub struct Remembered {
    /// Its syllables (of the lexicon the engine loaded).
    pub syllables: Vec<SyllableId>,
    /// Its characters.
    pub text: String,
    /// Larger is more recent.
    pub recency: u64,
}

/// The choices of one visitor's session.
#[derive(Default, Clone)]
pub struct SessionMemory {
    entries: Vec<Remembered>,
    clock: u64,
}

impl SessionMemory {
    /// Remembers that `text` was chosen for `syllables` (again: it becomes the most recent).
    pub fn learn(&mut self, syllables: &[SyllableId], text: &str) {
        if syllables.is_empty() || text.is_empty() {
            return;
        }
        self.clock += 1;
        let recency = self.clock;
        if let Some(entry) = self
            .entries
            .iter_mut()
            .find(|e| e.text == text && e.syllables == syllables)
        {
            entry.recency = recency;
            return;
        }
        if self.entries.len() >= MAX_REMEMBERED
            && let Some(oldest) = self
                .entries
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.recency)
                .map(|(at, _)| at)
        {
            self.entries.swap_remove(oldest);
        }
        self.entries.push(Remembered {
            syllables: syllables.to_vec(),
            text: text.to_owned(),
            recency,
        });
    }

    /// Wipes every choice (the visitor's session ended).
    pub fn forget(&mut self) {
        self.entries.clear();
        self.clock = 0;
    }

    /// The remembered choices.
    pub fn entries(&self) -> &[Remembered] {
        &self.entries
    }

    /// How many choices are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

// What a visitor typed is personal data (names): Debug tells only how much is remembered.
impl fmt::Debug for SessionMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionMemory({} choices)", self.entries.len())
    }
}

impl fmt::Debug for Remembered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Remembered({} syllables)", self.syllables.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_again_becomes_the_most_recent_without_a_duplicate() {
        let mut memory = SessionMemory::default();
        memory.learn(&[1, 2], "张三");
        memory.learn(&[3], "磊");
        memory.learn(&[1, 2], "张三");
        assert_eq!(memory.len(), 2);
        let zhangsan = memory.entries().iter().find(|e| e.text == "张三").unwrap();
        assert_eq!(zhangsan.recency, 3);
    }

    #[test]
    fn forget_wipes_everything() {
        let mut memory = SessionMemory::default();
        memory.learn(&[1], "磊");
        memory.forget();
        assert!(memory.is_empty());
        memory.learn(&[], "空");
        memory.learn(&[1], "");
        assert!(memory.is_empty(), "empty choices are not remembered");
    }

    #[test]
    fn the_oldest_choice_goes_when_memory_is_full() {
        let mut memory = SessionMemory::default();
        for n in 0..=MAX_REMEMBERED {
            memory.learn(&[n as SyllableId], &format!("字{n}"));
        }
        assert_eq!(memory.len(), MAX_REMEMBERED);
        assert!(!memory.entries().iter().any(|e| e.text == "字0"));
        assert!(memory.entries().iter().any(|e| e.text == "字1"));
    }

    #[test]
    fn debug_shows_no_text() {
        let mut memory = SessionMemory::default();
        memory.learn(&[1, 2], "张三");
        let shown = format!("{memory:?} {:?}", memory.entries()[0]);
        assert!(!shown.contains("张"), "{shown}");
    }
}
