//! A card read as values for one person of one form, and its photo as PNG with a note.

use super::{ApplicationKind, CardFill, CardRead, CardSummary, IdReaders, PersonRole, read};
use kiosk_capture::id_reader::{Timeouts, WltDecoder};
use kiosk_core::UserFacing;
use kiosk_core::id_card::{ChipCard, fields_for};
use kiosk_core::{Problem, Profile};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

/// Whether the card's photo can be shown, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhotoNote {
    /// The vendor's decoder turned the chip's photo into a picture.
    pub available: bool,
    /// Why not (`ID_PHOTO_DECODER_MISSING`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<Problem>,
}

/// The chip's portrait as PNG, through the vendor's decoder when it is installed.
pub fn photo_png(readers: &IdReaders, read: &CardRead) -> Result<Vec<u8>, Problem> {
    let decoder = WltDecoder::find(&readers.decoder_paths)?;
    Ok(decoder.decode_png(&read.photo_wlt)?)
}

pub(super) fn photo_note(readers: &IdReaders, read: &CardRead) -> PhotoNote {
    match photo_png(readers, read) {
        Ok(_) => PhotoNote {
            available: true,
            problem: None,
        },
        Err(problem) => PhotoNote {
            available: false,
            problem: Some(problem),
        },
    }
}

/// A card read, and (for a form) the values for one person: what became read-only, what
/// could not be filled and why; whether the photo is available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IdCardForForm {
    /// The port read from.
    pub device: String,
    /// The card as the screen may show it (masked).
    pub card: CardSummary,
    /// The values for the form, the read-only paths and the problems (when a form was named).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fill: Option<CardFill>,
    /// The photo.
    pub photo: PhotoNote,
}

/// Which form a card is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormTarget<'a> {
    /// Profile id (`most`, `tianjin`, ...).
    pub profile: &'a str,
    /// The flow.
    pub kind: ApplicationKind,
    /// The person of the flow the card belongs to.
    pub role: PersonRole,
}

/// The values `card` puts into `target` on the day of `now_ms` (China time).
pub fn fill_form(
    card: &ChipCard,
    target: FormTarget<'_>,
    now_ms: i64,
) -> Result<CardFill, Problem> {
    let profile = Profile::by_id(target.profile).map_err(|e| e.problem().at("profile"))?;
    let today = crate::validate::today_in_china(now_ms);
    Ok(fields_for(profile, target.kind, target.role, card, today))
}

/// Reads the card (see [`read`]) and, with a `target`, maps it onto that form
/// ([`fill_form`]). Without a target only the masked card comes back (a device check).
pub fn read_for_form(
    readers: &IdReaders,
    device: Option<&Path>,
    target: Option<FormTarget<'_>>,
    timeouts: Timeouts,
    now_ms: i64,
) -> Result<IdCardForForm, Problem> {
    if let Some(target) = target {
        // Refuse an unknown profile before touching the reader.
        Profile::by_id(target.profile).map_err(|e| e.problem().at("profile"))?;
    }
    let (path, read) = read(readers, device, timeouts)?;
    let fill = match target {
        Some(target) => {
            let fill = fill_form(&read.card, target, now_ms)?;
            log::info!(
                "ID card mapped for {} {}: {} field(s) filled, {} problem(s)",
                target.profile,
                target.kind.as_str(),
                fill.fields.len(),
                fill.problems.len()
            );
            Some(fill)
        }
        None => None,
    };
    Ok(IdCardForForm {
        device: path.display().to_string(),
        card: read.card.summary(),
        photo: photo_note(readers, &read),
        fill,
    })
}
