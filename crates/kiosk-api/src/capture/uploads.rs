//! What the visitor captures for a draft: uploads into the [`Tray`], stored file names, the
//! risk letter's application number, and handing the tray over to a submission.

use super::CaptureApiError;
use super::{Captured, Preview, Slot, Tray, UploadTarget, check_attachment};
use kiosk_capture::decode::DecodeLimits;
use kiosk_core::Problem;

/// The application number carried by the QR code of a scanned risk letter, if any.
pub fn application_number_from_scan(bytes: &[u8]) -> Result<Option<String>, Problem> {
    let decoded = kiosk_capture::decode::decode(bytes, &DecodeLimits::default())?;
    Ok(kiosk_capture::qr::application_number(&decoded.image))
}

pub(super) fn bad_slot(slot: &str) -> Problem {
    Problem::from(CaptureApiError::BadSlot { slot: slot.into() }).at("slot")
}

/// The slot a profile names `slot` (`id-front`, `risk-commitment`, ...); see
/// [`Slot::for_attachment`]. Names are 1-64 of `a-z`, `0-9`, `-`.
pub fn attachment_slot(slot: &str) -> Result<Slot, Problem> {
    let well_formed = (1..=64).contains(&slot.len())
        && slot
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        return Err(bad_slot(slot));
    }
    Ok(Slot::for_attachment(slot))
}

/// The name an image is submitted under: the base name of `file_name` (no folders, no
/// control characters, at most 80 characters) with a `.jpg` extension, or `<slot>.jpg`.
pub fn stored_file_name(file_name: &str, slot: &str) -> String {
    stored_file_name_as(file_name, slot, "jpg")
}

/// The name a file is kept under: as [`stored_file_name`], with the extension of what is
/// stored (`jpg`, `pdf`, `doc`, `docx`), whatever the visitor's name said.
pub fn stored_file_name_as(file_name: &str, slot: &str, extension: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect::<String>()
        .trim()
        .to_owned();
    if clean.is_empty() || clean.starts_with('.') {
        format!("{slot}.{extension}")
    } else {
        format!("{clean}.{extension}")
    }
}

/// Puts `bytes` (a camera frame, a file, a scan) in `tray` for the slot `slot` of no
/// particular profile; see [`upload_to`].
pub fn upload(tray: &Tray, slot: &str, file_name: &str, bytes: &[u8]) -> Result<Captured, Problem> {
    upload_to(tray, &UploadTarget::slot(slot), file_name, bytes)
}

/// Checks `bytes` for `target` ([`attachment::check_attachment`]: images normalised, PDF and
/// Word files kept as they are with a PDF preview) and puts the result in `tray`. Refused,
/// with advice, when the tray is full (checked first), the type is not one the slot takes or
/// contradicts the name, the file is too large, broken, encrypted or a bomb, or a blocking
/// quality finding says to take the picture again; other findings come back as warnings.
pub fn upload_to(
    tray: &Tray,
    target: &UploadTarget,
    file_name: &str,
    bytes: &[u8],
) -> Result<Captured, Problem> {
    attachment_slot(&target.slot)?;
    tray.check_room(0)?;
    let checked = check_attachment(target, file_name, bytes, &Preview::default())?;
    let captured = Captured {
        id: uuid::Uuid::now_v7().to_string(),
        slot: target.slot.clone(),
        file_name: stored_file_name_as(file_name, &target.slot, &checked.extension),
        media_type: checked.media_type,
        sha256: checked.sha256,
        size: checked.size,
        width: checked.width,
        height: checked.height,
        pages: checked.pages,
        thumbnail: checked.thumbnail,
        preview_problem: checked.preview_problem,
        warnings: checked.warnings,
    };
    log::info!(
        "capture {} added to the tray for slot {}: {}, {}x{}, {} bytes",
        captured.id,
        captured.slot,
        captured.media_type,
        captured.width,
        captured.height,
        captured.size
    );
    tray.add(captured, checked.bytes)
}

/// The application number on the QR code of the captured signed letter `capture_id`;
/// `None` when the image carries no letter code.
pub fn signed_letter_application(tray: &Tray, capture_id: &str) -> Result<Option<String>, Problem> {
    match tray.get(&[capture_id.to_owned()])?.pop() {
        Some((_, jpeg)) => application_number_from_scan(&jpeg),
        None => Ok(None),
    }
}

/// The images `ids` as attachments for the submission, in that order. They stay in the tray
/// (so a refused submission can be corrected without capturing again) until discarded or
/// the session is wiped. `CAPTURE_NOT_FOUND` when an id is unknown.
pub fn take_uploads(
    tray: &Tray,
    ids: &[String],
) -> Result<Vec<crate::submit::AttachmentUpload>, Problem> {
    Ok(tray
        .get(ids)?
        .into_iter()
        .map(|(captured, jpeg)| crate::submit::AttachmentUpload {
            slot: captured.slot,
            media_type: captured.media_type,
            bytes: jpeg,
        })
        .collect())
}

/// Hands in a wizard's application with the tray's images `capture_ids` as its attachments.
/// Once the application is durably queued (encrypted, with its attachments) the images leave
/// the tray: the visitor's photos are not kept twice. A refused submission leaves them in the
/// tray, so the visitor can correct the form without capturing again.
/// Blocking, like [`crate::submit::submit`].
pub fn submit_with_captures(
    kiosk: &crate::Kiosk,
    tray: &Tray,
    submission: crate::submit::Submission<'_>,
    capture_ids: &[String],
    now: i64,
) -> Result<crate::submit::SubmitReceipt, Problem> {
    let attachments = take_uploads(tray, capture_ids)?;
    let submission = crate::submit::Submission {
        attachments,
        ..submission
    };
    let receipt = crate::submit::submit(kiosk, submission, now)?;
    tray.discard(capture_ids);
    Ok(receipt)
}

/// Removes the images `ids` from the tray.
pub fn discard(tray: &Tray, ids: &[String]) {
    let removed = tray.discard(ids);
    log::info!("{removed} capture(s) discarded");
}

/// Empties the tray (the visitor's session was wiped).
pub fn clear(tray: &Tray) {
    tray.clear();
    log::info!("capture tray cleared");
}
