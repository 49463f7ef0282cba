//! Masking for screens and paper (GB/T 35273): ID numbers, names and mobiles are never shown
//! in full outside the form the visitor is filling in.

/// Masks a document number: first 3 + one `*` per hidden character + last 4
/// (`11010519491231002X` → `110***********002X`). Numbers of 7 characters or fewer become
/// all asterisks, so that nothing short is revealed.
pub fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len().max(1));
    }
    let hidden = chars.len() - 7;
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(hidden));
    out.extend(&chars[chars.len() - 4..]);
    out
}

/// Masks a name: the family name (first character) and one `*` per further character
/// (`张三丰` → `张**`; `John Smith` → `J*********`).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count();
            let mut out = String::with_capacity(1 + rest);
            out.push(first);
            out.push_str(&"*".repeat(rest.max(1)));
            out
        }
        None => "*".to_owned(),
    }
}

/// Masks a mobile: first 3 + `****` + last 4 (`13812345678` → `138****5678`).
pub fn mask_mobile(mobile: &str) -> String {
    let chars: Vec<char> = mobile
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len().max(1));
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 7));
    out.extend(&chars[chars.len() - 4..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_id_numbers_like_the_manuals() {
        assert_eq!(mask_id_number("11010519491231271X"), "110***********271X");
        assert_eq!(mask_id_number("H12345678"), "H12**5678");
        assert_eq!(mask_id_number("123"), "***");
        assert_eq!(mask_id_number("一二三四五六七八九"), "一二三**六七八九");
    }

    #[test]
    fn masks_names_and_mobiles() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(mask_name(""), "*");
        assert_eq!(mask_mobile("13812345678"), "138****5678");
        assert_eq!(mask_mobile("12"), "**");
    }
}
