//! Capture devices and sources: SANE scanners, cameras and ID-card readers, listing them and
//! scanning a page on the chosen scanner.

use super::CaptureApiError;
use super::uploads::{attachment_slot, upload};
use super::{Captured, SourceKind, Tray, id_reader};
use kiosk_capture::source::sane::{SaneConfig, SaneScanner};
use kiosk_capture::source::{SourceInfo, sane};
use kiosk_core::Problem;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use ts_rs::TS;

/// SANE settings from the environment: `SANE_CONFIG_DIR` is passed through by `scanimage`
/// itself; `KIOSK_SCANIMAGE` overrides the program path.
pub fn sane_config_from_env() -> SaneConfig {
    let mut config = SaneConfig::default();
    if let Some(program) = std::env::var_os("KIOSK_SCANIMAGE") {
        config.program = PathBuf::from(program);
    }
    config
}

/// Capture sources found on this kiosk, with the problems met while looking.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SourcesReport {
    /// Scanners and readers found.
    pub sources: Vec<SourceInfo>,
    /// Why some kind of source could not be listed (e.g. SANE missing).
    pub problems: Vec<Problem>,
}

/// Lists scanners (through SANE). Never fails: problems are part of the report.
pub fn list_sources(sane: &SaneConfig) -> SourcesReport {
    let mut report = SourcesReport {
        sources: Vec::new(),
        problems: Vec::new(),
    };
    match sane::list_scanners(sane) {
        Ok(scanners) => report.sources.extend(scanners),
        Err(error) => report.problems.push(error.into()),
    }
    report
}

/// Scans one page on SANE device `device` at `resolution` dpi; returns PNG bytes for
/// [`normalize_upload`].
pub fn scan_page(sane: &SaneConfig, device: &str, resolution: u32) -> Result<Vec<u8>, Problem> {
    let mut scanner = SaneScanner::new(sane.clone(), device);
    scanner.resolution = resolution;
    Ok(scanner.scan()?)
}

/// Resolution scans are taken at, in dpi (what the platforms' examples show).
pub const SCAN_DPI: u32 = 300;
/// Media type of every image the tray holds (documents keep their own).
pub const TRAY_MEDIA_TYPE: &str = "image/jpeg";

/// The capture devices of this kiosk: SANE, the ID-card readers and where cameras are
/// listed. Kept by the shell next to the [`Tray`].
#[derive(Debug)]
pub struct Devices {
    /// How to reach SANE.
    pub sane: SaneConfig,
    /// The ID-card readers (shared with the card watcher's thread).
    pub id_readers: Arc<id_reader::IdReaders>,
    /// Where `videoN` nodes are looked for (`/dev`).
    pub dev_dir: PathBuf,
    /// Where their driver names are (`/sys/class/video4linux`).
    pub video_sys_dir: PathBuf,
}

impl Devices {
    /// Devices with `sane` and `id_readers`; cameras under `/dev`.
    pub fn new(sane: SaneConfig, id_readers: id_reader::IdReaders) -> Self {
        Self {
            sane,
            id_readers: Arc::new(id_readers),
            dev_dir: PathBuf::from("/dev"),
            video_sys_dir: PathBuf::from("/sys/class/video4linux"),
        }
    }

    /// Devices from the environment: [`sane_config_from_env`] and
    /// [`id_reader::IdReaders::from_env`].
    pub fn from_env() -> Self {
        Self::new(sane_config_from_env(), id_reader::IdReaders::from_env())
    }
}

/// Every source of this kiosk: cameras (V4L2), scanners (SANE) and the working ID-card
/// readers. Never fails: problems are part of the report.
pub fn sources(devices: &Devices) -> SourcesReport {
    let mut report = list_sources(&devices.sane);
    let cameras =
        kiosk_capture::source::camera::list_cameras(&devices.dev_dir, &devices.video_sys_dir);
    let scanners = std::mem::replace(&mut report.sources, cameras);
    report.sources.extend(scanners);
    for reader in id_reader::list(&devices.id_readers, None).readers {
        match reader.state {
            kiosk_capture::id_reader::ReaderState::Ready => report.sources.push(SourceInfo {
                id: reader.path,
                kind: SourceKind::IdCardReader,
                label: reader.label,
            }),
            _ => report.problems.extend(reader.problem),
        }
    }
    report
}

/// The scanner to use: `device` when given, else the kiosk's `capture.scanner` setting,
/// else the first scanner SANE lists.
pub fn choose_scanner(
    kiosk: &crate::Kiosk,
    sane: &SaneConfig,
    device: Option<String>,
) -> Result<String, Problem> {
    if let Some(device) = device.filter(|d| !d.trim().is_empty()) {
        return Ok(device);
    }
    if let Some(device) = kiosk
        .store()
        .setting(crate::SETTING_SCANNER)?
        .filter(|d| !d.trim().is_empty())
    {
        return Ok(device);
    }
    sane::list_scanners(sane)?
        .into_iter()
        .next()
        .map(|s| s.id)
        .ok_or_else(|| CaptureApiError::NoScanner.into())
}

/// Scans a page on `device` (see [`choose_scanner`]) and puts it in `tray` for `slot`.
pub fn scan(
    kiosk: &crate::Kiosk,
    devices: &Devices,
    tray: &Tray,
    slot: &str,
    device: Option<String>,
) -> Result<Captured, Problem> {
    attachment_slot(slot)?;
    tray.check_room(0)?;
    let device = choose_scanner(kiosk, &devices.sane, device)?;
    let page = scan_page(&devices.sane, &device, SCAN_DPI)?;
    upload(tray, slot, &format!("scan-{slot}.png"), &page)
}
