//! Receipt codes: what a visitor keeps on paper to look an application up later.
//!
//! `receipt_code(id)` is the Crockford base-32 spelling (alphabet
//! `0123456789ABCDEFGHJKMNPQRSTVWXYZ`) of the first 50 bits of SHA-256 over the application id
//! as lower-case hyphenated UUID text: 10 characters, shown as `XXXXX-XXXXX`. A kiosk computes
//! the same code before the platform has ever seen the application, so it prints it on the
//! visitor's receipt at once. Reading a code back is forgiving: hyphens and spaces are ignored,
//! case does not matter, and `O` reads as `0`, `I` and `L` as `1` (Crockford decoding).

use sha2::Digest;

/// The Crockford base-32 alphabet.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters of a receipt code (without the hyphen).
pub const CODE_LEN: usize = 10;

/// The canonical 10-character receipt code of application `id` (no hyphen).
pub fn receipt_code(id: &str) -> String {
    let digest = sha2::Sha256::digest(id.to_lowercase().as_bytes());
    let mut first = [0u8; 8];
    first[..7].copy_from_slice(&digest[..7]);
    // 56 bits read big-endian; keep the top 50.
    let bits = u64::from_be_bytes(first) >> 14;
    (0..CODE_LEN)
        .map(|i| {
            let shift = 5 * (CODE_LEN - 1 - i);
            char::from(ALPHABET[usize::try_from((bits >> shift) & 31).unwrap_or(0)])
        })
        .collect()
}

/// A canonical code as printed: `XXXXX-XXXXX`.
pub fn display(code: &str) -> String {
    match (code.get(..5), code.get(5..)) {
        (Some(a), Some(b)) if code.len() == CODE_LEN => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

/// The value of one typed character, with Crockford's look-alike rules.
fn decode_char(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|p| u8::try_from(p).ok())
}

/// The canonical code a visitor typed (any case, with or without the hyphen or spaces), or
/// `None` when it cannot be a receipt code.
pub fn parse(input: &str) -> Option<String> {
    if input.len() > 40 {
        return None;
    }
    let mut out = String::with_capacity(CODE_LEN);
    for c in input.chars().filter(|c| *c != '-' && !c.is_whitespace()) {
        let value = decode_char(c)?;
        out.push(char::from(ALPHABET[usize::from(value)]));
    }
    (out.len() == CODE_LEN).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The vector in docs/protocol.md (the kiosk tests the same one).
    #[test]
    fn the_documented_test_vector_holds() {
        let id = "0192f0c1-2b3c-7d4e-8f90-123456789abc";
        assert_eq!(receipt_code(id), "KG695HRKAD");
        assert_eq!(display(&receipt_code(id)), "KG695-HRKAD");
        assert_eq!(
            receipt_code(&id.to_uppercase()),
            receipt_code(id),
            "the id is read in lower case"
        );
        assert_eq!(
            receipt_code("00000000-0000-0000-0000-000000000000"),
            "2AWKEZ5YFS"
        );
    }

    #[test]
    fn the_code_is_the_first_fifty_bits_of_the_hash() {
        let id = "00000000-0000-0000-0000-000000000000";
        let digest = sha2::Sha256::digest(id.as_bytes());
        let mut bits = String::new();
        for byte in &digest[..7] {
            bits.push_str(&format!("{byte:08b}"));
        }
        let expected: String = bits.as_bytes()[..50]
            .chunks(5)
            .map(|group| {
                let v = group
                    .iter()
                    .fold(0usize, |acc, b| acc * 2 + usize::from(b - b'0'));
                char::from(ALPHABET[v])
            })
            .collect();
        assert_eq!(receipt_code(id), expected);
    }

    #[test]
    fn typed_codes_are_read_forgivingly() {
        assert_eq!(parse("F8NK3-YCD6R").as_deref(), Some("F8NK3YCD6R"));
        assert_eq!(parse("f8nk3ycd6r").as_deref(), Some("F8NK3YCD6R"));
        assert_eq!(parse(" f8nk3 ycd6r ").as_deref(), Some("F8NK3YCD6R"));
        assert_eq!(parse("OIL00-00000").as_deref(), Some("0110000000"));
        assert_eq!(parse("F8NK3-YCD6"), None, "too short");
        assert_eq!(parse("F8NK3-YCD6RR"), None, "too long");
        assert_eq!(parse("F8NK3-YCD6U"), None, "U is not in the alphabet");
        assert_eq!(parse("F8NK3-YCD6！"), None, "no punctuation");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in "\\PC{0,50}") {
            if let Some(code) = parse(&input) {
                prop_assert_eq!(code.len(), CODE_LEN);
                prop_assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
            }
        }

        #[test]
        fn every_code_reads_back_in_any_spelling(bytes in any::<[u8; 16]>(), lower in any::<bool>()) {
            let h = hex::encode(bytes);
            let id = format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]);
            let code = receipt_code(&id);
            let shown = display(&code);
            let typed = if lower { shown.to_lowercase() } else { shown };
            prop_assert_eq!(parse(&typed), Some(code));
        }
    }
}
