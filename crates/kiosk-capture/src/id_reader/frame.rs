//! Frames of the GA 467 reader protocol ("SAM" protocol of second-generation ID-card readers).
//!
//! To the reader: `AA AA AA 96 69`, a 2-byte big-endian length counting everything after it
//! (command, parameter, data, checksum), the command, the parameter, data, and a checksum:
//! the XOR of the length, command, parameter and data bytes.
//!
//! From the reader: the same preamble and length, then the status `SW1 SW2 SW3`, data and
//! the checksum over length, status and data.
//!
//! [`FrameDecoder`] finds frames in whatever bytes arrive: garbage before a preamble is
//! skipped, a frame split over several reads is waited for, a frame with a bad checksum is
//! reported and decoding resumes after its first byte. It never panics on any input.

/// Start of every frame: three sync bytes and the two start-of-frame bytes.
pub const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];

/// Longest length field accepted. The longest answer of the protocol (text, photo and
/// fingerprints, command `30 10`) is 0x090A bytes; anything above this is garbage.
pub const MAX_LENGTH: usize = 4096;

/// Bytes kept while no preamble is in sight (they could be the start of one).
const KEEP_WITHOUT_PREAMBLE: usize = PREAMBLE.len() - 1;

/// A command to the reader: command byte and parameter byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Command {
    /// Command byte.
    pub cmd: u8,
    /// Parameter byte.
    pub param: u8,
}

impl Command {
    /// Reset the SAM module (`10 FF`).
    pub const SAM_RESET: Self = Self::new(0x10, 0xFF);
    /// SAM status check (`11 FF`): answers `00 00 90` when the module is healthy.
    pub const SAM_STATUS: Self = Self::new(0x11, 0xFF);
    /// Read the SAM module's id (`12 FF`): 16 bytes of data.
    pub const SAM_ID: Self = Self::new(0x12, 0xFF);
    /// Find a card in the field (`20 01`): `00 00 9F` when one lies on the reader.
    pub const FIND_CARD: Self = Self::new(0x20, 0x01);
    /// Select the card found (`20 02`).
    pub const SELECT_CARD: Self = Self::new(0x20, 0x02);
    /// Read the text and photo blocks (`30 01`).
    pub const READ_TEXT_PHOTO: Self = Self::new(0x30, 0x01);
    /// Read text, photo and fingerprint blocks (`30 10`). Not used by the kiosk: it never
    /// needs fingerprints.
    pub const READ_TEXT_PHOTO_FINGERPRINT: Self = Self::new(0x30, 0x10);

    /// A command from its two bytes.
    pub const fn new(cmd: u8, param: u8) -> Self {
        Self { cmd, param }
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02X} {:02X}", self.cmd, self.param)
    }
}

/// XOR of `bytes`.
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |acc, b| acc ^ b)
}

/// Wraps `body` (command+parameter+data, or status+data) into a frame. Bodies longer than
/// [`MAX_LENGTH`]` - 1` are not part of the protocol; they are cut to that length.
pub fn encode(body: &[u8]) -> Vec<u8> {
    let body = &body[..body.len().min(MAX_LENGTH - 1)];
    let length = u16::try_from(body.len() + 1).unwrap_or(u16::MAX);
    let mut frame = Vec::with_capacity(PREAMBLE.len() + 2 + body.len() + 1);
    frame.extend_from_slice(&PREAMBLE);
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(body);
    frame.push(checksum(&frame[PREAMBLE.len()..]));
    frame
}

/// The frame that sends `command` with `data` to the reader.
pub fn encode_command(command: Command, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(2 + data.len());
    body.push(command.cmd);
    body.push(command.param);
    body.extend_from_slice(data);
    encode(&body)
}

/// A reader's answer: its status and data.
#[derive(Clone, PartialEq, Eq)]
pub struct Answer {
    /// SW1 (forwarded from the card's APDU answer).
    pub sw1: u8,
    /// SW2.
    pub sw2: u8,
    /// SW3, the reader's own status (see [`super::status::ReaderStatus`]).
    pub sw3: u8,
    /// The data (card text and photo for `30 01`).
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Answer {
    /// The status and the data's length only: the data may be a card's text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Answer({:02X} {:02X} {:02X}, {} bytes)",
            self.sw1,
            self.sw2,
            self.sw3,
            self.data.len()
        )
    }
}

impl Answer {
    /// The answer in a frame body (status + data); `None` when the body is shorter than the
    /// three status bytes.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        match body {
            [sw1, sw2, sw3, data @ ..] => Some(Self {
                sw1: *sw1,
                sw2: *sw2,
                sw3: *sw3,
                data: data.to_vec(),
            }),
            _ => None,
        }
    }

    /// The frame a reader sends for this answer.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(3 + self.data.len());
        body.extend_from_slice(&[self.sw1, self.sw2, self.sw3]);
        body.extend_from_slice(&self.data);
        encode(&body)
    }
}

/// Why bytes that looked like a frame were dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The checksum byte differs from the XOR of the frame.
    #[error("frame checksum {actual:#04x}, expected {expected:#04x}")]
    Checksum {
        /// The XOR of the frame's bytes.
        expected: u8,
        /// The checksum byte received.
        actual: u8,
    },
    /// The length field is 0 or above [`MAX_LENGTH`].
    #[error("frame length {0} out of range")]
    Length(usize),
}

/// Finds frames in a byte stream. Push bytes as they arrive, then take frames out.
#[derive(Debug, Default, Clone)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
}

impl FrameDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Forgets everything buffered (before sending a new command).
    pub fn clear(&mut self) {
        self.buffer.clear();
    }

    /// Bytes waiting for the rest of their frame.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The next complete frame's body (between the length and the checksum), an error for
    /// a dropped frame, or `None` when more bytes are needed.
    pub fn next_frame(&mut self) -> Option<Result<Vec<u8>, FrameError>> {
        let start = match find_preamble(&self.buffer) {
            Some(start) => start,
            None => {
                let keep = self.buffer.len().min(KEEP_WITHOUT_PREAMBLE);
                self.buffer.drain(..self.buffer.len() - keep);
                return None;
            }
        };
        self.buffer.drain(..start);
        let header = PREAMBLE.len() + 2;
        let length = match self.buffer.get(PREAMBLE.len()..header) {
            Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return None,
        };
        if length == 0 || length > MAX_LENGTH {
            // Not a frame after all: look for the next preamble from the next byte on.
            self.buffer.drain(..1);
            return Some(Err(FrameError::Length(length)));
        }
        let end = header + length;
        let frame = self.buffer.get(..end)?;
        let expected = checksum(&frame[PREAMBLE.len()..end - 1]);
        let actual = frame[end - 1];
        if expected != actual {
            self.buffer.drain(..1);
            return Some(Err(FrameError::Checksum { expected, actual }));
        }
        let body = frame[header..end - 1].to_vec();
        self.buffer.drain(..end);
        Some(Ok(body))
    }

    /// The next complete answer, like [`FrameDecoder::next_frame`]. A checksummed frame too
    /// short to hold a status counts as a length error.
    pub fn next_answer(&mut self) -> Option<Result<Answer, FrameError>> {
        self.next_frame().map(|frame| {
            frame.and_then(|body| {
                let len = body.len() + 1;
                Answer::from_body(&body).ok_or(FrameError::Length(len))
            })
        })
    }
}

/// Where [`PREAMBLE`] starts in `bytes`.
fn find_preamble(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(PREAMBLE.len())
        .position(|window| window == PREAMBLE)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn commands_match_the_published_byte_sequences() {
        assert_eq!(
            encode_command(Command::FIND_CARD, &[]),
            [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22]
        );
        assert_eq!(
            encode_command(Command::SELECT_CARD, &[]),
            [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21]
        );
        assert_eq!(
            encode_command(Command::READ_TEXT_PHOTO, &[]),
            [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32]
        );
        assert_eq!(
            encode_command(Command::SAM_ID, &[]),
            [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x12, 0xFF, 0xEE]
        );
    }

    #[test]
    fn a_published_find_card_answer_decodes() {
        // "card found": status 00 00 9F and four bytes of data.
        let bytes = [
            0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00, 0x9F, 0x00, 0x00, 0x00, 0x00,
            0x97,
        ];
        let mut decoder = FrameDecoder::new();
        decoder.push(&bytes);
        let answer = decoder.next_answer().unwrap().unwrap();
        assert_eq!((answer.sw1, answer.sw2, answer.sw3), (0, 0, 0x9F));
        assert_eq!(answer.data, [0, 0, 0, 0]);
        assert!(decoder.next_answer().is_none());
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn a_read_failure_answer_decodes() {
        // "read failed" as a reader sends it: 00 04 00 00 41 45.
        let mut decoder = FrameDecoder::new();
        decoder.push(&[
            0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x41, 0x45,
        ]);
        let answer = decoder.next_answer().unwrap().unwrap();
        assert_eq!(answer.sw3, 0x41);
        assert!(answer.data.is_empty());
    }

    #[test]
    fn bad_checksum_is_reported_and_decoding_resumes() {
        let good = Answer {
            sw1: 0,
            sw2: 0,
            sw3: 0x90,
            data: vec![1, 2, 3],
        };
        let mut bad = good.encode();
        let last = bad.len() - 1;
        bad[last] ^= 0xFF;
        let mut decoder = FrameDecoder::new();
        decoder.push(&bad);
        decoder.push(&good.encode());
        assert!(matches!(
            decoder.next_answer(),
            Some(Err(FrameError::Checksum { .. }))
        ));
        let mut found = None;
        while let Some(result) = decoder.next_answer() {
            if let Ok(answer) = result {
                found = Some(answer);
            }
        }
        assert_eq!(found, Some(good));
    }

    #[test]
    fn absurd_lengths_are_skipped() {
        let mut decoder = FrameDecoder::new();
        decoder.push(&[0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF]);
        assert_eq!(decoder.next_frame(), Some(Err(FrameError::Length(0xFFFF))));
        decoder.push(&[0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x00]);
        let mut errors = 0;
        while let Some(result) = decoder.next_frame() {
            assert!(result.is_err());
            errors += 1;
        }
        assert_eq!(errors, 1, "the zero length frame");
    }

    fn answers() -> impl Strategy<Value = Answer> {
        (
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..1400),
        )
            .prop_map(|(sw1, sw2, sw3, data)| Answer {
                sw1,
                sw2,
                sw3,
                data,
            })
    }

    fn no_preamble(bytes: &[u8]) -> bool {
        find_preamble(bytes).is_none()
    }

    proptest! {
        #[test]
        fn never_panics_on_any_bytes(chunks in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..300), 0..8)) {
            let mut decoder = FrameDecoder::new();
            for chunk in &chunks {
                decoder.push(chunk);
                while let Some(result) = decoder.next_frame() {
                    if let Ok(body) = result {
                        prop_assert!(body.len() < MAX_LENGTH);
                    }
                }
                prop_assert!(decoder.buffered() <= chunks.iter().map(Vec::len).sum::<usize>());
            }
        }

        #[test]
        fn answers_survive_any_split(answer in answers(), cut in 0usize..2000) {
            let bytes = answer.encode();
            let cut = cut.min(bytes.len());
            let mut decoder = FrameDecoder::new();
            decoder.push(&bytes[..cut]);
            let early = decoder.next_answer();
            if cut < bytes.len() {
                prop_assert!(early.is_none(), "a truncated frame is waited for");
                decoder.push(&bytes[cut..]);
                prop_assert_eq!(decoder.next_answer(), Some(Ok(answer)));
            } else {
                prop_assert_eq!(early, Some(Ok(answer)));
            }
            prop_assert_eq!(decoder.buffered(), 0);
        }

        #[test]
        fn resynchronises_after_garbage(
            garbage in proptest::collection::vec(any::<u8>(), 0..500)
                .prop_filter("no preamble in the garbage", |g| no_preamble(g)),
            answer in answers(),
        ) {
            let mut decoder = FrameDecoder::new();
            decoder.push(&garbage);
            decoder.push(&answer.encode());
            let mut found = None;
            while let Some(result) = decoder.next_answer() {
                if let Ok(a) = result {
                    found = Some(a);
                    break;
                }
            }
            prop_assert_eq!(found, Some(answer));
        }

        #[test]
        fn a_flipped_byte_after_the_length_is_always_caught(
            answer in answers(), at in 7usize..1500, flip in 1u8..=255,
        ) {
            let mut bytes = answer.encode();
            let at = at.min(bytes.len() - 1);
            bytes[at] ^= flip;
            let mut decoder = FrameDecoder::new();
            decoder.push(&bytes);
            let first = decoder.next_answer();
            prop_assert!(
                matches!(first, Some(Err(FrameError::Checksum { .. }))),
                "{:?}", first
            );
        }
    }
}
