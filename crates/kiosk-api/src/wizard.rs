//! The wizard's step transitions and summary, for the app and `kioskctl`: Rust decides when a
//! step may finish (its fields, a verified SMS code, values already registered on the platform,
//! the live real-name check) and what the summary shows (masked). The screen only asks and
//! shows what it is told.

use kiosk_core::application::ApplicationKind;
use kiosk_core::form::{FlowForm, InputKind};
use kiosk_core::profile::Profile;
pub use kiosk_core::wizard::SummaryRow;
use kiosk_core::wizard::{check_step, field_applies, text_at};
use kiosk_core::{Problem, UserFacing};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Kiosk;
use crate::master::{self, KioskNames, MasterError};
use crate::online::{self, Availability};

/// How a note is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Tone {
    /// Something was confirmed.
    Success,
    /// Worth knowing; nothing to do.
    Info,
    /// The visitor should know this changes what happens next (e.g. manual review).
    Warning,
}

/// Something the visitor is told at a step, besides problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Note {
    /// Stable code (e.g. `REAL_NAME_VERIFIED`).
    pub code: String,
    /// The field it concerns, if one.
    #[ts(optional)]
    pub field: Option<String>,
    /// How it is shown.
    pub tone: Tone,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

/// What became of a request to finish a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StepOutcome {
    /// Whether the wizard may go on.
    pub done: bool,
    /// What keeps it, each at its field.
    pub problems: Vec<Problem>,
    /// Path → value the application takes on (e.g. `realNameCheck`); `null` removes a value.
    #[ts(type = "Record<string, unknown>")]
    pub patch: serde_json::Map<String, serde_json::Value>,
    /// What the visitor is told.
    pub notes: Vec<Note>,
}

fn note(
    code: &str,
    field: Option<&str>,
    tone: Tone,
    zh: impl Into<String>,
    en: impl Into<String>,
) -> Note {
    Note {
        code: code.to_owned(),
        field: field.map(str::to_owned),
        tone,
        zh: zh.into(),
        en: en.into(),
    }
}

/// The profile and form of a flow.
pub fn form_of(profile_id: &str, kind: &str) -> Result<(&'static Profile, FlowForm), Problem> {
    let profile = Profile::by_id(profile_id).map_err(|e| e.problem())?;
    let form = crate::validate::flow_form(profile_id, kind)?;
    Ok((profile, form))
}

/// The application as the wizard holds it, with its profile and kind set.
fn stamped(
    profile: &str,
    kind: ApplicationKind,
    mut application: serde_json::Value,
) -> serde_json::Value {
    if let Some(object) = application.as_object_mut() {
        object.insert("profile".into(), profile.into());
        object.insert("kind".into(), kind.as_str().into());
    }
    application
}

/// Picker values must be entries of their list.
fn unlisted(
    kiosk: &Kiosk,
    profile: &Profile,
    form: &FlowForm,
    step: &str,
    app: &serde_json::Value,
) -> Vec<Problem> {
    let Some(step) = form.steps.iter().find(|s| s.key == step) else {
        return Vec::new();
    };
    step.fields
        .iter()
        .filter(|f| f.input == InputKind::Picker && field_applies(f, app))
        .filter_map(|f| {
            let value = text_at(app, &f.path)?;
            let list = f.list.as_deref()?;
            let entries = master::list(kiosk, list, Some(&profile.id)).ok()?;
            (!entries.iter().any(|e| e.code == value))
                .then(|| MasterError::NotListed.problem().at(&f.path))
        })
        .collect()
}

/// Asks the platform about every value of the step that must not be registered yet. Taken
/// values are problems; values the platform could not be asked about get one honest note.
async fn registered_checks(
    kiosk: &Kiosk,
    form: &FlowForm,
    step: &str,
    app: &serde_json::Value,
) -> (Vec<Problem>, Vec<Note>) {
    let Some(step) = form.steps.iter().find(|s| s.key == step) else {
        return (Vec::new(), Vec::new());
    };
    let mut problems = Vec::new();
    let mut unknown = false;
    for field in step.fields.iter().filter(|f| field_applies(f, app)) {
        let (Some(check), Some(value)) = (field.registered_check, text_at(app, &field.path)) else {
            continue;
        };
        match online::registered(kiosk, check, value).await {
            Availability::Taken => problems.push(online::registered::taken(check).at(&field.path)),
            Availability::Available => {}
            Availability::Unknown => unknown = true,
        }
    }
    let notes = if unknown && problems.is_empty() {
        vec![note(
            "REGISTERED_NOT_CHECKED",
            None,
            Tone::Info,
            "暂时无法向平台确认这些信息是否已注册；提交后平台会再核对，如有重复会通知您。",
            "The platform could not be asked now whether these details are already registered; it checks again when the application arrives and tells you if they are.",
        )]
    } else {
        Vec::new()
    };
    (problems, notes)
}

/// Finishes step `step_key` of flow `kind` on `profile_id` with the wizard's `application`
/// (partial JSON) at `now_ms`: the step's own rules, then — only when they pass — values
/// already registered on the platform and the live real-name check when this step completes
/// the verified person. `confirm_manual`: the visitor confirmed a name the platform did not
/// match, so the application goes to manual review.
pub async fn finish_step(
    kiosk: &Kiosk,
    profile_id: &str,
    kind: &str,
    step_key: &str,
    application: serde_json::Value,
    confirm_manual: bool,
    now_ms: i64,
) -> Result<StepOutcome, Problem> {
    let (profile, form) = form_of(profile_id, kind)?;
    let app = stamped(&profile.id, form.kind, application);
    let today = crate::validate::today_in_china(now_ms);
    let mut problems = check_step(profile, &form, step_key, &app, today);
    problems.extend(unlisted(kiosk, profile, &form, step_key, &app));
    let mut outcome = StepOutcome {
        done: false,
        problems: Vec::new(),
        patch: serde_json::Map::new(),
        notes: Vec::new(),
    };
    if !problems.is_empty() {
        outcome.problems = problems;
        return Ok(outcome);
    }
    let (taken, notes) = registered_checks(kiosk, &form, step_key, &app).await;
    outcome.notes.extend(notes);
    if !taken.is_empty() {
        outcome.problems = taken;
        return Ok(outcome);
    }
    let completes_person = form.real_name_person.as_deref().is_some_and(|p| {
        let number = format!("{p}.document.number");
        form.steps
            .iter()
            .any(|s| s.key == step_key && s.fields.iter().any(|f| f.path == number))
    });
    if completes_person {
        match online::real_name::check(kiosk, profile, &app, confirm_manual, now_ms).await {
            Ok(Some(result)) => {
                let verified = result.record.reason.is_none();
                let record = serde_json::to_value(result.record).unwrap_or_default();
                outcome.patch.insert("realNameCheck".into(), record);
                outcome.notes.push(note(
                    if verified {
                        "REAL_NAME_VERIFIED"
                    } else {
                        "REAL_NAME_MANUAL_REVIEW"
                    },
                    None,
                    if verified {
                        Tone::Success
                    } else {
                        Tone::Warning
                    },
                    result.zh,
                    result.en,
                ));
            }
            Ok(None) => {
                outcome
                    .patch
                    .insert("realNameCheck".into(), serde_json::Value::Null);
            }
            Err(problem) => {
                outcome.problems.push(problem);
                return Ok(outcome);
            }
        }
    }
    outcome.done = true;
    Ok(outcome)
}

/// What the rules say about the one field at `path` as the visitor leaves it (see
/// `kiosk_core::wizard::check_value`): its problems, empty when it is fine, empty or does not
/// apply. Registered values and the real name are asked when the step is finished.
pub fn check_field(
    profile_id: &str,
    kind: &str,
    path: &str,
    application: serde_json::Value,
    now_ms: i64,
) -> Result<Vec<Problem>, Problem> {
    let (profile, form) = form_of(profile_id, kind)?;
    let app = stamped(&profile.id, form.kind, application);
    let today = crate::validate::today_in_china(now_ms);
    Ok(kiosk_core::wizard::check_value(
        profile, &form, path, &app, today,
    ))
}

/// The summary of the wizard's `application`: every field that applies, masked where
/// sensitive, with the names of picked entries.
pub fn summary(
    kiosk: &Kiosk,
    profile_id: &str,
    kind: &str,
    application: serde_json::Value,
) -> Result<Vec<SummaryRow>, Problem> {
    let (profile, form) = form_of(profile_id, kind)?;
    let app = stamped(&profile.id, form.kind, application);
    Ok(kiosk_core::wizard::summary(&form, &app, &KioskNames(kiosk)))
}

/// The application as it is handed in: fields that no longer apply and a code already
/// verified dropped (see `kiosk_core::wizard::prune`).
pub fn for_submission(
    profile_id: &str,
    kind: &str,
    application: serde_json::Value,
) -> Result<serde_json::Value, Problem> {
    let (profile, form) = form_of(profile_id, kind)?;
    Ok(kiosk_core::wizard::prune(
        &form,
        stamped(&profile.id, form.kind, application),
    ))
}
