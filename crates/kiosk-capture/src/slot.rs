//! Slots: the places an image goes (ID front, business licence, ...) and their limits.
//!
//! Platform profiles declare the limits; the api layer builds a [`Slot`] from them. The presets
//! here are the common defaults (jpg/png ≤ 1 MB for ID images in most appeals, ≤ 10 MB for
//! other documents).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An image file format the pipeline can detect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImageFormat {
    /// JPEG / JFIF.
    Jpeg,
    /// PNG.
    Png,
    /// WebP (lossy or lossless).
    Webp,
    /// TIFF, as flatbed scanners write it.
    Tiff,
}

impl ImageFormat {
    /// Lower-case name, as used in profiles and on the command line (`jpg`, `png`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Tiff => "tiff",
        }
    }

    /// Parses `jpg`, `jpeg`, `png`, `webp`, `tif` or `tiff` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            "tif" | "tiff" => Some(Self::Tiff),
            _ => None,
        }
    }
}

/// Where a normalised image goes and what the receiving platform accepts there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Slot {
    /// Stable slot name, e.g. `id-front`.
    pub name: String,
    /// Largest output file the platform accepts, in bytes.
    #[ts(type = "number")]
    pub max_bytes: u64,
    /// Longest side of the output image, in pixels.
    pub max_dimension: u32,
    /// Shortest acceptable short side of the document in the input, in pixels; smaller
    /// inputs are refused as illegible.
    pub min_short_side: u32,
    /// Formats the platform accepts for this slot. The pipeline writes JPEG, so `jpg` must be
    /// among them.
    pub accepted: Vec<ImageFormat>,
}

/// Slots whose images show an identity document: where an ID-card reader is offered next to
/// the camera, scanner and file (the built-in profiles' names).
pub const IDENTITY_DOCUMENT_SLOTS: [&str; 4] = [
    "id-front",
    "id-back",
    "identity-copies",
    "legal-representative-document",
];

/// Whether slot `name` holds an identity document (see [`IDENTITY_DOCUMENT_SLOTS`]).
pub fn is_identity_document(name: &str) -> bool {
    IDENTITY_DOCUMENT_SLOTS.contains(&name)
}

/// One megabyte as the platforms count it (10^6 bytes; stricter than MiB).
pub const MB: u64 = 1_000_000;

impl Slot {
    /// Front of the resident ID card (portrait side): jpg/png ≤ 1 MB.
    pub fn id_front() -> Self {
        Self::preset(
            "id-front",
            MB,
            1600,
            300,
            &[ImageFormat::Jpeg, ImageFormat::Png],
        )
    }

    /// Back of the resident ID card (national emblem side): jpg/png ≤ 1 MB.
    pub fn id_back() -> Self {
        Self::preset(
            "id-back",
            MB,
            1600,
            300,
            &[ImageFormat::Jpeg, ImageFormat::Png],
        )
    }

    /// Business licence (营业执照): ≤ 10 MB.
    pub fn business_licence() -> Self {
        Self::preset(
            "business-licence",
            10 * MB,
            3000,
            600,
            &[ImageFormat::Jpeg, ImageFormat::Png],
        )
    }

    /// Bank account permit (开户许可证): ≤ 10 MB.
    pub fn bank_permit() -> Self {
        Self::preset(
            "bank-permit",
            10 * MB,
            3000,
            600,
            &[ImageFormat::Jpeg, ImageFormat::Png],
        )
    }

    /// Signed and sealed risk commitment letter (风险承诺书): ≤ 10 MB.
    pub fn risk_letter() -> Self {
        Self::preset(
            "risk-letter",
            10 * MB,
            3000,
            600,
            &[ImageFormat::Jpeg, ImageFormat::Png],
        )
    }

    /// The preset called `name` (`id-front`, `id-back`, `business-licence`, `bank-permit`,
    /// `risk-letter`).
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "id-front" => Some(Self::id_front()),
            "id-back" => Some(Self::id_back()),
            "business-licence" => Some(Self::business_licence()),
            "bank-permit" => Some(Self::bank_permit()),
            "risk-letter" => Some(Self::risk_letter()),
            _ => None,
        }
    }

    /// Any other document (a platform's "other" slot, an organisation certificate): ≤ 1 MB,
    /// the strictest limit any platform sets, so it fits everywhere.
    pub fn document(name: &str) -> Self {
        Self::preset(name, MB, 2400, 300, &[ImageFormat::Jpeg, ImageFormat::Png])
    }

    /// The slot for a profile's attachment slot `name`: the preset of that name, the preset
    /// for the same document under another platform's name (`risk-commitment`,
    /// `bank-account-permit`), else [`Slot::document`]. The slot keeps the profile's name.
    pub fn for_attachment(name: &str) -> Self {
        let preset = match name {
            "risk-commitment" => Some(Self::risk_letter()),
            "bank-account-permit" => Some(Self::bank_permit()),
            other => Self::named(other),
        };
        match preset {
            Some(slot) => Self {
                name: name.to_owned(),
                ..slot
            },
            None => Self::document(name),
        }
    }

    /// Names of all presets.
    pub const PRESET_NAMES: [&'static str; 5] = [
        "id-front",
        "id-back",
        "business-licence",
        "bank-permit",
        "risk-letter",
    ];

    fn preset(
        name: &str,
        max_bytes: u64,
        max_dimension: u32,
        min_short_side: u32,
        accepted: &[ImageFormat],
    ) -> Self {
        Self {
            name: name.to_owned(),
            max_bytes,
            max_dimension,
            min_short_side,
            accepted: accepted.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_name_resolves_to_a_slot_of_that_name() {
        for name in Slot::PRESET_NAMES {
            let slot = Slot::named(name);
            assert_eq!(slot.map(|s| s.name), Some(name.to_owned()), "preset {name}");
        }
        assert!(Slot::named("passport").is_none(), "unknown names give None");
    }

    #[test]
    fn id_slots_take_one_megabyte_and_documents_ten() {
        assert_eq!(Slot::id_front().max_bytes, 1_000_000);
        assert_eq!(Slot::id_back().max_bytes, 1_000_000);
        assert_eq!(Slot::risk_letter().max_bytes, 10_000_000);
    }

    #[test]
    fn profile_slots_map_to_the_preset_of_the_same_document() {
        let letter = Slot::for_attachment("risk-commitment");
        assert_eq!(letter.name, "risk-commitment", "the profile's name is kept");
        assert_eq!(letter.max_dimension, Slot::risk_letter().max_dimension);
        assert_eq!(
            Slot::for_attachment("bank-account-permit").max_bytes,
            10 * MB
        );
        assert_eq!(Slot::for_attachment("id-back"), Slot::id_back());
        let other = Slot::for_attachment("organisation-certificate");
        assert_eq!(
            other.max_bytes, MB,
            "unknown documents get the strictest limit"
        );
    }

    #[test]
    fn format_names_round_trip() {
        for f in [
            ImageFormat::Jpeg,
            ImageFormat::Png,
            ImageFormat::Webp,
            ImageFormat::Tiff,
        ] {
            assert_eq!(ImageFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(ImageFormat::parse("JPEG"), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::parse("heic"), None);
    }
}
