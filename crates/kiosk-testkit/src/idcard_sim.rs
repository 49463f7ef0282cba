//! A simulated second-generation ID-card reader on a pseudo-terminal, speaking the real GA 467
//! frames: tests (and `idcard-sim`, the binary around it) open its slave path exactly like a
//! reader's `/dev/ttyUSB0`.
//!
//! The reader side of the protocol is written here on its own (not borrowed from
//! `kiosk-capture`), so that a misunderstanding of the protocol cannot hide on both sides.
//!
//! What it can do: hold fictitious cards (resident ID cards with valid GB 11643 numbers, a
//! foreigner's permanent residence card of 2017 and of 2023, a HK/Macao/Taiwan residence
//! permit), be empty, answer with bad checksums (always or once), lose the card after it was
//! selected, stay silent, send garbage before its answers, fail its SAM self-test, report a
//! wrong card, take realistic time per command, and be unplugged.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::pty::OpenptFlags;
use rustix::termios::{OptionalActions, tcgetattr, tcsetattr};
use serde::Deserialize;

const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];
const TEXT_LEN: usize = 256;
const PHOTO_LEN: usize = 1024;

/// Which layout a card's text block uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SimCardKind {
    /// 居民身份证.
    Resident,
    /// 外国人永久居留身份证, 2017 (mark `I`).
    Foreign2017,
    /// 外国人永久居留身份证, 2023 (mark `Y`).
    Foreign2023,
    /// 港澳台居民居住证 (mark `J`).
    ResidencePermit,
}

/// A card as written in a script: every field as the chip stores it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimCard {
    /// Layout.
    pub kind: SimCardKind,
    /// Chinese name (may be empty on a foreigner's card).
    #[serde(default)]
    pub name: String,
    /// Latin name (foreigner's cards).
    #[serde(default)]
    pub name_latin: String,
    /// `1` male, `2` female.
    pub sex: String,
    /// GB/T 3304 code (resident cards).
    #[serde(default)]
    pub ethnicity: String,
    /// `YYYYMMDD`.
    pub birth: String,
    /// 住址.
    #[serde(default)]
    pub address: String,
    /// Document number.
    pub number: String,
    /// 签发机关 (or the authority code of a 2017 foreigner's card).
    #[serde(default)]
    pub authority: String,
    /// `YYYYMMDD`.
    pub valid_from: String,
    /// `YYYYMMDD` or `长期`.
    pub valid_until: String,
    /// Three-letter nationality (foreigner's cards).
    #[serde(default)]
    pub nationality: String,
    /// 通行证号码 (residence permits).
    #[serde(default)]
    pub permit_number: String,
    /// 签发次数 / 换证次数.
    #[serde(default)]
    pub issue_count: String,
}

impl SimCard {
    /// The built-in fictitious cards, by name: `zhang-san` (GB 11643's example number, female,
    /// born 1949, long-term), `li-si` (male, born 1990, 2018-2038), `expired` (a child's card
    /// that ended in 2020), `foreign-2023`, `foreign-2017`, `permit-hk`.
    pub fn preset(name: &str) -> Option<Self> {
        let resident = |name: &str, sex: &str, ethnicity: &str, birth: &str, number: &str| Self {
            kind: SimCardKind::Resident,
            name: name.to_owned(),
            name_latin: String::new(),
            sex: sex.to_owned(),
            ethnicity: ethnicity.to_owned(),
            birth: birth.to_owned(),
            address: "北京市朝阳区示例路1号".to_owned(),
            number: number.to_owned(),
            authority: "北京市公安局朝阳分局".to_owned(),
            valid_from: String::new(),
            valid_until: String::new(),
            nationality: String::new(),
            permit_number: String::new(),
            issue_count: String::new(),
        };
        Some(match name {
            "zhang-san" => Self {
                valid_from: "20150101".into(),
                valid_until: "长期".into(),
                ..resident("张三", "2", "01", "19491231", "11010519491231002X")
            },
            "li-si" => Self {
                valid_from: "20180601".into(),
                valid_until: "20380601".into(),
                ..resident("李四", "1", "03", "19900307", "110101199003071233")
            },
            "expired" => Self {
                address: "广东省深圳市南山区示例街道9号".into(),
                authority: "深圳市公安局南山分局".into(),
                valid_from: "20150601".into(),
                valid_until: "20200601".into(),
                ..resident("王小妹", "2", "01", "20100512", "440305201005120046")
            },
            "foreign-2023" => Self {
                kind: SimCardKind::Foreign2023,
                name_latin: "SMITH JOHN".into(),
                ethnicity: String::new(),
                address: String::new(),
                authority: String::new(),
                valid_from: "20240101".into(),
                valid_until: "20340101".into(),
                nationality: "USA".into(),
                issue_count: "00".into(),
                ..resident("", "1", "", "19850621", "911840198506210010")
            },
            "foreign-2017" => Self {
                kind: SimCardKind::Foreign2017,
                name_latin: "SMITH JOHN".into(),
                address: String::new(),
                authority: "1100".into(),
                valid_from: "20170616".into(),
                valid_until: "20270616".into(),
                nationality: "USA".into(),
                ..resident("史密斯", "1", "", "19850621", "USA110085062101")
            },
            "permit-hk" => Self {
                kind: SimCardKind::ResidencePermit,
                address: "广东省深圳市福田区示例路2号".into(),
                authority: "深圳市公安局".into(),
                valid_from: "20220101".into(),
                valid_until: "20270101".into(),
                permit_number: "H12345678".into(),
                issue_count: "01".into(),
                ..resident("陈大文", "2", "", "19940823", "810000199408230021")
            },
            _ => return None,
        })
    }

    /// Names of the presets.
    pub const PRESETS: [&'static str; 6] = [
        "zhang-san",
        "li-si",
        "expired",
        "foreign-2023",
        "foreign-2017",
        "permit-hk",
    ];

    /// The chip's 256-byte text block (UTF-16LE, fields padded with spaces).
    pub fn text_block(&self) -> Vec<u8> {
        let fields: Vec<(&str, usize)> = match self.kind {
            SimCardKind::Resident | SimCardKind::ResidencePermit => {
                let mut f = vec![
                    (self.name.as_str(), 30),
                    (self.sex.as_str(), 2),
                    (self.ethnicity.as_str(), 4),
                    (self.birth.as_str(), 16),
                    (self.address.as_str(), 70),
                    (self.number.as_str(), 36),
                    (self.authority.as_str(), 30),
                    (self.valid_from.as_str(), 16),
                    (self.valid_until.as_str(), 16),
                ];
                if self.kind == SimCardKind::ResidencePermit {
                    f.extend([
                        (self.permit_number.as_str(), 18),
                        (self.issue_count.as_str(), 4),
                        ("", 6),
                        ("J", 2),
                    ]);
                }
                f
            }
            SimCardKind::Foreign2017 => vec![
                (self.name_latin.as_str(), 120),
                (self.sex.as_str(), 2),
                (self.number.as_str(), 30),
                (self.nationality.as_str(), 6),
                (self.name.as_str(), 30),
                (self.valid_from.as_str(), 16),
                (self.valid_until.as_str(), 16),
                (self.birth.as_str(), 16),
                ("01", 4),
                (self.authority.as_str(), 8),
                ("I", 2),
            ],
            SimCardKind::Foreign2023 => vec![
                (self.name.as_str(), 30),
                (self.sex.as_str(), 2),
                (self.issue_count.as_str(), 4),
                (self.birth.as_str(), 16),
                (self.name_latin.as_str(), 70),
                (self.number.as_str(), 36),
                ("", 30),
                (self.valid_from.as_str(), 16),
                (self.valid_until.as_str(), 16),
                ("", 22),
                (self.nationality.as_str(), 6),
                ("Y", 2),
            ],
        };
        let mut block = Vec::with_capacity(TEXT_LEN);
        for (text, len) in fields {
            let mut units: Vec<u16> = text.encode_utf16().collect();
            units.truncate(len / 2);
            units.resize(len / 2, u16::from(b' '));
            block.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        }
        block.resize(TEXT_LEN, 0);
        block
    }
}

/// A 1024-byte photo block. Not a real WLT image (only the vendors' encoder writes those):
/// deterministic bytes, so a test can tell the block arrived intact.
pub fn photo_block(seed: u64) -> Vec<u8> {
    crate::noise::bytes(seed, PHOTO_LEN)
}

/// A stand-in for the vendor's `libwlt2bmp.so`: it cannot decode WLT (only the vendors
/// can), but it has the vendor's `int unpack(const char *wlt, char *out, int flag)` and writes
/// a real 102×126 BMP whose pixel (x, y) is `[x, y, wlt[(x + y) % 1024]]` (RGB), returning 1
/// (0 when `flag` is not 0). Tests of the decoder loading use it.
pub const FAKE_WLT_DECODER_C: &str = r#"
#include <string.h>
int unpack(const char *src, char *dst, int flag) {
    if (flag != 0) return 0;
    const int w = 102, h = 126, row = 308, size = 54 + row * h;
    memset(dst, 0, size);
    dst[0] = 'B'; dst[1] = 'M';
    memcpy(dst + 2, &size, 4);
    int off = 54, hdr = 40, bits = 24; short planes = 1;
    memcpy(dst + 10, &off, 4); memcpy(dst + 14, &hdr, 4);
    memcpy(dst + 18, &w, 4); memcpy(dst + 22, &h, 4);
    memcpy(dst + 26, &planes, 2); memcpy(dst + 28, &bits, 2);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *p = (unsigned char *)dst + 54 + (h - 1 - y) * row + x * 3;
            p[0] = (unsigned char)src[(x + y) % 1024];
            p[1] = (unsigned char)y;
            p[2] = (unsigned char)x;
        }
    return 1;
}
"#;

/// Compiles [`FAKE_WLT_DECODER_C`] with `cc` into `dir/libwlt2bmp.so` and returns its path.
pub fn fake_wlt_decoder(dir: &Path) -> PathBuf {
    let source = dir.join("fake_wlt.c");
    let library = dir.join("libwlt2bmp.so");
    std::fs::write(&source, FAKE_WLT_DECODER_C).expect("write the C source");
    let status = std::process::Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(&source)
        .status()
        .expect("a C compiler (build-essential is in scripts/bootstrap)");
    assert!(status.success(), "cc failed");
    library
}

/// How the simulated reader misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// It behaves.
    None,
    /// Every answer's checksum is wrong.
    BadChecksum,
    /// The next answer's checksum is wrong, then it behaves.
    BadChecksumOnce,
    /// The card leaves after select: the read answers `00 00 41` and the reader is empty.
    RemovedAfterSelect,
    /// It answers nothing.
    Silent,
    /// Bytes of noise before every answer.
    Garbage,
    /// SAM commands answer `00 00 60` (self-test failed).
    SamFailure,
    /// The read answers `00 00 40` (not an identity card).
    WrongCard,
}

impl Fault {
    /// Parses the kebab-case name (`bad-checksum`, `removed-after-select`, ...).
    pub fn parse(name: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }
}

/// How long the simulated reader takes per command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delays {
    /// Before answering find card.
    #[serde(default)]
    pub find_ms: u64,
    /// Before answering select card.
    #[serde(default)]
    pub select_ms: u64,
    /// Before answering the text-and-photo read.
    #[serde(default)]
    pub read_ms: u64,
}

impl Delays {
    /// What a real reader takes: a card read of about 0.9 s in all.
    pub const REALISTIC: Self = Self {
        find_ms: 20,
        select_ms: 30,
        read_ms: 800,
    };
}

/// What the simulator starts with.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Cards in turn: the first lies on the reader from the start (unless `start_empty`);
    /// `next` places the following one.
    pub cards: Vec<SimCard>,
    /// Start without a card on the reader.
    pub start_empty: bool,
    /// Misbehaviour.
    pub fault: Fault,
    /// Time per command.
    pub delays: Delays,
    /// The photo block sent with every card.
    pub photo: Vec<u8>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            cards: Vec::new(),
            start_empty: false,
            fault: Fault::None,
            delays: Delays::default(),
            photo: photo_block(1),
        }
    }
}

/// A script file for `idcard-sim --script`: cards by preset name or in full.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Script {
    /// Preset names or card objects.
    #[serde(default)]
    pub cards: Vec<ScriptCard>,
    /// Start without a card.
    #[serde(default)]
    pub start_empty: bool,
    /// Misbehaviour.
    #[serde(default)]
    pub fault: Option<Fault>,
    /// Time per command.
    #[serde(default)]
    pub delays: Option<Delays>,
}

/// A card in a script.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ScriptCard {
    /// A preset's name.
    Preset(String),
    /// A card in full.
    Card(Box<SimCard>),
}

impl Script {
    /// The configuration this script describes (unknown preset names are an error).
    pub fn config(&self) -> Result<SimConfig, String> {
        let cards = self
            .cards
            .iter()
            .map(|c| match c {
                ScriptCard::Preset(name) => {
                    SimCard::preset(name).ok_or_else(|| format!("unknown preset card {name}"))
                }
                ScriptCard::Card(card) => Ok((**card).clone()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SimConfig {
            cards,
            start_empty: self.start_empty,
            fault: self.fault.unwrap_or(Fault::None),
            delays: self.delays.unwrap_or_default(),
            photo: photo_block(1),
        })
    }
}

/// What the simulator's thread and its handle share.
#[derive(Debug)]
struct State {
    cards: Vec<SimCard>,
    next_card: usize,
    present: Option<SimCard>,
    placed_at: Option<Instant>,
    fault: Fault,
    delays: Delays,
    photo: Vec<u8>,
    unplug: bool,
    stop: bool,
    commands: Vec<(u8, u8)>,
}

/// A running simulated reader. Dropping it unplugs it.
#[derive(Debug)]
pub struct IdCardSim {
    path: PathBuf,
    state: Arc<Mutex<State>>,
    thread: Option<JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl IdCardSim {
    /// Opens a pseudo-terminal and starts answering on it.
    pub fn start(config: SimConfig) -> Self {
        let master =
            rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("posix_openpt");
        rustix::pty::grantpt(&master).expect("grantpt");
        rustix::pty::unlockpt(&master).expect("unlockpt");
        let name = rustix::pty::ptsname(&master, Vec::new()).expect("ptsname");
        let path = PathBuf::from(name.to_string_lossy().into_owned());
        // Keep one slave descriptor open (so the master never reads EIO while no reader has
        // the port open) and put the line in raw mode before anyone writes.
        let slave = rustix::fs::open(
            &path,
            rustix::fs::OFlags::RDWR | rustix::fs::OFlags::NOCTTY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .expect("open the pty's slave");
        let mut termios = tcgetattr(&slave).expect("tcgetattr");
        termios.make_raw();
        tcsetattr(&slave, OptionalActions::Now, &termios).expect("raw mode");
        let mut cards = config.cards.into_iter();
        let first = cards.next();
        let rest: Vec<SimCard> = cards.collect();
        let (present, queue, next_card) = match first {
            Some(card) if !config.start_empty => (Some(card), rest, 0),
            Some(card) => (None, std::iter::once(card).chain(rest).collect(), 0),
            None => (None, rest, 0),
        };
        let state = Arc::new(Mutex::new(State {
            placed_at: present.as_ref().map(|_| Instant::now()),
            cards: queue,
            next_card,
            present,
            fault: config.fault,
            delays: config.delays,
            photo: config.photo,
            unplug: false,
            stop: false,
            commands: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("idcard-sim".into())
            .spawn(move || serve(master, slave, &shared))
            .expect("simulator thread");
        Self {
            path,
            state,
            thread: Some(thread),
        }
    }

    /// Starts with `cards` on the reader (the first lies on it).
    pub fn with_cards(cards: &[&str]) -> Self {
        Self::start(SimConfig {
            cards: cards
                .iter()
                .map(|name| SimCard::preset(name).expect("a preset card"))
                .collect(),
            ..SimConfig::default()
        })
    }

    /// The port to open (`/dev/pts/N`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lays `card` on the reader (replacing any card there).
    pub fn place(&self, card: SimCard) {
        let mut state = lock(&self.state);
        state.present = Some(card);
        state.placed_at = Some(Instant::now());
    }

    /// Lays the next queued card on the reader; `false` when the queue is empty.
    pub fn place_next(&self) -> bool {
        let mut state = lock(&self.state);
        let Some(card) = state.cards.get(state.next_card).cloned() else {
            return false;
        };
        state.next_card += 1;
        state.present = Some(card);
        state.placed_at = Some(Instant::now());
        true
    }

    /// Lifts the card.
    pub fn remove(&self) {
        let mut state = lock(&self.state);
        state.present = None;
        state.placed_at = None;
    }

    /// When the card on the reader was placed.
    pub fn placed_at(&self) -> Option<Instant> {
        lock(&self.state).placed_at
    }

    /// Changes the misbehaviour.
    pub fn set_fault(&self, fault: Fault) {
        lock(&self.state).fault = fault;
    }

    /// Changes the time per command.
    pub fn set_delays(&self, delays: Delays) {
        lock(&self.state).delays = delays;
    }

    /// The commands received so far (command, parameter).
    pub fn commands(&self) -> Vec<(u8, u8)> {
        lock(&self.state).commands.clone()
    }

    /// Unplugs the reader: the pty's master closes, the port hangs up.
    pub fn unplug(&mut self) {
        lock(&self.state).unplug = true;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for IdCardSim {
    fn drop(&mut self) {
        lock(&self.state).stop = true;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: reads command frames from the master, answers them, until stopped.
fn serve(master: OwnedFd, slave: OwnedFd, state: &Mutex<State>) {
    let mut input: Vec<u8> = Vec::new();
    let mut buf = [0u8; 512];
    let mut noise_seed = 7u64;
    loop {
        {
            let s = lock(state);
            if s.stop || s.unplug {
                break;
            }
        }
        let mut fds = [PollFd::new(&master, PollFlags::IN)];
        let tick = Timespec {
            tv_sec: 0,
            tv_nsec: 20_000_000,
        };
        match rustix::event::poll(&mut fds, Some(&tick)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => continue,
            Ok(_) => {}
            Err(_) => break,
        }
        let n = match rustix::io::read(&master, &mut buf) {
            Ok(n) => n,
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
            Err(_) => break,
        };
        input.extend_from_slice(&buf[..n]);
        while let Some((cmd, param)) = next_command(&mut input) {
            let answer = {
                let mut s = lock(state);
                s.commands.push((cmd, param));
                respond(&mut s, cmd, param)
            };
            let Some((delay, mut bytes)) = answer else {
                continue;
            };
            std::thread::sleep(delay);
            if lock(state).fault == Fault::Garbage {
                noise_seed += 1;
                let mut noisy = crate::noise::bytes(noise_seed, 37);
                noisy.retain(|b| *b != 0xAA);
                noisy.extend(bytes);
                bytes = noisy;
            }
            if write_all(&master, &bytes).is_err() {
                return;
            }
        }
    }
    drop(slave);
    drop(master);
}

fn write_all(fd: &OwnedFd, mut bytes: &[u8]) -> rustix::io::Result<()> {
    while !bytes.is_empty() {
        match rustix::io::write(fd, bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The next well-formed command frame in `input` (garbage and bad frames are dropped).
fn next_command(input: &mut Vec<u8>) -> Option<(u8, u8)> {
    loop {
        let start = input.windows(5).position(|w| w == PREAMBLE)?;
        input.drain(..start);
        let length = usize::from(u16::from_be_bytes([*input.get(5)?, *input.get(6)?]));
        if length < 3 {
            input.drain(..1);
            continue;
        }
        let frame = input.get(..7 + length)?;
        let sum = frame[5..7 + length - 1].iter().fold(0u8, |a, b| a ^ b);
        let command = (frame[7], frame[8]);
        let good = sum == frame[7 + length - 1];
        input.drain(..if good { 7 + length } else { 1 });
        if good {
            return Some(command);
        }
    }
}

/// An answer frame.
fn answer(sw3: u8, data: &[u8]) -> Vec<u8> {
    let length = u16::try_from(3 + data.len() + 1).unwrap_or(u16::MAX);
    let mut frame = PREAMBLE.to_vec();
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(&[0, 0, sw3]);
    frame.extend_from_slice(data);
    let sum = frame[5..].iter().fold(0u8, |a, b| a ^ b);
    frame.push(sum);
    frame
}

/// What the reader answers to `cmd param` now, and after how long; `None` for silence.
fn respond(state: &mut State, cmd: u8, param: u8) -> Option<(Duration, Vec<u8>)> {
    if state.fault == Fault::Silent {
        return None;
    }
    let ms = Duration::from_millis;
    let (delay, mut frame) = match (cmd, param) {
        (0x10..=0x12, 0xFF) if state.fault == Fault::SamFailure => (ms(0), answer(0x60, &[])),
        (0x10 | 0x11, 0xFF) => (ms(0), answer(0x90, &[])),
        (0x12, 0xFF) => (
            ms(0),
            answer(
                0x90,
                &[
                    0x05, 0, 0x01, 0, 0x1A, 0x2B, 0x3C, 0x4D, 1, 2, 3, 4, 5, 6, 7, 8,
                ],
            ),
        ),
        (0x20, 0x01) => match state.present {
            Some(_) => (ms(state.delays.find_ms), answer(0x9F, &[0, 0, 0, 0])),
            None => (ms(state.delays.find_ms), answer(0x80, &[])),
        },
        (0x20, 0x02) => match state.present {
            Some(_) => (ms(state.delays.select_ms), answer(0x90, &[0; 8])),
            None => (ms(state.delays.select_ms), answer(0x81, &[])),
        },
        (0x30, 0x01) => {
            let delay = ms(state.delays.read_ms);
            match (&state.present, state.fault) {
                (Some(_), Fault::RemovedAfterSelect) => {
                    state.present = None;
                    state.placed_at = None;
                    (delay, answer(0x41, &[]))
                }
                (Some(_), Fault::WrongCard) => (delay, answer(0x40, &[])),
                (Some(card), _) => {
                    let mut data = Vec::with_capacity(4 + TEXT_LEN + PHOTO_LEN);
                    data.extend_from_slice(&(TEXT_LEN as u16).to_be_bytes());
                    data.extend_from_slice(&(state.photo.len() as u16).to_be_bytes());
                    data.extend(card.text_block());
                    data.extend_from_slice(&state.photo);
                    (delay, answer(0x90, &data))
                }
                (None, _) => (delay, answer(0x41, &[])),
            }
        }
        _ => (ms(0), answer(0x21, &[])),
    };
    if matches!(state.fault, Fault::BadChecksum | Fault::BadChecksumOnce) {
        if let Some(last) = frame.last_mut() {
            *last ^= 0x5A;
        }
        if state.fault == Fault::BadChecksumOnce {
            state.fault = Fault::None;
        }
    }
    Some((delay, frame))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    fn check_char(first17: &str) -> char {
        let sum: u32 = first17
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        char::from(b"10X98765432"[(sum % 11) as usize])
    }

    #[test]
    fn preset_numbers_carry_valid_gb_11643_check_characters() {
        for name in SimCard::PRESETS {
            let card = SimCard::preset(name).unwrap();
            if card.number.len() == 18 {
                let (first, last) = card.number.split_at(17);
                assert_eq!(check_char(first).to_string(), last, "{name}");
                assert_eq!(
                    &first[6..14],
                    card.birth,
                    "{name}: birth date in the number"
                );
            }
            assert_eq!(card.text_block().len(), TEXT_LEN, "{name}");
        }
        assert!(SimCard::preset("nobody").is_none());
    }

    #[test]
    fn text_blocks_put_the_card_mark_at_byte_248() {
        let mark = |name| SimCard::preset(name).unwrap().text_block()[248];
        assert_eq!(mark("foreign-2017"), b'I');
        assert_eq!(mark("foreign-2023"), b'Y');
        assert_eq!(mark("permit-hk"), b'J');
        assert_eq!(mark("zhang-san"), 0);
    }

    #[test]
    fn command_frames_are_parsed_after_garbage() {
        let mut input = vec![1, 2, 0xAA, 3];
        input.extend_from_slice(&[0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22]);
        assert_eq!(next_command(&mut input), Some((0x20, 0x01)));
        assert!(input.is_empty());
        let mut bad = vec![0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x23];
        assert_eq!(next_command(&mut bad), None);
    }

    #[test]
    fn scripts_name_presets_or_whole_cards() {
        let script: Script = serde_json::from_str(
            r#"{"cards": ["li-si", {"kind": "resident", "name": "赵六", "sex": "1",
                "birth": "19800101", "number": "110101198001010013",
                "validFrom": "20100101", "validUntil": "20300101"}],
                "fault": "bad-checksum-once", "delays": {"readMs": 5}}"#,
        )
        .unwrap();
        let config = script.config().unwrap();
        assert_eq!(config.cards.len(), 2);
        assert_eq!(config.cards[1].name, "赵六");
        assert_eq!(config.fault, Fault::BadChecksumOnce);
        assert_eq!(config.delays.read_ms, 5);
        assert_eq!(
            Fault::parse("removed-after-select"),
            Some(Fault::RemovedAfterSelect)
        );
        let unknown: Script = serde_json::from_str(r#"{"cards": ["nobody"]}"#).unwrap();
        assert!(unknown.config().is_err());
    }
}
