//! The checks before anything is stored: the application against its platform profile on the
//! day (China time), and the files against the attachments it lists. Every problem is found at
//! once, so the visitor corrects them in one go.

use kiosk_core::Problem;
use kiosk_core::application::{Application, Attachment};
use kiosk_core::date::Date;
use kiosk_core::profile::Profile;
use kiosk_core::validate::validate_application;

use super::{AttachmentUpload, MAX_ATTACHMENT_BYTES, SubmitError};

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

/// Checks that the files handed in are exactly the attachments the application lists, in
/// order: same slot, same size and, when the list gives one, the same SHA-256.
fn check_files(listed: &[Attachment], files: &[AttachmentUpload]) -> Vec<Problem> {
    if listed.len() != files.len() {
        let mismatch = SubmitError::FilesMismatch {
            listed: listed.len(),
            given: files.len(),
        };
        return vec![mismatch.into()];
    }
    listed
        .iter()
        .zip(files)
        .enumerate()
        .filter(|(_, (entry, file))| {
            let size_ok = u64::try_from(file.bytes.len()).is_ok_and(|n| n == entry.size_bytes);
            let hash_ok = entry.sha256.as_deref().is_none_or(|h| {
                h.eq_ignore_ascii_case(&kiosk_store::queue::sha256_hex(&file.bytes))
            });
            entry.slot != file.slot || !size_ok || !hash_ok
        })
        .map(|(i, (entry, _))| {
            SubmitError::FileMismatch {
                number: i + 1,
                file_name: entry.file_name.clone(),
            }
            .into()
        })
        .collect()
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
        let mismatch = SubmitError::ProfileMismatch {
            application: application.profile.clone(),
            submitted: profile.id.clone(),
        };
        problems.push(mismatch.into());
    }
    problems.extend(validate_application(profile, &application, today).errors);
    problems.extend(check_files(application.form.attachments(), files));
    if !problems.is_empty() {
        return Err(problems);
    }
    let encode = |e: serde_json::Error| vec![SubmitError::Encode(e.to_string()).into()];
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
        Err(many) => {
            let join =
                |text: fn(&Problem) -> &str| many.iter().map(text).collect::<Vec<_>>().join("\n");
            SubmitError::Several {
                zh: join(|p| &p.zh),
                en: join(|p| &p.en),
            }
            .into()
        }
    }
}

/// Refuses files that are empty or over the size limit before anything else is done with them.
pub(super) fn check_sizes(attachments: &[AttachmentUpload]) -> Result<(), SubmitError> {
    if let Some(big) = attachments
        .iter()
        .find(|a| a.bytes.len() > MAX_ATTACHMENT_BYTES)
    {
        return Err(SubmitError::TooLarge {
            slot: big.slot.clone(),
        });
    }
    if let Some(empty) = attachments.iter().find(|a| a.bytes.is_empty()) {
        return Err(SubmitError::Empty {
            slot: empty.slot.clone(),
        });
    }
    Ok(())
}
