//! Watching the reader for a card being placed while a reading screen is open: a thread polls
//! "find card" every [`super::WATCH_INTERVAL`] and tells a sink what it sees.

use super::{IdReaders, RESCAN_INTERVAL, WATCH_INTERVAL, list, lock, no_reader};
use kiosk_capture::id_reader::detect::ReaderState;
use kiosk_capture::id_reader::{IdReader, IdReaderError, Timeouts};
use kiosk_core::Problem;
use kiosk_core::UserFacing;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use ts_rs::TS;

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
pub(super) struct Watch {
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

pub(super) fn watch_loop(
    readers: &IdReaders,
    device: Option<&Path>,
    stop: &AtomicBool,
    sink: &PresenceSink,
) {
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
pub(super) fn poll_once(
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
pub(super) fn first_ready(readers: &IdReaders) -> Option<PathBuf> {
    list(readers, None)
        .readers
        .into_iter()
        .find(|r| r.state == ReaderState::Ready)
        .map(|r| PathBuf::from(r.path))
}
