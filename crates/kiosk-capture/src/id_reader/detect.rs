//! Finding readers: serial ports from `/dev` and USB devices from sysfs, without libudev.
//!
//! - USB devices (`/sys/bus/usb/devices/*/idVendor`, `idProduct`) with a known VID:PID are
//!   matched to the tty their driver created below them (`ttyUSBn` for USB-serial bridges,
//!   `tty/ttyACMn` for CDC-ACM). A bridge is used by many devices, so it is only called a
//!   reader after it answered the SAM id command ([`probe`]).
//! - Other `ttyUSB*` / `ttyACM*` ports are probed the same way.
//! - Legacy `ttyS*` ports with a UART behind them (`/sys/class/tty/ttySn/type` ≠ 0) are listed
//!   but not probed unless configured: bytes sent to a receipt printer on COM1 would print.
//! - Ports named in the configuration (`KIOSK_ID_READER`, the simulator's pty) always are.
//!
//! Hot-plug: the list is cheap (a few directory reads), so callers rescan periodically (the
//! app's watcher every 2 s while a reading screen is open) instead of watching `/dev` with
//! inotify; probe results are cached per device node and reused until the node changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_core::Problem;
use kiosk_core::problem::UserFacing;
use serde::Serialize;
use ts_rs::TS;

use super::error::IdReaderError;
use super::reader::{IdReader, Timeouts};

/// What a known USB device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsbRole {
    /// An ID-card reader.
    Reader,
    /// A USB-serial bridge that readers (and other devices) are built with.
    SerialBridge,
}

/// A USB device the kiosk knows by VID:PID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownUsb {
    /// Vendor id.
    pub vid: u16,
    /// Product id.
    pub pid: u16,
    /// What it is, for people.
    pub name: &'static str,
    /// Reader or bridge.
    pub role: UsbRole,
}

/// The devices the kiosk recognises (documented in `docs/devices.md`).
pub const KNOWN_USB: [KnownUsb; 5] = [
    KnownUsb {
        vid: 0x0400,
        pid: 0xC35A,
        name: "二代证阅读器 / ID-card reader (0400:C35A)",
        role: UsbRole::Reader,
    },
    KnownUsb {
        vid: 0x1A86,
        pid: 0x7523,
        name: "CH340 USB-serial",
        role: UsbRole::SerialBridge,
    },
    KnownUsb {
        vid: 0x10C4,
        pid: 0xEA60,
        name: "CP210x USB-serial",
        role: UsbRole::SerialBridge,
    },
    KnownUsb {
        vid: 0x0403,
        pid: 0x6001,
        name: "FTDI FT232R USB-serial",
        role: UsbRole::SerialBridge,
    },
    KnownUsb {
        vid: 0x067B,
        pid: 0x2303,
        name: "Prolific PL2303 USB-serial",
        role: UsbRole::SerialBridge,
    },
];

/// The known device with `vid`:`pid`.
pub fn known_usb(vid: u16, pid: u16) -> Option<&'static KnownUsb> {
    KNOWN_USB.iter().find(|k| k.vid == vid && k.pid == pid)
}

/// Where to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectConfig {
    /// Device nodes (`/dev`).
    pub dev_dir: PathBuf,
    /// sysfs (`/sys`).
    pub sys_dir: PathBuf,
    /// Ports to use whatever they are (`KIOSK_ID_READER`, a simulator's pty).
    pub configured: Vec<PathBuf>,
    /// Also probe legacy `ttyS*` ports (off by default: see the module documentation).
    pub probe_legacy: bool,
    /// How long a probe waits for the SAM id.
    pub probe_timeout: Duration,
}

impl Default for DetectConfig {
    fn default() -> Self {
        Self {
            dev_dir: PathBuf::from("/dev"),
            sys_dir: PathBuf::from("/sys"),
            configured: Vec::new(),
            probe_legacy: false,
            probe_timeout: Duration::from_millis(500),
        }
    }
}

/// How a port was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, rename = "ReaderPortKind")]
pub enum PortKind {
    /// Named in the configuration.
    Configured,
    /// A USB device known as a reader.
    UsbReader,
    /// A known USB-serial bridge.
    UsbSerial,
    /// Another USB-serial or CDC-ACM port.
    Usb,
    /// A legacy serial port (COM).
    Legacy,
}

/// A port that may have a reader behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The device node (`/dev/ttyUSB0`); `None` for a USB reader without a tty.
    pub path: Option<PathBuf>,
    /// How it was found.
    pub kind: PortKind,
    /// `vvvv:pppp` of its USB device.
    pub vid_pid: Option<String>,
    /// For people: the known device's name, the USB product string, or the port name.
    pub label: String,
}

/// What the kiosk knows about a port now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ReaderState {
    /// It answered the SAM id: a working reader.
    Ready,
    /// Probed, no reader answered.
    NoAnswer,
    /// Not probed (a legacy port nobody configured).
    NotProbed,
    /// Another program holds it.
    Busy,
    /// The kiosk account may not open it.
    PermissionDenied,
    /// A reader the kiosk cannot talk to (USB without serial interface) or a failed probe.
    Unusable,
}

/// One row of the reader list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReaderInfo {
    /// Device path to read with (empty for a USB reader without serial interface).
    pub path: String,
    /// How it was found.
    pub kind: PortKind,
    /// `vvvv:pppp` of its USB device.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub vid_pid: Option<String>,
    /// For people.
    pub label: String,
    /// What it is now.
    pub state: ReaderState,
    /// The SAM module's id (hex), when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sam_id: Option<String>,
    /// What to do about it, when it is not ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<Problem>,
}

/// The candidates on this machine, configured ones first, then USB, then legacy ports;
/// each device node once.
pub fn candidates(config: &DetectConfig) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = config
        .configured
        .iter()
        .map(|path| Candidate {
            path: Some(path.clone()),
            kind: PortKind::Configured,
            vid_pid: None,
            label: format!("{} (configured)", path.display()),
        })
        .collect();
    let mut push = |candidate: Candidate| {
        let seen = candidate.path.is_some() && out.iter().any(|c| c.path == candidate.path);
        if !seen {
            out.push(candidate);
        }
    };
    for candidate in usb_candidates(config) {
        push(candidate);
    }
    for name in dev_names(&config.dev_dir, &["ttyUSB", "ttyACM"]) {
        push(Candidate {
            path: Some(config.dev_dir.join(&name)),
            kind: PortKind::Usb,
            vid_pid: None,
            label: name,
        });
    }
    for name in dev_names(&config.dev_dir, &["ttyS"]) {
        let uart =
            std::fs::read_to_string(config.sys_dir.join("class/tty").join(&name).join("type"))
                .ok()
                .and_then(|t| t.trim().parse::<u32>().ok())
                .is_some_and(|t| t != 0);
        if uart {
            push(Candidate {
                path: Some(config.dev_dir.join(&name)),
                kind: PortKind::Legacy,
                vid_pid: None,
                label: name,
            });
        }
    }
    out
}

/// Names of the nodes in `dev_dir` starting with one of `prefixes` followed by a number,
/// in numeric order.
fn dev_names(dev_dir: &Path, prefixes: &[&str]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dev_dir) else {
        return Vec::new();
    };
    let mut names: Vec<(String, u32, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let prefix = prefixes.iter().find(|p| name.starts_with(**p))?;
            let number = name[prefix.len()..].parse::<u32>().ok()?;
            Some(((*prefix).to_owned(), number, name))
        })
        .collect();
    names.sort();
    names.into_iter().map(|(_, _, name)| name).collect()
}

/// USB devices with a known VID:PID, each with the tty below it (if any).
fn usb_candidates(config: &DetectConfig) -> Vec<Candidate> {
    let root = config.sys_dir.join("bus/usb/devices");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut devices: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    devices.sort();
    let mut out = Vec::new();
    for device in devices {
        let read_hex = |file: &str| {
            std::fs::read_to_string(device.join(file))
                .ok()
                .and_then(|s| u16::from_str_radix(s.trim(), 16).ok())
        };
        let (Some(vid), Some(pid)) = (read_hex("idVendor"), read_hex("idProduct")) else {
            continue;
        };
        let Some(known) = known_usb(vid, pid) else {
            continue;
        };
        let vid_pid = format!("{vid:04x}:{pid:04x}");
        let ttys = ttys_below(&device, 3);
        let kind = match known.role {
            UsbRole::Reader => PortKind::UsbReader,
            UsbRole::SerialBridge => PortKind::UsbSerial,
        };
        if ttys.is_empty() && known.role == UsbRole::Reader {
            out.push(Candidate {
                path: None,
                kind,
                vid_pid: Some(vid_pid.clone()),
                label: known.name.to_owned(),
            });
        }
        for tty in ttys {
            out.push(Candidate {
                path: Some(config.dev_dir.join(&tty)),
                kind,
                vid_pid: Some(vid_pid.clone()),
                label: format!("{} ({tty})", known.name),
            });
        }
    }
    out
}

/// `ttyUSBn` / `ttyACMn` entries under `dir` (the USB device's interfaces), `depth` deep.
fn ttys_below(dir: &Path, depth: u8) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_tty = ["ttyUSB", "ttyACM"].iter().any(|p| {
            name.strip_prefix(p)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if is_tty {
            found.push(name);
        } else if depth > 0
            && entry.file_type().is_ok_and(|t| t.is_dir())
            && (name.contains(':') || name == "tty")
        {
            found.extend(ttys_below(&entry.path(), depth - 1));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Opens `path` and asks for the SAM id: `Ok(Some(id))` from a reader, `Ok(None)` when
/// nothing answered like one.
pub fn probe(path: &Path, timeout: Duration) -> Result<Option<String>, IdReaderError> {
    let mut reader = IdReader::open(
        path,
        Timeouts {
            command: timeout,
            read: timeout,
            total: timeout,
        },
    )?;
    match reader.sam_id() {
        Ok(id) => Ok(Some(id)),
        Err(
            IdReaderError::Timeout { .. }
            | IdReaderError::Checksum { .. }
            | IdReaderError::Malformed { .. },
        ) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Remembers probe results per device node, so that rescans do not probe again until the
/// node changes (replugged: a new inode or device number).
#[derive(Debug, Default)]
pub struct ProbeCache {
    seen: HashMap<PathBuf, (NodeId, Probed)>,
}

/// A probe's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Probed {
    state: ReaderState,
    sam_id: Option<String>,
}

/// What identifies one plugging-in of a device node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NodeId {
    rdev: u64,
    inode: u64,
    ctime: i64,
    ctime_ns: i64,
}

fn node_id(path: &Path) -> Option<NodeId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(NodeId {
        rdev: meta.rdev(),
        inode: meta.ino(),
        ctime: meta.ctime(),
        ctime_ns: meta.ctime_nsec(),
    })
}

impl ProbeCache {
    /// Forgets everything (a manual "search again").
    pub fn clear(&mut self) {
        self.seen.clear();
    }

    /// Records that the kiosk itself opened a working reader at `path` (so a later listing,
    /// which could not probe a port the kiosk holds, shows it ready).
    pub fn mark_ready(&mut self, path: &Path, sam_id: Option<String>) {
        if let Some(id) = node_id(path) {
            let known = self
                .seen
                .get(path)
                .filter(|(seen, probed)| *seen == id && probed.state == ReaderState::Ready);
            let sam_id = sam_id.or_else(|| known.and_then(|(_, p)| p.sam_id.clone()));
            self.seen.insert(
                path.to_path_buf(),
                (
                    id,
                    Probed {
                        state: ReaderState::Ready,
                        sam_id,
                    },
                ),
            );
        }
    }
}

/// Lists the readers: every candidate with its state, probing what needs probing (results
/// cached in `cache`). Busy ports and failed probes are not cached.
pub fn list(config: &DetectConfig, cache: &mut ProbeCache) -> Vec<ReaderInfo> {
    let found = candidates(config);
    cache.seen.retain(|path, _| {
        found
            .iter()
            .any(|c| c.path.as_deref() == Some(path.as_path()))
    });
    found
        .into_iter()
        .map(|candidate| describe(config, cache, candidate))
        .collect()
}

fn describe(config: &DetectConfig, cache: &mut ProbeCache, candidate: Candidate) -> ReaderInfo {
    let info = |path: &str, state, sam_id, problem| ReaderInfo {
        path: path.to_owned(),
        kind: candidate.kind,
        vid_pid: candidate.vid_pid.clone(),
        label: candidate.label.clone(),
        state,
        sam_id,
        problem,
    };
    let Some(path) = candidate.path.clone() else {
        let error = IdReaderError::UsbWithoutSerial {
            vid_pid: candidate.vid_pid.clone().unwrap_or_default(),
        };
        return info("", ReaderState::Unusable, None, Some(error.problem()));
    };
    let shown = path.to_string_lossy().into_owned();
    if candidate.kind == PortKind::Legacy && !config.probe_legacy {
        return info(&shown, ReaderState::NotProbed, None, None);
    }
    let id = node_id(&path);
    if let (Some(id), Some((cached_id, cached))) = (id, cache.seen.get(&path))
        && *cached_id == id
    {
        return info(&shown, cached.state, cached.sam_id.clone(), None);
    }
    match probe(&path, config.probe_timeout) {
        Ok(found) => {
            let probed = Probed {
                state: if found.is_some() {
                    ReaderState::Ready
                } else {
                    ReaderState::NoAnswer
                },
                sam_id: found,
            };
            if let Some(id) = id {
                cache.seen.insert(path, (id, probed.clone()));
            }
            info(&shown, probed.state, probed.sam_id, None)
        }
        Err(error) => {
            let state = match error {
                IdReaderError::Busy { .. } => ReaderState::Busy,
                IdReaderError::Permission { .. } => ReaderState::PermissionDenied,
                _ => ReaderState::Unusable,
            };
            info(&shown, state, None, Some(error.problem()))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// A fake sysfs and /dev: a CH340 with ttyUSB0, a CDC reader with tty/ttyACM0, an
    /// unknown USB device, a reader without tty, ttyS0 with a UART and ttyS1 without.
    fn fake_machine() -> (tempfile::TempDir, DetectConfig) {
        let root = tempfile::tempdir().unwrap();
        let dev = root.path().join("dev");
        let sys = root.path().join("sys");
        std::fs::create_dir_all(&dev).unwrap();
        for node in [
            "ttyUSB0", "ttyACM0", "ttyS0", "ttyS1", "ttyUSB7", "tty0", "ttyUSBx",
        ] {
            std::fs::write(dev.join(node), b"").unwrap();
        }
        let usb = sys.join("bus/usb/devices");
        let device = |name: &str, vid: &str, pid: &str, tty: Option<&str>| {
            let d = usb.join(name);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("idVendor"), format!("{vid}\n")).unwrap();
            std::fs::write(d.join("idProduct"), format!("{pid}\n")).unwrap();
            if let Some(tty) = tty {
                std::fs::create_dir_all(d.join(format!("{name}:1.0")).join(tty)).unwrap();
            }
        };
        device("1-1", "1a86", "7523", Some("ttyUSB0"));
        device("1-2", "0400", "c35a", Some("tty/ttyACM0"));
        device("1-3", "046d", "c077", None);
        device("1-4", "0400", "c35a", None);
        for (port, kind) in [("ttyS0", "4"), ("ttyS1", "0")] {
            let d = sys.join("class/tty").join(port);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("type"), kind).unwrap();
        }
        let config = DetectConfig {
            dev_dir: dev,
            sys_dir: sys,
            configured: Vec::new(),
            probe_legacy: false,
            probe_timeout: Duration::from_millis(50),
        };
        (root, config)
    }

    #[test]
    fn usb_devices_are_matched_to_their_ttys_and_legacy_ports_need_a_uart() {
        let (_root, config) = fake_machine();
        let found = candidates(&config);
        let rows: Vec<(Option<String>, PortKind, Option<&str>)> = found
            .iter()
            .map(|c| {
                (
                    c.path
                        .as_ref()
                        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned()),
                    c.kind,
                    c.vid_pid.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    Some("ttyUSB0".into()),
                    PortKind::UsbSerial,
                    Some("1a86:7523")
                ),
                (
                    Some("ttyACM0".into()),
                    PortKind::UsbReader,
                    Some("0400:c35a")
                ),
                (None, PortKind::UsbReader, Some("0400:c35a")),
                (Some("ttyUSB7".into()), PortKind::Usb, None),
                (Some("ttyS0".into()), PortKind::Legacy, None),
            ]
        );
    }

    #[test]
    fn configured_ports_come_first_and_once() {
        let (_root, mut config) = fake_machine();
        config.configured = vec![config.dev_dir.join("ttyUSB0")];
        let found = candidates(&config);
        assert_eq!(found[0].kind, PortKind::Configured);
        assert_eq!(
            found
                .iter()
                .filter(|c| c.path == Some(config.dev_dir.join("ttyUSB0")))
                .count(),
            1
        );
    }

    #[test]
    fn listing_says_what_each_port_is() {
        let (_root, config) = fake_machine();
        let mut cache = ProbeCache::default();
        let list = list(&config, &mut cache);
        let state = |suffix: &str| {
            list.iter()
                .find(|r| r.path.ends_with(suffix))
                .map(|r| (r.state, r.problem.as_ref().map(|p| p.code.clone())))
        };
        // The fake nodes are plain files: opening them is "not a serial port".
        assert_eq!(
            state("ttyUSB0"),
            Some((ReaderState::Unusable, Some("ID_READER_NOT_SERIAL".into())))
        );
        assert_eq!(state("ttyS0"), Some((ReaderState::NotProbed, None)));
        let usb_only = list.iter().find(|r| r.path.is_empty()).unwrap();
        assert_eq!(usb_only.state, ReaderState::Unusable);
        assert_eq!(
            usb_only.problem.as_ref().unwrap().code,
            "ID_READER_USB_UNSUPPORTED"
        );
    }

    #[test]
    fn a_missing_sysfs_or_dev_lists_nothing() {
        let config = DetectConfig {
            dev_dir: PathBuf::from("/nonexistent/dev"),
            sys_dir: PathBuf::from("/nonexistent/sys"),
            ..DetectConfig::default()
        };
        assert!(candidates(&config).is_empty());
    }

    #[test]
    fn the_table_has_the_documented_devices() {
        assert_eq!(known_usb(0x0400, 0xC35A).unwrap().role, UsbRole::Reader);
        for (vid, pid) in [(0x1A86, 0x7523), (0x10C4, 0xEA60), (0x0403, 0x6001)] {
            assert_eq!(known_usb(vid, pid).unwrap().role, UsbRole::SerialBridge);
        }
        assert!(known_usb(0x046D, 0xC077).is_none());
    }
}
