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
mod error;
pub mod id_reader;
mod tray;

pub use attachment::{
    CheckedAttachment, Preview, SlotRules, UploadTarget, check_attachment, slot_rules,
};
pub use error::CaptureApiError;
pub use kiosk_capture::Slot;
pub use kiosk_capture::source::SourceKind;
pub use kiosk_capture::source::folder::WatchedFolder;
pub use kiosk_capture::source::sane::SaneConfig as ScannerConfig;
pub use tray::{Captured, Tray, TrayLimits};

mod input;
mod normalize;
mod sources;
mod uploads;
mod watermark_font;
pub use input::{UploadInput, percent_decode};
pub use normalize::{
    NormalizedUpload, UploadOptions, WatermarkRequest, normalize_upload, poll_import_folder,
    read_attachment_file, read_image_file, slot_named, with_max_bytes,
};
pub use sources::{
    Devices, SCAN_DPI, SourcesReport, TRAY_MEDIA_TYPE, choose_scanner, list_sources,
    sane_config_from_env, scan, scan_page, sources,
};
pub use uploads::{
    application_number_from_scan, attachment_slot, clear, discard, signed_letter_application,
    stored_file_name, stored_file_name_as, submit_with_captures, take_uploads, upload, upload_to,
};
pub use watermark_font::{
    FONT_ENV, SHIPPED_FONT, SYSTEM_FONT, font_candidates, load_watermark_font, watermark_date,
};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use kiosk_capture::source::sane::SaneConfig;
    use std::path::{Path, PathBuf};

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

    #[test]
    fn submitted_captures_leave_the_tray_and_refused_ones_stay() {
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
        let wizard = |application| crate::submit::Submission {
            profile: "tianjin",
            application,
            attachments: Vec::new(),
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
        .unwrap();
        assert_eq!(receipt.attachments.len(), 3, "every capture is attached");
        assert!(tray.is_empty(), "queued images are not kept twice");
    }

    #[test]
    fn word_and_pdf_attachments_are_submitted_as_they_are() {
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
            crate::submit::Submission {
                profile: "tianjin",
                application,
                attachments: Vec::new(),
                actor: "visitor",
                draft_id: None,
            },
            &ids,
            crate::test_support::NOW,
        )
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
