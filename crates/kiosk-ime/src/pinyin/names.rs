//! Personal names: most names a visitor types (赵磊, 孙丽) are in no lexicon, and spelled
//! character by character they lose to common words (找类, 孙俪). For two or three typed
//! syllables the engine also offers a common surname followed by characters that the lexicon's
//! own name entries use as given names (李磊, 黄磊 and 王磊 make 磊 a given-name character).

use std::collections::HashMap;

use super::lexicon::{Lexicon, ROOT};
use super::syllables::SyllableId;

/// Common surnames of mainland China, most frequent first (the household register's
/// rankings, roughly the first 120); single characters only.
pub const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文施洪辛柯庄牛殷葛齐伍温涂章鲁申耿欧单";

/// Surnames offered for one syllable.
const SURNAMES_PER_SYLLABLE: usize = 2;
/// Given-name characters kept for one syllable.
const GIVEN_PER_SYLLABLE: usize = 4;

/// Surnames and given-name characters by syllable, derived from a lexicon.
#[derive(Debug, Default, Clone)]
pub struct NameModel {
    surnames: HashMap<SyllableId, Vec<char>>,
    given: HashMap<SyllableId, Vec<char>>,
}

impl NameModel {
    /// Reads the surnames' syllables and counts, for every character, how often the lexicon
    /// uses it after a surname in a two- or three-character word.
    pub fn of(lexicon: &Lexicon) -> Self {
        let mut model = Self::default();
        // Single characters and their readings, from the trie's first level.
        let mut weight_of: HashMap<(SyllableId, char), u32> = HashMap::new();
        let root = lexicon.node(ROOT);
        for &(syllable, node) in root.children() {
            for &index in lexicon.node(node).words() {
                let Some(word) = lexicon.word(index) else {
                    continue;
                };
                let mut chars = word.text.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    weight_of.entry((syllable, c)).or_insert(word.weight);
                }
            }
        }
        for surname in SURNAMES.chars() {
            let mut readings: Vec<SyllableId> = weight_of
                .keys()
                .filter(|&&(_, c)| c == surname)
                .map(|&(syllable, _)| syllable)
                .collect();
            readings.sort_unstable();
            for syllable in readings {
                let list = model.surnames.entry(syllable).or_default();
                if list.len() < SURNAMES_PER_SYLLABLE {
                    list.push(surname);
                }
            }
        }
        // Given-name evidence: characters after a surname in 2-3 character words.
        let mut evidence: HashMap<(SyllableId, char), u32> = HashMap::new();
        for &(first, node) in root.children() {
            for &(second, child) in lexicon.node(node).children() {
                count_names(lexicon, child, &[first, second], &mut evidence);
                for &(third, grandchild) in lexicon.node(child).children() {
                    count_names(lexicon, grandchild, &[first, second, third], &mut evidence);
                }
            }
        }
        let mut by_syllable: HashMap<SyllableId, Vec<(u32, u32, char)>> = HashMap::new();
        for (&(syllable, c), &count) in &evidence {
            let weight = weight_of.get(&(syllable, c)).copied().unwrap_or(0);
            by_syllable
                .entry(syllable)
                .or_default()
                .push((count, weight, c));
        }
        for (syllable, mut list) in by_syllable {
            list.sort_unstable_by(|a, b| b.cmp(a));
            model.given.insert(
                syllable,
                list.into_iter()
                    .take(GIVEN_PER_SYLLABLE)
                    .map(|(_, _, c)| c)
                    .collect(),
            );
        }
        model
    }

    /// Surnames read `syllable`, most common first.
    pub fn surnames(&self, syllable: SyllableId) -> &[char] {
        self.surnames.get(&syllable).map_or(&[], Vec::as_slice)
    }

    /// Given-name characters read `syllable`, best attested first.
    pub fn given(&self, syllable: SyllableId) -> &[char] {
        self.given.get(&syllable).map_or(&[], Vec::as_slice)
    }

    /// Names spelled by `syllables` (a surname and one or two given-name characters), best
    /// first, at most `limit`.
    pub fn names(&self, syllables: &[SyllableId], limit: usize) -> Vec<String> {
        let [surname, given @ ..] = syllables else {
            return Vec::new();
        };
        if !(1..=2).contains(&given.len()) {
            return Vec::new();
        }
        let surnames = self.surnames(*surname);
        let firsts = self.given(given[0]);
        let seconds: &[char] = match given.get(1) {
            Some(&syllable) => self.given(syllable),
            None => &[' '],
        };
        if surnames.is_empty() || firsts.is_empty() || seconds.is_empty() {
            return Vec::new();
        }
        // Walk the combinations by the sum of their ranks: the best of each first.
        let mut combinations = Vec::new();
        for (i, s) in surnames.iter().enumerate() {
            for (j, a) in firsts.iter().enumerate() {
                for (k, b) in seconds.iter().enumerate() {
                    let mut name = String::new();
                    name.push(*s);
                    name.push(*a);
                    if *b != ' ' {
                        name.push(*b);
                    }
                    combinations.push((i + j + k, i, name));
                }
            }
        }
        combinations.sort();
        combinations
            .into_iter()
            .take(limit)
            .map(|(_, _, n)| n)
            .collect()
    }
}

/// Counts the characters after the first of the words at `node`, when that first character
/// is a surname.
fn count_names(
    lexicon: &Lexicon,
    node: u32,
    syllables: &[SyllableId],
    evidence: &mut HashMap<(SyllableId, char), u32>,
) {
    for &index in lexicon.node(node).words() {
        let Some(word) = lexicon.word(index) else {
            continue;
        };
        let mut chars = word.text.chars();
        if !chars.next().is_some_and(|first| SURNAMES.contains(first)) {
            continue;
        }
        for (c, &syllable) in chars.zip(&syllables[1..]) {
            *evidence.entry((syllable, c)).or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::tests::SAMPLE;
    use super::*;

    const NAMES: &str = "...\n赵\tzhao\t6376\n找\tzhao\t40000\n类\tlei\t20000\n磊\tlei\t889\n\
李\tli\t20000\n黄\thuang\t9000\n王\twang\t30000\n李磊\tli lei\t10\n黄磊\thuang lei\t10\n\
王磊\twang lei\t10\n王国\twang guo\t900\n国\tguo\t50000\n";

    #[test]
    fn surnames_are_found_by_their_syllable() {
        let lexicon = Lexicon::parse(SAMPLE).unwrap();
        let model = NameModel::of(&lexicon);
        let s = lexicon.syllables();
        assert_eq!(model.surnames(s.id("zhao").unwrap()), ['赵']);
        assert_eq!(model.surnames(s.id("zhang").unwrap()), ['张', '章']);
        assert!(
            model.surnames(s.id("shi").unwrap()).is_empty(),
            "市 and 是 are no surnames"
        );
    }

    #[test]
    fn given_names_come_from_the_lexicons_name_entries() {
        let lexicon = Lexicon::parse(NAMES).unwrap();
        let model = NameModel::of(&lexicon);
        let s = lexicon.syllables();
        let (zhao, lei) = (s.id("zhao").unwrap(), s.id("lei").unwrap());
        assert_eq!(model.given(lei), ['磊'], "类 never follows a surname");
        assert_eq!(model.names(&[zhao, lei], 3), ["赵磊"]);
        assert!(
            model.names(&[lei, zhao], 3).is_empty(),
            "类 and 磊 are no surnames"
        );
        assert!(model.names(&[zhao], 3).is_empty());
        assert!(model.names(&[zhao, lei, lei, lei], 3).is_empty());
    }
}
