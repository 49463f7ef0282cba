//! ID-card reader use cases, the same for the app and `kioskctl idcard`: list the readers,
//! read a card (as it is, or as values for one person of one form), decode its photo, and
//! watch a reader for a card being placed while a reading screen is open.
//!
//! The kiosk holds at most one reader port open at a time ([`IdReaders`]): the watcher polls
//! "find card" on it every [`WATCH_INTERVAL`], and reads use the same port between polls.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use kiosk_capture::id_reader::detect::{self, ProbeCache, ReaderInfo, ReaderState};
use kiosk_capture::id_reader::{IdReader, IdReaderError, SerialPort, Timeouts, WltDecoder};
use kiosk_core::id_card::{ChipCard, fields_for};
use kiosk_core::{Problem, Profile, UserFacing};
use serde::Serialize;
use ts_rs::TS;

pub use kiosk_capture::id_reader::{CardRead, DetectConfig, Timeouts as ReaderTimeouts};
pub use kiosk_core::ApplicationKind;
pub use kiosk_core::id_card::{CardFill, CardSummary, PersonRole};

/// Environment variable naming the reader's port(s), `:`-separated (`/dev/ttyUSB0`, or a
/// simulator's `/dev/pts/N`): always listed and probed, whatever the port is.
pub const READER_ENV: &str = "KIOSK_ID_READER";
/// How often the watcher asks the reader whether a card lies on it.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(300);
/// How often the watcher looks for a reader again while none is usable (hot-plug).
pub const RESCAN_INTERVAL: Duration = Duration::from_secs(2);

/// The kiosk's ID-card readers: where to look, what was probed, the port held open.
pub struct IdReaders {
    config: DetectConfig,
    decoder_paths: Vec<PathBuf>,
    cache: Mutex<ProbeCache>,
    port: Mutex<Option<IdReader<SerialPort>>>,
    watch: Mutex<Option<Watch>>,
}

impl std::fmt::Debug for IdReaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdReaders")
            .field("config", &self.config)
            .field("decoder_paths", &self.decoder_paths)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl IdReaders {
    /// Readers found with `config`; the photo decoder is looked for at `decoder_paths`.
    pub fn new(config: DetectConfig, decoder_paths: Vec<PathBuf>) -> Self {
        Self {
            config,
            decoder_paths,
            cache: Mutex::new(ProbeCache::default()),
            port: Mutex::new(None),
            watch: Mutex::new(None),
        }
    }

    /// The machine's readers: `/dev` and `/sys`, plus the ports in `$KIOSK_ID_READER`; the
    /// photo decoder from `$KIOSK_WLT_DECODER` or the vendors' install paths.
    pub fn from_env() -> Self {
        let configured = std::env::var_os(READER_ENV)
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Self::new(
            DetectConfig {
                configured,
                ..DetectConfig::default()
            },
            WltDecoder::candidates(
                None,
                std::env::var(kiosk_capture::id_reader::photo::DECODER_ENV).ok(),
            ),
        )
    }

    /// Where readers are looked for.
    pub fn config(&self) -> &DetectConfig {
        &self.config
    }

    /// Path of the port held open (by the watcher or a read), if any.
    fn held_path(&self) -> Option<PathBuf> {
        lock(&self.port)
            .as_ref()
            .map(|r| r.link().path().to_path_buf())
    }
}

/// The readers found, and whether the reader tab is offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReaderList {
    /// Every port that may have a reader, with its state.
    pub readers: Vec<ReaderInfo>,
    /// Whether to offer reading a card: a reader is ready and, when a slot was named, the
    /// slot holds an identity document.
    pub offered: bool,
}

/// Lists the readers (probing new ports; results are cached per device node). With `slot`,
/// `offered` also requires the slot to hold an identity document.
pub fn list(readers: &IdReaders, slot: Option<&str>) -> ReaderList {
    let held = readers.held_path();
    let mut cache = lock(&readers.cache);
    if let Some(path) = &held {
        // The kiosk holds this port itself: it cannot be probed, and it is known to work.
        cache.mark_ready(path, None);
    }
    let found = detect::list(&readers.config, &mut cache);
    let ready = found.iter().any(|r| r.state == ReaderState::Ready);
    ReaderList {
        offered: ready && slot.is_none_or(kiosk_capture::slot::is_identity_document),
        readers: found,
    }
}

/// No reader to read with.
fn no_reader() -> Problem {
    Problem::new(
        "ID_READER_NONE",
        "没有找到可用的身份证读卡器。请检查读卡器的 USB 线，或手工填写证件信息。",
        "No working ID-card reader was found. Check the reader's USB cable, or type the card details by hand.",
    )
}

/// The port to read from: `device`, else the port held open, else the first ready reader.
fn choose(readers: &IdReaders, device: Option<&Path>) -> Result<PathBuf, Problem> {
    if let Some(device) = device.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(device.to_path_buf());
    }
    if let Some(held) = readers.held_path() {
        return Ok(held);
    }
    first_ready(readers).ok_or_else(no_reader)
}

/// Reads the card on the reader at `device` (or the one [`choose`] finds), within
/// `timeouts`; returns the port read from and the card. Uses the port the kiosk holds when
/// it is that one.
pub fn read(
    readers: &IdReaders,
    device: Option<&Path>,
    timeouts: Timeouts,
) -> Result<(PathBuf, CardRead), Problem> {
    let path = choose(readers, device)?;
    let started = Instant::now();
    let result = {
        let mut held = lock(&readers.port);
        match held.as_mut() {
            Some(reader) if reader.link().path() == path => {
                let result = reader.read_card();
                if matches!(result, Err(IdReaderError::Unplugged { .. })) {
                    *held = None;
                }
                result
            }
            _ => {
                drop(held);
                IdReader::open(&path, timeouts).and_then(|mut reader| reader.read_card())
            }
        }
    };
    match &result {
        Ok(read) => log::info!(
            "ID card read on {}: {:?} in {} ms",
            path.display(),
            read.card.kind,
            started.elapsed().as_millis()
        ),
        Err(error) => log::warn!(
            "ID card read on {} failed: {}",
            path.display(),
            error.code()
        ),
    }
    Ok((path, result?))
}

/// Whether the card's photo can be shown, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhotoNote {
    /// The vendor's decoder turned the chip's photo into a picture.
    pub available: bool,
    /// Why not (`ID_PHOTO_DECODER_MISSING`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<Problem>,
}

/// The chip's portrait as PNG, through the vendor's decoder when it is installed.
pub fn photo_png(readers: &IdReaders, read: &CardRead) -> Result<Vec<u8>, Problem> {
    let decoder = WltDecoder::find(&readers.decoder_paths)?;
    Ok(decoder.decode_png(&read.photo_wlt)?)
}

fn photo_note(readers: &IdReaders, read: &CardRead) -> PhotoNote {
    match photo_png(readers, read) {
        Ok(_) => PhotoNote {
            available: true,
            problem: None,
        },
        Err(problem) => PhotoNote {
            available: false,
            problem: Some(problem),
        },
    }
}

/// A card read, and (for a form) the values for one person: what became read-only, what
/// could not be filled and why; whether the photo is available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IdCardForForm {
    /// The port read from.
    pub device: String,
    /// The card as the screen may show it (masked).
    pub card: CardSummary,
    /// The values for the form, the read-only paths and the problems (when a form was named).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fill: Option<CardFill>,
    /// The photo.
    pub photo: PhotoNote,
}

/// Which form a card is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormTarget<'a> {
    /// Profile id (`most`, `tianjin`, ...).
    pub profile: &'a str,
    /// The flow.
    pub kind: ApplicationKind,
    /// The person of the flow the card belongs to.
    pub role: PersonRole,
}

/// The values `card` puts into `target` on the day of `now_ms` (China time).
pub fn fill_form(
    card: &ChipCard,
    target: FormTarget<'_>,
    now_ms: i64,
) -> Result<CardFill, Problem> {
    let profile = Profile::by_id(target.profile).map_err(|e| e.problem().at("profile"))?;
    let today = crate::validate::today_in_china(now_ms);
    Ok(fields_for(profile, target.kind, target.role, card, today))
}

/// Reads the card (see [`read`]) and, with a `target`, maps it onto that form
/// ([`fill_form`]). Without a target only the masked card comes back (a device check).
pub fn read_for_form(
    readers: &IdReaders,
    device: Option<&Path>,
    target: Option<FormTarget<'_>>,
    timeouts: Timeouts,
    now_ms: i64,
) -> Result<IdCardForForm, Problem> {
    if let Some(target) = target {
        // Refuse an unknown profile before touching the reader.
        Profile::by_id(target.profile).map_err(|e| e.problem().at("profile"))?;
    }
    let (path, read) = read(readers, device, timeouts)?;
    let fill = match target {
        Some(target) => {
            let fill = fill_form(&read.card, target, now_ms)?;
            log::info!(
                "ID card mapped for {} {}: {} field(s) filled, {} problem(s)",
                target.profile,
                target.kind.as_str(),
                fill.fields.len(),
                fill.problems.len()
            );
            Some(fill)
        }
        None => None,
    };
    Ok(IdCardForForm {
        device: path.display().to_string(),
        card: read.card.summary(),
        photo: photo_note(readers, &read),
        fill,
    })
}

/// What the watcher reports (the app's `id-card-present` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardPresence {
    /// The reader's port (empty while none is usable).
    pub device: String,
    /// Whether a card lies on it.
    pub present: bool,
    /// Why the reader cannot be used right now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<Problem>,
}

/// Called by the watcher with every change.
pub type PresenceSink = Box<dyn Fn(CardPresence) + Send + 'static>;

/// A running watcher.
struct Watch {
    device: Option<PathBuf>,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// Starts watching for a card on `device` (or the first ready reader), reporting every
/// change to `sink`: a card placed or lifted, the reader unusable (with the problem) or back.
/// Already watching the same device: nothing changes. Stop it with [`watch_stop`].
pub fn watch_start(readers: &Arc<IdReaders>, device: Option<PathBuf>, sink: PresenceSink) {
    let mut watch = lock(&readers.watch);
    if let Some(running) = watch.as_ref()
        && running.device == device
        && !running.thread.is_finished()
    {
        return;
    }
    if let Some(old) = watch.take() {
        old.stop.store(true, Ordering::SeqCst);
        let _ = old.thread.join();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let readers = Arc::clone(readers);
        let stop = Arc::clone(&stop);
        let device = device.clone();
        std::thread::spawn(move || watch_loop(&readers, device.as_deref(), &stop, &sink))
    };
    *watch = Some(Watch {
        device,
        stop,
        thread,
    });
    log::info!("ID-card watcher started");
}

/// Stops the watcher and closes the port it held (so other programs may use it).
pub fn watch_stop(readers: &IdReaders) {
    if let Some(watch) = lock(&readers.watch).take() {
        watch.stop.store(true, Ordering::SeqCst);
        let _ = watch.thread.join();
        log::info!("ID-card watcher stopped");
    }
    *lock(&readers.port) = None;
}

/// Whether a watcher is running.
pub fn watching(readers: &IdReaders) -> bool {
    lock(&readers.watch)
        .as_ref()
        .is_some_and(|w| !w.thread.is_finished())
}

fn watch_loop(readers: &IdReaders, device: Option<&Path>, stop: &AtomicBool, sink: &PresenceSink) {
    let mut last: Option<CardPresence> = None;
    let mut report = |now: CardPresence| {
        if last.as_ref() != Some(&now) {
            sink(now.clone());
            last = Some(now);
        }
    };
    let mut next_scan = Instant::now();
    let mut unusable = None;
    while !stop.load(Ordering::SeqCst) {
        let tick = Instant::now();
        let state = poll_once(readers, device, &mut next_scan, &mut unusable);
        report(state);
        let elapsed = tick.elapsed();
        let pause = WATCH_INTERVAL.saturating_sub(elapsed);
        let until = Instant::now() + pause;
        while Instant::now() < until && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20).min(pause));
        }
    }
}

/// One round of the watcher: make sure a port is open (looking again every
/// [`RESCAN_INTERVAL`] while none is; `unusable` keeps the last reason in between), then ask
/// for a card.
fn poll_once(
    readers: &IdReaders,
    device: Option<&Path>,
    next_scan: &mut Instant,
    unusable: &mut Option<CardPresence>,
) -> CardPresence {
    let none = || CardPresence {
        device: String::new(),
        present: false,
        problem: Some(no_reader()),
    };
    let mut held = lock(&readers.port);
    if held.is_none() {
        if Instant::now() < *next_scan {
            return unusable.clone().unwrap_or_else(none);
        }
        *next_scan = Instant::now() + RESCAN_INTERVAL;
        drop(held);
        let Some(path) = device
            .map(Path::to_path_buf)
            .or_else(|| first_ready(readers))
        else {
            *unusable = Some(none());
            return none();
        };
        let opened = IdReader::open(&path, Timeouts::default());
        held = lock(&readers.port);
        match opened {
            Ok(reader) => {
                lock(&readers.cache).mark_ready(reader.link().path(), None);
                *held = Some(reader);
                *unusable = None;
            }
            Err(error) => {
                let presence = CardPresence {
                    device: path.display().to_string(),
                    present: false,
                    problem: Some(error.problem()),
                };
                *unusable = Some(presence.clone());
                return presence;
            }
        }
    }
    let Some(reader) = held.as_mut() else {
        return CardPresence {
            device: String::new(),
            present: false,
            problem: Some(no_reader()),
        };
    };
    let device = reader.link().path().display().to_string();
    match reader.card_present() {
        Ok(present) => CardPresence {
            device,
            present,
            problem: None,
        },
        Err(error) => {
            let presence = CardPresence {
                device,
                present: false,
                problem: Some(error.problem()),
            };
            if matches!(
                error,
                IdReaderError::Unplugged { .. } | IdReaderError::Io { .. }
            ) {
                *held = None;
                *unusable = Some(presence.clone());
            }
            presence
        }
    }
}

/// The first ready reader, for the watcher (which holds no port yet).
fn first_ready(readers: &IdReaders) -> Option<PathBuf> {
    list(readers, None)
        .readers
        .into_iter()
        .find(|r| r.state == ReaderState::Ready)
        .map(|r| PathBuf::from(r.path))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::sync::mpsc;

    use kiosk_testkit::idcard_sim::{Fault, IdCardSim, SimCard, SimConfig};

    use super::*;

    fn readers_for(sim: &IdCardSim) -> Arc<IdReaders> {
        Arc::new(IdReaders::new(
            DetectConfig {
                dev_dir: "/nonexistent/dev".into(),
                sys_dir: "/nonexistent/sys".into(),
                configured: vec![sim.path().to_path_buf()],
                ..DetectConfig::default()
            },
            vec![PathBuf::from("/nonexistent/libwlt2bmp.so")],
        ))
    }

    const NOW: i64 = 1_795_451_400_000; // 2026-11-24 in Beijing

    fn most_person() -> FormTarget<'static> {
        FormTarget {
            profile: "most",
            kind: ApplicationKind::NaturalPerson,
            role: PersonRole::Person,
        }
    }

    #[test]
    fn the_simulated_reader_is_listed_and_offered_only_for_identity_slots() {
        let sim = IdCardSim::with_cards(&["zhang-san"]);
        let readers = readers_for(&sim);
        let all = list(&readers, None);
        assert!(all.offered);
        assert_eq!(all.readers[0].state, ReaderState::Ready);
        assert!(list(&readers, Some("id-front")).offered);
        assert!(!list(&readers, Some("business-licence")).offered);
        let nothing = IdReaders::new(
            DetectConfig {
                dev_dir: "/nonexistent".into(),
                sys_dir: "/nonexistent".into(),
                ..DetectConfig::default()
            },
            Vec::new(),
        );
        assert!(!list(&nothing, Some("id-front")).offered);
        assert_eq!(
            read(&nothing, None, Timeouts::default()).unwrap_err().code,
            "ID_READER_NONE"
        );
    }

    #[test]
    fn a_card_is_read_into_the_form_of_a_flow_without_its_photo_being_made_up() {
        let sim = IdCardSim::with_cards(&["zhang-san"]);
        let readers = readers_for(&sim);
        let form = read_for_form(
            &readers,
            None,
            Some(most_person()),
            Timeouts::default(),
            NOW,
        )
        .unwrap();
        assert_eq!(form.device, sim.path().display().to_string());
        let fill = form.fill.as_ref().unwrap();
        let value = |path: &str| {
            fill.fields
                .iter()
                .find(|f| f.path == path)
                .map(|f| f.value.clone())
        };
        assert_eq!(value("person.name").as_deref(), Some("张三"));
        assert_eq!(
            value("person.document.validity.until").as_deref(),
            Some("long-term")
        );
        assert_eq!(form.card.number, "110***********002X");
        assert!(!form.photo.available);
        assert_eq!(form.photo.problem.unwrap().code, "ID_PHOTO_DECODER_MISSING");
        let unknown = read_for_form(
            &readers,
            None,
            Some(FormTarget {
                profile: "atlantis",
                ..most_person()
            }),
            Timeouts::default(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(unknown.field.as_deref(), Some("profile"));
        let check = read_for_form(&readers, None, None, Timeouts::default(), NOW).unwrap();
        assert!(check.fill.is_none(), "a device check maps onto no form");
        assert_eq!(check.card.name, "张*");
    }

    #[test]
    fn the_watcher_reports_a_card_placed_and_reads_share_its_port() {
        let sim = IdCardSim::start(SimConfig {
            cards: vec![SimCard::preset("li-si").unwrap()],
            start_empty: true,
            ..SimConfig::default()
        });
        let readers = readers_for(&sim);
        let (tx, rx) = mpsc::channel();
        watch_start(
            &readers,
            None,
            Box::new(move |presence| {
                let _ = tx.send(presence);
            }),
        );
        let first = rx.recv_timeout(Duration::from_secs(3)).unwrap();
        assert_eq!(
            (first.present, first.problem.is_none()),
            (false, true),
            "{first:?}"
        );
        assert!(sim.place_next());
        let placed = rx.recv_timeout(Duration::from_secs(3)).unwrap();
        assert!(placed.present, "{placed:?}");
        assert!(
            sim.placed_at().unwrap().elapsed() < Duration::from_millis(1000),
            "noticed within a few polls"
        );
        // The watcher holds the port: the read goes through it, not a second open.
        let (_, read) = read(&readers, None, Timeouts::default()).unwrap();
        assert_eq!(read.card.name, "李四");
        assert!(
            list(&readers, Some("id-back")).offered,
            "held port listed ready"
        );
        sim.remove();
        let lifted = rx.recv_timeout(Duration::from_secs(3)).unwrap();
        assert!(!lifted.present);
        watch_stop(&readers);
        assert!(!watching(&readers));
        // The port is free again for other programs.
        IdReader::open(sim.path(), Timeouts::default()).expect("released");
    }

    #[test]
    fn the_watcher_says_when_the_reader_goes_away() {
        let mut sim = IdCardSim::with_cards(&["zhang-san"]);
        let readers = readers_for(&sim);
        let (tx, rx) = mpsc::channel();
        watch_start(
            &readers,
            Some(sim.path().to_path_buf()),
            Box::new(move |p| {
                let _ = tx.send(p);
            }),
        );
        assert!(rx.recv_timeout(Duration::from_secs(3)).unwrap().present);
        sim.set_fault(Fault::None);
        sim.unplug();
        let gone = rx.recv_timeout(Duration::from_secs(3)).unwrap();
        assert_eq!(
            gone.problem.map(|p| p.code).as_deref(),
            Some("ID_READER_UNPLUGGED")
        );
        // While it stays away the watcher looks again every 2 s without flapping.
        let mut seen = Vec::new();
        let until = Instant::now() + Duration::from_millis(2600);
        while let Ok(p) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
            seen.push(p.problem.map(|p| p.code).unwrap_or_default());
        }
        assert_eq!(
            seen,
            ["ID_READER_NOT_FOUND"],
            "one change, after the rescan"
        );
        watch_stop(&readers);
    }
}
