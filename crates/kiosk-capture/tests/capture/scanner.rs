//! SANE's `test` backend (Debian `sane-utils`), enabled through a private SANE_CONFIG_DIR so
//! no system configuration is needed.

use std::path::Path;

use kiosk_capture::source::sane::{SaneConfig, SaneScanner, list_scanners};
use kiosk_capture::source::{CaptureSource, SourceKind};
use kiosk_capture::{NormalizeOptions, Slot, normalize};

fn test_backend_config(dir: &Path) -> SaneConfig {
    std::fs::write(dir.join("dll.conf"), "test\n").unwrap();
    SaneConfig {
        config_dir: Some(dir.to_path_buf()),
        ..SaneConfig::default()
    }
}

#[test]
fn test_backend_is_listed_as_a_scanner() {
    let dir = tempfile::tempdir().unwrap();
    let scanners =
        list_scanners(&test_backend_config(dir.path())).expect("scanimage (sane-utils) installed");
    assert!(
        scanners
            .iter()
            .any(|s| s.id == "test:0" && s.kind == SourceKind::Scanner),
        "test:0 listed: {scanners:?}"
    );
}

#[test]
fn test_scanner_page_is_captured_and_normalised() {
    let dir = tempfile::tempdir().unwrap();
    let mut scanner = SaneScanner::new(test_backend_config(dir.path()), "test:0");
    scanner.resolution = 150;
    scanner.extra_args = vec!["--test-picture".to_owned(), "Color pattern".to_owned()];
    let captured = scanner.capture().unwrap().expect("a page");
    assert_eq!(&captured.bytes[..4], b"\x89PNG", "PNG in memory");
    assert_eq!(captured.origin, "test:0");
    let out = normalize(
        &captured.bytes,
        &Slot::business_licence(),
        &NormalizeOptions::default(),
    )
    .unwrap();
    assert!(
        out.width > 300 && out.height > 300,
        "{}x{}",
        out.width,
        out.height
    );
    assert_eq!(&out.jpeg[..2], &[0xFF, 0xD8]);
}

#[test]
fn unknown_device_is_a_device_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = SaneScanner::new(test_backend_config(dir.path()), "nosuch:0")
        .scan()
        .unwrap_err();
    assert!(
        matches!(err, kiosk_capture::CaptureError::Device { .. }),
        "{err:?}"
    );
}
