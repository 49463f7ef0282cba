//! The short receipt code printed on a receipt: 10 characters a visitor can type at any kiosk
//! to look the application up, derived from the application id so that a kiosk prints it
//! before the platform has ever seen the application (the platform derives the same code;
//! `docs/protocol.md`, "Receipt codes").
//!
//! Code = Crockford base-32 (`0123456789ABCDEFGHJKMNPQRSTVWXYZ`) of the first 50 bits of
//! SHA-256 over the lower-case hyphenated id, shown as `XXXXX-XXXXX`.

use sha2::{Digest, Sha256};

/// Crockford's base-32 alphabet: no I, L, O, U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code.
pub const CODE_LEN: usize = 10;

/// The receipt code of application `id` (canonical, without the hyphen).
pub fn receipt_code(id: &str) -> String {
    let digest = Sha256::digest(id.trim().to_lowercase().as_bytes());
    let mut first = [0u8; 8];
    first[..7].copy_from_slice(&digest[..7]);
    let bits = u64::from_be_bytes(first) >> 14;
    (0..CODE_LEN)
        .map(|i| {
            let index = (bits >> (5 * (CODE_LEN - 1 - i))) & 31;
            char::from(ALPHABET[usize::try_from(index).unwrap_or(0)])
        })
        .collect()
}

/// A code as printed: `XXXXX-XXXXX`.
pub fn display(code: &str) -> String {
    match (code.get(..5), code.get(5..)) {
        (Some(head), Some(tail)) if code.len() == CODE_LEN => format!("{head}-{tail}"),
        _ => code.to_owned(),
    }
}

/// A typed code in canonical form: hyphens and spaces dropped, case folded, the look-alikes
/// O → 0 and I, L → 1 read as Crockford says; `None` when it is not a code.
pub fn parse(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_protocols_test_vector() {
        let id = "0192f0c1-2b3c-7d4e-8f90-123456789abc";
        assert_eq!(receipt_code(id), "KG695HRKAD");
        assert_eq!(receipt_code(&id.to_uppercase()), "KG695HRKAD");
        assert_eq!(display(&receipt_code(id)), "KG695-HRKAD");
    }

    #[test]
    fn typed_codes_are_forgiving_but_exact() {
        assert_eq!(parse(" kg695-hrkad ").as_deref(), Some("KG695HRKAD"));
        assert_eq!(parse("OIL00-00000").as_deref(), Some("0110000000"));
        assert_eq!(parse("KG695-HRKA"), None);
        assert_eq!(parse("KG695-HRKAU"), None, "U is not in the alphabet");
        assert_eq!(parse("收据号码"), None);
    }

    proptest! {
        #[test]
        fn any_text_parses_without_panicking(text in ".{0,40}") {
            let _ = parse(&text);
        }

        #[test]
        fn a_printed_code_reads_back(id in "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") {
            let code = receipt_code(&id);
            prop_assert_eq!(parse(&display(&code).to_lowercase()), Some(code));
        }
    }
}
