//! Capture use cases: normalising uploads and scans for a slot, listing capture sources,
//! scanning, and reading the application number off a scanned risk letter. ID-card readers
//! are in [`id_reader`].
//!
//! The webview camera (`getUserMedia`) sends JPEG/PNG frames as bytes to [`upload`];
//! scanners and files end up there too. [`attachment::check_attachment`] decides by content:
//! images are normalised to JPEG, PDF and Word files (where the profile's slot takes them)
//! are checked with bounded work and kept as they are. What the visitor captures waits in
//! the [`Tray`] (memory only) until [`take_uploads`] hands it to the submission.

pub mod attachment;
pub mod id_reader;
mod tray;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kiosk_capture::decode::DecodeLimits;
use kiosk_capture::source::sane::{self, SaneConfig, SaneScanner};
use kiosk_capture::source::{SourceInfo, folder};
use kiosk_capture::watermark::{self, WatermarkFont};
use kiosk_capture::{ImageFormat, NormalizeOptions, Watermark};
use kiosk_core::Problem;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use attachment::{
    CheckedAttachment, Preview, SlotRules, UploadTarget, check_attachment, slot_rules,
};
pub use kiosk_capture::Slot;
pub use kiosk_capture::source::SourceKind;
pub use kiosk_capture::source::folder::WatchedFolder;
pub use kiosk_capture::source::sane::SaneConfig as ScannerConfig;
pub use tray::{Captured, Tray, TrayLimits};

/// Environment variable naming the watermark font file (optionally `path#face`).
pub const FONT_ENV: &str = "KIOSK_WATERMARK_FONT";
/// The font the kiosk ships (Noto Sans CJK SC, OFL), relative to the installation's assets.
pub const SHIPPED_FONT: &str = "assets/fonts/NotoSansCJKsc-Regular.otf";
/// Debian's `fonts-noto-cjk` collection; face 2 is Simplified Chinese.
pub const SYSTEM_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// What the UI asks for when it hands over an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UploadOptions {
    /// Find the document on its background, deskew and crop to its edges.
    #[serde(default)]
    pub crop_document: bool,
    /// Stamp "仅供<platform>注册使用 <date>" when set.
    #[serde(default)]
    #[ts(optional)]
    pub watermark: Option<WatermarkRequest>,
}

/// The watermark's variable parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WatermarkRequest {
    /// Platform name as the platform asks to see it, e.g. `国家税务总局`.
    pub platform: String,
    /// Date text, e.g. `2026-11-23` (see [`watermark_date`]).
    pub date: String,
}

/// A normalised image and what the kiosk thinks of it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NormalizedUpload {
    /// The JPEG (no metadata). Not serialised: the shell stores it or returns it as raw bytes.
    #[serde(skip)]
    #[ts(skip)]
    pub jpeg: Vec<u8>,
    /// Size of the JPEG in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// JPEG quality used.
    pub quality: u8,
    /// Format of the input.
    pub source_format: ImageFormat,
    /// Whether the image was cropped to a detected document.
    pub cropped: bool,
    /// Rotation applied to straighten the document, in degrees.
    pub deskew_degrees: f64,
    /// Quality findings with advice (codes `QUALITY_*`).
    pub advice: Vec<Problem>,
    /// Whether a finding means the image should be taken again.
    pub blocking: bool,
}

/// The preset slot called `name`, or a problem listing the known names.
pub fn slot_named(name: &str) -> Result<Slot, Problem> {
    Slot::named(name).ok_or_else(|| {
        let known = Slot::PRESET_NAMES.join(", ");
        Problem::new(
            "CAPTURE_UNKNOWN_SLOT",
            format!("未知的材料类型“{name}”。可选：{known}。"),
            format!("Unknown document slot \"{name}\". Choose one of: {known}."),
        )
    })
}

/// `slot` with its byte limit lowered to `max_bytes` (never raised above the platform's).
pub fn with_max_bytes(mut slot: Slot, max_bytes: Option<u64>) -> Slot {
    if let Some(limit) = max_bytes {
        slot.max_bytes = slot.max_bytes.min(limit);
    }
    slot
}

/// The watermark date for `now_ms` (Unix milliseconds), as `YYYY-MM-DD` in China Standard
/// Time (UTC+8), where the kiosks stand.
pub fn watermark_date(now_ms: i64) -> String {
    crate::validate::today_in_china(now_ms).to_string()
}

/// Where the watermark font comes from, first match wins: `explicit`, then `$KIOSK_WATERMARK_FONT`,
/// then [`SHIPPED_FONT`] under `assets_dir`, then Debian's [`SYSTEM_FONT`]. A `#N` suffix selects
/// face N of a collection; Noto CJK `.ttc` files default to face 2 (Simplified Chinese).
pub fn font_candidates(
    explicit: Option<&Path>,
    env: Option<String>,
    assets_dir: Option<&Path>,
) -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    let mut push = |spec: &str| {
        let (path, face) = match spec.rsplit_once('#') {
            Some((path, face)) if face.parse::<u32>().is_ok() => (path, face.parse().ok()),
            _ => (spec, None),
        };
        let default_face = if path.ends_with(".ttc") && path.contains("NotoSansCJK") {
            2
        } else {
            0
        };
        out.push((PathBuf::from(path), face.unwrap_or(default_face)));
    };
    if let Some(path) = explicit {
        push(&path.to_string_lossy());
    }
    if let Some(spec) = env.filter(|s| !s.is_empty()) {
        push(&spec);
    }
    if let Some(dir) = assets_dir {
        push(&dir.join(SHIPPED_FONT).to_string_lossy());
    }
    push(SYSTEM_FONT);
    out
}

/// Loads the first usable font of [`font_candidates`].
pub fn load_watermark_font(candidates: &[(PathBuf, u32)]) -> Result<WatermarkFont, Problem> {
    let mut last = None;
    for (path, face) in candidates {
        if !path.exists() {
            continue;
        }
        match WatermarkFont::from_file(path, *face) {
            Ok(font) => return Ok(font),
            Err(error) => last = Some(error),
        }
    }
    Err(last
        .unwrap_or(kiosk_capture::CaptureError::Font {
            detail: "no font file found".to_owned(),
        })
        .into())
}

/// Normalises an uploaded or captured image for `slot`: the one entry point for camera frames,
/// scans and files. `font` is needed only when a watermark is requested.
pub fn normalize_upload(
    bytes: &[u8],
    slot: &Slot,
    options: &UploadOptions,
    font: Option<&WatermarkFont>,
) -> Result<NormalizedUpload, Problem> {
    let text = options
        .watermark
        .as_ref()
        .map(|w| watermark::watermark_text(&w.platform, &w.date));
    let watermark = match (&text, font) {
        (Some(text), Some(font)) => Some(Watermark { font, text }),
        (Some(_), None) => {
            return Err(kiosk_capture::CaptureError::Font {
                detail: "watermark requested without a font".to_owned(),
            }
            .into());
        }
        (None, _) => None,
    };
    let normalized = kiosk_capture::normalize(
        bytes,
        slot,
        &NormalizeOptions {
            limits: DecodeLimits::default(),
            crop_document: options.crop_document,
            watermark,
        },
    )?;
    log::info!(
        "capture normalised for slot {}: {}x{} q{} {} bytes",
        slot.name,
        normalized.width,
        normalized.height,
        normalized.quality,
        normalized.jpeg.len()
    );
    Ok(NormalizedUpload {
        bytes: normalized.jpeg.len() as u64,
        blocking: normalized.has_blocking_issue(),
        advice: normalized.issues.iter().map(|i| i.problem()).collect(),
        width: normalized.width,
        height: normalized.height,
        quality: normalized.quality,
        source_format: normalized.source_format,
        cropped: normalized.cropped,
        deskew_degrees: normalized.deskew_degrees,
        jpeg: normalized.jpeg,
    })
}

/// Reads an image file (refusing files over the decode limit without reading them whole).
pub fn read_image_file(path: &Path) -> Result<Vec<u8>, Problem> {
    Ok(folder::read_file(
        path,
        DecodeLimits::default().max_file_bytes,
    )?)
}

/// Reads an attachment file (image, PDF, Word) for [`check_attachment`] or [`upload_to`]:
/// files over the image pipeline's input limit (40 MB, above every slot's) are refused
/// without being read.
pub fn read_attachment_file(path: &Path) -> Result<Vec<u8>, Problem> {
    read_image_file(path)
}

/// New, settled image files in a watched import folder (staff USB stick or a scanner's
/// scan-to-folder share), oldest first; each is returned once. Read each with
/// [`read_image_file`] and pass it to [`normalize_upload`].
pub fn poll_import_folder(folder: &mut WatchedFolder) -> Result<Vec<PathBuf>, Problem> {
    Ok(folder.poll()?)
}

/// The application number carried by the QR code of a scanned risk letter, if any.
pub fn application_number_from_scan(bytes: &[u8]) -> Result<Option<String>, Problem> {
    let decoded = kiosk_capture::decode::decode(bytes, &DecodeLimits::default())?;
    Ok(kiosk_capture::qr::application_number(&decoded.image))
}

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

fn bad_slot(slot: &str) -> Problem {
    Problem::new(
        "CAPTURE_UNKNOWN_SLOT",
        "材料类型无效，请返回上一步重新选择。",
        format!("\"{slot}\" is not a document slot. Go back and choose the document again."),
    )
    .at("slot")
}

/// The slot a profile names `slot` (`id-front`, `risk-commitment`, ...); see
/// [`Slot::for_attachment`]. Names are 1-64 of `a-z`, `0-9`, `-`.
pub fn attachment_slot(slot: &str) -> Result<Slot, Problem> {
    let well_formed = (1..=64).contains(&slot.len())
        && slot
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        return Err(bad_slot(slot));
    }
    Ok(Slot::for_attachment(slot))
}

/// The name an image is submitted under: the base name of `file_name` (no folders, no
/// control characters, at most 80 characters) with a `.jpg` extension, or `<slot>.jpg`.
pub fn stored_file_name(file_name: &str, slot: &str) -> String {
    stored_file_name_as(file_name, slot, "jpg")
}

/// The name a file is kept under: as [`stored_file_name`], with the extension of what is
/// stored (`jpg`, `pdf`, `doc`, `docx`), whatever the visitor's name said.
pub fn stored_file_name_as(file_name: &str, slot: &str, extension: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect::<String>()
        .trim()
        .to_owned();
    if clean.is_empty() || clean.starts_with('.') {
        format!("{slot}.{extension}")
    } else {
        format!("{clean}.{extension}")
    }
}

/// Puts `bytes` (a camera frame, a file, a scan) in `tray` for the slot `slot` of no
/// particular profile; see [`upload_to`].
pub fn upload(tray: &Tray, slot: &str, file_name: &str, bytes: &[u8]) -> Result<Captured, Problem> {
    upload_to(tray, &UploadTarget::slot(slot), file_name, bytes)
}

/// Checks `bytes` for `target` ([`attachment::check_attachment`]: images normalised, PDF and
/// Word files kept as they are with a PDF preview) and puts the result in `tray`. Refused,
/// with advice, when the tray is full (checked first), the type is not one the slot takes or
/// contradicts the name, the file is too large, broken, encrypted or a bomb, or a blocking
/// quality finding says to take the picture again; other findings come back as warnings.
pub fn upload_to(
    tray: &Tray,
    target: &UploadTarget,
    file_name: &str,
    bytes: &[u8],
) -> Result<Captured, Problem> {
    attachment_slot(&target.slot)?;
    tray.check_room(0)?;
    let checked = check_attachment(target, file_name, bytes, &Preview::default())?;
    let captured = Captured {
        id: uuid::Uuid::now_v7().to_string(),
        slot: target.slot.clone(),
        file_name: stored_file_name_as(file_name, &target.slot, &checked.extension),
        media_type: checked.media_type,
        sha256: checked.sha256,
        size: checked.size,
        width: checked.width,
        height: checked.height,
        pages: checked.pages,
        thumbnail: checked.thumbnail,
        preview_problem: checked.preview_problem,
        warnings: checked.warnings,
    };
    log::info!(
        "capture {} added to the tray for slot {}: {}, {}x{}, {} bytes",
        captured.id,
        captured.slot,
        captured.media_type,
        captured.width,
        captured.height,
        captured.size
    );
    tray.add(captured, checked.bytes)
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
        .ok_or_else(|| {
            Problem::new(
                "CAPTURE_NO_SCANNER",
                "没有找到扫描仪。请检查扫描仪的电源和数据线，或改用拍照、文件上传。",
                "No scanner was found. Check the scanner's power and cable, or use the camera or a file instead.",
            )
        })
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

/// The application number on the QR code of the captured signed letter `capture_id`;
/// `None` when the image carries no letter code.
pub fn signed_letter_application(tray: &Tray, capture_id: &str) -> Result<Option<String>, Problem> {
    match tray.get(&[capture_id.to_owned()])?.pop() {
        Some((_, jpeg)) => application_number_from_scan(&jpeg),
        None => Ok(None),
    }
}

/// The images `ids` as attachments for the submission, in that order. They stay in the tray
/// (so a refused submission can be corrected without capturing again) until discarded or
/// the session is wiped. `CAPTURE_NOT_FOUND` when an id is unknown.
pub fn take_uploads(
    tray: &Tray,
    ids: &[String],
) -> Result<Vec<crate::submit::AttachmentUpload>, Problem> {
    Ok(tray
        .get(ids)?
        .into_iter()
        .map(|(captured, jpeg)| crate::submit::AttachmentUpload {
            slot: captured.slot,
            media_type: captured.media_type,
            bytes: jpeg,
        })
        .collect())
}

/// Hands in a wizard's application with the tray's images `capture_ids` as its attachments.
/// Once the application is durably queued (encrypted, with its attachments) the images leave
/// the tray: the visitor's photos are not kept twice. A refused submission leaves them in the
/// tray, so the visitor can correct the form without capturing again.
pub async fn submit_with_captures(
    kiosk: &crate::Kiosk,
    tray: &Tray,
    wizard: crate::submit::WizardSubmission<'_>,
    capture_ids: &[String],
    now: i64,
) -> Result<crate::submit::SubmitReceipt, Problem> {
    let uploads = take_uploads(tray, capture_ids)?;
    let wizard = crate::submit::WizardSubmission { uploads, ..wizard };
    let receipt = crate::submit::submit_wizard(kiosk, wizard, now).await?;
    tray.discard(capture_ids);
    Ok(receipt)
}

/// Removes the images `ids` from the tray.
pub fn discard(tray: &Tray, ids: &[String]) {
    let removed = tray.discard(ids);
    log::info!("{removed} capture(s) discarded");
}

/// Empties the tray (the visitor's session was wiped).
pub fn clear(tray: &Tray) {
    tray.clear();
    log::info!("capture tray cleared");
}

/// An upload as it arrives over IPC: a raw body with `slot` and `file-name` headers
/// (percent-encoded UTF-8) and optional `profile` and `kind` headers, or JSON
/// `{slot, fileName, bytes: number[], profile?, kind?}`.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadInput {
    /// The profile's attachment slot.
    pub slot: String,
    /// The file's name on the visitor's device (only its base name is kept).
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// Platform profile whose slot it is, when the UI knows it.
    pub profile: Option<String>,
    /// Application kind whose slot it is, when the UI knows it.
    pub kind: Option<String>,
}

impl std::fmt::Debug for UploadInput {
    /// The slot and size only: never the file or its name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadInput")
            .field("slot", &self.slot)
            .field("bytes", &self.bytes.len())
            .field("profile", &self.profile)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

fn present(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl UploadInput {
    /// From a raw body and its two header values (missing headers are empty).
    pub fn from_raw(slot: Option<&str>, file_name: Option<&str>, bytes: Vec<u8>) -> Self {
        Self {
            slot: slot.map(percent_decode).unwrap_or_default(),
            file_name: file_name.map(percent_decode).unwrap_or_default(),
            bytes,
            profile: None,
            kind: None,
        }
    }

    /// The same upload for `profile`'s `kind` (header values; empty ones are ignored).
    pub fn for_flow(mut self, profile: Option<&str>, kind: Option<&str>) -> Self {
        self.profile = present(profile.map(percent_decode));
        self.kind = present(kind.map(percent_decode));
        self
    }

    /// Where the upload goes.
    pub fn target(&self) -> UploadTarget {
        UploadTarget {
            slot: self.slot.clone(),
            profile: self.profile.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// Decodes `%XX` escapes in a header value (file names travel percent-encoded as UTF-8).
/// Malformed escapes are kept as they are.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn page_jpeg() -> Vec<u8> {
        let image = image_page();
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&image)
            .unwrap();
        out
    }

    fn image_page() -> image::RgbImage {
        image::RgbImage::from_fn(900, 600, |x, y| {
            if (y / 12) % 3 == 0 && (x / 6) % 4 != 0 {
                image::Rgb([30, 30, 30])
            } else {
                image::Rgb([235, 235, 235])
            }
        })
    }

    #[test]
    fn watermark_date_is_china_standard_time() {
        // 2026-11-23T16:30:00Z is already the 24th in Beijing.
        assert_eq!(watermark_date(1_795_451_400_000), "2026-11-24");
        assert_eq!(watermark_date(0), "1970-01-01");
        assert_eq!(
            watermark_date(951_782_400_000 - 8 * 3_600_000),
            "2000-02-29"
        );
    }

    #[test]
    fn unknown_slot_lists_the_known_names() {
        let problem = slot_named("passport").unwrap_err();
        assert_eq!(problem.code, "CAPTURE_UNKNOWN_SLOT");
        assert!(problem.en.contains("id-front"), "{}", problem.en);
        assert_eq!(slot_named("risk-letter").unwrap().name, "risk-letter");
    }

    #[test]
    fn max_bytes_only_lowers_the_platform_limit() {
        let slot = slot_named("id-front").unwrap();
        assert_eq!(
            with_max_bytes(slot.clone(), Some(500_000)).max_bytes,
            500_000
        );
        assert_eq!(with_max_bytes(slot, Some(5_000_000)).max_bytes, 1_000_000);
    }

    #[test]
    fn font_candidates_honour_order_and_face_suffix() {
        let list = font_candidates(
            Some(Path::new("/x/a.ttf")),
            Some("/y/NotoSansCJK-Bold.ttc#3".to_owned()),
            Some(Path::new("/opt/kiosk")),
        );
        assert_eq!(list[0], (PathBuf::from("/x/a.ttf"), 0));
        assert_eq!(list[1], (PathBuf::from("/y/NotoSansCJK-Bold.ttc"), 3));
        assert_eq!(list[2].0, PathBuf::from("/opt/kiosk").join(SHIPPED_FONT));
        assert_eq!(list[3], (PathBuf::from(SYSTEM_FONT), 2));
    }

    #[test]
    fn upload_is_normalised_with_watermark_and_advice() {
        let font = load_watermark_font(&font_candidates(None, None, None)).expect("fonts-noto-cjk");
        let options = UploadOptions {
            crop_document: false,
            watermark: Some(WatermarkRequest {
                platform: "测试平台".to_owned(),
                date: "2026-11-23".to_owned(),
            }),
        };
        let out = normalize_upload(
            &page_jpeg(),
            &slot_named("id-front").unwrap(),
            &options,
            Some(&font),
        )
        .unwrap();
        assert_eq!(out.bytes, out.jpeg.len() as u64);
        assert!(out.bytes <= 1_000_000);
        assert!(!out.blocking, "{:?}", out.advice);
        let json = serde_json::to_value(&out).unwrap();
        assert!(json.get("jpeg").is_none(), "bytes do not cross IPC as JSON");
        assert_eq!(json["sourceFormat"], "jpeg");
    }

    #[test]
    fn watermark_without_font_is_a_problem() {
        let options = UploadOptions {
            crop_document: false,
            watermark: Some(WatermarkRequest {
                platform: "p".to_owned(),
                date: "d".to_owned(),
            }),
        };
        let problem = normalize_upload(
            &page_jpeg(),
            &slot_named("id-front").unwrap(),
            &options,
            None,
        )
        .unwrap_err();
        assert_eq!(problem.code, "CAPTURE_FONT_UNUSABLE");
    }

    #[test]
    fn corrupt_upload_is_a_problem_in_both_languages() {
        let problem = normalize_upload(
            b"\xFF\xD8\xFFnot really",
            &slot_named("id-back").unwrap(),
            &UploadOptions::default(),
            None,
        )
        .unwrap_err();
        assert_eq!(problem.code, "CAPTURE_CORRUPT_IMAGE");
        assert!(!problem.zh.is_empty() && !problem.en.is_empty());
    }

    #[test]
    fn page_without_qr_carries_no_application_number() {
        assert_eq!(application_number_from_scan(&page_jpeg()).unwrap(), None);
        let problem = application_number_from_scan(b"GIF89a").unwrap_err();
        assert_eq!(problem.code, "CAPTURE_UNSUPPORTED_FORMAT");
    }

    #[test]
    fn import_folder_returns_new_files_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("scan-001.jpg"), page_jpeg()).unwrap();
        let mut folder = WatchedFolder::new(dir.path(), std::time::Duration::ZERO, 10_000_000);
        let files = poll_import_folder(&mut folder).unwrap();
        assert_eq!(files.len(), 1);
        assert!(
            read_image_file(&files[0])
                .unwrap()
                .starts_with(&[0xFF, 0xD8])
        );
        assert!(
            poll_import_folder(&mut folder).unwrap().is_empty(),
            "returned once"
        );
    }

    #[test]
    fn missing_sane_is_reported_not_fatal() {
        let config = SaneConfig {
            program: PathBuf::from("/nonexistent/scanimage"),
            ..SaneConfig::default()
        };
        let report = list_sources(&config);
        assert_eq!(report.problems.len(), 1);
        assert!(report.sources.is_empty());
    }

    fn dark_jpeg() -> Vec<u8> {
        let image = image::RgbImage::from_pixel(900, 600, image::Rgb([6, 6, 8]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&image)
            .unwrap();
        out
    }

    #[test]
    fn upload_puts_a_normalised_jpeg_with_thumbnail_in_the_tray() {
        let tray = Tray::default();
        let captured =
            upload(&tray, "id-front", "C:\\相册\\身份证 正面.PNG", &page_jpeg()).unwrap();
        assert_eq!(
            captured.file_name, "身份证 正面.jpg",
            "base name, JPEG extension"
        );
        assert_eq!(captured.media_type, "image/jpeg");
        assert!(captured.thumbnail.starts_with("data:image/jpeg;base64,"));
        assert!(captured.size <= 1_000_000);
        let uploads = take_uploads(&tray, std::slice::from_ref(&captured.id)).unwrap();
        assert_eq!(uploads[0].slot, "id-front");
        assert_eq!(uploads[0].bytes.len() as u64, captured.size);
        assert_eq!(
            crate::submit::sha256_hex(&uploads[0].bytes),
            captured.sha256
        );
        assert_eq!(
            tray.len(),
            1,
            "handing over keeps the image until it is discarded"
        );
        discard(&tray, &[captured.id]);
        assert!(tray.is_empty());
    }

    #[test]
    fn useless_pictures_are_refused_with_advice_and_not_kept() {
        let tray = Tray::default();
        let refused = upload(&tray, "id-back", "dark.jpg", &dark_jpeg()).unwrap_err();
        assert!(
            refused.code.starts_with("QUALITY_"),
            "quality advice, got {}",
            refused.code
        );
        let corrupt = upload(&tray, "id-back", "x.jpg", b"\xFF\xD8\xFF\xE0 broken").unwrap_err();
        assert_eq!(corrupt.code, "CAPTURE_CORRUPT_IMAGE");
        assert_eq!(
            upload(&tray, "../etc", "x.jpg", &page_jpeg())
                .unwrap_err()
                .code,
            "CAPTURE_UNKNOWN_SLOT"
        );
        assert!(tray.is_empty(), "nothing refused is kept");
    }

    #[test]
    fn full_tray_refuses_before_normalising() {
        let tray = Tray::new(TrayLimits {
            max_items: 1,
            max_bytes: 10_000_000,
        });
        upload(&tray, "risk-commitment", "a.jpg", &page_jpeg()).unwrap();
        let refused = upload(&tray, "risk-commitment", "b.jpg", b"not even an image").unwrap_err();
        assert_eq!(refused.code, "CAPTURE_TRAY_FULL", "checked before decoding");
        clear(&tray);
        assert!(tray.is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn submitted_captures_leave_the_tray_and_refused_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = crate::Kiosk::open(dir.path()).unwrap();
        let tray = Tray::default();
        let ids: Vec<String> = ["business-licence", "risk-commitment", "bank-account-permit"]
            .into_iter()
            .map(|slot| upload(&tray, slot, "page.jpg", &page_jpeg()).unwrap().id)
            .collect();
        let mut application: serde_json::Value =
            serde_json::from_str(&crate::test_support::fixture("tianjin-legal-entity")).unwrap();
        application["attachments"] = serde_json::json!([]);
        let wizard = |application| crate::submit::WizardSubmission {
            profile: "tianjin",
            application,
            uploads: Vec::new(),
            actor: "visitor",
            draft_id: None,
        };

        let mut unreadable = application.clone();
        unreadable["unit"]["uscc"] = "91120000XXXXXXXX00".into();
        let refused = submit_with_captures(
            &kiosk,
            &tray,
            wizard(unreadable),
            &ids,
            crate::test_support::NOW,
        )
        .await
        .unwrap_err();
        assert!(!refused.code.is_empty(), "{refused:?}");
        assert_eq!(tray.len(), 3, "a refused form keeps the visitor's images");

        let receipt = submit_with_captures(
            &kiosk,
            &tray,
            wizard(application),
            &ids,
            crate::test_support::NOW,
        )
        .await
        .unwrap();
        assert_eq!(receipt.attachments.len(), 3, "every capture is attached");
        assert!(tray.is_empty(), "queued images are not kept twice");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn word_and_pdf_attachments_are_submitted_as_they_are() {
        use kiosk_testkit::documents;
        let dir = tempfile::tempdir().unwrap();
        let kiosk = crate::Kiosk::open(dir.path()).unwrap();
        let tray = Tray::default();
        let target = |slot: &str| UploadTarget {
            slot: slot.to_owned(),
            profile: Some("tianjin".to_owned()),
            kind: Some("legal-entity".to_owned()),
        };
        let files = [
            ("business-licence", "执照.pdf", documents::pdf()),
            ("risk-commitment", "承诺书.docx", documents::docx()),
            ("bank-account-permit", "许可证.doc", documents::doc()),
        ];
        let mut ids = Vec::new();
        for (slot, name, bytes) in &files {
            let captured = upload_to(&tray, &target(slot), name, bytes).unwrap();
            assert_eq!(captured.size, bytes.len() as u64, "{name} kept as it came");
            assert_eq!(captured.file_name, *name, "the extension of the content");
            ids.push(captured.id);
        }
        let uploads = take_uploads(&tray, &ids).unwrap();
        assert_eq!(uploads[0].bytes, files[0].2);
        let mut application: serde_json::Value =
            serde_json::from_str(&crate::test_support::fixture("tianjin-legal-entity")).unwrap();
        application["attachments"] = serde_json::json!([]);
        let receipt = submit_with_captures(
            &kiosk,
            &tray,
            crate::submit::WizardSubmission {
                profile: "tianjin",
                application,
                uploads: Vec::new(),
                actor: "visitor",
                draft_id: None,
            },
            &ids,
            crate::test_support::NOW,
        )
        .await
        .unwrap();
        let types: Vec<_> = receipt
            .attachments
            .iter()
            .map(|a| a.media_type.as_str())
            .collect();
        assert_eq!(
            types,
            [
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/msword"
            ],
            "validated against the profile's media types and queued"
        );
        assert!(tray.is_empty());
    }

    #[test]
    fn hostile_documents_never_reach_the_tray() {
        use kiosk_testkit::documents;
        let tray = Tray::default();
        let target = UploadTarget {
            slot: "business-licence".to_owned(),
            profile: Some("tianjin".to_owned()),
            kind: Some("legal-entity".to_owned()),
        };
        for (bytes, name, code) in [
            (
                documents::pdf_truncated(),
                "a.pdf",
                "ATTACHMENT_PDF_TRUNCATED",
            ),
            (
                documents::pdf_encrypted(),
                "a.pdf",
                "ATTACHMENT_PDF_ENCRYPTED",
            ),
            (
                documents::docx_encrypted(),
                "a.docx",
                "ATTACHMENT_DOC_ENCRYPTED",
            ),
            (
                documents::zip_bomb_declared(10_000_000_000),
                "a.docx",
                "ATTACHMENT_ARCHIVE_BOMB",
            ),
            (documents::docx(), "a.pdf", "ATTACHMENT_TYPE_MISMATCH"),
        ] {
            assert_eq!(
                upload_to(&tray, &target, name, &bytes).unwrap_err().code,
                code
            );
        }
        assert!(tray.is_empty());
    }

    #[test]
    fn stored_document_names_take_the_content_extension() {
        assert_eq!(
            stored_file_name_as("C:\\x\\执照.PDF", "s", "pdf"),
            "执照.pdf"
        );
        assert_eq!(
            stored_file_name_as("", "risk-commitment", "docx"),
            "risk-commitment.docx"
        );
    }

    #[test]
    fn uploads_can_name_their_profile_and_kind() {
        let raw = UploadInput::from_raw(Some("business-licence"), Some("a.pdf"), vec![1])
            .for_flow(Some("tianjin"), Some("legal-entity"));
        assert_eq!(raw.target().profile.as_deref(), Some("tianjin"));
        assert_eq!(raw.target().kind.as_deref(), Some("legal-entity"));
        let blank = UploadInput::from_raw(Some("x"), None, vec![]).for_flow(Some(" "), None);
        assert_eq!(blank.target().profile, None, "blank headers are no profile");
        assert!(
            !format!("{raw:?}").contains("a.pdf"),
            "no file name in Debug"
        );
    }

    #[test]
    fn unknown_capture_ids_are_refused_for_submission() {
        let tray = Tray::default();
        let problem = take_uploads(&tray, &["nope".to_owned()]).unwrap_err();
        assert_eq!(problem.code, "CAPTURE_NOT_FOUND");
        assert_eq!(
            signed_letter_application(&tray, "nope").unwrap_err().code,
            "CAPTURE_NOT_FOUND"
        );
    }

    #[test]
    fn captured_page_without_letter_code_has_no_application() {
        let tray = Tray::default();
        let captured = upload(&tray, "risk-commitment", "letter.jpg", &page_jpeg()).unwrap();
        assert_eq!(
            signed_letter_application(&tray, &captured.id).unwrap(),
            None
        );
    }

    #[test]
    fn stored_names_are_safe_jpeg_names() {
        assert_eq!(stored_file_name("/tmp/a/b.c.heic", "x"), "b.c.jpg");
        assert_eq!(stored_file_name("", "id-front"), "id-front.jpg");
        assert_eq!(stored_file_name(".hidden", "id-back"), "id-back.jpg");
        assert_eq!(stored_file_name("a\u{0}b\nc.png", "s"), "abc.jpg");
        assert_eq!(stored_file_name(&"长".repeat(200), "s").chars().count(), 84);
    }

    #[test]
    fn uploads_arrive_raw_with_headers() {
        let raw = UploadInput::from_raw(Some("id-front"), Some("%E6%AD%A3%E9%9D%A2.jpg"), vec![1]);
        assert_eq!(
            (raw.slot.as_str(), raw.file_name.as_str()),
            ("id-front", "正面.jpg")
        );
        assert_eq!(UploadInput::from_raw(None, None, vec![]).slot, "");
    }

    #[test]
    fn header_text_is_decoded_strictly() {
        assert_eq!(
            percent_decode("%E8%BA%AB%E4%BB%BD%E8%AF%81.jpg"),
            "身份证.jpg"
        );
        assert_eq!(percent_decode("100%zz"), "100%zz", "malformed escapes kept");
    }

    fn no_readers() -> id_reader::IdReaders {
        id_reader::IdReaders::new(
            kiosk_capture::id_reader::DetectConfig {
                dev_dir: PathBuf::from("/nonexistent/dev"),
                sys_dir: PathBuf::from("/nonexistent/sys"),
                ..Default::default()
            },
            Vec::new(),
        )
    }

    #[test]
    fn sources_list_cameras_and_the_reader_and_report_missing_sane() {
        let dev = tempfile::tempdir().unwrap();
        std::fs::write(dev.path().join("video0"), b"").unwrap();
        let sim = kiosk_testkit::idcard_sim::IdCardSim::with_cards(&[]);
        let mut devices = Devices::new(
            SaneConfig {
                program: PathBuf::from("/nonexistent/scanimage"),
                ..SaneConfig::default()
            },
            id_reader::IdReaders::new(
                kiosk_capture::id_reader::DetectConfig {
                    dev_dir: PathBuf::from("/nonexistent/dev"),
                    sys_dir: PathBuf::from("/nonexistent/sys"),
                    configured: vec![sim.path().to_path_buf()],
                    ..Default::default()
                },
                Vec::new(),
            ),
        );
        devices.dev_dir = dev.path().to_path_buf();
        let report = sources(&devices);
        let kinds: Vec<_> = report.sources.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SourceKind::Camera, SourceKind::IdCardReader]);
        assert_eq!(report.sources[1].id, sim.path().display().to_string());
        assert_eq!(report.problems[0].code, "CAPTURE_DEVICE_FAILED");
        let without = Devices::new(SaneConfig::default(), no_readers());
        assert!(
            !sources(&without)
                .sources
                .iter()
                .any(|s| s.kind == SourceKind::IdCardReader),
            "no reader is listed where none exists"
        );
    }

    #[test]
    fn scan_uses_the_scanner_setting_and_refuses_a_black_page() {
        let sane_dir = tempfile::tempdir().unwrap();
        std::fs::write(sane_dir.path().join("dll.conf"), "test\n").unwrap();
        let data = tempfile::tempdir().unwrap();
        let kiosk = crate::Kiosk::open(data.path()).unwrap();
        kiosk
            .store()
            .set_setting(crate::SETTING_SCANNER, "test:0")
            .unwrap();
        let devices = Devices::new(
            SaneConfig {
                config_dir: Some(sane_dir.path().to_path_buf()),
                ..SaneConfig::default()
            },
            no_readers(),
        );
        assert_eq!(
            choose_scanner(&kiosk, &devices.sane, None).unwrap(),
            "test:0"
        );
        assert_eq!(
            choose_scanner(&kiosk, &devices.sane, Some("other:1".into())).unwrap(),
            "other:1"
        );
        // SANE's test scanner delivers a solid black page by default.
        let tray = Tray::default();
        let refused = scan(&kiosk, &devices, &tray, "business-licence", None).unwrap_err();
        assert!(refused.code.starts_with("QUALITY_"), "{refused:?}");
        assert!(tray.is_empty());
    }
}
