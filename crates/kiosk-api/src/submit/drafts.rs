//! Drafts: the wizard's content saved before it is handed in (the number printed on a risk
//! letter is the draft's id). Kept under the local database key, never with a password, and
//! deleted when submitted or abandoned.

use kiosk_core::Problem;
use kiosk_core::application::Application;
use kiosk_store::Draft;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::SubmitError;
use crate::Kiosk;

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

/// Parses an application or draft id.
pub(super) fn parse_id(id: &str) -> Result<Uuid, SubmitError> {
    Uuid::parse_str(id).map_err(|_| SubmitError::IdInvalid(id.to_owned()))
}

/// The masked summary of a draft once it parses as an application; before that only its
/// kind and profile (never a raw personal field).
pub(super) fn draft_summary(draft: &DraftData) -> serde_json::Value {
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
