//! How an upload arrives from the UI: [`UploadInput`] (raw bytes or a file path) and its decoding.

use super::UploadTarget;

/// An upload as it arrives over IPC: a raw body with `slot` and `file-name` headers
/// (percent-encoded UTF-8) and optional `profile` and `kind` headers, or JSON
/// `{slot, fileName, bytes: number[], profile?, kind?}`.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadInput {
    /// The profile's attachment slot.
    pub slot: String,
    /// The file's name on the visitor's device (only its base name is kept).
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// Platform profile whose slot it is, when the UI knows it.
    pub profile: Option<String>,
    /// Application kind whose slot it is, when the UI knows it.
    pub kind: Option<String>,
}

impl std::fmt::Debug for UploadInput {
    /// The slot and size only: never the file or its name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadInput")
            .field("slot", &self.slot)
            .field("bytes", &self.bytes.len())
            .field("profile", &self.profile)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

pub(super) fn present(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl UploadInput {
    /// From a raw body and its two header values (missing headers are empty).
    pub fn from_raw(slot: Option<&str>, file_name: Option<&str>, bytes: Vec<u8>) -> Self {
        Self {
            slot: slot.map(percent_decode).unwrap_or_default(),
            file_name: file_name.map(percent_decode).unwrap_or_default(),
            bytes,
            profile: None,
            kind: None,
        }
    }

    /// The same upload for `profile`'s `kind` (header values; empty ones are ignored).
    pub fn for_flow(mut self, profile: Option<&str>, kind: Option<&str>) -> Self {
        self.profile = present(profile.map(percent_decode));
        self.kind = present(kind.map(percent_decode));
        self
    }

    /// Where the upload goes.
    pub fn target(&self) -> UploadTarget {
        UploadTarget {
            slot: self.slot.clone(),
            profile: self.profile.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// Decodes `%XX` escapes in a header value (file names travel percent-encoded as UTF-8).
/// Malformed escapes are kept as they are.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
