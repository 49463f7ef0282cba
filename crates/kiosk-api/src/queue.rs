//! The submission queue: list, detail, counts, and re-sealing at enrolment.

use std::collections::BTreeMap;

use kiosk_core::Problem;
use kiosk_core::lifecycle::LifecycleState;
use kiosk_store::PlatformRecipient;
use serde::Serialize;
use ts_rs::TS;

use crate::Kiosk;

mod error;

pub use error::QueueError;

/// An attachment as listed (never its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AttachmentMeta {
    /// Slot name.
    pub slot: String,
    /// SHA-256 of the plaintext, lower-case hex.
    pub sha256: String,
    /// Plaintext size in bytes.
    #[ts(type = "number")]
    pub size: i64,
    /// MIME type.
    pub media_type: String,
    /// What the slot holds, Chinese (the profile's label; the slot name when unknown).
    pub label_zh: String,
    /// The same in English.
    pub label_en: String,
}

impl AttachmentMeta {
    /// A stored attachment named with its slot's label on flow `kind` of `profile`.
    pub fn labelled(profile: &str, kind: &str, stored: kiosk_store::queue::AttachmentInfo) -> Self {
        let slot = kiosk_core::Profile::by_id(profile)
            .ok()
            .zip(kiosk_core::ApplicationKind::parse(kind))
            .and_then(|(p, k)| p.flow(k))
            .and_then(|f| f.attachments.iter().find(|a| a.slot == stored.slot));
        let (label_zh, label_en) = slot.map_or_else(
            || (stored.slot.clone(), stored.slot.clone()),
            |a| (a.label_zh.clone(), a.label_en.clone()),
        );
        Self {
            slot: stored.slot,
            sha256: stored.sha256,
            size: stored.size,
            media_type: stored.media_type,
            label_zh,
            label_en,
        }
    }
}

/// One line of the queue screen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QueueItem {
    /// Application id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Platform profile.
    pub profile: String,
    /// Lifecycle state.
    pub state: LifecycleState,
    /// Chinese label of the state.
    pub state_label: String,
    /// Masked summary.
    pub summary: serde_json::Value,
    /// Created, Unix ms.
    #[ts(type = "number")]
    pub created_at: i64,
    /// Last change, Unix ms.
    #[ts(type = "number")]
    pub updated_at: i64,
    /// Upload attempts so far.
    #[ts(type = "number")]
    pub attempts: i64,
    /// Next upload attempt, Unix ms, while waiting.
    #[ts(optional)]
    #[ts(type = "number")]
    pub next_attempt_at: Option<i64>,
    /// Why the last upload failed.
    #[ts(optional)]
    pub last_error: Option<String>,
}

/// A platform status update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlatformUpdate {
    /// Reported state.
    pub state: String,
    /// The platform's message.
    #[ts(optional)]
    pub message: Option<String>,
    /// Received, Unix ms.
    #[ts(type = "number")]
    pub received_at: i64,
}

/// Everything the kiosk may show about one application.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QueueItemDetail {
    /// The queue line.
    pub item: QueueItem,
    /// `local` (waiting for enrolment), `platform`, `draft`; absent once purged.
    #[ts(optional)]
    pub sealing: Option<String>,
    /// Attachments (metadata only).
    pub attachments: Vec<AttachmentMeta>,
    /// Platform status updates, oldest first.
    pub updates: Vec<PlatformUpdate>,
}

/// Queue counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QueueCounts {
    /// Applications per lifecycle state name.
    #[ts(type = "Record<string, number>")]
    pub by_state: BTreeMap<String, u64>,
    /// Waiting for upload and due now.
    #[ts(type = "number")]
    pub due_now: u64,
    /// Created time of the oldest application waiting to upload, Unix ms.
    #[ts(optional)]
    #[ts(type = "number")]
    pub oldest_waiting_at: Option<i64>,
    /// Sealed to the local key, waiting for enrolment.
    #[ts(type = "number")]
    pub sealed_locally: u64,
}

fn item(entry: kiosk_store::QueueEntry) -> QueueItem {
    QueueItem {
        state_label: entry.state.label_zh().to_owned(),
        id: entry.id,
        kind: entry.kind,
        profile: entry.profile,
        state: entry.state,
        summary: entry.summary,
        created_at: entry.created_at,
        updated_at: entry.updated_at,
        attempts: entry.attempts,
        next_attempt_at: entry.next_attempt_at,
        last_error: entry.last_error,
    }
}

/// Parses a state filter (`submitted`, `needs-action`, ...).
pub fn parse_state(name: &str) -> Result<LifecycleState, Problem> {
    LifecycleState::parse(name).ok_or_else(|| {
        QueueError::StateUnknown {
            name: name.to_owned(),
            known: LifecycleState::ALL.iter().map(|s| s.as_str()).collect(),
        }
        .into()
    })
}

/// Applications, newest first; all but drafts unless `state` is given.
pub fn list(
    kiosk: &Kiosk,
    state: Option<LifecycleState>,
    limit: u32,
) -> Result<Vec<QueueItem>, Problem> {
    Ok(kiosk
        .store()
        .list(state, limit)?
        .into_iter()
        .map(item)
        .collect())
}

/// One application in detail (never its payload).
pub fn show(kiosk: &Kiosk, id: &str) -> Result<QueueItemDetail, Problem> {
    let detail = kiosk.store().show(id)?;
    let (profile, kind) = (detail.entry.profile.clone(), detail.entry.kind.clone());
    Ok(QueueItemDetail {
        item: item(detail.entry),
        sealing: detail.sealing,
        attachments: detail
            .attachments
            .into_iter()
            .map(|a| AttachmentMeta::labelled(&profile, &kind, a))
            .collect(),
        updates: detail
            .status_updates
            .into_iter()
            .map(|u| PlatformUpdate {
                state: u.state,
                message: u.message,
                received_at: u.received_at,
            })
            .collect(),
    })
}

/// Queue counts at `now`.
pub fn stats(kiosk: &Kiosk, now: i64) -> Result<QueueCounts, Problem> {
    let s = kiosk.store().stats(now)?;
    Ok(QueueCounts {
        by_state: s.by_state,
        due_now: s.due_now,
        oldest_waiting_at: s.oldest_waiting_at,
        sealed_locally: s.sealed_locally,
    })
}

/// At enrolment: records the platform's age recipient (`age1...`) and re-seals every
/// application still sealed to the local key. Returns how many were re-sealed.
pub fn seal_to_platform(kiosk: &Kiosk, recipient: &str, now: i64) -> Result<u64, Problem> {
    let recipient = PlatformRecipient::parse(recipient)?;
    Ok(kiosk.store().reseal_to_platform(&recipient, now)?)
}

/// Makes application `id`'s next upload attempt due now (a staff member's "retry now" after
/// fixing the network), audited with `actor`. The sync worker picks it up on its next round;
/// `sync_now` runs that round at once.
pub fn retry_now(kiosk: &Kiosk, id: &str, actor: &str, now: i64) -> Result<(), Problem> {
    match kiosk.store().retry_now(id, actor, now) {
        Err(kiosk_store::StoreError::NotFound { .. }) => Err(QueueError::NotWaiting.into()),
        other => Ok(other?),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn unknown_state_filter_lists_the_known_ones() {
        let err = parse_state("done").unwrap_err();
        assert_eq!(err.code, "QUEUE_STATE_UNKNOWN");
        assert!(err.en.contains("needs-action"), "{}", err.en);
        assert_eq!(
            parse_state("needs-action").unwrap(),
            LifecycleState::NeedsAction
        );
    }

    #[test]
    fn enrolment_reseals_what_was_queued_offline() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let (json, files) = crate::test_support::fixture_with_files("tianjin-legal-entity");
        let submission = crate::submit::Submission {
            profile: "tianjin",
            application: serde_json::from_str(&json).unwrap(),
            attachments: files,
            actor: "visitor",
            draft_id: None,
        };
        let receipt = crate::submit::submit(&kiosk, submission, crate::test_support::NOW).unwrap();
        assert_eq!(
            show(&kiosk, &receipt.id).unwrap().sealing.as_deref(),
            Some("local")
        );
        assert_eq!(stats(&kiosk, 1).unwrap().sealed_locally, 1);
        let platform = age::x25519::Identity::generate();
        let n = seal_to_platform(&kiosk, &platform.to_public().to_string(), 2).unwrap();
        assert_eq!(n, 1);
        assert_eq!(
            show(&kiosk, &receipt.id).unwrap().sealing.as_deref(),
            Some("platform")
        );
        assert_eq!(
            seal_to_platform(&kiosk, "age1bad", 3).unwrap_err().code,
            "PLATFORM_KEY_INVALID"
        );
    }

    #[test]
    fn retry_now_makes_a_waiting_application_due_and_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk = Kiosk::open(dir.path()).unwrap();
        let (json, files) = crate::test_support::fixture_with_files("tianjin-legal-entity");
        let submission = crate::submit::Submission {
            profile: "tianjin",
            application: serde_json::from_str(&json).unwrap(),
            attachments: files,
            actor: "visitor",
            draft_id: None,
        };
        let now = crate::test_support::NOW;
        let receipt = crate::submit::submit(&kiosk, submission, now).unwrap();
        kiosk
            .store()
            .apply_event(
                &receipt.id,
                kiosk_core::lifecycle::LifecycleEvent::StartUpload,
                None,
                None,
                now + 1,
            )
            .unwrap();
        kiosk
            .store()
            .apply_event(
                &receipt.id,
                kiosk_core::lifecycle::LifecycleEvent::UploadFailed,
                Some("connection refused".into()),
                Some(now + 3_600_000),
                now + 2,
            )
            .unwrap();
        assert_eq!(
            stats(&kiosk, now + 10).unwrap().due_now,
            0,
            "backing off for an hour"
        );
        retry_now(&kiosk, &receipt.id, "clerk", now + 10).unwrap();
        assert_eq!(
            stats(&kiosk, now + 10).unwrap().due_now,
            1,
            "due at once after retry now"
        );
        let row = &crate::audit::recent(&kiosk, 1).unwrap()[0];
        assert_eq!(
            (row.action.as_str(), row.actor.as_str()),
            ("application.retry-now", "clerk")
        );
        assert_eq!(row.application_id.as_deref(), Some(receipt.id.as_str()));
        assert_eq!(
            retry_now(&kiosk, "no-such-id", "clerk", now)
                .unwrap_err()
                .code,
            "QUEUE_NOT_WAITING"
        );
    }
}
