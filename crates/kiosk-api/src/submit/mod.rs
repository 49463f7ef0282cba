//! Handing in an application, and drafts — one path for every front door: the wizard's
//! screen (with the capture tray's images), `kioskctl submit` (with files) and tests all build a
//! [`Submission`] and call [`submit`].
//!
//! The path: the fields that no longer apply are dropped (the wizard's rule) → the attachment
//! list is written from the files handed in → the application is checked against its platform
//! profile and the files against the list, every problem at once ([`check`]) → masked summary →
//! payload and attachments sealed → one transaction (application, sealed payload,
//! attachments, outbox row or review hold, audit row).

mod check;
mod drafts;
mod error;

use kiosk_core::Problem;
use kiosk_core::application::Attachment;
use kiosk_core::date::Date;
use kiosk_store::{NewApplication, NewAttachment};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

pub use self::check::{Prepared, combine, prepare};
pub use self::drafts::{DraftData, expire_drafts, load_draft, save_draft};
pub use self::error::SubmitError;
use crate::Kiosk;
use crate::queue::AttachmentMeta;

/// Largest attachment accepted, in bytes (20 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// An attachment handed in with an application.
#[derive(Debug, Clone)]
pub struct AttachmentUpload {
    /// The profile's slot name.
    pub slot: String,
    /// MIME type.
    pub media_type: String,
    /// File content.
    pub bytes: Vec<u8>,
}

/// What the visitor sees after handing in: the queue number (id) and masked summary.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubmitReceipt {
    /// Application id (UUIDv7).
    pub id: String,
    /// The short receipt code visitors type to look it up (`KG695-HRKAD`).
    pub receipt_code: String,
    /// Masked summary.
    pub summary: serde_json::Value,
    /// Attachments as stored (hash of the plaintext, size).
    pub attachments: Vec<AttachmentMeta>,
}

/// What a front door hands in.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    /// Platform profile chosen at the kiosk.
    pub profile: &'a str,
    /// The application as the wizard built it or as read from a file.
    pub application: serde_json::Value,
    /// The files, in order. When there are any, the application's attachment list is written
    /// from them; without files, the list the application carries must be empty or is
    /// refused (`ATTACHMENT_FILES_MISMATCH`).
    pub attachments: Vec<AttachmentUpload>,
    /// Who submits: a staff username, `visitor` in self-service mode, or `kioskctl`.
    pub actor: &'a str,
    /// The draft this submission finishes, if one was saved (e.g. for the risk letter): its id
    /// stays the application number, and the draft is deleted in the same transaction.
    pub draft_id: Option<&'a str>,
}

/// SHA-256 of `bytes` in lower-case hex, as attachments are identified.
pub fn sha256_hex(bytes: &[u8]) -> String {
    kiosk_store::queue::sha256_hex(bytes)
}

/// The calendar date in China at `now` (Unix ms): what "today" means for the rules.
pub fn china_date(now: i64) -> Result<Date, Problem> {
    Ok(Date::in_china_at(now).ok_or(SubmitError::ClockInvalid)?)
}

/// File extension for a captured file's generated name.
fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "application/pdf" => "pdf",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        _ => "bin",
    }
}

/// The attachment list describing `uploads` (slot, generated name, type, size, SHA-256), in
/// their order, as the application must list them.
pub fn attachment_list(uploads: &[AttachmentUpload]) -> Vec<Attachment> {
    uploads
        .iter()
        .enumerate()
        .map(|(i, u)| Attachment {
            slot: u.slot.clone(),
            file_name: format!("{}-{}.{}", u.slot, i + 1, extension(&u.media_type)),
            media_type: u.media_type.clone(),
            size_bytes: u64::try_from(u.bytes.len()).unwrap_or(u64::MAX),
            sha256: Some(sha256_hex(&u.bytes)),
        })
        .collect()
}

/// The application as it is checked: what no longer applies dropped (a unit typed before
/// switching to a personal request, a code already verified; an unknown kind is left for
/// validation to report), the attachment list written from the files, the draft's number kept.
fn as_handed_in(
    submission: &Submission<'_>,
    draft: Option<Uuid>,
) -> Result<serde_json::Value, Problem> {
    let kind = submission
        .application
        .get("kind")
        .and_then(serde_json::Value::as_str);
    let mut application = match kind {
        Some(kind) => {
            crate::wizard::for_submission(submission.profile, kind, submission.application.clone())
                .unwrap_or_else(|_| submission.application.clone())
        }
        None => submission.application.clone(),
    };
    if let Some(object) = application.as_object_mut() {
        if !submission.attachments.is_empty() {
            let list = serde_json::to_value(attachment_list(&submission.attachments))
                .map_err(|e| SubmitError::Encode(e.to_string()))?;
            object.insert("attachments".into(), list);
        }
        if let Some(id) = draft {
            object.insert("id".into(), id.to_string().into());
        }
    }
    Ok(application)
}

fn receipt(summary: serde_json::Value, queued: kiosk_store::Enqueued) -> SubmitReceipt {
    let text = |key: &str| {
        summary
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let (profile, kind) = (text("profile"), text("kind"));
    SubmitReceipt {
        id: queued.id.to_string(),
        receipt_code: kiosk_core::receipt::display(&kiosk_core::receipt::receipt_code(
            &queued.id.to_string(),
        )),
        summary,
        attachments: queued
            .attachments
            .into_iter()
            .map(|a| AttachmentMeta::labelled(&profile, &kind, a))
            .collect(),
    }
}

/// Checks and queues an application; returns once it is durably queued (blocking: front doors
/// on an async runtime call it from their blocking pool). Nothing is stored when it is refused.
pub fn submit(
    kiosk: &Kiosk,
    submission: Submission<'_>,
    now: i64,
) -> Result<SubmitReceipt, Problem> {
    crate::limits::refuse_new_work(kiosk, now)?;
    check::check_sizes(&submission.attachments)?;
    let draft = submission.draft_id.map(drafts::parse_id).transpose()?;
    let application = as_handed_in(&submission, draft)?;
    let prepared = prepare(
        submission.profile,
        &application.to_string(),
        &submission.attachments,
        china_date(now)?,
    )
    .map_err(combine)?;
    let app = NewApplication {
        // A draft's id was printed on its risk letter: it stays the application's number.
        id: draft.unwrap_or_else(Uuid::now_v7),
        kind: prepared.kind,
        profile: prepared.profile,
        summary: prepared.summary,
        payload: prepared.payload,
        attachments: submission
            .attachments
            .into_iter()
            .map(|a| NewAttachment {
                slot: a.slot,
                media_type: a.media_type,
                bytes: a.bytes,
            })
            .collect(),
        actor: submission.actor.to_owned(),
        replaces_draft: draft,
    };
    let summary = app.summary.clone();
    let queued = if crate::review::holds(kiosk, &app.profile, &app.id.to_string())? {
        kiosk.store().enqueue_for_review(app, now)?
    } else {
        kiosk.store().enqueue(app, now)?
    };
    Ok(receipt(summary, queued))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::drafts::draft_summary;
    use super::*;
    use crate::test_support::{NOW, fixture, fixture_with_files};

    fn kiosk() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        (dir, kiosk)
    }

    fn submission(json: &str, files: Vec<AttachmentUpload>) -> Submission<'static> {
        Submission {
            profile: "tianjin",
            application: serde_json::from_str(json).unwrap(),
            attachments: files,
            actor: "visitor",
            draft_id: None,
        }
    }

    #[test]
    fn wizard_submission_lists_the_captures_and_keeps_the_draft_number() {
        let (_dir, kiosk) = kiosk();
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        let mut application: serde_json::Value = serde_json::from_str(&json).unwrap();
        application["attachments"] = serde_json::json!([]);
        let draft_id = save_draft(
            &kiosk,
            DraftData {
                id: None,
                profile: "tianjin".into(),
                kind: "legal-entity".into(),
                application: application.clone(),
            },
            NOW,
        )
        .unwrap();
        let wizard = Submission {
            profile: "tianjin",
            application,
            attachments: files,
            actor: "visitor",
            draft_id: Some(&draft_id),
        };
        let receipt = submit(&kiosk, wizard, NOW).unwrap();
        assert_eq!(receipt.id, draft_id, "the number on the risk letter stays");
        assert_eq!(
            receipt.attachments.len(),
            3,
            "attachments listed from the tray"
        );
        assert_eq!(
            load_draft(&kiosk, &draft_id).unwrap_err().code,
            "NOT_FOUND",
            "the draft is gone once submitted"
        );
    }

    #[test]
    fn wizard_submission_without_the_required_captures_is_refused() {
        let (_dir, kiosk) = kiosk();
        let (json, _files) = fixture_with_files("tianjin-legal-entity");
        let mut application: serde_json::Value = serde_json::from_str(&json).unwrap();
        application["attachments"] = serde_json::json!([]);
        let wizard = Submission {
            profile: "tianjin",
            application,
            attachments: Vec::new(),
            actor: "visitor",
            draft_id: None,
        };
        let err = submit(&kiosk, wizard, NOW).unwrap_err();
        assert!(err.zh.contains("缺少必需的附件材料"), "{err:?}");
    }

    #[test]
    fn fixture_is_queued_with_a_masked_summary_only() {
        let (_dir, kiosk) = kiosk();
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        let receipt = submit(&kiosk, submission(&json, files), NOW).unwrap();
        assert_eq!(receipt.attachments.len(), 3);
        let text = receipt.summary.to_string();
        assert!(
            !text.contains("120101198209155739"),
            "raw ID in summary: {text}"
        );
        assert!(!text.contains("赵磊"), "raw name in summary: {text}");
        assert_eq!(receipt.summary["kind"], "legal-entity");
        let list = crate::queue::list(&kiosk, None, 10).unwrap();
        assert_eq!(list[0].id, receipt.id);
        assert_eq!(list[0].summary, receipt.summary);
    }

    #[test]
    fn files_must_match_the_listed_attachments() {
        let (json, mut files) = fixture_with_files("tianjin-legal-entity");
        let today = china_date(NOW).unwrap();
        files[1].bytes.push(0);
        let err = combine(prepare("tianjin", &json, &files, today).unwrap_err());
        assert_eq!(err.code, "ATTACHMENT_FILE_MISMATCH");
        assert_eq!(err.field.as_deref(), Some("attachments.1"));
        files.pop();
        let err = combine(prepare("tianjin", &json, &files, today).unwrap_err());
        assert_eq!(err.code, "ATTACHMENT_FILES_MISMATCH");
    }

    #[test]
    fn the_list_is_written_from_the_files_handed_in_and_a_list_without_files_is_refused() {
        let (_dir, kiosk) = kiosk();
        let (json, mut files) = fixture_with_files("tianjin-legal-entity");
        files[1].bytes.push(0);
        let receipt = submit(&kiosk, submission(&json, files), NOW).unwrap();
        assert_eq!(receipt.attachments[1].size, 1002, "the file as handed in");
        let err = submit(&kiosk, submission(&json, Vec::new()), NOW).unwrap_err();
        assert_eq!(err.code, "ATTACHMENT_FILES_MISMATCH");
        assert_eq!(crate::queue::list(&kiosk, None, 10).unwrap().len(), 1);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        value["legalRepresentative"]["mobile"] = "123".into();
        let problems = prepare(
            "tianjin",
            &value.to_string(),
            &files[..2],
            china_date(NOW).unwrap(),
        )
        .unwrap_err();
        let codes: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
        assert!(codes.len() >= 2, "{codes:?}");
        assert!(codes.contains(&"ATTACHMENT_FILES_MISMATCH"), "{codes:?}");
        assert_eq!(combine(problems).code, "APPLICATION_INVALID");
        let wrong_profile =
            prepare("shandong", &json, &files, china_date(NOW).unwrap()).unwrap_err();
        assert!(
            wrong_profile
                .iter()
                .any(|p| p.code == "APPLICATION_PROFILE_MISMATCH")
        );
        let unknown = prepare("nowhere", &json, &files, china_date(NOW).unwrap()).unwrap_err();
        assert_eq!(unknown[0].code, "PROFILE_UNKNOWN");
        let bad = prepare("tianjin", "not json", &[], china_date(NOW).unwrap()).unwrap_err();
        assert_eq!(bad[0].code, "APPLICATION_JSON_INVALID");
    }

    #[test]
    fn every_fixture_of_every_profile_passes_with_matching_files() {
        let dir = format!(
            "{}/../../tests/fixtures/applications",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            let profile = stem.split('-').next().unwrap();
            let (json, files) = fixture_with_files(stem);
            let prepared = prepare(profile, &json, &files, china_date(NOW).unwrap());
            assert!(prepared.is_ok(), "{stem}: {prepared:?}");
            checked += 1;
        }
        assert!(checked >= 4, "only {checked} fixtures found");
        assert!(fixture("tianjin-legal-entity").contains("legal-entity"));
    }

    #[test]
    fn draft_summary_is_masked_once_the_draft_parses() {
        let partial = DraftData {
            id: None,
            profile: "tianjin".into(),
            kind: "legal-entity".into(),
            application: serde_json::json!({ "partial": true }),
        };
        assert_eq!(draft_summary(&partial)["kind"], "legal-entity");
        let full = DraftData {
            application: serde_json::from_str(&fixture("tianjin-legal-entity")).unwrap(),
            ..partial
        };
        let summary = draft_summary(&full).to_string();
        assert!(summary.contains("120***********5739"), "{summary}");
        assert!(
            !summary.contains("120101198209155739") && !summary.contains("赵磊"),
            "{summary}"
        );
    }

    #[test]
    fn china_date_turns_at_midnight_beijing_time() {
        // 2026-11-22T16:00:00Z is midnight in Beijing.
        let midnight = 1_795_363_200_000;
        assert_eq!(
            china_date(midnight).unwrap(),
            Date::new(2026, 11, 23).unwrap()
        );
        assert_eq!(
            china_date(midnight - 1).unwrap(),
            Date::new(2026, 11, 22).unwrap()
        );
    }

    #[test]
    fn generated_names_carry_the_extension_of_the_media_type() {
        let upload = |media_type: &str| AttachmentUpload {
            slot: "risk-commitment".to_owned(),
            media_type: media_type.to_owned(),
            bytes: vec![1],
        };
        let list = attachment_list(&[
            upload("application/pdf"),
            upload("application/msword"),
            upload("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            upload("image/jpeg"),
        ]);
        let names: Vec<_> = list.iter().map(|a| a.file_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "risk-commitment-1.pdf",
                "risk-commitment-2.doc",
                "risk-commitment-3.docx",
                "risk-commitment-4.jpg"
            ]
        );
    }

    #[test]
    fn empty_or_huge_attachments_are_refused_before_storage() {
        let (_dir, kiosk) = kiosk();
        let (json, mut files) = fixture_with_files("tianjin-legal-entity");
        files[0].bytes.clear();
        let err = submit(&kiosk, submission(&json, files.clone()), NOW).unwrap_err();
        assert_eq!(err.code, "ATTACHMENT_EMPTY");
        files[0].bytes = vec![0; MAX_ATTACHMENT_BYTES + 1];
        let err = submit(&kiosk, submission(&json, files), NOW).unwrap_err();
        assert_eq!(err.code, "ATTACHMENT_TOO_LARGE");
        assert!(crate::queue::list(&kiosk, None, 10).unwrap().is_empty());
    }

    #[test]
    fn no_password_reaches_a_draft_row() {
        let (_dir, kiosk) = kiosk();
        let (json, _) = fixture_with_files("tianjin-legal-entity");
        let application: serde_json::Value = serde_json::from_str(&json).unwrap();
        let password = application["account"]["password"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!password.is_empty());
        let data = DraftData {
            id: None,
            profile: "tianjin".into(),
            kind: "legal-entity".into(),
            application,
        };
        let id = save_draft(&kiosk, data, 1).unwrap();
        let row = kiosk.store().draft(Uuid::parse_str(&id).unwrap()).unwrap();
        let stored = String::from_utf8(row.payload).unwrap();
        assert!(
            !stored.contains(&password),
            "a password was kept in the draft"
        );
        assert!(!row.summary.to_string().contains(&password));
        let back = load_draft(&kiosk, &id).unwrap().application;
        assert!(back["account"].get("password").is_none());
        assert!(back["account"].get("passwordConfirmation").is_none());
        assert_eq!(
            back["account"]["accountName"],
            serde_json::json!(
                serde_json::from_str::<serde_json::Value>(&json).unwrap()["account"]["accountName"]
            )
        );
    }

    #[test]
    fn drafts_round_trip_and_are_replaced_by_submission() {
        let (_dir, kiosk) = kiosk();
        let data = DraftData {
            id: None,
            profile: "tianjin".into(),
            kind: "legal-entity".into(),
            application: serde_json::json!({ "partial": true }),
        };
        let id = save_draft(&kiosk, data, 1).unwrap();
        assert_eq!(
            load_draft(&kiosk, &id).unwrap().application["partial"],
            true
        );
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        let mut sub = submission(&json, files);
        sub.draft_id = Some(&id);
        submit(&kiosk, sub, NOW).unwrap();
        assert_eq!(load_draft(&kiosk, &id).unwrap_err().code, "NOT_FOUND");
        assert_eq!(
            load_draft(&kiosk, "nope").unwrap_err().code,
            "APPLICATION_ID_INVALID"
        );
    }
}
