//! Submitting an application, and drafts.
//!
//! Submission: parse the application JSON → validate it against the platform profile and
//! check the files against the attachments it lists (refusing with every problem at once) →
//! masked summary → seal payload and attachments → one transaction (application, sealed
//! payload, attachments, outbox row, audit row).

use kiosk_core::Problem;
use kiosk_core::application::{Application, Attachment};
use kiosk_core::date::Date;
use kiosk_core::profile::Profile;
use kiosk_core::validate::validate_application;
use kiosk_store::{Draft, NewApplication, NewAttachment};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

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

/// A checked application, ready to seal.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// Application kind.
    pub kind: String,
    /// Platform profile.
    pub profile: String,
    /// Masked summary.
    pub summary: serde_json::Value,
    /// Canonical payload bytes.
    pub payload: Vec<u8>,
}

/// SHA-256 of `bytes` in lower-case hex, as attachments are identified.
pub fn sha256_hex(bytes: &[u8]) -> String {
    kiosk_store::queue::sha256_hex(bytes)
}

/// China Standard Time (UTC+8, no daylight saving), in milliseconds.
const CHINA_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// The calendar date in China at `now` (Unix ms): what "today" means for the rules.
pub fn china_date(now: i64) -> Result<Date, Problem> {
    Date::from_unix_days((now + CHINA_OFFSET_MS).div_euclid(24 * 60 * 60 * 1000)).ok_or_else(|| {
        Problem::new(
            "CLOCK_INVALID",
            "终端时钟不正确，请联系管理员校准时间。",
            "The kiosk clock is wrong; ask an administrator to set the time.",
        )
    })
}

/// Checks that the files handed in are exactly the attachments the application lists, in
/// order: same slot, same size and, when the list gives one, the same SHA-256.
fn check_files(listed: &[Attachment], files: &[AttachmentUpload]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if listed.len() != files.len() {
        problems.push(
            Problem::new(
                "ATTACHMENT_FILES_MISMATCH",
                format!("申请列出 {} 份材料，实际上传了 {} 个文件。请重新上传材料。", listed.len(), files.len()),
                format!(
                    "The application lists {} attachments but {} files were handed in. Upload the attachments again.",
                    listed.len(),
                    files.len()
                ),
            )
            .at("attachments"),
        );
        return problems;
    }
    for (i, (entry, file)) in listed.iter().zip(files).enumerate() {
        let size_ok = u64::try_from(file.bytes.len()).is_ok_and(|n| n == entry.size_bytes);
        let hash_ok = entry
            .sha256
            .as_deref()
            .is_none_or(|h| h.eq_ignore_ascii_case(&kiosk_store::queue::sha256_hex(&file.bytes)));
        if entry.slot != file.slot || !size_ok || !hash_ok {
            problems.push(
                Problem::new(
                    "ATTACHMENT_FILE_MISMATCH",
                    format!(
                        "第 {} 份材料（{}）与上传的文件不一致，请重新上传。",
                        i + 1,
                        entry.file_name
                    ),
                    format!(
                        "Attachment {} ({}) does not match the file handed in; upload it again.",
                        i + 1,
                        entry.file_name
                    ),
                )
                .at(format!("attachments.{i}")),
            );
        }
    }
    problems
}

/// Parses the application, validates it against `profile_id` on `today` and checks `files`
/// against the attachments it lists. Every problem found is returned at once.
pub fn prepare(
    profile_id: &str,
    application_json: &str,
    files: &[AttachmentUpload],
    today: Date,
) -> Result<Prepared, Vec<Problem>> {
    let profile = Profile::by_id(profile_id).map_err(|e| vec![Problem::from(e)])?;
    let mut application = Application::from_json(application_json).map_err(|p| vec![p])?;
    application.mark_manual_review();
    let mut problems = Vec::new();
    if application.profile != profile.id {
        problems.push(
            Problem::new(
                "APPLICATION_PROFILE_MISMATCH",
                format!(
                    "申请写的平台是「{}」，本次提交的是「{}」。请选择正确的平台。",
                    application.profile, profile.id
                ),
                format!(
                    "The application says profile \"{}\" but was submitted for \"{}\". Choose the right profile.",
                    application.profile, profile.id
                ),
            )
            .at("profile"),
        );
    }
    problems.extend(validate_application(profile, &application, today).errors);
    problems.extend(check_files(application.form.attachments(), files));
    if !problems.is_empty() {
        return Err(problems);
    }
    let encode = |e: serde_json::Error| {
        vec![Problem::new(
            "APPLICATION_ENCODE_FAILED",
            format!("无法整理申请内容：{e}"),
            format!("Could not encode the application: {e}"),
        )]
    };
    Ok(Prepared {
        kind: application.kind().as_str().to_owned(),
        profile: profile.id.clone(),
        summary: serde_json::to_value(application.masked_summary()).map_err(encode)?,
        payload: serde_json::to_vec(&application).map_err(encode)?,
    })
}

/// Folds several problems into one whose messages list them all (for front doors that show one).
pub fn combine(problems: Vec<Problem>) -> Problem {
    match <[Problem; 1]>::try_from(problems) {
        Ok([one]) => one,
        Err(many) => Problem::new(
            "APPLICATION_INVALID",
            many.iter()
                .map(|p| p.zh.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            many.iter()
                .map(|p| p.en.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

fn check_attachments(attachments: &[AttachmentUpload]) -> Result<(), Problem> {
    if let Some(big) = attachments
        .iter()
        .find(|a| a.bytes.len() > MAX_ATTACHMENT_BYTES)
    {
        return Err(Problem::new(
            "ATTACHMENT_TOO_LARGE",
            format!("材料「{}」超过 20 MB，请重新拍摄或压缩后再上传。", big.slot),
            format!(
                "Attachment \"{}\" is over 20 MB; capture or compress it again.",
                big.slot
            ),
        )
        .at(format!("attachments.{}", big.slot)));
    }
    if let Some(empty) = attachments.iter().find(|a| a.bytes.is_empty()) {
        return Err(Problem::new(
            "ATTACHMENT_EMPTY",
            format!("材料「{}」是空文件，请重新上传。", empty.slot),
            format!("Attachment \"{}\" is empty; upload it again.", empty.slot),
        )
        .at(format!("attachments.{}", empty.slot)));
    }
    Ok(())
}

fn new_application(
    prepared: Prepared,
    attachments: Vec<AttachmentUpload>,
    actor: &str,
    replaces_draft: Option<Uuid>,
) -> NewApplication {
    NewApplication {
        // A draft's id was printed on its risk letter: it stays the application's number.
        id: replaces_draft.unwrap_or_else(Uuid::now_v7),
        kind: prepared.kind,
        profile: prepared.profile,
        summary: prepared.summary,
        payload: prepared.payload,
        attachments: attachments
            .into_iter()
            .map(|a| NewAttachment {
                slot: a.slot,
                media_type: a.media_type,
                bytes: a.bytes,
            })
            .collect(),
        actor: actor.to_owned(),
        replaces_draft,
    }
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

/// The submission request of [`submit`] and [`submit_async`].
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    /// Platform profile chosen at the kiosk.
    pub profile: &'a str,
    /// The application JSON.
    pub application_json: &'a str,
    /// Attachments.
    pub attachments: Vec<AttachmentUpload>,
    /// Who submits: a staff username, or `visitor` in self-service mode.
    pub actor: &'a str,
    /// The draft this submission replaces (deleted in the same transaction).
    pub replaces_draft: Option<Uuid>,
}

fn build(submission: Submission<'_>, now: i64) -> Result<NewApplication, Problem> {
    check_attachments(&submission.attachments)?;
    let prepared = prepare(
        submission.profile,
        submission.application_json,
        &submission.attachments,
        china_date(now)?,
    )
    .map_err(combine)?;
    Ok(new_application(
        prepared,
        submission.attachments,
        submission.actor,
        submission.replaces_draft,
    ))
}

/// Submits an application; returns once it is durably queued (blocking).
pub fn submit(
    kiosk: &Kiosk,
    submission: Submission<'_>,
    now: i64,
) -> Result<SubmitReceipt, Problem> {
    crate::limits::refuse_new_work(kiosk, now)?;
    let app = build(submission, now)?;
    let summary = app.summary.clone();
    let queued = if crate::review::holds(kiosk, &app.profile, &app.id.to_string())? {
        kiosk.store().enqueue_for_review(app, now)?
    } else {
        kiosk.store().enqueue(app, now)?
    };
    Ok(receipt(summary, queued))
}

/// [`submit`] for async callers (Tauri async commands): never blocks the runtime.
pub async fn submit_async(
    kiosk: &Kiosk,
    submission: Submission<'_>,
    now: i64,
) -> Result<SubmitReceipt, Problem> {
    crate::limits::refuse_new_work(kiosk, now)?;
    let app = build(submission, now)?;
    let summary = app.summary.clone();
    let queued = if crate::review::holds(kiosk, &app.profile, &app.id.to_string())? {
        kiosk.store().enqueue_for_review_async(app, now).await?
    } else {
        kiosk.store().enqueue_async(app, now).await?
    };
    Ok(receipt(summary, queued))
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

/// A submission from the wizard: the form as typed, the files taken from the capture tray,
/// and the draft it finishes (whose id becomes the application number).
#[derive(Debug, Clone)]
pub struct WizardSubmission<'a> {
    /// Platform profile chosen at the kiosk.
    pub profile: &'a str,
    /// The application as the wizard built it (its attachment list is filled here).
    pub application: serde_json::Value,
    /// Captured files, in the order the visitor took them.
    pub uploads: Vec<AttachmentUpload>,
    /// Who submits: a staff username, or `visitor` in self-service mode.
    pub actor: &'a str,
    /// The draft this submission finishes, if one was saved (e.g. for the risk letter).
    pub draft_id: Option<&'a str>,
}

/// Fills the application's attachment list from the captured files and submits it; a
/// draft's id is kept as the application id. Returns once it is durably queued.
pub async fn submit_wizard(
    kiosk: &Kiosk,
    wizard: WizardSubmission<'_>,
    now: i64,
) -> Result<SubmitReceipt, Problem> {
    let draft = wizard.draft_id.map(parse_id).transpose()?;
    let kind = wizard
        .application
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    // What no longer applies is not handed in (a unit typed before switching to a personal
    // request, a code already verified). An unknown kind is left for validation to report.
    let mut application = match kind {
        Some(kind) => {
            crate::wizard::for_submission(wizard.profile, &kind, wizard.application.clone())
                .unwrap_or(wizard.application)
        }
        None => wizard.application,
    };
    if let Some(object) = application.as_object_mut() {
        if !wizard.uploads.is_empty() {
            let list = serde_json::to_value(attachment_list(&wizard.uploads)).map_err(|e| {
                Problem::new(
                    "APPLICATION_ENCODE_FAILED",
                    format!("无法整理材料清单：{e}"),
                    format!("Could not list the attachments: {e}"),
                )
            })?;
            object.insert("attachments".into(), list);
        }
        if let Some(id) = draft {
            object.insert("id".into(), id.to_string().into());
        }
    }
    let json = application.to_string();
    let submission = Submission {
        profile: wizard.profile,
        application_json: &json,
        attachments: wizard.uploads,
        actor: wizard.actor,
        replaces_draft: draft,
    };
    submit_async(kiosk, submission, now).await
}

/// A draft as the form edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DraftData {
    /// Draft id (UUIDv7); omit to start a new draft.
    #[ts(optional)]
    pub id: Option<String>,
    /// Platform profile.
    pub profile: String,
    /// Application kind.
    pub kind: String,
    /// The form content so far.
    pub application: serde_json::Value,
}

fn parse_id(id: &str) -> Result<Uuid, Problem> {
    Uuid::parse_str(id).map_err(|_| {
        Problem::new(
            "APPLICATION_ID_INVALID",
            format!("申请编号「{id}」格式不对。"),
            format!("\"{id}\" is not an application id."),
        )
    })
}

/// The masked summary of a draft once it parses as an application; before that only its
/// kind and profile (never a raw personal field).
fn draft_summary(draft: &DraftData) -> serde_json::Value {
    serde_json::from_value::<Application>(draft.application.clone())
        .ok()
        .and_then(|app| serde_json::to_value(app.masked_summary()).ok())
        .unwrap_or_else(|| serde_json::json!({ "kind": draft.kind, "profile": draft.profile }))
}

/// Saves a draft (kept under the local database key, deletable); returns its id. Passwords
/// are never kept: a visitor who comes back types them again.
pub fn save_draft(kiosk: &Kiosk, mut draft: DraftData, now: i64) -> Result<String, Problem> {
    let id = match draft.id.as_deref() {
        Some(id) => parse_id(id)?,
        None => Uuid::now_v7(),
    };
    draft.application = kiosk_core::form::without_secrets(draft.application);
    kiosk.store().save_draft(
        Draft {
            id,
            kind: draft.kind.clone(),
            profile: draft.profile.clone(),
            summary: draft_summary(&draft),
            payload: draft.application.to_string().into_bytes(),
        },
        now,
    )?;
    Ok(id.to_string())
}

/// Loads a draft back into the form.
pub fn load_draft(kiosk: &Kiosk, id: &str) -> Result<DraftData, Problem> {
    let draft = kiosk.store().draft(parse_id(id)?)?;
    let application = serde_json::from_slice(&draft.payload).unwrap_or(serde_json::Value::Null);
    Ok(DraftData {
        id: Some(draft.id.to_string()),
        profile: draft.profile,
        kind: draft.kind,
        application,
    })
}

/// Deletes drafts untouched for `max_age_ms` (session time-out sweep); returns how many.
pub fn expire_drafts(kiosk: &Kiosk, max_age_ms: i64, now: i64) -> Result<u64, Problem> {
    Ok(kiosk.store().purge_drafts(now - max_age_ms)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::test_support::{NOW, fixture, fixture_with_files};

    fn kiosk() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        (dir, kiosk)
    }

    fn submission<'a>(json: &'a str, files: Vec<AttachmentUpload>) -> Submission<'a> {
        Submission {
            profile: "tianjin",
            application_json: json,
            attachments: files,
            actor: "visitor",
            replaces_draft: None,
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
        let wizard = WizardSubmission {
            profile: "tianjin",
            application,
            uploads: files,
            actor: "visitor",
            draft_id: Some(&draft_id),
        };
        let receipt = runtime()
            .block_on(submit_wizard(&kiosk, wizard, NOW))
            .unwrap();
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

    /// The store's blocking calls (drafts) must run outside the runtime, as in the app.
    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn wizard_submission_without_the_required_captures_is_refused() {
        let (_dir, kiosk) = kiosk();
        let (json, _files) = fixture_with_files("tianjin-legal-entity");
        let mut application: serde_json::Value = serde_json::from_str(&json).unwrap();
        application["attachments"] = serde_json::json!([]);
        let wizard = WizardSubmission {
            profile: "tianjin",
            application,
            uploads: Vec::new(),
            actor: "visitor",
            draft_id: None,
        };
        let err = submit_wizard(&kiosk, wizard, NOW).await.unwrap_err();
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

    #[tokio::test]
    async fn async_submit_queues_too() {
        let (_dir, kiosk) = kiosk();
        let (json, files) = fixture_with_files("tianjin-legal-entity");
        submit_async(&kiosk, submission(&json, files), NOW)
            .await
            .unwrap();
        assert_eq!(crate::queue::list(&kiosk, None, 10).unwrap().len(), 1);
    }

    #[test]
    fn files_must_match_the_listed_attachments() {
        let (_dir, kiosk) = kiosk();
        let (json, mut files) = fixture_with_files("tianjin-legal-entity");
        files[1].bytes.push(0);
        let err = submit(&kiosk, submission(&json, files.clone()), NOW).unwrap_err();
        assert_eq!(err.code, "ATTACHMENT_FILE_MISMATCH");
        assert_eq!(err.field.as_deref(), Some("attachments.1"));
        files.pop();
        let err = submit(&kiosk, submission(&json, files), NOW).unwrap_err();
        assert_eq!(err.code, "ATTACHMENT_FILES_MISMATCH");
        assert!(crate::queue::list(&kiosk, None, 10).unwrap().is_empty());
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
        sub.replaces_draft = Some(Uuid::parse_str(&id).unwrap());
        submit(&kiosk, sub, NOW).unwrap();
        assert_eq!(load_draft(&kiosk, &id).unwrap_err().code, "NOT_FOUND");
        assert_eq!(
            load_draft(&kiosk, "nope").unwrap_err().code,
            "APPLICATION_ID_INVALID"
        );
    }
}
