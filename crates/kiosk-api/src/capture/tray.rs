//! The capture tray: normalised images and checked documents waiting, in memory only, until the visitor's
//! application is submitted or the session is wiped. One tray per process (the Tauri shell
//! keeps it in its state); it is bounded in count and bytes so a stuck session cannot grow
//! without end.

use super::CaptureApiError;
use std::sync::{Mutex, MutexGuard, PoisonError};

use kiosk_core::Problem;
use serde::Serialize;
use ts_rs::TS;

/// A normalised image or a checked document (PDF, Word) in the tray, as the UI lists it.
#[derive(Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Captured {
    /// Tray id (a UUIDv7), used to discard or submit the file.
    pub id: String,
    /// The profile's attachment slot the file is for, e.g. `id-front`.
    pub slot: String,
    /// File name it will be submitted under, with the extension of what is stored (`.jpg`
    /// for images, `.pdf`, `.doc`, `.docx`).
    pub file_name: String,
    /// Media type of what is stored (`image/jpeg`, `application/pdf`, `application/msword`,
    /// or the `.docx` type).
    pub media_type: String,
    /// SHA-256 of what is stored, lower-case hex.
    pub sha256: String,
    /// Size of what is stored, in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// Width in pixels (0 for documents).
    pub width: u32,
    /// Height in pixels (0 for documents).
    pub height: u32,
    /// Pages of a PDF, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pages: Option<u32>,
    /// A small preview as a `data:image/jpeg;base64,...` URL (an image, or page 1 of a PDF);
    /// empty when there is none (Word files; a PDF whose preview failed).
    pub thumbnail: String,
    /// Why a PDF has no preview; the file is kept all the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub preview_problem: Option<Problem>,
    /// Quality findings that did not block the image (codes `QUALITY_*`), with advice.
    pub warnings: Vec<Problem>,
}

impl std::fmt::Debug for Captured {
    /// Never prints the thumbnail (a picture of an ID card is personal data).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Captured")
            .field("id", &self.id)
            .field("slot", &self.slot)
            .field("media_type", &self.media_type)
            .field("size", &self.size)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// How much the tray holds at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrayLimits {
    /// Most files at once (a legal-entity application needs about six).
    pub max_items: usize,
    /// Most bytes of stored files at once.
    pub max_bytes: u64,
}

impl Default for TrayLimits {
    /// 24 images and 64 MB: several 10 MB documents plus both sides of two ID cards.
    fn default() -> Self {
        Self {
            max_items: 24,
            max_bytes: 64 * 1_000_000,
        }
    }
}

struct Entry {
    captured: Captured,
    jpeg: Vec<u8>,
}

/// The per-process tray of captured images. `Send + Sync`; every method takes `&self`.
pub struct Tray {
    limits: TrayLimits,
    entries: Mutex<Vec<Entry>>,
}

impl std::fmt::Debug for Tray {
    /// Shows counts only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.lock();
        f.debug_struct("Tray")
            .field("limits", &self.limits)
            .field("items", &entries.len())
            .finish()
    }
}

impl Default for Tray {
    fn default() -> Self {
        Self::new(TrayLimits::default())
    }
}

fn tray_full(limits: TrayLimits) -> Problem {
    CaptureApiError::TrayFull {
        max_items: limits.max_items,
        max_mb: limits.max_bytes / 1_000_000,
    }
    .into()
}

fn not_found(id: &str) -> Problem {
    Problem::from(CaptureApiError::NotFound).at(format!("captureIds.{id}"))
}

impl Tray {
    /// An empty tray with `limits`.
    pub fn new(limits: TrayLimits) -> Self {
        Self {
            limits,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The tray's limits.
    pub fn limits(&self) -> TrayLimits {
        self.limits
    }

    /// The entries. A panic while the lock was held cannot leave them half-changed (every
    /// change is one `Vec` operation), so a poisoned lock is used as it is.
    fn lock(&self) -> MutexGuard<'_, Vec<Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Refused with `CAPTURE_TRAY_FULL` when one more image of `bytes` would not fit. Called
    /// before the expensive normalisation (with 0) and again when adding.
    pub fn check_room(&self, bytes: u64) -> Result<(), Problem> {
        let entries = self.lock();
        Self::room(&entries, self.limits, bytes)
    }

    fn room(entries: &[Entry], limits: TrayLimits, bytes: u64) -> Result<(), Problem> {
        let used: u64 = entries.iter().map(|e| e.captured.size).sum();
        if entries.len() >= limits.max_items || used.saturating_add(bytes) > limits.max_bytes {
            return Err(tray_full(limits));
        }
        Ok(())
    }

    /// Adds an image; `captured.size` must be `jpeg.len()`.
    pub fn add(&self, captured: Captured, jpeg: Vec<u8>) -> Result<Captured, Problem> {
        let mut entries = self.lock();
        Self::room(&entries, self.limits, jpeg.len() as u64)?;
        entries.push(Entry {
            captured: captured.clone(),
            jpeg,
        });
        Ok(captured)
    }

    /// What the tray holds, oldest first.
    pub fn list(&self) -> Vec<Captured> {
        self.lock().iter().map(|e| e.captured.clone()).collect()
    }

    /// Number of images held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the tray is empty.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Bytes of JPEG held.
    pub fn bytes(&self) -> u64 {
        self.lock().iter().map(|e| e.captured.size).sum()
    }

    /// The images with `ids`, in that order, with copies of their JPEGs; `CAPTURE_NOT_FOUND`
    /// for the first id the tray does not hold. The images stay in the tray.
    pub fn get(&self, ids: &[String]) -> Result<Vec<(Captured, Vec<u8>)>, Problem> {
        let entries = self.lock();
        ids.iter()
            .map(|id| {
                entries
                    .iter()
                    .find(|e| &e.captured.id == id)
                    .map(|e| (e.captured.clone(), e.jpeg.clone()))
                    .ok_or_else(|| not_found(id))
            })
            .collect()
    }

    /// Removes the images with `ids` (unknown ids are ignored: discarding twice is fine);
    /// returns how many were removed.
    pub fn discard(&self, ids: &[String]) -> usize {
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|e| !ids.contains(&e.captured.id));
        before - entries.len()
    }

    /// Forgets every image (the visitor's session ended).
    pub fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn item(id: &str, size: usize) -> (Captured, Vec<u8>) {
        let captured = Captured {
            id: id.to_owned(),
            slot: "id-front".to_owned(),
            file_name: "id-front.jpg".to_owned(),
            media_type: "image/jpeg".to_owned(),
            sha256: String::new(),
            size: size as u64,
            width: 10,
            height: 10,
            pages: None,
            thumbnail: "data:image/jpeg;base64,SECRET".to_owned(),
            preview_problem: None,
            warnings: Vec::new(),
        };
        (captured, vec![7; size])
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn full_tray_refuses_by_count_and_by_bytes() {
        let tray = Tray::new(TrayLimits {
            max_items: 2,
            max_bytes: 100,
        });
        let (a, bytes) = item("a", 60);
        tray.add(a, bytes).unwrap();
        let (b, bytes) = item("b", 50);
        let refused = tray.add(b, bytes).expect_err("60 + 50 > 100 bytes");
        assert_eq!(refused.code, "CAPTURE_TRAY_FULL");
        assert!(
            refused.zh.contains("删除"),
            "says what to do: {}",
            refused.zh
        );
        let (c, bytes) = item("c", 40);
        tray.add(c, bytes).unwrap();
        assert_eq!(tray.check_room(0).unwrap_err().code, "CAPTURE_TRAY_FULL");
        assert_eq!((tray.len(), tray.bytes()), (2, 100));
        tray.discard(&ids(&["a"]));
        assert!(tray.check_room(0).is_ok(), "room again after a discard");
    }

    #[test]
    fn get_returns_in_the_order_asked_and_keeps_the_images() {
        let tray = Tray::default();
        for (id, size) in [("a", 3), ("b", 5)] {
            let (c, bytes) = item(id, size);
            tray.add(c, bytes).unwrap();
        }
        let got = tray.get(&ids(&["b", "a"])).unwrap();
        let order: Vec<_> = got.iter().map(|(c, j)| (c.id.as_str(), j.len())).collect();
        assert_eq!(order, [("b", 5), ("a", 3)]);
        assert_eq!(tray.len(), 2, "get does not remove");
        let missing = tray.get(&ids(&["a", "zz"])).unwrap_err();
        assert_eq!(missing.code, "CAPTURE_NOT_FOUND");
        assert_eq!(missing.field.as_deref(), Some("captureIds.zz"));
    }

    #[test]
    fn discard_and_clear_forget_images() {
        let tray = Tray::default();
        for id in ["a", "b", "c"] {
            let (c, bytes) = item(id, 1);
            tray.add(c, bytes).unwrap();
        }
        assert_eq!(tray.discard(&ids(&["b", "nope"])), 1);
        assert_eq!(
            tray.discard(&ids(&["b"])),
            0,
            "discarding twice is harmless"
        );
        let left: Vec<_> = tray.list().into_iter().map(|c| c.id).collect();
        assert_eq!(left, ["a", "c"]);
        tray.clear();
        assert!(tray.is_empty(), "a wiped session leaves nothing behind");
    }

    #[test]
    fn debug_output_shows_no_picture() {
        let (c, _) = item("a", 1);
        assert!(!format!("{c:?}").contains("SECRET"));
        let tray = Tray::default();
        tray.add(c, vec![1]).unwrap();
        assert_eq!(format!("{tray:?}").matches("SECRET").count(), 0);
    }
}
