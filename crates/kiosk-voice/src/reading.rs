//! How a Mandarin prompt is handed to espeak-ng so that it is read right.
//!
//! Tried on Debian's espeak-ng 1.51: the `cmn` voice reads hanzi through its Mandarin
//! dictionary but speaks the resulting pinyin with English letter rules ("请" came out as
//! English "king three"); the `cmn-latn-pinyin` voice reads the same dictionary *and* speaks
//! Latin text as pinyin, tone numbers (`zhang3`) and tone marks (`zhǎng`) alike, with third-tone
//! sandhi. Its dictionary knows one reading per character, so heteronyms come out wrong
//! (长辈 as *chang2 bei4*, 银行 as *yin2 xing2*, 重新 as *zhong4 xin1*), and it reads digit
//! runs as numbers (2026 as "two thousand and twenty-six"). So the text is passed as it is,
//! except: the phrases of [`HETERONYMS`] become tone-numbered pinyin, and runs of three or more
//! digits are spelled one digit at a time (1 as *yao1*, as numbers are read out in halls).
//! Pure functions: unit and property tests next to them.

/// Phrases whose characters espeak-ng reads with the wrong tone or sound, with the reading to
/// use (tone-numbered pinyin, syllables separated by spaces). Longest match wins.
pub const HETERONYMS: &[(&str, &str)] = &[
    ("长辈", "zhang3 bei4"),
    ("银行", "yin2 hang2"),
    ("行业", "hang2 ye4"),
    ("重新", "chong2 xin1"),
    ("重置", "chong2 zhi4"),
    ("重填", "chong2 tian2"),
    ("处理", "chu3 li3"),
    ("办理", "ban4 li3"),
    ("了解", "liao3 jie3"),
    ("照相", "zhao4 xiang4"),
    ("相片", "xiang4 pian4"),
    ("更改", "geng1 gai3"),
    ("得到", "de2 dao4"),
    ("一步", "yi2 bu4"),
    ("一个", "yi2 ge4"),
    ("一下", "yi2 xia4"),
    ("一次", "yi2 ci4"),
    ("一题", "yi4 ti2"),
    ("一张", "yi4 zhang1"),
    ("下一题", "xia4 yi4 ti2"),
    ("上一题", "shang4 yi4 ti2"),
    ("下一步", "xia4 yi2 bu4"),
    ("上一步", "shang4 yi2 bu4"),
    ("还需要", "hai2 xu1 yao4"),
    ("还没有", "hai2 mei2 you3"),
    ("没有", "mei2 you3"),
    ("朗读", "lang3 du2"),
];

/// Digits as read out one by one (1 as *yao1*, so it is not heard as 7).
const DIGITS: [&str; 10] = [
    "ling2", "yao1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3",
];

/// Runs of at least this many digits are spelled digit by digit.
pub const SPELL_DIGITS_FROM: usize = 3;

/// The text to give espeak-ng's `cmn-latn-pinyin` voice for the Mandarin `text`.
pub fn for_espeak(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    while at < chars.len() {
        if let Some((len, pinyin)) = heteronym_at(&chars[at..]) {
            push_word(&mut out, pinyin);
            at += len;
            continue;
        }
        let c = chars[at];
        if c.is_ascii_digit() {
            let run = chars[at..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if run >= SPELL_DIGITS_FROM {
                for d in &chars[at..at + run] {
                    let digit = d.to_digit(10).unwrap_or(0) as usize;
                    push_word(&mut out, DIGITS[digit]);
                }
            } else {
                push_word(&mut out, &chars[at..at + run].iter().collect::<String>());
            }
            at += run;
            continue;
        }
        // espeak reads some ASCII marks aloud by name; a pause says enough.
        match c {
            '*' | '_' | '#' | '<' | '>' | '[' | ']' | '{' | '}' | '|' | '\\' | '/' | '"' => {
                out.push(' ')
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        at += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pinyin next to hanzi must stand apart, or espeak runs it into a neighbouring word.
fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    out.push_str(word);
    out.push(' ');
}

/// The longest heteronym phrase at the start of `chars`: its length and reading.
fn heteronym_at(chars: &[char]) -> Option<(usize, &'static str)> {
    HETERONYMS
        .iter()
        .filter(|(phrase, _)| {
            let n = phrase.chars().count();
            n <= chars.len() && phrase.chars().zip(chars).all(|(a, b)| a == *b)
        })
        .map(|(phrase, pinyin)| (phrase.chars().count(), *pinyin))
        .max_by_key(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn heteronyms_become_pinyin() {
        assert_eq!(for_espeak("长辈版"), "zhang3 bei4 版");
        assert_eq!(
            for_espeak("请重新输入银行账号"),
            "请 chong2 xin1 输入 yin2 hang2 账号"
        );
        // The longest phrase wins: 下一步 before 一步.
        assert_eq!(for_espeak("请点下一步。"), "请点 xia4 yi2 bu4 。");
    }

    #[test]
    fn long_digit_runs_are_spelled_short_numbers_are_not() {
        assert_eq!(for_espeak("第3题，共12题"), "第 3 题，共 12 题");
        assert_eq!(for_espeak("电话 12345"), "电话 yao1 er4 san1 si4 wu3");
    }

    #[test]
    fn marks_espeak_would_name_are_pauses() {
        assert_eq!(for_espeak("110***271X"), "yao1 yao1 ling2 er4 qi1 yao1 X");
        assert_eq!(for_espeak("a\u{7}b"), "a b");
    }

    proptest! {
        #[test]
        fn any_text_is_handled(text in "\\PC{0,200}") {
            let out = for_espeak(&text);
            prop_assert!(!out.chars().any(|c| c.is_control()));
            prop_assert!(!out.contains('*'));
        }
    }
}
