//! Input clean-up shared by the validators: trimming, width folding, length and control checks.

/// Longest input (in bytes) any validator looks at; longer text is refused before parsing.
pub const MAX_INPUT_BYTES: usize = 256;

user_facing_errors! {
    /// Problems with raw text before any document rule applies.
    pub enum InputError {
        /// Nothing was entered.
        Empty = "INPUT_EMPTY" {
            zh: "此项未填写，请填写后再提交。",
            en: "This field is empty. Fill it in and submit again."
        },
        /// The text is far longer than any valid value.
        TooLong = "INPUT_TOO_LONG" {
            zh: "输入内容过长，请核对后重新输入。",
            en: "The text is far too long. Check it and type it again."
        },
        /// The text contains control characters (e.g. pasted line breaks).
        ControlCharacter = "INPUT_CONTROL_CHARACTER" {
            zh: "输入内容含有不可见的控制字符，请删除后重新输入。",
            en: "The text contains invisible control characters. Delete them and type it again."
        },
    }
}

/// Folds a full-width ASCII variant (U+FF01-U+FF5E, as typed with a Chinese input method)
/// and the ideographic space to ASCII; other characters pass unchanged.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Prepares a document number or code: refuses empty, over-long and control-character input,
/// folds full-width characters, drops spaces and hyphens, upper-cases ASCII letters.
/// Non-ASCII characters are kept so the caller can report them precisely.
pub fn normalize_code(input: &str) -> Result<String, InputError> {
    let text = normalize_text(input)?;
    Ok(text
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect())
}

/// Prepares free text (names, addresses): refuses empty, over-long and control-character
/// input, folds full-width ASCII, trims and collapses runs of spaces to one.
pub fn normalize_text(input: &str) -> Result<String, InputError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLong);
    }
    if input
        .chars()
        .any(|c| c.is_control() && !matches!(c, ' ' | '\t'))
    {
        return Err(InputError::ControlCharacter);
    }
    let mut out = String::with_capacity(input.len());
    for c in input.chars().map(fold_width) {
        let c = if c == '\t' { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    if out.is_empty() {
        return Err(InputError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_digits_and_drops_spaces() {
        assert_eq!(
            normalize_code(" １１０１０５ 1949-1001 002x ").as_deref(),
            Ok("11010519491001002X")
        );
    }

    #[test]
    fn refuses_empty_long_and_control_input() {
        assert_eq!(normalize_code("   \u{3000}"), Err(InputError::Empty));
        assert_eq!(
            normalize_code(&"1".repeat(10_000)),
            Err(InputError::TooLong)
        );
        assert_eq!(
            normalize_code("1101\n05"),
            Err(InputError::ControlCharacter)
        );
        assert_eq!(
            normalize_text("张\u{0}三"),
            Err(InputError::ControlCharacter)
        );
    }

    #[test]
    fn collapses_spaces_in_free_text() {
        assert_eq!(
            normalize_text("  天津市  和平区\t南京路 ").as_deref(),
            Ok("天津市 和平区 南京路")
        );
    }
}
