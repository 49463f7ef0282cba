//! Turning typed text into lines that fit: cleaning, glyph substitution, wrapping, shrinking.

use crate::font::DocumentFont;

/// A character that the font cannot draw, printed as its code point instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Substitution {
    /// Which part of the document held it (e.g. `unitName`).
    pub field: String,
    /// The character that was typed.
    pub character: char,
    /// What was printed in its place, e.g. `〔U+0627〕`.
    pub printed_as: String,
}

/// Cleans `text` for printing: invisible direction and format marks are dropped, line
/// breaks and tabs become spaces, and characters the font cannot draw are replaced by
/// `〔U+XXXX〕` and recorded in `substitutions` under `field`.
pub(crate) fn printable(
    font: &DocumentFont,
    field: &str,
    text: &str,
    substitutions: &mut Vec<Substitution>,
) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if is_invisible_format(ch) {
            continue;
        }
        if ch.is_control() || ch.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        if font.covers(ch) {
            out.push(ch);
        } else {
            let printed_as = format!("〔U+{:04X}〕", u32::from(ch));
            out.push_str(&printed_as);
            let seen = substitutions
                .iter()
                .any(|s| s.field == field && s.character == ch);
            if !seen {
                substitutions.push(Substitution {
                    field: field.to_owned(),
                    character: ch,
                    printed_as,
                });
            }
        }
    }
    out.trim().to_owned()
}

/// Direction marks, embeddings and isolates, zero-width characters, the byte-order mark and
/// variation selectors: they change how text is shaped, and this left-to-right layout
/// ignores them.
fn is_invisible_format(ch: char) -> bool {
    matches!(
        ch,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Characters that may not start a line (Chinese closing punctuation).
fn is_closing_punctuation(ch: char) -> bool {
    "，。、；：？！）》」』】〕”’,.;:?!)]}%".contains(ch)
}

/// Whether a line may break between `before` and `after` without hyphenation.
fn may_break_between(before: char, after: char) -> bool {
    if is_closing_punctuation(after) {
        return false;
    }
    before == ' ' || after == ' ' || !is_word_char(before) || !is_word_char(after)
}

/// Letters and digits of alphabetic scripts, kept together on a line when possible.
fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() && !is_cjk(ch)
}

fn is_cjk(ch: char) -> bool {
    matches!(u32::from(ch),
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Breaks `text` into lines no wider than `width_mm` at `size_pt`.
///
/// Breaks between ideographs anywhere, between Latin words at spaces, inside a word only
/// when the word alone is wider than the line, and never before closing punctuation unless
/// the line would otherwise hold a single character.
pub(crate) fn wrap(font: &DocumentFont, text: &str, size_pt: f32, width_mm: f32) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut width = 0.0;
        let mut end = start;
        while end < chars.len() {
            let advance = font.advance_mm(chars[end], size_pt);
            if width + advance > width_mm && end > start {
                break;
            }
            width += advance;
            end += 1;
        }
        if end < chars.len() {
            // Move the break back to the last allowed position, if there is one.
            if let Some(ok) = (start + 1..=end)
                .rev()
                .find(|&i| may_break_between(chars[i - 1], chars[i]))
            {
                end = ok;
            }
        }
        let line: String = chars[start..end].iter().collect();
        lines.push(line.trim_end().to_owned());
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Text fitted into a box: the size chosen and the lines at that size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fitted {
    pub size_pt: f32,
    pub lines: Vec<String>,
}

/// Wraps `text` at `size_pt`; when that needs more than `max_lines`, shrinks the size in
/// steps down to `min_pt`. At `min_pt` the text keeps all its lines (more than `max_lines`):
/// nothing typed is ever cut off.
pub(crate) fn fit(
    font: &DocumentFont,
    text: &str,
    size_pt: f32,
    min_pt: f32,
    width_mm: f32,
    max_lines: usize,
) -> Fitted {
    let mut size = size_pt;
    loop {
        let lines = wrap(font, text, size, width_mm);
        if lines.len() <= max_lines || size <= min_pt {
            return Fitted {
                size_pt: size,
                lines,
            };
        }
        size = (size * 0.9).max(min_pt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::tests::shipped;

    #[test]
    fn direction_marks_are_dropped_and_missing_glyphs_are_reported() {
        let mut subs = Vec::new();
        let out = printable(
            shipped(),
            "unitName",
            "\u{200F}甲\u{202E}乙 ش\n丙",
            &mut subs,
        );
        assert_eq!(
            out, "甲乙 〔U+0634〕 丙",
            "marks dropped, newline is a space"
        );
        assert_eq!(subs.len(), 1, "{subs:?}");
        assert_eq!(subs[0].character, 'ش');
        assert_eq!(subs[0].field, "unitName");
    }

    #[test]
    fn rare_characters_print_as_themselves() {
        let mut subs = Vec::new();
        let out = printable(shipped(), "name", "𠮷田 䶮", &mut subs);
        assert_eq!(out, "𠮷田 䶮");
        assert!(subs.is_empty(), "{subs:?}");
    }

    #[test]
    fn wrapped_lines_never_exceed_the_width() {
        let font = shipped();
        let text = "北京市海淀区中关村科技园区某某某某研究院有限公司 Advanced Research Institute of Very Long Names";
        for width in [20.0, 35.0, 60.0, 150.0] {
            let lines = wrap(font, text, 10.5, width);
            for line in &lines {
                assert!(
                    font.width_mm(line, 10.5) <= width + 0.01,
                    "{line:?} wider than {width}"
                );
            }
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let expected: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, expected, "no character lost at width {width}");
        }
    }

    #[test]
    fn latin_words_are_not_split_when_they_fit() {
        let lines = wrap(shipped(), "alpha beta gamma delta", 10.0, 25.0);
        for line in &lines {
            for word in line.split(' ') {
                assert!(
                    ["alpha", "beta", "gamma", "delta"].contains(&word),
                    "{lines:?}"
                );
            }
        }
    }

    #[test]
    fn closing_punctuation_does_not_start_a_line() {
        let font = shipped();
        let width = font.width_mm("一二三四", 10.0) + 0.1;
        let lines = wrap(font, "一二三四，五六", 10.0, width);
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
    }

    #[test]
    fn a_word_longer_than_the_line_is_split() {
        let lines = wrap(shipped(), &"W".repeat(80), 10.0, 30.0);
        assert!(lines.len() > 1, "{lines:?}");
    }

    #[test]
    fn fit_shrinks_long_text_but_keeps_every_character() {
        let font = shipped();
        let text = "测".repeat(200);
        let fitted = fit(font, &text, 10.5, 7.0, 130.0, 3);
        assert!(fitted.size_pt < 10.5, "long text shrinks");
        assert!(fitted.size_pt >= 7.0, "never below the minimum");
        assert_eq!(
            fitted.lines.concat().chars().count(),
            200,
            "nothing cut off"
        );
        let short = fit(font, "短名", 10.5, 7.0, 130.0, 3);
        assert_eq!(short.size_pt, 10.5, "short text keeps its size");
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap(shipped(), "", 10.0, 50.0), vec![String::new()]);
    }
}
