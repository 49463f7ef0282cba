//! Printed documents: the risk commitment letter of a saved legal-entity draft, the
//! acceptance receipt of a queued application, and printing them through CUPS.
//!
//! This module maps the domain onto `kiosk-docs`' plain inputs, masking personal data on
//! the way (the receipt only ever sees the masked summary the queue keeps), and loads the
//! shipped CJK font once per process. The kiosk writes its PDFs to `<data_dir>/print/`:
//! they hold personal data, so [`print_document`] deletes each one once CUPS has it, and
//! [`clear_print_folder`] empties the folder when the app starts.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use kiosk_docs::{Paper, ReceiptState, qr_payload};

mod error;
mod files;
mod font;
mod inputs;
mod print_folder;
mod printers;
pub use error::DocumentsError;
pub use files::{write_receipt, write_risk_letter};
pub use font::ASSETS_DIR_ENV;
pub(crate) use font::font;
pub use inputs::{attachment_lines, hall_info, receipt_input, receipt_state, risk_letter_input};
pub use print_folder::{
    PRINT_FOLDER, PRINT_JOB_KEPT, clear_print_folder, print_document, print_folder, receipt_pdf,
    risk_letter_pdf,
};
pub(crate) use print_folder::{new_print_file, write};
pub use printers::{
    PrintJobInfo, PrintJobState, PrinterInfo, list_printers, parse_paper, print_file,
    print_job_state,
};

/// The hall and kiosk printed on receipts (from the settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HallInfo {
    /// Name of this kiosk.
    pub kiosk_name: String,
    /// Name of the service hall.
    pub hall_name: String,
    /// Help-desk phone of the hall.
    pub hall_phone: String,
}

/// A document written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WrittenDocument {
    /// Where the PDF was written (pass it to `print_document`).
    pub path: String,
    /// Number of pages.
    pub pages: u32,
    /// Size of the PDF in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// The application number printed on it (text and QR code).
    pub application_no: String,
    /// Characters the font cannot draw, printed as their code point: show these to the
    /// clerk, the paper differs from what was typed.
    pub substitutions: Vec<GlyphSubstitution>,
}

/// A character printed as its code point because the font has no glyph for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GlyphSubstitution {
    /// Field that held it (camelCase, e.g. `unitName`).
    pub field: String,
    /// The typed character.
    pub character: String,
    /// What was printed instead, e.g. `〔U+0627〕`.
    pub printed_as: String,
}

/// A new application number (UUIDv7), for documents rendered from a file that has none.
pub fn new_application_no() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::submit::{DraftData, Submission, save_draft, submit};
    use crate::test_support::{NOW, fixture, fixture_with_files};
    use crate::{Kiosk, SETTING_HALL_NAME, SETTING_HALL_PHONE, SETTING_KIOSK_NAME};
    use kiosk_core::application::{Application, ApplicationKind};
    use kiosk_core::lifecycle::LifecycleState;
    use std::path::Path;

    fn app(name: &str) -> Application {
        Application::from_json(&fixture(name)).unwrap_or_else(|p| panic!("{name}: {p}"))
    }

    fn kiosk() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        (dir, kiosk)
    }

    fn hall() -> HallInfo {
        HallInfo {
            kiosk_name: "1 号终端".into(),
            hall_name: "测试大厅".into(),
            hall_phone: "022-1234".into(),
        }
    }

    fn pdftotext(path: &str) -> String {
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", path, "-"])
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        String::from_utf8_lossy(&out.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    #[test]
    fn legal_entity_fills_the_letter_with_a_masked_phone() {
        let letter =
            risk_letter_input(&app("tianjin-legal-entity"), "APP-1", "2026-11-23").unwrap();
        assert_eq!(letter.unit_name, "天津示例新材料有限公司");
        assert_eq!(letter.uscc, "91120116MA07R4CN6Y");
        assert_eq!(letter.platform_account, "tjshili2021");
        assert_eq!(letter.contact_name, "陈静");
        assert_eq!(
            letter.contact_phone_masked.as_deref(),
            Some("139****0004"),
            "phone masked"
        );
    }

    #[test]
    fn natural_person_has_no_risk_letter() {
        let problem =
            risk_letter_input(&app("tianjin-natural-person"), "APP-1", "2026-11-23").unwrap_err();
        assert_eq!(problem.code, "RISK_LETTER_NOT_APPLICABLE");
    }

    #[test]
    fn timestamps_are_china_time() {
        // 2026-11-23 01:41 UTC is 09:41 in China.
        let now = 1_795_398_060_000;
        assert_eq!(china_clock::timestamp_text(now), "2026-11-23 09:41");
        assert_eq!(china_clock::date_text(now), "2026-11-23");
    }

    #[test]
    fn receipt_carries_only_masked_personal_data_and_slot_labels() {
        let app = app("tianjin-legal-entity");
        let attachments = attachment_lines(
            &app.profile,
            app.kind(),
            app.form.attachments().iter().map(|a| a.slot.as_str()),
        );
        let receipt = receipt_input(
            &app.masked_summary(),
            "APP-1",
            attachments,
            &hall(),
            "2026-11-23 09:41",
            ReceiptState::Queued,
        );
        let json = serde_json::to_string(&receipt).unwrap();
        assert!(!json.contains("赵磊"), "no full name: {json}");
        assert!(receipt.id_number_masked.contains('*'), "{json}");
        assert!(
            receipt.attachments.iter().all(|a| !a.contains('-')),
            "slots print their profile labels: {:?}",
            receipt.attachments
        );
    }

    #[test]
    fn repeated_slots_are_counted_on_one_line() {
        let lines = attachment_lines(
            "tianjin",
            ApplicationKind::LegalEntity,
            ["business-licence", "business-licence", "mystery-slot"],
        );
        assert_eq!(
            lines,
            ["企业营业执照或事业单位法人证书 ×2", "mystery-slot"],
            "{lines:?}"
        );
    }

    #[test]
    fn lifecycle_states_map_to_queued_or_received() {
        assert_eq!(
            receipt_state(LifecycleState::Submitted).unwrap(),
            ReceiptState::Queued
        );
        assert_eq!(
            receipt_state(LifecycleState::Uploading).unwrap(),
            ReceiptState::Queued
        );
        assert_eq!(
            receipt_state(LifecycleState::Accepted).unwrap(),
            ReceiptState::Received
        );
        assert_eq!(
            receipt_state(LifecycleState::Draft).unwrap_err().code,
            "RECEIPT_NOT_SUBMITTED"
        );
    }

    #[test]
    fn draft_letter_carries_the_draft_id_and_queued_receipt_the_hall() {
        let (_dir, kiosk) = kiosk();
        let application: serde_json::Value =
            serde_json::from_str(&fixture("tianjin-legal-entity")).unwrap();
        let draft_id = save_draft(
            &kiosk,
            DraftData {
                id: None,
                profile: "tianjin".into(),
                kind: "legal-entity".into(),
                application,
            },
            NOW,
        )
        .unwrap();
        let letter = risk_letter_pdf(&kiosk, &draft_id, NOW).unwrap();
        assert_eq!(letter.application_no, draft_id);
        assert!(
            letter
                .path
                .starts_with(&print_folder(&kiosk).display().to_string()),
            "{letter:?}"
        );
        let text = pdftotext(&letter.path);
        assert!(text.contains(&draft_id), "the draft id is printed: {text}");
        assert!(text.contains("天津示例新材料有限公司"), "{text}");

        for (key, value) in [
            (SETTING_HALL_NAME, "滨海新区政务服务中心"),
            (SETTING_HALL_PHONE, "022-66668888"),
            (SETTING_KIOSK_NAME, "3号终端"),
        ] {
            kiosk.store().set_setting(key, value).unwrap();
        }
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        let submitted = submit(
            &kiosk,
            Submission {
                profile: "tianjin",
                application: serde_json::from_str(&json).unwrap(),
                attachments: files,
                actor: "visitor",
                draft_id: None,
            },
            NOW,
        )
        .unwrap();
        let receipt = receipt_pdf(&kiosk, &submitted.id, Paper::Thermal80, NOW).unwrap();
        let text = pdftotext(&receipt.path);
        // The long number wraps on roll paper; the code visitors type is printed whole.
        let head = submitted.id.split('-').next().unwrap_or_default();
        for needle in [
            "滨海新区政务服务中心",
            "022-66668888",
            "3号终端",
            head,
            submitted.receipt_code.as_str(),
            "联网后自动报送",
        ] {
            assert!(text.contains(needle), "receipt lacks {needle:?}: {text}");
        }
        assert!(!text.contains("120101198209155739"), "no raw ID: {text}");

        assert_eq!(clear_print_folder(&kiosk).unwrap(), 2, "both PDFs removed");
        assert!(!Path::new(&letter.path).exists());
    }

    #[test]
    fn scanned_letter_is_matched_back_to_its_draft_by_the_capture_qr_reader() {
        let (dir, kiosk) = kiosk();
        let application: serde_json::Value =
            serde_json::from_str(&fixture("zhengzhou-legal-entity")).unwrap();
        let draft_id = save_draft(
            &kiosk,
            DraftData {
                id: None,
                profile: "zhengzhou".into(),
                kind: "legal-entity".into(),
                application,
            },
            NOW,
        )
        .unwrap();
        let letter = risk_letter_pdf(&kiosk, &draft_id, NOW).unwrap();
        // A 200 dpi "scan" of the printed page, as the flatbed produces it.
        let prefix = dir.path().join("scan");
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "200", "-png", "-singlefile", &letter.path])
            .arg(&prefix)
            .status()
            .expect("pdftoppm (poppler-utils) is installed");
        assert!(status.success(), "pdftoppm failed");
        let scan = std::fs::read(prefix.with_extension("png")).unwrap();
        let number = crate::capture::application_number_from_scan(&scan).unwrap();
        assert_eq!(
            number.as_deref(),
            Some(draft_id.as_str()),
            "kiosk-capture reads the draft id back from the letter's QR code"
        );
    }

    #[test]
    fn only_files_of_the_print_folder_can_be_printed() {
        let (dir, kiosk) = kiosk();
        let outside = dir.path().join("secret.pdf");
        std::fs::write(&outside, b"%PDF-1.7").unwrap();
        let problem = print_document(&kiosk, &outside, None).unwrap_err();
        assert_eq!(problem.code, "PRINT_FILE_MISSING");
        assert!(
            outside.exists(),
            "a file outside the folder is never deleted"
        );
    }

    #[test]
    fn unknown_paper_is_a_problem_on_the_paper_field() {
        assert_eq!(parse_paper("80mm").unwrap(), Paper::Thermal80);
        let problem = parse_paper("letter").unwrap_err();
        assert_eq!(problem.code, "PAPER_UNKNOWN");
        assert_eq!(problem.field.as_deref(), Some("paper"));
    }
}
