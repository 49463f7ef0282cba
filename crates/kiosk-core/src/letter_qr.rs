//! What the QR code on a printed risk commitment letter (and receipt) carries, written and read
//! in one place: kiosk-docs encodes [`payload`], kiosk-capture reads it back with
//! [`application_number`] from the scan of the signed letter.
//!
//! The payload is [`PREFIX`] followed by the application number (the draft's UUID, which stays
//! the application's id). The prefix keeps our codes apart from the other QR codes a scanned
//! page may carry (a business licence's, a seal's) and costs only eight characters.

/// What every payload starts with.
pub const PREFIX: &str = "TONGBAN:";
/// Shortest text taken for an application number.
const MIN_LEN: usize = 6;
/// Longest text taken for an application number (a UUID has 36 characters).
const MAX_LEN: usize = 64;

/// The text to encode in the letter's QR code for `application_number`.
pub fn payload(application_number: &str) -> String {
    format!("{PREFIX}{}", application_number.trim())
}

/// The application number in a QR code's text, if the text is a [`payload`]: [`PREFIX`] then
/// 6 to 64 ASCII letters, digits and `-` (surrounding white space ignored). Other codes on the
/// page (a platform's link, a seal's code, a bare number) give `None`.
pub fn application_number(qr_text: &str) -> Option<String> {
    let text = qr_text.trim().strip_prefix(PREFIX)?;
    let plausible = (MIN_LEN..=MAX_LEN).contains(&text.len())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    plausible.then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_reads_back_as_the_same_application_number() {
        for number in [
            "0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11",
            "TJ-20261123-000042",
            "MOST-TEST-1",
        ] {
            assert_eq!(
                application_number(&payload(number)).as_deref(),
                Some(number),
                "round trip of {number}"
            );
        }
    }

    #[test]
    fn other_qr_texts_are_not_application_numbers() {
        for text in [
            "https://example.invalid/a?b=c",
            "abc",
            "申请编号123456",
            "TONGBAN:0193a5f2 7c1e",
            "0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11",
            &format!("{PREFIX}{}", "A".repeat(65)),
        ] {
            assert_eq!(application_number(text), None, "{text:?} is not a number");
        }
    }
}
