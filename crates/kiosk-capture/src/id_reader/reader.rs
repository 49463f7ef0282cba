//! One reader on one link: commands with per-command timeouts, and the card read
//! (find → select → read text and photo) bounded as a whole.

use std::path::Path;
use std::time::{Duration, Instant};

use kiosk_core::id_card::ChipCard;

use super::error::IdReaderError;
use super::frame::{Answer, Command, FrameDecoder, FrameError, encode_command};
use super::serial::{Link, SerialPort};
use super::status::ReaderStatus;
use super::text;

/// Size of the WLT-compressed photo block.
pub const PHOTO_LEN: usize = 1024;

/// How long the kiosk waits for the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Per short command (SAM, find, select).
    pub command: Duration,
    /// For the text-and-photo read, which takes a real reader 0.5-1 s.
    pub read: Duration,
    /// The whole card read, all commands together.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            command: Duration::from_millis(1000),
            read: Duration::from_millis(3000),
            total: Duration::from_millis(5000),
        }
    }
}

impl Timeouts {
    /// The defaults with the whole read bounded by `total` (commands never wait longer).
    pub fn with_total(total: Duration) -> Self {
        let default = Self::default();
        Self {
            command: default.command.min(total),
            read: default.read.min(total),
            total,
        }
    }
}

/// What a card read hands over: the chip's text and its photo block.
#[derive(Clone, PartialEq, Eq)]
pub struct CardRead {
    /// The text block, decoded (not checked yet).
    pub card: ChipCard,
    /// The 1024-byte WLT photo block (decode with [`super::photo::WltDecoder`]).
    pub photo_wlt: Vec<u8>,
}

impl std::fmt::Debug for CardRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardRead")
            .field("card", &self.card)
            .field("photo_wlt", &format_args!("{} bytes", self.photo_wlt.len()))
            .finish()
    }
}

/// A GA 467 reader behind a [`Link`].
#[derive(Debug)]
pub struct IdReader<L: Link> {
    link: L,
    decoder: FrameDecoder,
    timeouts: Timeouts,
}

impl IdReader<SerialPort> {
    /// Opens the reader on serial port `path`.
    pub fn open(path: &Path, timeouts: Timeouts) -> Result<Self, IdReaderError> {
        Ok(Self::new(SerialPort::open(path)?, timeouts))
    }
}

impl<L: Link> IdReader<L> {
    /// A reader on `link`.
    pub fn new(link: L, timeouts: Timeouts) -> Self {
        Self {
            link,
            decoder: FrameDecoder::new(),
            timeouts,
        }
    }

    /// The link (the serial port).
    pub fn link(&self) -> &L {
        &self.link
    }

    /// The timeouts in use.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// Sends `command` and waits for its answer until `timeout` (capped by `deadline`).
    /// A bad checksum is retried once: the command is sent again.
    pub fn transact(
        &mut self,
        command: Command,
        timeout: Duration,
        deadline: Instant,
    ) -> Result<Answer, IdReaderError> {
        match self.exchange(command, timeout, deadline) {
            Err(IdReaderError::Checksum { .. }) => self.exchange(command, timeout, deadline),
            other => other,
        }
    }

    fn exchange(
        &mut self,
        command: Command,
        timeout: Duration,
        deadline: Instant,
    ) -> Result<Answer, IdReaderError> {
        let started = Instant::now();
        let until = (started + timeout).min(deadline);
        let waited = until.saturating_duration_since(started);
        self.link.discard_input()?;
        self.decoder.clear();
        self.link.send(&encode_command(command, &[]), until)?;
        let mut buf = [0u8; 2048];
        let mut garbled = false;
        loop {
            while let Some(result) = self.decoder.next_answer() {
                match result {
                    Ok(answer) => return Ok(answer),
                    Err(FrameError::Checksum { .. }) => garbled = true,
                    Err(FrameError::Length(_)) => {}
                }
            }
            if garbled && self.decoder.buffered() == 0 {
                return Err(IdReaderError::Checksum { command });
            }
            let n = self.link.receive(&mut buf, until)?;
            if n == 0 {
                return Err(if garbled {
                    IdReaderError::Checksum { command }
                } else {
                    IdReaderError::Timeout {
                        command,
                        timeout: waited,
                    }
                });
            }
            self.decoder.push(&buf[..n]);
        }
    }

    /// The SAM module's id (16 bytes, shown as hex): answers only when the device is a
    /// working reader, so it is also the probe.
    pub fn sam_id(&mut self) -> Result<String, IdReaderError> {
        let deadline = Instant::now() + self.timeouts.command;
        let answer = self.transact(Command::SAM_ID, self.timeouts.command, deadline)?;
        match ReaderStatus::from_sw3(answer.sw3) {
            ReaderStatus::Success => Ok(answer.data.iter().map(|b| format!("{b:02X}")).collect()),
            status => Err(IdReaderError::Status {
                command: Command::SAM_ID,
                status,
            }),
        }
    }

    /// Whether a card lies on the reader (find card, `20 01`).
    pub fn card_present(&mut self) -> Result<bool, IdReaderError> {
        let deadline = Instant::now() + self.timeouts.command;
        self.find(deadline)
    }

    fn find(&mut self, deadline: Instant) -> Result<bool, IdReaderError> {
        let answer = self.transact(Command::FIND_CARD, self.timeouts.command, deadline)?;
        match ReaderStatus::from_sw3(answer.sw3) {
            ReaderStatus::CardFound | ReaderStatus::Success => Ok(true),
            ReaderStatus::NoCard => Ok(false),
            status => Err(IdReaderError::Status {
                command: Command::FIND_CARD,
                status,
            }),
        }
    }

    /// Reads the card on the reader: find, select, read text and photo, within
    /// `timeouts.total`. No card → [`IdReaderError::NoCard`]; a card that leaves after being
    /// found → [`IdReaderError::CardRemoved`].
    pub fn read_card(&mut self) -> Result<CardRead, IdReaderError> {
        let deadline = Instant::now() + self.timeouts.total;
        if !self.find(deadline)? {
            return Err(IdReaderError::NoCard);
        }
        let selected = self.transact(Command::SELECT_CARD, self.timeouts.command, deadline)?;
        match ReaderStatus::from_sw3(selected.sw3) {
            ReaderStatus::Success => {}
            status @ (ReaderStatus::SelectFailed | ReaderStatus::NoCard) => {
                return Err(IdReaderError::CardRemoved { status });
            }
            status => {
                return Err(IdReaderError::Status {
                    command: Command::SELECT_CARD,
                    status,
                });
            }
        }
        let answer = self.transact(Command::READ_TEXT_PHOTO, self.timeouts.read, deadline)?;
        match ReaderStatus::from_sw3(answer.sw3) {
            ReaderStatus::Success => {}
            status @ (ReaderStatus::ReadFailed
            | ReaderStatus::NoCard
            | ReaderStatus::SelectFailed
            | ReaderStatus::RandomFailed) => return Err(IdReaderError::CardRemoved { status }),
            status => {
                return Err(IdReaderError::Status {
                    command: Command::READ_TEXT_PHOTO,
                    status,
                });
            }
        }
        split_text_photo(&answer.data)
    }
}

/// The text and photo blocks of a `30 01` answer: 2-byte text length, 2-byte photo length
/// (big-endian), then the blocks.
pub fn split_text_photo(data: &[u8]) -> Result<CardRead, IdReaderError> {
    let malformed = |detail: String| IdReaderError::Malformed {
        command: Command::READ_TEXT_PHOTO,
        detail,
    };
    let [t0, t1, p0, p1, rest @ ..] = data else {
        return Err(malformed(format!("{} bytes of data", data.len())));
    };
    let text_len = usize::from(u16::from_be_bytes([*t0, *t1]));
    let photo_len = usize::from(u16::from_be_bytes([*p0, *p1]));
    if text_len != text::TEXT_LEN || text_len + photo_len > rest.len() {
        return Err(malformed(format!(
            "text {text_len} + photo {photo_len} bytes declared, {} present",
            rest.len()
        )));
    }
    let card = text::decode(&rest[..text_len]).map_err(|e| malformed(e.to_string()))?;
    Ok(CardRead {
        card,
        photo_wlt: rest[text_len..text_len + photo_len].to_vec(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::VecDeque;

    use kiosk_core::problem::UserFacing;

    use super::*;

    /// A link that answers each command with scripted frames (or silence).
    #[derive(Default)]
    struct Scripted {
        answers: VecDeque<Option<Vec<u8>>>,
        pending: Vec<u8>,
        sent: Vec<Vec<u8>>,
    }

    impl Link for Scripted {
        fn send(&mut self, bytes: &[u8], _: Instant) -> Result<(), IdReaderError> {
            self.sent.push(bytes.to_vec());
            if let Some(Some(answer)) = self.answers.pop_front() {
                self.pending.extend(answer);
            }
            Ok(())
        }
        fn receive(&mut self, buf: &mut [u8], _: Instant) -> Result<usize, IdReaderError> {
            let n = self.pending.len().min(buf.len()).min(7);
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            Ok(n)
        }
        fn discard_input(&mut self) -> Result<(), IdReaderError> {
            Ok(())
        }
    }

    fn answer(sw3: u8, data: &[u8]) -> Option<Vec<u8>> {
        Some(
            Answer {
                sw1: 0,
                sw2: 0,
                sw3,
                data: data.to_vec(),
            }
            .encode(),
        )
    }

    fn card_data() -> Vec<u8> {
        let mut data = vec![0x01, 0x00, 0x04, 0x00];
        data.extend(text::tests::resident_block());
        data.extend((0..PHOTO_LEN).map(|i| (i % 251) as u8));
        data
    }

    fn reader(answers: Vec<Option<Vec<u8>>>) -> IdReader<Scripted> {
        IdReader::new(
            Scripted {
                answers: answers.into(),
                ..Scripted::default()
            },
            Timeouts::with_total(Duration::from_millis(200)),
        )
    }

    #[test]
    fn a_card_is_found_selected_and_read() {
        let mut r = reader(vec![
            answer(0x9F, &[0, 0, 0, 0]),
            answer(0x90, &[0; 8]),
            answer(0x90, &card_data()),
        ]);
        let read = r.read_card().unwrap();
        assert_eq!(read.card.number, "11010519491231002X");
        assert_eq!(read.photo_wlt.len(), PHOTO_LEN);
        assert_eq!(read.photo_wlt[300], (300 % 251) as u8);
        let sent: Vec<(u8, u8)> = r.link.sent.iter().map(|f| (f[7], f[8])).collect();
        assert_eq!(sent, [(0x20, 0x01), (0x20, 0x02), (0x30, 0x01)]);
        assert!(!format!("{read:?}").contains("11010519491231002X"));
    }

    #[test]
    fn no_card_and_a_card_lifted_midway_have_their_own_codes() {
        let mut empty = reader(vec![answer(0x80, &[])]);
        assert_eq!(empty.read_card().unwrap_err().code(), "ID_READER_NO_CARD");
        let mut lifted = reader(vec![
            answer(0x9F, &[0; 4]),
            answer(0x90, &[0; 8]),
            answer(0x41, &[]),
        ]);
        assert_eq!(
            lifted.read_card().unwrap_err().code(),
            "ID_READER_CARD_REMOVED"
        );
        let mut select_failed = reader(vec![answer(0x9F, &[0; 4]), answer(0x81, &[])]);
        assert_eq!(
            select_failed.read_card().unwrap_err().code(),
            "ID_READER_CARD_REMOVED"
        );
    }

    #[test]
    fn a_bad_checksum_is_retried_once_then_reported() {
        let mut garbled = answer(0x9F, &[0; 4]).unwrap();
        let last = garbled.len() - 1;
        garbled[last] ^= 0x5A;
        let mut once = reader(vec![Some(garbled.clone()), answer(0x9F, &[0; 4])]);
        assert!(once.card_present().unwrap(), "the resent command succeeds");
        assert_eq!(once.link.sent.len(), 2);
        let mut twice = reader(vec![Some(garbled.clone()), Some(garbled)]);
        assert_eq!(
            twice.card_present().unwrap_err().code(),
            "ID_READER_CHECKSUM"
        );
    }

    #[test]
    fn silence_is_a_timeout() {
        let mut silent = reader(vec![None]);
        let error = silent.card_present().unwrap_err();
        assert_eq!(error.code(), "ID_READER_TIMEOUT");
    }

    #[test]
    fn other_statuses_keep_their_meaning() {
        let mut wrong = reader(vec![
            answer(0x9F, &[0; 4]),
            answer(0x90, &[]),
            answer(0x40, &[]),
        ]);
        assert_eq!(
            wrong.read_card().unwrap_err().code(),
            "ID_READER_WRONG_CARD"
        );
        let mut sam = reader(vec![answer(0x60, &[])]);
        assert_eq!(sam.sam_id().unwrap_err().code(), "ID_READER_SELF_TEST");
        let mut ok = reader(vec![answer(0x90, &[0xAB; 16])]);
        assert_eq!(ok.sam_id().unwrap(), "AB".repeat(16));
    }

    #[test]
    fn inconsistent_block_lengths_are_malformed() {
        let mut data = card_data();
        data[0] = 0x02;
        assert_eq!(
            split_text_photo(&data).unwrap_err().code(),
            "ID_READER_MALFORMED"
        );
        assert_eq!(
            split_text_photo(&[1, 0]).unwrap_err().code(),
            "ID_READER_MALFORMED"
        );
        let short = &card_data()[..600];
        assert_eq!(
            split_text_photo(short).unwrap_err().code(),
            "ID_READER_MALFORMED"
        );
    }
}
