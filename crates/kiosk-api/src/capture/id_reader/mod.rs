//! ID-card reader use cases, the same for the app and `kioskctl idcard`: list the readers,
//! read a card (as it is, or as values for one person of one form), decode its photo, and
//! watch a reader for a card being placed while a reading screen is open.
//!
//! The kiosk holds at most one reader port open at a time ([`IdReaders`]): the watcher polls
//! "find card" on it every [`WATCH_INTERVAL`], and reads use the same port between polls.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use kiosk_capture::id_reader::detect::{self, ProbeCache, ReaderInfo, ReaderState};
use kiosk_capture::id_reader::{IdReader, IdReaderError, SerialPort, Timeouts, WltDecoder};
use kiosk_core::{Problem, UserFacing};
use serde::Serialize;
use ts_rs::TS;

pub use kiosk_capture::id_reader::{CardRead, DetectConfig, Timeouts as ReaderTimeouts};
pub use kiosk_core::ApplicationKind;
pub use kiosk_core::id_card::{CardFill, CardSummary, PersonRole};

mod form;
mod watch;
pub use form::{FormTarget, IdCardForForm, PhotoNote, fill_form, photo_png, read_for_form};
pub use watch::{CardPresence, PresenceSink, watch_start, watch_stop, watching};
use watch::{Watch, first_ready};

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
    crate::capture::CaptureApiError::NoIdReader.into()
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc;

    use kiosk_testkit::idcard_sim::{Fault, IdCardSim, SimCard, SimConfig};

    use super::*;

    fn readers_for(sim: &IdCardSim) -> Arc<IdReaders> {
        readers_at(sim.path())
    }

    /// The readers of a kiosk configured with the port `path` alone.
    fn readers_at(path: &Path) -> Arc<IdReaders> {
        Arc::new(IdReaders::new(
            DetectConfig {
                dev_dir: "/nonexistent/dev".into(),
                sys_dir: "/nonexistent/sys".into(),
                configured: vec![path.to_path_buf()],
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
        // The reader by a stable name, as udev links it under /dev/serial/by-id and removes the
        // link when the reader is unplugged. The pty's own /dev/pts/N may be given to another
        // test's simulated reader at once, which holds it: the rescan would find that one busy.
        let by_id = tempfile::tempdir().unwrap();
        let link = by_id.path().join("usb-id-card-reader-if00-port0");
        std::os::unix::fs::symlink(sim.path(), &link).unwrap();
        let readers = readers_at(&link);
        let (tx, rx) = mpsc::channel();
        watch_start(
            &readers,
            Some(link.clone()),
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
        std::fs::remove_file(&link).unwrap();
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
