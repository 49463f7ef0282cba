//! Capture use cases: normalising uploads and scans for a slot, listing capture sources,
//! scanning, reading ID cards, and reading the application number off a scanned risk letter.
//!
//! The webview camera (`getUserMedia`) sends JPEG/PNG frames as bytes to
//! [`normalize_upload`]; scanners and files end up there too.

use std::path::{Path, PathBuf};

use kiosk_capture::decode::DecodeLimits;
use kiosk_capture::source::id_card::{IdCard, IdCardReader, SimulatedReader};
use kiosk_capture::source::sane::{self, SaneConfig, SaneScanner};
use kiosk_capture::source::{SourceInfo, folder};
use kiosk_capture::watermark::{self, WatermarkFont};
use kiosk_capture::{ImageFormat, NormalizeOptions, Watermark};
use kiosk_core::Problem;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use kiosk_capture::Slot;
pub use kiosk_capture::source::SourceKind;
pub use kiosk_capture::source::folder::WatchedFolder;
pub use kiosk_capture::source::sane::SaneConfig as ScannerConfig;

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

/// Lists scanners (through SANE) and, when `simulated_reader` is set (development), the
/// simulated ID-card reader. Never fails: problems are part of the report.
pub fn list_sources(sane: &SaneConfig, simulated_reader: bool) -> SourcesReport {
    let mut report = SourcesReport {
        sources: Vec::new(),
        problems: Vec::new(),
    };
    match sane::list_scanners(sane) {
        Ok(scanners) => report.sources.extend(scanners),
        Err(error) => report.problems.push(error.into()),
    }
    if simulated_reader {
        report
            .sources
            .push(SimulatedReader::with_sample_cards().info());
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

/// Reads the card on `reader`; `None` when no card is on it.
pub fn read_id_card(reader: &mut dyn IdCardReader) -> Result<Option<IdCard>, Problem> {
    Ok(reader.read_card()?)
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
    fn simulated_reader_is_listed_and_reads_a_card() {
        let config = SaneConfig {
            program: PathBuf::from("/nonexistent/scanimage"),
            ..SaneConfig::default()
        };
        let report = list_sources(&config, true);
        assert_eq!(
            report.problems.len(),
            1,
            "missing SANE is reported, not fatal"
        );
        assert!(report.sources.iter().any(|s| s.id == "simulated-id-reader"));
        let card = read_id_card(&mut SimulatedReader::with_sample_cards())
            .unwrap()
            .unwrap();
        assert_eq!(card.id_number.len(), 18);
    }
}
