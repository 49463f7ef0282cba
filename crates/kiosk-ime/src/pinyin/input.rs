//! What a visitor typed, checked and brought to one spelling before the engine reads it.

use std::fmt;

/// The longest input the engine converts at once (about twelve syllables). A kiosk field is
/// filled in parts: the visitor picks a candidate and goes on typing.
pub const MAX_INPUT_LEN: usize = 64;

/// Why typed letters cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A character other than a letter, an apostrophe or a space.
    #[error("pinyin may only hold the letters a-z, apostrophes and spaces")]
    NotPinyin,
    /// Longer than [`MAX_INPUT_LEN`] once normalised.
    #[error("pinyin of {0} letters is longer than {MAX_INPUT_LEN}")]
    TooLong(usize),
}

/// Typed pinyin in its one spelling: lowercase letters, and single apostrophes between
/// syllables the visitor separated (a space counts as an apostrophe). Never starts or ends
/// with an apostrophe.
#[derive(Clone, PartialEq, Eq)]
pub struct PinyinInput(String);

impl PinyinInput {
    /// Checks and normalises what was typed: `Xi'an` becomes `xi'an`, `zhang  san` becomes
    /// `zhang'san`.
    pub fn parse(typed: &str) -> Result<Self, InputError> {
        let mut text = String::with_capacity(typed.len().min(MAX_INPUT_LEN + 1));
        for c in typed.chars() {
            match c {
                'a'..='z' | 'A'..='Z' => text.push(c.to_ascii_lowercase()),
                '\'' | ' ' => {
                    if !text.is_empty() && !text.ends_with('\'') {
                        text.push('\'');
                    }
                }
                _ => return Err(InputError::NotPinyin),
            }
            if text.len() > MAX_INPUT_LEN {
                // Count the rest without keeping it: the error says how long the input was.
                let letters = typed.chars().filter(char::is_ascii_alphabetic).count();
                return Err(InputError::TooLong(letters.max(text.len())));
            }
        }
        while text.ends_with('\'') {
            text.pop();
        }
        Ok(Self(text))
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Its length in characters (letters and apostrophes; all ASCII).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// What is left after the first `consumed` characters were converted, without the
    /// apostrophe that separated them.
    pub fn rest(&self, consumed: usize) -> Self {
        let start = consumed.min(self.0.len());
        Self(self.0[start..].trim_start_matches('\'').to_owned())
    }
}

// Pinyin of a name spells the name: it is personal data and never printed in logs.
impl fmt::Debug for PinyinInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinyinInput({} letters)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_lowercased_and_separators_become_single_apostrophes() {
        assert_eq!(PinyinInput::parse("Xi'An").unwrap().as_str(), "xi'an");
        assert_eq!(
            PinyinInput::parse("  zhang  san ''").unwrap().as_str(),
            "zhang'san"
        );
        assert_eq!(PinyinInput::parse("'''").unwrap().as_str(), "");
        assert!(PinyinInput::parse("").unwrap().is_empty());
    }

    #[test]
    fn anything_but_pinyin_is_refused() {
        for typed in ["zhang3", "张三", "lü", "a-b", "a\u{0}"] {
            assert_eq!(
                PinyinInput::parse(typed),
                Err(InputError::NotPinyin),
                "{typed}"
            );
        }
    }

    #[test]
    fn long_input_is_refused_with_its_length() {
        let typed = "a".repeat(MAX_INPUT_LEN);
        assert!(PinyinInput::parse(&typed).is_ok());
        let typed = "a".repeat(200);
        assert_eq!(PinyinInput::parse(&typed), Err(InputError::TooLong(200)));
    }

    #[test]
    fn the_rest_after_a_choice_drops_the_separator() {
        let input = PinyinInput::parse("bei'jing'shi").unwrap();
        assert_eq!(input.rest(3).as_str(), "jing'shi");
        assert_eq!(input.rest(99).as_str(), "");
        assert_eq!(input.rest(0).as_str(), "bei'jing'shi");
    }

    #[test]
    fn debug_does_not_spell_the_input() {
        let input = PinyinInput::parse("zhangsan").unwrap();
        assert_eq!(format!("{input:?}"), "PinyinInput(8 letters)");
    }
}
