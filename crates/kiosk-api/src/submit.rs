//! Submitting an application, and drafts.
//!
//! Submission: parse the application JSON → check it against the platform profile (refusing
//! with every problem at once) → masked summary → seal payload and attachments → one
//! transaction (application, sealed payload, attachments, outbox row, audit row).
//!
//! Until the rules engine's `kiosk_core::application` API is wired in, [`prepare`] checks the
//! envelope only (an object with a `kind`, and a `profile` equal to the requested one) and the
//! summary carries no personal field at all.

use kiosk_core::Problem;
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

fn invalid_json(detail: &str) -> Problem {
    Problem::new(
        "APPLICATION_JSON_INVALID",
        format!("申请内容不是有效的 JSON：{detail}"),
        format!("The application is not valid JSON: {detail}"),
    )
}

/// Parses and checks an application for `profile`; every problem found is returned at once.
pub fn prepare(profile: &str, application_json: &str) -> Result<Prepared, Vec<Problem>> {
    let value: serde_json::Value =
        serde_json::from_str(application_json).map_err(|e| vec![invalid_json(&e.to_string())])?;
    let Some(object) = value.as_object() else {
        return Err(vec![invalid_json("expected an object")]);
    };
    let mut problems = Vec::new();
    let kind = object
        .get("kind")
        .and_then(|k| k.as_str())
        .filter(|k| !k.trim().is_empty());
    if kind.is_none() {
        problems.push(
            Problem::new(
                "APPLICATION_KIND_MISSING",
                "申请缺少事项类型（kind）。",
                "The application has no kind.",
            )
            .at("kind"),
        );
    }
    match object.get("profile").and_then(|p| p.as_str()) {
        Some(p) if p == profile => {}
        Some(p) => problems.push(
            Problem::new(
                "APPLICATION_PROFILE_MISMATCH",
                format!("申请写的平台是「{p}」，本次提交的是「{profile}」。请选择正确的平台。"),
                format!("The application says profile \"{p}\" but was submitted for \"{profile}\". Choose the right profile."),
            )
            .at("profile"),
        ),
        None => problems.push(
            Problem::new(
                "APPLICATION_PROFILE_MISSING",
                "申请缺少平台（profile）。",
                "The application has no profile.",
            )
            .at("profile"),
        ),
    }
    match kind {
        Some(kind) if problems.is_empty() => Ok(Prepared {
            kind: kind.to_owned(),
            profile: profile.to_owned(),
            summary: serde_json::json!({ "kind": kind, "profile": profile }),
            payload: value.to_string().into_bytes(),
        }),
        _ => Err(problems),
    }
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
        id: Uuid::now_v7(),
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
    SubmitReceipt {
        id: queued.id.to_string(),
        summary,
        attachments: queued
            .attachments
            .into_iter()
            .map(|a| AttachmentMeta {
                slot: a.slot,
                sha256: a.sha256,
                size: a.size,
                media_type: a.media_type,
            })
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

fn build(submission: Submission<'_>) -> Result<NewApplication, Problem> {
    let prepared = prepare(submission.profile, submission.application_json).map_err(combine)?;
    check_attachments(&submission.attachments)?;
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
    let app = build(submission)?;
    let summary = app.summary.clone();
    Ok(receipt(summary, kiosk.store().enqueue(app, now)?))
}

/// [`submit`] for async callers (Tauri async commands): never blocks the runtime.
pub async fn submit_async(
    kiosk: &Kiosk,
    submission: Submission<'_>,
    now: i64,
) -> Result<SubmitReceipt, Problem> {
    let app = build(submission)?;
    let summary = app.summary.clone();
    Ok(receipt(
        summary,
        kiosk.store().enqueue_async(app, now).await?,
    ))
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

/// Saves a draft (kept under the local database key, deletable); returns its id.
pub fn save_draft(kiosk: &Kiosk, draft: DraftData, now: i64) -> Result<String, Problem> {
    let id = match draft.id.as_deref() {
        Some(id) => parse_id(id)?,
        None => Uuid::now_v7(),
    };
    kiosk.store().save_draft(
        Draft {
            id,
            kind: draft.kind.clone(),
            profile: draft.profile.clone(),
            summary: serde_json::json!({ "kind": draft.kind, "profile": draft.profile }),
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

/// Deletes a draft (the session ended); `false` if it was already gone.
pub fn delete_draft(kiosk: &Kiosk, id: &str) -> Result<bool, Problem> {
    Ok(kiosk.store().delete_draft(parse_id(id)?)?)
}

/// Deletes drafts untouched for `max_age_ms` (session time-out sweep); returns how many.
pub fn expire_drafts(kiosk: &Kiosk, max_age_ms: i64, now: i64) -> Result<u64, Problem> {
    Ok(kiosk.store().purge_drafts(now - max_age_ms)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const APP: &str = r#"{"profile":"tianjin","kind":"legal-entity","legalRep":{"name":"赵丽华","idNumber":"11010519491231002X"}}"#;

    fn kiosk() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        (dir, kiosk)
    }

    fn submission(attachments: Vec<AttachmentUpload>) -> Submission<'static> {
        Submission {
            profile: "tianjin",
            application_json: APP,
            attachments,
            actor: "visitor",
            replaces_draft: None,
        }
    }

    fn upload(slot: &str) -> AttachmentUpload {
        AttachmentUpload {
            slot: slot.into(),
            media_type: "image/jpeg".into(),
            bytes: vec![7; 1000],
        }
    }

    #[test]
    fn submit_queues_with_a_summary_free_of_personal_data() {
        let (_dir, kiosk) = kiosk();
        let receipt = submit(&kiosk, submission(vec![upload("licence")]), 1).unwrap();
        assert_eq!(receipt.attachments.len(), 1);
        let text = receipt.summary.to_string();
        assert!(
            !text.contains("11010519491231002X") && !text.contains("赵丽华"),
            "{text}"
        );
        let list = crate::queue::list(&kiosk, None, 10).unwrap();
        assert_eq!(list[0].id, receipt.id);
    }

    #[tokio::test]
    async fn async_submit_queues_too() {
        let (_dir, kiosk) = kiosk();
        submit_async(&kiosk, submission(vec![]), 1).await.unwrap();
        assert_eq!(crate::queue::list(&kiosk, None, 10).unwrap().len(), 1);
    }

    #[test]
    fn every_envelope_problem_is_reported_at_once() {
        let problems = prepare("beijing", r#"{"profile":"tianjin"}"#).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(
            codes,
            ["APPLICATION_KIND_MISSING", "APPLICATION_PROFILE_MISMATCH"]
        );
        let combined = combine(problems);
        assert_eq!(combined.code, "APPLICATION_INVALID");
        assert_eq!(
            prepare("x", "not json").unwrap_err()[0].code,
            "APPLICATION_JSON_INVALID"
        );
        assert_eq!(
            prepare("x", "[1]").unwrap_err()[0].code,
            "APPLICATION_JSON_INVALID"
        );
    }

    #[test]
    fn empty_or_huge_attachments_are_refused_before_storage() {
        let (_dir, kiosk) = kiosk();
        let mut empty = upload("licence");
        empty.bytes.clear();
        let err = submit(&kiosk, submission(vec![empty]), 1).unwrap_err();
        assert_eq!(err.code, "ATTACHMENT_EMPTY");
        let mut huge = upload("licence");
        huge.bytes = vec![0; MAX_ATTACHMENT_BYTES + 1];
        assert_eq!(
            submit(&kiosk, submission(vec![huge]), 1).unwrap_err().code,
            "ATTACHMENT_TOO_LARGE"
        );
        assert!(crate::queue::list(&kiosk, None, 10).unwrap().is_empty());
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
        let mut sub = submission(vec![]);
        sub.replaces_draft = Some(Uuid::parse_str(&id).unwrap());
        submit(&kiosk, sub, 2).unwrap();
        assert_eq!(load_draft(&kiosk, &id).unwrap_err().code, "NOT_FOUND");
        assert!(!delete_draft(&kiosk, &id).unwrap());
        assert_eq!(
            load_draft(&kiosk, "nope").unwrap_err().code,
            "APPLICATION_ID_INVALID"
        );
    }
}
