//! Attachment files for a profile's slot: what the slot takes (from the platform profile),
//! and the one check every front door uses — images are normalised to JPEG, PDF and Word
//! files are checked with bounded work and kept exactly as they came, with a first-page
//! preview for PDF.

use super::CaptureApiError;
use kiosk_capture::decode::DecodeLimits;
use kiosk_capture::document_file::preview::{self, PreviewConfig};
use kiosk_capture::document_file::{self, Accepts, Checked};
use kiosk_capture::{NormalizeOptions, thumbnail};
use kiosk_core::profile::AttachmentSlot;
use kiosk_core::{ApplicationKind, Problem, Profile};
use serde::Serialize;

use super::{attachment_slot, with_max_bytes};

/// Where an attachment goes: the slot, and the platform profile and application kind whose
/// slot it is (then the profile's media types and byte limit apply).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadTarget {
    /// The profile's attachment slot, e.g. `business-licence`.
    pub slot: String,
    /// Platform profile (`tianjin`); `None`: every built-in profile with such a slot.
    pub profile: Option<String>,
    /// Application kind (`legal-entity`); `None`: every flow of the profile(s).
    pub kind: Option<String>,
}

impl UploadTarget {
    /// The slot `slot` of no particular profile.
    pub fn slot(slot: &str) -> Self {
        Self {
            slot: slot.to_owned(),
            ..Self::default()
        }
    }
}

/// What a slot takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotRules {
    /// Accepted media types, in the profile's order.
    pub media_types: Vec<String>,
    /// Largest file stored, in bytes.
    pub max_bytes: u64,
}

fn unknown_kind(kind: &str) -> Problem {
    Problem::from(CaptureApiError::BadKind { kind: kind.into() }).at("kind")
}

fn not_in_profile(target: &UploadTarget) -> Problem {
    Problem::from(CaptureApiError::SlotNotInProfile {
        slot: target.slot.to_string(),
    })
    .at("slot")
}

/// What `target`'s slot takes: the media types of every matching profile slot (in order,
/// each once) and the smallest of their byte limits. A slot no built-in profile has (when no
/// profile is named) takes JPG and PNG within the image preset's limit, as before profiles
/// listed documents.
pub fn slot_rules(target: &UploadTarget) -> Result<SlotRules, Problem> {
    let preset = attachment_slot(&target.slot)?;
    let profiles: Vec<&Profile> = match target.profile.as_deref() {
        Some(id) => vec![Profile::by_id(id)?],
        None => Profile::builtin().iter().collect(),
    };
    let kind = match target.kind.as_deref() {
        Some(kind) => Some(ApplicationKind::parse(kind).ok_or_else(|| unknown_kind(kind))?),
        None => None,
    };
    let slots: Vec<&AttachmentSlot> = profiles
        .iter()
        .flat_map(|p| p.flows.iter())
        .filter(|flow| kind.is_none_or(|k| flow.kind == k))
        .flat_map(|flow| flow.attachments.iter())
        .filter(|slot| slot.slot == target.slot)
        .collect();
    if slots.is_empty() {
        if target.profile.is_some() {
            return Err(not_in_profile(target));
        }
        return Ok(SlotRules {
            media_types: vec!["image/jpeg".to_owned(), "image/png".to_owned()],
            max_bytes: preset.max_bytes,
        });
    }
    let mut media_types: Vec<String> = Vec::new();
    for slot in &slots {
        for media_type in &slot.media_types {
            if !media_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(media_type))
            {
                media_types.push(media_type.clone());
            }
        }
    }
    let max_bytes = slots
        .iter()
        .map(|s| s.max_bytes)
        .min()
        .unwrap_or(preset.max_bytes);
    Ok(SlotRules {
        media_types,
        max_bytes,
    })
}

/// A file checked for a slot, as it would be stored (`kioskctl scan check --json` prints it;
/// the tray keeps it as a [`super::Captured`]).
#[derive(Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckedAttachment {
    /// What is stored: the normalised JPEG of an image, or the document unchanged. Not
    /// serialised.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Media type of what is stored.
    pub media_type: String,
    /// File extension of what is stored (`jpg`, `pdf`, `doc`, `docx`).
    pub extension: String,
    /// Size of what is stored, in bytes.
    pub size: u64,
    /// SHA-256 of what is stored, lower-case hex.
    pub sha256: String,
    /// Width in pixels (images; 0 for documents).
    pub width: u32,
    /// Height in pixels (images; 0 for documents).
    pub height: u32,
    /// Pages of a PDF, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// A small preview as a `data:image/jpeg;base64,...` URL: the image, or page 1 of a
    /// PDF; empty when there is none (Word files, or a PDF whose preview failed).
    pub thumbnail: String,
    /// Why a PDF has no preview (the file is kept all the same).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_problem: Option<Problem>,
    /// Quality findings that did not block an image (codes `QUALITY_*`).
    pub warnings: Vec<Problem>,
}

impl std::fmt::Debug for CheckedAttachment {
    /// Sizes and types only: never the file or its preview.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedAttachment")
            .field("media_type", &self.media_type)
            .field("size", &self.size)
            .field("pages", &self.pages)
            .field("preview", &!self.thumbnail.is_empty())
            .finish_non_exhaustive()
    }
}

/// How [`check_attachment`] previews PDFs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// Render page 1 with these bounds.
    Render(PreviewConfig),
    /// No preview (`kioskctl scan check --no-preview`).
    Skip,
}

impl Default for Preview {
    fn default() -> Self {
        Self::Render(PreviewConfig::default())
    }
}

/// Checks `bytes` (named `file_name` on the visitor's device) for `target`'s slot and
/// returns what would be stored: the content decides the type, the name must not contradict
/// it, PDF and Word files pass their bounded checks and are kept byte for byte, images are
/// normalised (a blocking quality finding refuses them). Every refusal is a stable code with
/// advice in Chinese and English.
pub fn check_attachment(
    target: &UploadTarget,
    file_name: &str,
    bytes: &[u8],
    preview_with: &Preview,
) -> Result<CheckedAttachment, Problem> {
    let rules = slot_rules(target)?;
    let accepts = Accepts::from_media_types(&rules.media_types);
    match document_file::check(bytes, file_name, &accepts, rules.max_bytes)? {
        Checked::Image => image(target, bytes, rules.max_bytes),
        Checked::Document(info) => {
            let (thumbnail, pages, preview_problem) = match (info.kind, preview_with) {
                (document_file::DocumentKind::Pdf, Preview::Render(config)) => {
                    match preview::data_url(bytes, config) {
                        Ok((url, pages)) => (url, pages, None),
                        Err(error) => {
                            log::warn!("no PDF preview for slot {}: {error}", target.slot);
                            (String::new(), None, Some(Problem::from(error)))
                        }
                    }
                }
                _ => (String::new(), None, None),
            };
            Ok(CheckedAttachment {
                media_type: info.kind.media_type().to_owned(),
                extension: info.kind.extension().to_owned(),
                size: bytes.len() as u64,
                sha256: crate::submit::sha256_hex(bytes),
                width: 0,
                height: 0,
                pages,
                thumbnail,
                preview_problem,
                warnings: Vec::new(),
                bytes: bytes.to_vec(),
            })
        }
    }
}

/// The image path: normalise to the slot's JPEG, refuse on a blocking finding.
fn image(
    target: &UploadTarget,
    bytes: &[u8],
    max_bytes: u64,
) -> Result<CheckedAttachment, Problem> {
    let slot = with_max_bytes(attachment_slot(&target.slot)?, Some(max_bytes));
    let normalized = kiosk_capture::normalize(
        bytes,
        &slot,
        &NormalizeOptions {
            limits: DecodeLimits::default(),
            crop_document: false,
            watermark: None,
        },
    )?;
    if let Some(issue) = normalized.issues.iter().find(|i| i.is_blocking()) {
        return Err(issue.problem());
    }
    let thumbnail = thumbnail::data_url(&normalized.jpeg, thumbnail::THUMBNAIL_SIDE)?;
    Ok(CheckedAttachment {
        media_type: super::TRAY_MEDIA_TYPE.to_owned(),
        extension: "jpg".to_owned(),
        size: normalized.jpeg.len() as u64,
        sha256: crate::submit::sha256_hex(&normalized.jpeg),
        width: normalized.width,
        height: normalized.height,
        pages: None,
        thumbnail,
        preview_problem: None,
        warnings: normalized.issues.iter().map(|i| i.problem()).collect(),
        bytes: normalized.jpeg,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use kiosk_testkit::documents;

    use super::*;

    fn tianjin(slot: &str) -> UploadTarget {
        UploadTarget {
            slot: slot.to_owned(),
            profile: Some("tianjin".to_owned()),
            kind: Some("legal-entity".to_owned()),
        }
    }

    #[test]
    fn rules_come_from_the_profile_slot() {
        let rules = slot_rules(&tianjin("business-licence")).unwrap();
        assert_eq!(rules.max_bytes, 10_485_760);
        assert!(rules.media_types.iter().any(|t| t == "application/msword"));
        let id = slot_rules(&tianjin("id-front")).unwrap();
        assert_eq!(id.media_types, ["image/jpeg", "image/png"]);
        let shandong = slot_rules(&UploadTarget {
            slot: "change-form".to_owned(),
            profile: Some("shandong".to_owned()),
            kind: None,
        })
        .unwrap();
        assert!(shandong.media_types.iter().any(|t| t == "application/pdf"));
        assert!(!shandong.media_types.iter().any(|t| t.contains("word")));
    }

    #[test]
    fn without_a_profile_every_profile_with_the_slot_counts_strictest_limit_wins() {
        let id = slot_rules(&UploadTarget::slot("id-front")).unwrap();
        assert_eq!(id.max_bytes, 1_048_576, "most.json's 1 MiB is the smallest");
        let licence = slot_rules(&UploadTarget::slot("business-licence")).unwrap();
        assert!(
            licence
                .media_types
                .iter()
                .any(|t| t.contains("wordprocessingml"))
        );
        let unlisted = slot_rules(&UploadTarget::slot("risk-letter")).unwrap();
        assert_eq!(unlisted.media_types, ["image/jpeg", "image/png"]);
    }

    #[test]
    fn a_slot_the_profile_lacks_or_a_bad_kind_is_refused() {
        let mut target = tianjin("change-form");
        assert_eq!(
            slot_rules(&target).unwrap_err().code,
            "CAPTURE_UNKNOWN_SLOT"
        );
        target.slot = "business-licence".to_owned();
        target.kind = Some("nonsense".to_owned());
        assert_eq!(
            slot_rules(&target).unwrap_err().field.as_deref(),
            Some("kind")
        );
        target.profile = Some("atlantis".to_owned());
        assert!(!slot_rules(&target).unwrap_err().code.is_empty());
    }

    #[test]
    fn documents_are_kept_byte_for_byte_with_a_pdf_preview() {
        let pdf = documents::pdf();
        let checked = check_attachment(
            &tianjin("business-licence"),
            "营业执照.pdf",
            &pdf,
            &Preview::default(),
        )
        .unwrap();
        assert_eq!(checked.bytes, pdf, "stored as it came");
        assert_eq!(checked.media_type, "application/pdf");
        assert_eq!(checked.extension, "pdf");
        assert_eq!(checked.sha256, crate::submit::sha256_hex(&pdf));
        assert!(checked.thumbnail.starts_with("data:image/jpeg;base64,"));
        assert_eq!(checked.pages, Some(1));
        for (bytes, name, ext) in [
            (documents::docx(), "承诺书.docx", "docx"),
            (documents::doc(), "承诺书.doc", "doc"),
        ] {
            let checked = check_attachment(
                &tianjin("risk-commitment"),
                name,
                &bytes,
                &Preview::default(),
            )
            .unwrap();
            assert_eq!(checked.bytes, bytes);
            assert_eq!(checked.extension, ext);
            assert!(checked.thumbnail.is_empty(), "Word files get an icon");
        }
    }

    #[test]
    fn a_pdf_whose_preview_fails_is_kept_and_says_why() {
        let config = PreviewConfig {
            pdftoppm: "/nonexistent/pdftoppm".into(),
            ..PreviewConfig::default()
        };
        let checked = check_attachment(
            &tianjin("business-licence"),
            "a.pdf",
            &documents::pdf(),
            &Preview::Render(config),
        )
        .unwrap();
        assert!(checked.thumbnail.is_empty());
        assert_eq!(
            checked.preview_problem.map(|p| p.code),
            Some("PREVIEW_TOOL_MISSING".to_owned())
        );
    }

    #[test]
    fn id_slots_still_refuse_documents_naming_what_they_take() {
        let refused = check_attachment(
            &tianjin("id-front"),
            "id.pdf",
            &documents::pdf(),
            &Preview::Skip,
        )
        .unwrap_err();
        assert_eq!(refused.code, "ATTACHMENT_TYPE");
        assert!(refused.zh.contains("JPG、PNG"), "{}", refused.zh);
    }

    #[test]
    fn a_document_over_the_slot_limit_is_refused_before_checking() {
        let mut big = documents::pdf();
        big.resize(10_485_761, b' ');
        let refused = check_attachment(&tianjin("business-licence"), "a.pdf", &big, &Preview::Skip)
            .unwrap_err();
        assert_eq!(refused.code, "CAPTURE_FILE_TOO_LARGE");
    }
}
