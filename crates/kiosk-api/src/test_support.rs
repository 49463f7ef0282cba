//! Shared test data: the rules engine's fixtures with files that match their attachments.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::submit::AttachmentUpload;

/// Reads `tests/fixtures/applications/<name>.json`.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/applications/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture whose attachment list is rewritten to describe small generated files, and the
/// files themselves.
pub(crate) fn fixture_with_files(name: &str) -> (String, Vec<AttachmentUpload>) {
    let mut value: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
    let mut files = Vec::new();
    if let Some(list) = value.get_mut("attachments").and_then(|a| a.as_array_mut()) {
        for (i, entry) in list.iter_mut().enumerate() {
            let bytes = vec![u8::try_from(i).unwrap(); 1000 + i];
            entry["sizeBytes"] = serde_json::json!(bytes.len());
            files.push(AttachmentUpload {
                slot: entry["slot"].as_str().unwrap().to_owned(),
                media_type: entry["mediaType"].as_str().unwrap().to_owned(),
                bytes,
            });
        }
    }
    (value.to_string(), files)
}

/// Today for the rules (fixtures are valid on this date).
pub(crate) const NOW: i64 = 1_795_000_000_000;
